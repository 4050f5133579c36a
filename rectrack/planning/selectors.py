"""Reading projects and activities: lists, filters and progress figures."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from rectrack.planning.models import Activity, ActivityStatus, Project
from rectrack.recommendations.models import ImplementationStatus, Recommendation


def _count(queryset: QuerySet, outer: str) -> Coalesce:
    """COUNT(*) of `queryset` rows whose `outer` column is the outer row's id."""
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_progress(projects: QuerySet) -> QuerySet:
    """Annotate each project with its progress counts.

    One correlated subquery per figure rather than joins: joining both the
    recommendations and the activities would multiply the rows.
    """
    links = Project.recommendations.through.objects
    activities = Activity.projects.through.objects
    return projects.annotate(
        recommendations_total=_count(links, "project_id"),
        recommendations_implemented=_count(
            links.filter(recommendation__status=ImplementationStatus.FULLY_IMPLEMENTED), "project_id"
        ),
        activities_total=_count(activities, "project_id"),
        activities_completed=_count(activities.filter(activity__status=ActivityStatus.COMPLETED), "project_id"),
    )


PROJECT_ORDERINGS = {"name": ("name", "id"), "-name": ("-name", "-id"), "newest": ("-created_at", "-id")}


def project_list(*, search: str = "", statuses=(), sort: str = "name") -> QuerySet:
    projects = Project.objects.select_related("lead_institution")
    if search:
        projects = projects.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if statuses:
        projects = projects.filter(status__in=statuses)
    return with_progress(projects).order_by(*PROJECT_ORDERINGS.get(sort, PROJECT_ORDERINGS["name"]))


def project_detail(pk: int) -> Project:
    return with_progress(Project.objects.select_related("lead_institution")).get(pk=pk)


def project_recommendations(project: Project) -> QuerySet:
    return project.recommendations.select_related("document", "mechanism", "lead_institution").order_by(
        "-issued_on", "document_id", "paragraph_key", "id"
    )


def project_activities(project: Project) -> QuerySet:
    return project.activities.select_related("lead_institution").order_by("deadline", "id")


@dataclass
class ActivityFilters:
    search: str = ""
    lead_institutions: list = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    projects: list = field(default_factory=list)
    overdue: bool = False
    institution_ids: frozenset[int] | None = None  # "my institutions only"


ACTIVITY_ORDERINGS = {
    "deadline": ("deadline", "id"),
    "status": ("status", "deadline", "id"),
    "updated": ("-updated_at", "-id"),
    "title": ("title", "id"),
}


def activity_list(filters: ActivityFilters, sort: str = "deadline") -> QuerySet:
    """Activities matching the filters, with what a list row shows."""
    activities = Activity.objects.select_related("lead_institution").prefetch_related(
        Prefetch("projects", queryset=Project.objects.order_by("name"))
    )
    activities = activities.annotate(
        recommendation_count=_count(Activity.recommendations.through.objects, "activity_id")
    )
    if filters.search:
        activities = activities.filter(Q(title__icontains=filters.search) | Q(description__icontains=filters.search))
    if filters.lead_institutions:
        activities = activities.filter(lead_institution_id__in=filters.lead_institutions)
    if filters.institution_ids is not None:
        activities = activities.filter(lead_institution_id__in=filters.institution_ids)
    if filters.statuses:
        activities = activities.filter(status__in=filters.statuses)
    if filters.projects:
        through = Activity.projects.through.objects.filter(project_id__in=filters.projects)
        activities = activities.filter(pk__in=through.values("activity_id"))
    if filters.overdue:
        activities = activities.overdue()
    return activities.order_by(*ACTIVITY_ORDERINGS.get(sort, ACTIVITY_ORDERINGS["deadline"]))


def activity_detail(pk: int, *, projects: QuerySet | None = None, recommendations: QuerySet | None = None) -> Activity:
    """An activity with what its page shows; `projects` and `recommendations` narrow the linked ones shown."""
    projects = Project.objects.all() if projects is None else projects
    recommendations = Recommendation.objects.all() if recommendations is None else recommendations
    return (
        Activity.objects.select_related("lead_institution", "created_by")
        .prefetch_related(
            "implementing_partners",
            Prefetch("projects", queryset=projects.order_by("name")),
            Prefetch(
                "recommendations",
                queryset=recommendations.select_related("document", "mechanism").order_by(
                    "-issued_on", "document_id", "paragraph_key"
                ),
            ),
        )
        .get(pk=pk)
    )


def institution_workload(institution_ids) -> QuerySet:
    """Open and overdue activities of the given institutions, for the dashboard."""
    return (
        Activity.objects.open()
        .filter(lead_institution_id__in=institution_ids)
        .select_related("lead_institution")
        .order_by("deadline", "id")
    )


def project_choices() -> list[tuple[int, str]]:
    """Every project, for filter lists (plain values, not instances)."""
    return list(Project.objects.order_by("name").values_list("pk", "name"))
