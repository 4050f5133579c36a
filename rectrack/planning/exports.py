"""Activities as rows for the filtered list's export (CSV, XLSX, JSON), read CHUNK at a time by id."""

from collections.abc import Callable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from rectrack.lib.tabular import in_chunks
from rectrack.planning.models import CLOSED_ACTIVITY_STATUSES, Activity
from rectrack.recommendations.exports import grouped
from rectrack.recommendations.models import reference_for

COLUMNS = (
    "id", "title", "description", "status", "overdue", "lead_institution", "implementing_partners", "start_date",
    "deadline", "expected_results", "budget", "currency", "funding_source", "recommendations", "projects", "url",
)  # fmt: skip


def activity_rows(
    activities: QuerySet,
    *,
    url: Callable[[int], str],
    recommendations: QuerySet | None = None,
    projects: QuerySet | None = None,
) -> Iterator[dict]:
    """Rows of `activities` in id order; linked recommendations (by reference) and projects (by name) only those
    the reader may see (None: all)."""
    today = timezone.localdate()
    rec_links = Activity.recommendations.through.objects
    if recommendations is not None:
        rec_links = rec_links.filter(recommendation_id__in=recommendations.values("pk"))
    project_links = Activity.projects.through.objects
    if projects is not None:
        project_links = project_links.filter(project_id__in=projects.values("pk"))
    partner_links = Activity.implementing_partners.through.objects
    fields = (
        "title",
        "description",
        "status",
        "lead_institution__name",
        "start_date",
        "deadline",
        "expected_results",
        "budget_amount",
        "budget_currency",
        "funding_source",
    )
    for rows in in_chunks(activities, *fields):
        ids = [row["pk"] for row in rows]
        partners = grouped(
            partner_links.filter(activity_id__in=ids)
            .order_by("institution__name")
            .values_list("activity_id", "institution__name")
        )
        linked = grouped(
            (activity_id, reference_for(rec_id, paragraph, symbol or ""))
            for activity_id, rec_id, paragraph, symbol in rec_links.filter(activity_id__in=ids)
            .order_by("recommendation_id")
            .values_list(
                "activity_id", "recommendation_id", "recommendation__paragraph", "recommendation__document__symbol"
            )
        )
        in_projects = grouped(
            project_links.filter(activity_id__in=ids)
            .order_by("project__name")
            .values_list("activity_id", "project__name")
        )
        for row in rows:
            pk = row["pk"]
            yield {
                "id": pk,
                "title": row["title"],
                "description": row["description"],
                "status": row["status"],
                "overdue": bool(
                    row["deadline"] and row["deadline"] < today and row["status"] not in CLOSED_ACTIVITY_STATUSES
                ),
                "lead_institution": row["lead_institution__name"] or "",
                "implementing_partners": partners.get(pk, []),
                "start_date": row["start_date"],
                "deadline": row["deadline"],
                "expected_results": row["expected_results"],
                "budget": row["budget_amount"],
                "currency": row["budget_currency"],
                "funding_source": row["funding_source"],
                "recommendations": linked.get(pk, []),
                "projects": in_projects.get(pk, []),
                "url": url(pk),
            }
