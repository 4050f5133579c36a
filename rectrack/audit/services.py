"""Writing history, and saving with optimistic concurrency.

Every service that changes data calls `record_event`, or `save_tracked` which
also refuses a save based on a stale version.
"""

import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rectrack.audit.models import Action, AuditEvent


class ConflictError(Exception):
    """Someone saved the object after the user loaded it.

    `events` are the history entries written since the version the user had.
    """

    def __init__(self, instance: models.Model, events: list[AuditEvent]):
        self.instance = instance
        self.events = events
        names = sorted({event.actor_name or _("someone") for event in events}) or [_("someone")]
        super().__init__(
            _(
                "%(names)s changed this %(object)s after you opened it. Your changes were not saved: "
                "review what changed, then save again to apply your version."
            )
            % {"names": ", ".join(names), "object": instance._meta.verbose_name}
        )


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")  # 100000.00 -> "100000", 2500.50 -> "2500.5"
    if isinstance(value, models.Model):
        return str(value)
    return value


def _labels(objects: Iterable[models.Model]) -> list[str]:
    """How a related set is kept in history: its members' names, sorted."""
    return sorted(str(obj) for obj in objects)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` as JSON-friendly values.

    Derived columns (editable=False, such as sort keys) are left out: history
    records what people change, not what follows from it.
    """
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.concrete and not field.editable:
            continue
        if field.many_to_many:
            values[name] = _labels(getattr(instance, name).all()) if instance.pk else []
        elif field.is_relation:
            values[name] = _plain(getattr(instance, name))
        else:
            values[name] = _plain(field.value_from_object(instance))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict]:
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old == new:
            continue
        if isinstance(new, list):
            added = [item for item in new if item not in (old or [])]
            removed = [item for item in (old or []) if item not in new]
            changes[name] = {"added": added, "removed": removed}
        else:
            changes[name] = {"old": old, "new": new}
    return changes


def record_event(
    *, actor, instance: models.Model, action: str, changes: dict | None = None, version: int | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        actor_name=str(actor) if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        changes=changes or {},
        object_version=version if version is not None else getattr(instance, "version", None),
    )


def record_deletion(*, actor, instance: models.Model, fields: Iterable[str], also: dict | None = None) -> AuditEvent:
    """The "deleted" history entry of an object about to be deleted: what its `fields` held (empty ones left out),
    and `also` (changes beside the fields, such as how many comments went with it)."""
    kept = snapshot(instance, fields)
    changes = {name: {"old": value, "new": None} for name, value in kept.items() if value not in (None, "", [])}
    return record_event(actor=actor, instance=instance, action=Action.DELETED, changes={**changes, **(also or {})})


def record_events(*, actor, instances: Iterable[models.Model], action: str, changes_for) -> int:
    """One history entry per instance, written in one statement.

    `changes_for(instance)` gives each entry's changes; instances must carry
    their current version when they have one.
    """
    instances = list(instances)
    if not instances:
        return 0
    content_type = ContentType.objects.get_for_model(instances[0])
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor if actor and actor.pk else None,
            actor_name=str(actor) if actor else "",
            action=action,
            content_type=content_type,
            object_id=instance.pk,
            object_repr=str(instance)[:300],
            changes=changes_for(instance),
            object_version=getattr(instance, "version", None),
        )
        for instance in instances
    )
    return len(instances)


# Bulk changes: many rows in a few statements, each still with its new version and its own history entry.


def bump_versions(read_back: models.QuerySet, ids: list[int]) -> list[models.Model]:
    """New versions for the changed rows `ids`, read back through `read_back` (what their history entries name)."""
    read_back.model.objects.filter(pk__in=ids).update(version=F("version") + 1, updated_at=timezone.now())
    return list(read_back.filter(pk__in=ids))


def bulk_set(
    *, objects: models.QuerySet, field: str, value: Any, shown_as: str, old: str = "", actor,
    read_back: models.QuerySet | None = None,
) -> int:  # fmt: skip
    """Set `field` to `value` on each of `objects` that differs; returns how many changed.

    The history shows the old value read by the lookup `old` (default: the
    field itself) and the new one as `shown_as`.
    """
    model = objects.model
    before = dict(objects.exclude(**{field: value}).values_list("pk", old or field))
    if not before:
        return 0
    model.objects.filter(pk__in=list(before)).update(**{field: value})
    record_events(
        actor=actor,
        instances=bump_versions(read_back if read_back is not None else model.objects.all(), list(before)),
        action=Action.UPDATED,
        changes_for=lambda instance: {field: {"old": before[instance.pk], "new": shown_as}},
    )
    return len(before)


def bulk_link(
    *, objects: models.QuerySet, relation: str, target: models.Model, actor, read_back: models.QuerySet | None = None
) -> list[models.Model]:
    """Add `target` to the many-to-many `relation` of each of `objects` that lacks it; returns the rows changed."""
    model = objects.model
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    source, other = f"{field.m2m_field_name()}_id", field.m2m_reverse_field_name()
    ids = set(objects.values_list("pk", flat=True))
    ids -= set(through.objects.filter(**{other: target, f"{source}__in": ids}).values_list(source, flat=True))
    if not ids:
        return []
    through.objects.bulk_create([through(**{source: pk, other: target}) for pk in ids])
    changed = bump_versions(read_back if read_back is not None else model.objects.all(), sorted(ids))
    record_events(
        actor=actor,
        instances=changed,
        action=Action.UPDATED,
        changes_for=lambda instance: {relation: {"added": [str(target)], "removed": []}},
    )
    return changed


def events_since(instance: models.Model, version: int) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(instance),
            object_id=instance.pk,
            object_version__gt=version,
        ).order_by("created_at", "id")
    )


def _claim_version(instance: models.Model, expected_version: int | None) -> None:
    """Bump the stored version, or raise ConflictError if it moved on.

    The conditional UPDATE is atomic on both databases, so of two concurrent
    saves from the same version exactly one wins.
    """
    model = type(instance)
    queryset = model.objects.filter(pk=instance.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    if not queryset.update(version=F("version") + 1):
        raise ConflictError(instance, events_since(instance, expected_version or 0))
    instance.version = model.objects.values_list("version", flat=True).get(pk=instance.pk)


@transaction.atomic
def save_tracked(
    *,
    instance: models.Model,
    actor,
    fields: Mapping[str, Any],
    expected_version: int | None = None,
    also: Mapping[str, dict] | None = None,
) -> dict[str, dict]:
    """Apply `fields` (plain and many-to-many) to a saved object, with history.

    Validates with full_clean, refuses a stale `expected_version`, writes one
    history entry listing each changed field, and returns the changes. A save
    that changes nothing writes nothing and keeps the version. `also` adds
    changes made beside the fields (a related row added) to that entry, and
    makes it a change even when no field moved.
    """
    model = type(instance)
    current = model.objects.get(pk=instance.pk)
    m2m = {name: value for name, value in fields.items() if instance._meta.get_field(name).many_to_many}
    plain = {name: value for name, value in fields.items() if name not in m2m}
    before = snapshot(current, fields)
    for name, value in plain.items():
        setattr(current, name, value)
    current.full_clean()
    after_plain = snapshot(current, plain)
    after_m2m = {name: _labels(value) for name, value in m2m.items()}
    changes = {**diff(before, {**after_plain, **after_m2m}), **(also or {})}
    if not changes:
        # What the user asked for is what is stored: nothing to overwrite.
        return {}
    _claim_version(current, expected_version)
    current.save(update_fields=[*plain, "updated_at"] if plain else ["updated_at"])
    for name, value in m2m.items():
        getattr(current, name).set(value)
    record_event(actor=actor, instance=current, action=Action.UPDATED, changes=changes)
    for name in ("version", *plain):
        setattr(instance, name, getattr(current, name))
    return changes


@transaction.atomic
def create_tracked(*, model: type[models.Model], actor, fields: Mapping[str, Any]) -> models.Model:
    """Create an object from plain and many-to-many fields, with history."""
    m2m = {name: value for name, value in fields.items() if model._meta.get_field(name).many_to_many}
    plain = {name: value for name, value in fields.items() if name not in m2m}
    instance = model(**plain)
    if hasattr(instance, "created_by_id") and actor is not None and actor.pk:
        instance.created_by = actor
    instance.full_clean()
    instance.save()
    for name, value in m2m.items():
        getattr(instance, name).set(value)
    after = {**snapshot(instance, plain), **{name: _labels(value) for name, value in m2m.items()}}
    changes = diff({}, after)
    record_event(actor=actor, instance=instance, action=Action.CREATED, changes=changes)
    return instance
