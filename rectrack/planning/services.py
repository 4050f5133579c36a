"""Every write to projects and activities goes through here."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import bulk_link, bulk_set, create_tracked, record_event, save_tracked
from rectrack.lib.richtext import excerpt, sanitize
from rectrack.planning.models import Activity, ActivityStatus, ProgressNote, Project


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


# Bulk changes from the activities list ------------------------------------------

BULK_LIMIT = 2000
# What a bulk change reads back of each activity changed, for its history entry.
_READ_BACK = Activity.objects.only("pk", "version", "title")


@transaction.atomic
def activities_set_status(*, activities, status: str, actor) -> int:
    """Give many activities one status; one history entry each; returns how many changed."""
    if status not in ActivityStatus.values:
        raise ValidationError(_("Choose a status."))
    return bulk_set(
        objects=activities, field="status", value=status, shown_as=status, actor=actor, read_back=_READ_BACK
    )


@transaction.atomic
def activities_set_lead(*, activities, institution, actor) -> int:
    """Make `institution` the lead of many activities; one history entry each."""
    return bulk_set(
        objects=activities, field="lead_institution", value=institution, shown_as=str(institution),
        old="lead_institution__name", actor=actor, read_back=_READ_BACK,
    )  # fmt: skip


@transaction.atomic
def activities_add_partner(*, activities, institution, actor) -> int:
    """Add an implementing partner to many activities; one history entry each."""
    changed = bulk_link(
        objects=activities, relation="implementing_partners", target=institution, actor=actor, read_back=_READ_BACK
    )
    return len(changed)


@transaction.atomic
def activities_add_to_project(*, activities, project: Project, actor) -> int:
    """Put many activities in a project; one history entry each, and one for the project."""
    changed = bulk_link(objects=activities, relation="projects", target=project, actor=actor, read_back=_READ_BACK)
    if not changed:
        return 0
    record_event(
        actor=actor,
        instance=project,
        action=Action.UPDATED,
        changes={"activities": {"added": [a.title for a in changed], "removed": []}},
    )
    return len(changed)
