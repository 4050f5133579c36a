"""Changing the instance's settings, with history."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import diff, record_event
from rectrack.instance.models import InstanceSettings
from rectrack.instance.selectors import CACHE_KEY

LOGO_MAX_BYTES = 512 * 1024
# Raster images only, recognised by their first bytes: an SVG can carry script.
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


def logo_kind(head: bytes) -> str | None:
    return next((ext for magic, ext in LOGO_TYPES.items() if head.startswith(magic)), None)


def _store_logo(upload) -> str:
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 512 kB."))
    head = upload.read(16)
    upload.seek(0)
    kind = logo_kind(head)
    if kind is None:
        raise ValidationError(_("The logo must be a PNG or JPEG image."))
    folder = Path(settings.MEDIA_ROOT) / "instance"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"logo-{secrets.token_hex(6)}.{kind}"
    with open(folder / name, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def _state(current: InstanceSettings) -> dict:
    return {
        "name": current.name,
        "country": current.country,
        "default_currency": current.default_currency,
        "languages": list(current.languages),
        "logo": current.logo,
    }


@transaction.atomic
def settings_update(*, actor, name: str, country: str, default_currency: str, languages: list[str],
                    logo=None, remove_logo: bool = False) -> dict:  # fmt: skip
    """Save the settings; returns what changed (also written to the history)."""
    current = InstanceSettings.objects.select_for_update().filter(pk=1).first() or InstanceSettings(pk=1)
    before = _state(current)
    old_logo = current.logo
    current.name, current.country = name.strip(), " ".join(country.split())
    current.default_currency, current.languages = default_currency, list(languages)
    if logo is not None:
        current.logo = _store_logo(logo)
    elif remove_logo:
        current.logo = ""
    changes = diff(before, _state(current))
    if not changes:
        return {}
    current.full_clean()
    current.save()
    if old_logo and old_logo != current.logo:
        transaction.on_commit(lambda: (Path(settings.MEDIA_ROOT) / "instance" / old_logo).unlink(missing_ok=True))
    record_event(actor=actor, instance=current, action=Action.UPDATED, changes=changes)
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))  # and again, should a request have cached the old row
    return changes


PORTAL_RULES = (
    "portal_enabled",
    "publish_recommendations",
    "publish_projects",
    "publish_activities",
    "publish_budgets",
)


@transaction.atomic
def portal_rules_update(*, actor, **rules: bool) -> dict:
    """Open or close the public portal and set what it publishes by default; returns the changes."""
    unknown = set(rules) - set(PORTAL_RULES)
    if unknown:
        raise TypeError(f"Unknown portal rules: {sorted(unknown)}")
    current = InstanceSettings.objects.select_for_update().filter(pk=1).first() or InstanceSettings(pk=1)
    before = {name: getattr(current, name) for name in PORTAL_RULES}
    for name, value in rules.items():
        setattr(current, name, bool(value))
    changes = diff(before, {name: getattr(current, name) for name in PORTAL_RULES})
    if not changes:
        return {}
    current.save()
    record_event(actor=actor, instance=current, action=Action.UPDATED, changes=changes)
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return changes
