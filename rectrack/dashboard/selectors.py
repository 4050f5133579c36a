"""The figures and lists of the dashboard."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from rectrack.audit.models import AuditEvent
from rectrack.planning.models import CLOSED_ACTIVITY_STATUSES, Activity, ActivityStatus, Project, ProjectStatus
from rectrack.planning.selectors import institution_workload
from rectrack.recommendations.models import ImplementationStatus, Recommendation


@dataclass
class Overview:
    projects_total: int
    projects_active: int
    recommendations_total: int
    recommendations_by_status: list[tuple[str, str, int]]
    activities_total: int
    activities_open: int
    activities_overdue: int
    activities_completed: int


def overview(today, *, projects=None, recommendations=None, activities=None) -> Overview:
    """The dashboard's figures, over the given querysets (default: everything)."""
    projects = (Project.objects.all() if projects is None else projects).aggregate(
        total=Count("id"), active=Count("id", filter=Q(status=ProjectStatus.ACTIVE))
    )
    recommendations = Recommendation.objects.all() if recommendations is None else recommendations
    by_status = dict(recommendations.order_by().values_list("status").annotate(n=Count("id")))
    activities = (Activity.objects.all() if activities is None else activities).aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(status__in=CLOSED_ACTIVITY_STATUSES)),
        overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(status__in=CLOSED_ACTIVITY_STATUSES)),
        completed=Count("id", filter=Q(status=ActivityStatus.COMPLETED)),
    )
    return Overview(
        projects_total=projects["total"],
        projects_active=projects["active"],
        recommendations_total=sum(by_status.values()),
        recommendations_by_status=[
            (value, label, by_status.get(value, 0)) for value, label in ImplementationStatus.choices
        ],
        activities_total=activities["total"],
        activities_open=activities["open"],
        activities_overdue=activities["overdue"],
        activities_completed=activities["completed"],
    )


def my_activities(institution_ids, limit: int = 10):
    return list(institution_workload(institution_ids)[:limit]) if institution_ids else []


def my_counts(institution_ids, today) -> dict[str, int]:
    """How many open and overdue activities the given institutions lead."""
    if not institution_ids:
        return {"open": 0, "overdue": 0}
    return institution_workload(institution_ids).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today))
    )


# The dashboard's calendar: the coming four weeks, at most COMING_ENTRIES entries.
COMING_DAYS = 28
COMING_ENTRIES = 8


def coming(days) -> list:
    """The first COMING_ENTRIES entries of the calendar's days (agenda.selectors.upcoming_days), each with its day."""
    entries = [(day.date, entry) for day in days for entry in day.entries]
    return entries[:COMING_ENTRIES]


def recent_updates(limit: int = 10, *, scopes: dict | None = None, kinds=None):
    """The latest changes to objects of `kinds` (models); with `scopes` ({model: queryset}), only changes to
    those objects."""
    events = AuditEvent.objects.select_related("content_type")
    if kinds is not None:
        events = events.filter(content_type__in=[ContentType.objects.get_for_model(model) for model in kinds])
    if scopes is not None:
        allowed = Q(pk__in=[])
        for model, scope in scopes.items():
            allowed |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=scope.values("pk"))
        events = events.filter(allowed)
    return list(events.order_by("-created_at", "-id")[:limit])
