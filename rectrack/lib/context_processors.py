from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

from rectrack.accounts.models import Role

# Which navigation entry a URL belongs to, by "namespace:name" prefix.
_SECTIONS = (
    ("planning:project", "projects"),
    ("planning:activity", "activities"),
    ("recommendations:", "recommendations"),
    ("imports:", "recommendations"),
    ("dashboard:reporting", "reporting"),
    ("dashboard:statistics", "statistics"),
    ("dashboard:settings", "settings"),
    ("dashboard:home", "dashboard"),
)


def site(request: HttpRequest) -> dict:
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    section = next((name for prefix, name in _SECTIONS if view_name.startswith(prefix)), "")
    user = getattr(request, "user", None)
    role_label = Role(user.role).label if user is not None and user.is_authenticated else ""
    return {
        "site_name": settings.SITE_NAME,
        "nav_section": section,
        "role_label": role_label,
        "language_choices": _LANGUAGE_CHOICES,
    }


def _own_name(code: str, configured: str) -> str:
    """A language in its own name; a national language Django does not know keeps the configured one."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return str(configured)


# Each language in its own name, so anyone can find theirs.
_LANGUAGE_CHOICES = [(code, _own_name(code, name)) for code, name in settings.LANGUAGES]
