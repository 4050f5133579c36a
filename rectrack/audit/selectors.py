"""Reading history: the entries of one object, and their human-readable lines."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
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


def _field_label_and_display(model: type[models.Model], name: str):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " "), lambda value: value
    if field.auto_created and not field.concrete:  # a reverse relation, e.g. a recommendation's projects
        return field.related_model._meta.verbose_name_plural, lambda value: value
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else None
    if choices:
        return field.verbose_name, lambda value: choices.get(value, value)
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
