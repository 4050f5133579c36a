"""What the public sees: the one place that decides whether an object is published.

An object is on the portal when it is marked published, or when it follows
the default rule and the rule for its kind publishes. Everything the portal
and the open-data downloads read starts from the querysets here; nothing
else on the portal reads the tables directly.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from rectrack.collaboration.models import Attachment
from rectrack.instance import selectors as instance
from rectrack.institutions.models import Institution
from rectrack.planning.models import Activity, ActivityStatus, Project
from rectrack.portal.models import Publication
from rectrack.recommendations.models import ImplementationStatus, Recommendation
from rectrack.taxonomy.models import Term


@dataclass(frozen=True)
class Rules:
    enabled: bool
    recommendations: bool
    projects: bool
    activities: bool
    budgets: bool


def rules() -> Rules:
    current = instance.current()
    return Rules(
        enabled=current.portal_enabled,
        recommendations=current.publish_recommendations,
        projects=current.publish_projects,
        activities=current.publish_activities,
        budgets=current.publish_budgets,
    )


def _published(model, by_default: bool) -> Q:
    if by_default:
        # "Not among the withheld", read from the publication index: the few
        # withheld ids are gathered once, and no published row is read for it.
        return ~Q(pk__in=model.objects.filter(publication=Publication.WITHHELD).values("pk"))
    return Q(publication=Publication.PUBLISHED)


def _decides(value: str, by_default: bool) -> bool:
    return value == Publication.PUBLISHED or (value == Publication.DEFAULT and by_default)


def published_q(model) -> Q:
    """The condition that `model` (Recommendation, Project or Activity) rows are published."""
    current = rules()
    by_default = {Recommendation: current.recommendations, Project: current.projects, Activity: current.activities}
    return _published(model, by_default[model])


def public_recommendations() -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(_published(Recommendation, rules().recommendations))


def public_projects() -> QuerySet[Project]:
    return Project.objects.filter(_published(Project, rules().projects))


def public_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(_published(Activity, rules().activities))


def is_public(obj) -> bool:
    """Whether the portal shows this recommendation, project or activity."""
    current = rules()
    by_default = {
        Recommendation: current.recommendations,
        Project: current.projects,
        Activity: current.activities,
    }[type(obj)]
    return _decides(obj.publication, by_default)


def budget_is_public(activity: Activity) -> bool:
    return _decides(activity.budget_publication, rules().budgets)


# Figures and option lists read over every published recommendation are kept
# this long (per set of default rules): a change shows on the portal within it.
CACHE_SECONDS = 60


def _cached(name: str, compute):
    current = rules()
    key = f"portal:{name}:" + "".join("1" if value else "0" for value in vars(current).values())
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def public_institution_choices() -> list[tuple[int, str]]:
    """Institutions leading a published recommendation: the portal's filter list."""

    def compute():
        leading = public_recommendations().filter(lead_institution__isnull=False).values("lead_institution_id")
        return list(Institution.objects.filter(pk__in=leading).order_by("name").values_list("pk", "name"))

    return _cached("institutions", compute)


def overview() -> dict:
    """The portal's home figures: published recommendations by status, and counts of projects and activities."""

    def compute():
        statuses = recommendation_status_counts(public_recommendations())
        return {
            "recommendation_count": sum(row["count"] for row in statuses),
            "statuses": statuses,
            "project_count": public_projects().count(),
            "activity_count": public_activities().count(),
        }

    return _cached("overview", compute)


def public_project_choices() -> list[tuple[int, str]]:
    return list(public_projects().order_by("name").values_list("pk", "name"))


def _shares(counts: Counter, choices) -> list[dict]:
    """Each choice with its count, its share in whole percent, and its bar's offset and width (0-100)."""
    total = sum(counts.values())
    rows, offset = [], 0.0
    for value, label in choices:
        count = counts.get(value, 0)
        width = 100 * count / total if total else 0.0
        rows.append(
            {"value": value, "label": label, "count": count, "percent": round(width), "offset": offset, "width": width}
        )
        offset += width
    return rows


def _status_counts(queryset: QuerySet) -> Counter:
    return Counter({row["status"]: row["n"] for row in queryset.order_by().values("status").annotate(n=Count("id"))})


def recommendation_status_counts(recommendations: QuerySet) -> list[dict]:
    return _shares(_status_counts(recommendations), ImplementationStatus.choices)


def activity_status_counts(activities: QuerySet) -> list[dict]:
    return _shares(_status_counts(activities), ActivityStatus.choices)


def recommendation_detail(pk: int) -> Recommendation:
    """A published recommendation with what its public page shows (DoesNotExist otherwise)."""
    return (
        public_recommendations()
        .select_related("document__country", "mechanism", "lead_institution")
        .prefetch_related(
            Prefetch("themes", queryset=Term.objects.order_by("label")),
            Prefetch("affected_persons", queryset=Term.objects.order_by("label")),
            Prefetch("sdgs", queryset=Term.objects.select_related("parent").order_by("position")),
            "recommending_states",
            "supporting_institutions",
            Prefetch("projects", queryset=public_projects().order_by("name")),
            Prefetch("activities", queryset=_activities_shown().order_by("deadline", "pk")),
        )
        .get(pk=pk)
    )


def _activities_shown() -> QuerySet[Activity]:
    return (
        public_activities()
        .select_related("lead_institution")
        .prefetch_related(
            "implementing_partners",
            Prefetch("attachments", queryset=Attachment.objects.filter(is_public=True), to_attr="public_attachments"),
        )
    )


def public_attachment(pk: int) -> Attachment:
    """An attachment the portal serves: marked public, of a published activity (DoesNotExist otherwise)."""
    return Attachment.objects.get(pk=pk, is_public=True, activity__in=public_activities().values("pk"))


def project_detail(pk: int) -> Project:
    return public_projects().select_related("lead_institution").get(pk=pk)


def project_recommendations(project: Project) -> QuerySet[Recommendation]:
    return public_recommendations().filter(projects=project)


def project_activities(project: Project) -> QuerySet[Activity]:
    return _activities_shown().filter(projects=project).order_by("deadline", "pk")


def project_rows() -> QuerySet[Project]:
    """Published projects with the count of their published recommendations and activities."""
    recs = public_recommendations().filter(projects=OuterRef("pk")).order_by().values("projects")
    acts = public_activities().filter(projects=OuterRef("pk")).order_by().values("projects")
    return (
        public_projects()
        .select_related("lead_institution")
        .annotate(
            recommendation_count=Subquery(recs.annotate(n=Count("pk")).values("n")),
            activity_count=Subquery(acts.annotate(n=Count("pk")).values("n")),
        )
        .order_by("name", "pk")
    )
