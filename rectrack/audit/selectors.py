"""Reading history: the entries of one object, and their human-readable lines."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from rectrack.audit.models import AuditEvent
from rectrack.lib.languages import language_name


@dataclass
class ChangeLine:
    label: str
    old: object = None
    new: object = None
    added: list | None = None
    removed: list | None = None


def history_for(instance: models.Model, limit: int = 50) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def _grouped_number(value):
    """A stored amount as the reader's language writes numbers: "150,000.00", "150 000,00"."""
    try:
        return number_format(Decimal(str(value)), force_grouping=True)
    except (InvalidOperation, ValueError, TypeError):
        return value


# Changes recorded beside an object's own fields (a related row added, a handover), by their stored key.
EXTRA_LABELS = {
    "answers to information requests": gettext_lazy("answers to information requests"),
    "answers": gettext_lazy("answers"),
    "institutions asked": gettext_lazy("institutions asked"),
    "public attachments": gettext_lazy("attachments on the public portal"),
    "main focal point": gettext_lazy("main focal point"),
    "open requests handed over": gettext_lazy("open requests handed over"),
    "measurements": gettext_lazy("measurements"),
    "comments": gettext_lazy("comments"),
    "resolved comments": gettext_lazy("resolved comments"),
    "accepted suggestions": gettext_lazy("accepted suggestions"),
    "members": gettext_lazy("members"),
}


def _field_label_and_display(model: type[models.Model], name: str):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        if name in EXTRA_LABELS:
            return EXTRA_LABELS[name], lambda value: value
        if name.startswith("assigned to (") and name.endswith(")"):
            return gettext("assigned to (%(institution)s)") % {"institution": name[13:-1]}, lambda value: value
        return name.replace("_", " "), lambda value: value
    if field.auto_created and not field.concrete:  # a reverse relation, e.g. a recommendation's projects
        return field.related_model._meta.verbose_name_plural, lambda value: value
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else None
    if choices:
        return field.verbose_name, lambda value: choices.get(value, value)
    if isinstance(field, models.DecimalField):
        return field.verbose_name, _grouped_number
    if isinstance(field, models.BooleanField):
        return field.verbose_name, lambda value: (_("Yes") if value else _("No")) if isinstance(value, bool) else value
    return field.verbose_name, lambda value: value


def _keyed_lines(label: str, old: dict, new: dict) -> list[ChangeLine]:
    """Texts by language ({"fr": ...}): one line per language that changed."""
    return [
        ChangeLine(label=f"{label} ({language_name(key)})", old=old.get(key), new=new.get(key))
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]


def describe(event: AuditEvent) -> list[ChangeLine]:
    """One line per changed field, labelled and with choice values translated."""
    model = event.content_type.model_class()
    lines = []
    for name, change in (event.changes or {}).items():
        label, display = _field_label_and_display(model, name) if model else (name, lambda value: value)
        if "added" in change or "removed" in change:
            lines.append(ChangeLine(label=label, added=change.get("added") or [], removed=change.get("removed") or []))
        elif isinstance(change.get("old"), dict) or isinstance(change.get("new"), dict):
            lines.extend(_keyed_lines(label, change.get("old") or {}, change.get("new") or {}))
        else:
            lines.append(ChangeLine(label=label, old=display(change.get("old")), new=display(change.get("new"))))
    return lines


@dataclass
class FeedFilters:
    kinds: list[str] = field(default_factory=list)  # model names: "recommendation", "project", ...
    actors: list[int] = field(default_factory=list)
    search: str = ""  # in the object's name
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def feed(filters: FeedFilters, *, kinds: Iterable[type[models.Model]]) -> QuerySet[AuditEvent]:
    """History entries of the given kinds of objects, newest first, narrowed by `filters`."""
    types = {model._meta.model_name: ContentType.objects.get_for_model(model) for model in kinds}
    chosen = [types[name] for name in filters.kinds if name in types] or list(types.values())
    events = AuditEvent.objects.filter(content_type__in=chosen).select_related("content_type", "actor")
    if filters.actors:
        events = events.filter(actor_id__in=filters.actors)
    if filters.search:
        events = events.filter(object_repr__icontains=filters.search)
    # Whole days in the server's time zone, as bounds on the indexed time (no function on the column).
    if filters.date_from:
        events = events.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return events.order_by("-created_at", "-id")
