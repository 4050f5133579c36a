"""Every write to projects and activities goes through here."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import create_tracked, record_event, record_events, save_tracked
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


def _bump(ids: list[int]) -> list[Activity]:
    """New versions for changed activities, read back for their history entries."""
    Activity.objects.filter(pk__in=ids).update(version=F("version") + 1, updated_at=timezone.now())
    return list(Activity.objects.filter(pk__in=ids).only("pk", "version", "title"))


@transaction.atomic
def activities_set_status(*, activities, status: str, actor) -> int:
    """Give many activities one status; one history entry each; returns how many changed."""
    if status not in ActivityStatus.values:
        raise ValidationError(_("Choose a status."))
    before = dict(activities.exclude(status=status).values_list("pk", "status"))
    if not before:
        return 0
    Activity.objects.filter(pk__in=list(before)).update(status=status)
    record_events(
        actor=actor,
        instances=_bump(list(before)),
        action=Action.UPDATED,
        changes_for=lambda a: {"status": {"old": before[a.pk], "new": status}},
    )
    return len(before)


@transaction.atomic
def activities_set_lead(*, activities, institution, actor) -> int:
    """Make `institution` the lead of many activities; one history entry each."""
    before = dict(activities.exclude(lead_institution=institution).values_list("pk", "lead_institution__name"))
    if not before:
        return 0
    Activity.objects.filter(pk__in=list(before)).update(lead_institution=institution)
    record_events(
        actor=actor,
        instances=_bump(list(before)),
        action=Action.UPDATED,
        changes_for=lambda a: {"lead_institution": {"old": before[a.pk], "new": str(institution)}},
    )
    return len(before)


@transaction.atomic
def activities_add_partner(*, activities, institution, actor) -> int:
    """Add an implementing partner to many activities; one history entry each."""
    through = Activity.implementing_partners.through
    ids = set(activities.values_list("pk", flat=True))
    ids -= set(
        through.objects.filter(institution=institution, activity_id__in=ids).values_list("activity_id", flat=True)
    )
    if not ids:
        return 0
    through.objects.bulk_create([through(activity_id=pk, institution=institution) for pk in ids])
    record_events(
        actor=actor,
        instances=_bump(sorted(ids)),
        action=Action.UPDATED,
        changes_for=lambda a: {"implementing_partners": {"added": [str(institution)], "removed": []}},
    )
    return len(ids)


@transaction.atomic
def activities_add_to_project(*, activities, project: Project, actor) -> int:
    """Put many activities in a project; one history entry each, and one for the project."""
    through = Activity.projects.through
    ids = set(activities.values_list("pk", flat=True))
    ids -= set(through.objects.filter(project=project, activity_id__in=ids).values_list("activity_id", flat=True))
    if not ids:
        return 0
    through.objects.bulk_create([through(activity_id=pk, project=project) for pk in ids])
    changed = _bump(sorted(ids))
    record_events(
        actor=actor,
        instances=changed,
        action=Action.UPDATED,
        changes_for=lambda a: {"projects": {"added": [str(project)], "removed": []}},
    )
    record_event(
        actor=actor,
        instance=project,
        action=Action.UPDATED,
        changes={"activities": {"added": [a.title for a in changed], "removed": []}},
    )
    return len(ids)
