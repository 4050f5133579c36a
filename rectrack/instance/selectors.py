"""The instance's settings as the rest of the application reads them, with the environment as fallback."""

from django.conf import settings
from django.core.cache import cache

from rectrack.instance.models import InstanceSettings

CACHE_KEY = "instance-settings"


# Each process keeps the row briefly: a change shows at once in the process
# that saved it (the key is deleted) and within this many seconds in the others.
CACHE_SECONDS = 10


def current() -> InstanceSettings:
    """The settings row (unsaved defaults when there is none), cached for a few seconds."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = InstanceSettings.objects.filter(pk=1).first() or InstanceSettings(pk=1)
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def site_name() -> str:
    return current().name or settings.SITE_NAME


def country() -> str:
    return current().country or settings.RECTRACK_COUNTRY


def default_currency() -> str:
    return current().default_currency or settings.RECTRACK_DEFAULT_CURRENCY


def languages_offered() -> list[str]:
    """Language codes shown in the switcher; all configured ones unless an administrator chose fewer."""
    configured = [code for code, _name in settings.LANGUAGES]
    chosen = [code for code in current().languages if code in configured]
    return chosen or configured


def logo_path():
    from pathlib import Path

    logo = current().logo
    return Path(settings.MEDIA_ROOT) / "instance" / logo if logo else None
