from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

from rectrack.accounts import permissions
from rectrack.accounts.models import Role
from rectrack.instance import selectors as instance

# Which navigation entry a URL belongs to, by "namespace:name" prefix.
_SECTIONS = (
    ("planning:project", "projects"),
    ("planning:activity", "activities"),
    ("indicators:", "indicators"),
    ("agenda:", "calendar"),
    ("inquiries:", "requests"),
    ("institutions:handover", "requests"),
    ("collaboration:", "dashboard"),
    ("recommendations:", "recommendations"),
    ("imports:", "recommendations"),
    ("suggestions:settings", "settings"),
    ("suggestions:", "recommendations"),
    ("reporting:", "reporting"),
    ("statistics:", "statistics"),
    ("dashboard:settings", "settings"),
    ("instance:", "settings"),
    ("taxonomy:", "settings"),
    ("institutions:", "settings"),
    ("accounts:user", "settings"),
    ("portal:settings", "settings"),
    ("portal:publication", "settings"),
    ("dashboard:home", "dashboard"),
    ("audit:feed", "dashboard"),
)


# The public portal's navigation entries, by the same kind of prefix.
_PORTAL_SECTIONS = (
    ("portal:home", "home"),
    ("portal:recommendation", "recommendations"),
    ("portal:project", "projects"),
    ("portal:open_data", "data"),
)


def site(request: HttpRequest) -> dict:
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    section = next((name for prefix, name in _SECTIONS if view_name.startswith(prefix)), "")
    user = getattr(request, "user", None)
    role_label = Role(user.role).label if user is not None and user.is_authenticated else ""
    offered = set(instance.languages_offered())
    return {
        "site_name": instance.site_name(),
        "site_logo": bool(instance.current().logo),
        "nav_section": section,
        "portal_section": next((name for prefix, name in _PORTAL_SECTIONS if view_name.startswith(prefix)), ""),
        "role_label": role_label,
        "nav_indicators": user is not None and permissions.can_read_indicators(user),
        "nav_requests": user is not None and permissions.reads_everything(user),
        "language_choices": [(code, name) for code, name in _LANGUAGE_CHOICES if code in offered],
    }


def _own_name(code: str, configured: str) -> str:
    """A language in its own name; a national language Django does not know keeps the configured one."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return str(configured)


# Each language in its own name, so anyone can find theirs.
_LANGUAGE_CHOICES = [(code, _own_name(code, name)) for code, name in settings.LANGUAGES]
