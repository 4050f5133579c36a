"""Every write to projects and activities goes through here."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rectrack.audit.services import create_tracked, save_tracked
from rectrack.lib.richtext import excerpt, sanitize
from rectrack.planning.models import Activity, ProgressNote, Project


def _check_budget(fields: dict[str, Any], activity: Activity | None = None) -> None:
    amount = fields.get("budget_amount", activity.budget_amount if activity else None)
    currency = fields.get("budget_currency", activity.budget_currency if activity else "")
    if amount is not None and not currency:
        raise ValidationError({"budget_currency": _("Choose the currency of the budget.")})


def project_create(*, actor, **fields: Any) -> Project:
    """Create a project (thematic project or action plan)."""
    return create_tracked(model=Project, actor=actor, fields=fields)


def project_update(*, project: Project, actor, expected_version: int | None = None, **fields: Any) -> dict:
    """Change a project; refuses a stale `expected_version` (ConflictError)."""
    return save_tracked(instance=project, actor=actor, fields=fields, expected_version=expected_version)


def activity_create(*, actor, **fields: Any) -> Activity:
    """Create an activity, linked to recommendations and projects if given.

    The budget needs a currency; the deadline may not precede the start.
    """
    _check_budget(fields)
    return create_tracked(model=Activity, actor=actor, fields=fields)


def activity_update(*, activity: Activity, actor, expected_version: int | None = None, **fields: Any) -> dict:
    """Change an activity; refuses a stale `expected_version` (ConflictError)."""
    _check_budget(fields, activity)
    return save_tracked(instance=activity, actor=actor, fields=fields, expected_version=expected_version)


@transaction.atomic
def activity_add_note(*, activity: Activity, actor, body: str) -> ProgressNote:
    """Add a progress note (rich text, sanitised); the activity's history records it."""
    safe = sanitize(body)
    if not safe:
        raise ValidationError({"body": _("Write the note.")})
    note = ProgressNote.objects.create(activity=activity, body=safe, created_by=actor if actor and actor.pk else None)
    save_tracked(instance=activity, actor=actor, fields={}, also={"notes": {"added": [excerpt(safe)], "removed": []}})
    return note
