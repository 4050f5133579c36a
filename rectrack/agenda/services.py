"""Every write to calendar events and calendar feeds goes through here."""

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from rectrack.agenda.models import CalendarFeed, Event
from rectrack.audit.models import Action
from rectrack.audit.services import create_tracked, record_deletion, record_event, save_tracked

# What the history keeps of a deleted event, so that its Updates say what it was.
_KEPT_WHEN_DELETED = ("title", "kind", "starts_on", "ends_on", "location", "mechanism", "institutions", "audience")


def event_create(*, actor, **fields: Any) -> Event:
    """Create an event; the last day may not precede the first, nor the end time the start time."""
    return create_tracked(model=Event, actor=actor, fields=fields)


def event_update(*, event: Event, actor, expected_version: int | None = None, **fields: Any) -> dict:
    """Change an event; refuses a stale `expected_version` (ConflictError). Returns the changes."""
    return save_tracked(instance=event, actor=actor, fields=fields, expected_version=expected_version)


@transaction.atomic
def event_delete(*, event: Event, actor) -> None:
    """Delete an event; the history keeps a "deleted" entry with what it was."""
    record_deletion(actor=actor, instance=event, fields=_KEPT_WHEN_DELETED)
    event.delete()


def feed_token_hash(token: str) -> str:
    """The digest stored for a feed token (see CalendarFeed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def feed_reset(*, user) -> str:
    """Give the user a new calendar feed address, stopping the old one; returns the token, to show once."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": feed_token_hash(token), "created_at": timezone.now(), "last_used_at": None}
    )
    record_event(actor=user, instance=feed, action=Action.CREATED if created else Action.UPDATED)
    return token


@transaction.atomic
def feed_stop(*, user) -> bool:
    """Turn the user's calendar feed off; returns whether there was one."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return False
    record_event(actor=user, instance=feed, action=Action.DELETED)
    feed.delete()
    return True


def feed_owner(token: str):
    """The active user whose feed has this token, or None; notes when the feed was read."""
    if not token or len(token) > 200:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=feed_token_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
