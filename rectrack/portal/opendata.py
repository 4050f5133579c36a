"""The open-data downloads: what the portal publishes, and nothing else, as CSV and JSON.

Each dataset is a list of columns and a generator of rows (plain dicts) read
in chunks from the published querysets. Lists (themes, States) are arrays in
JSON and "; "-joined in CSV.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rectrack.lib.tabular import CHUNK, url_for_each
from rectrack.portal import selectors
from rectrack.recommendations.exports import recommendation_rows


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[Callable[[str], str]], Iterator[dict]]  # given a function making absolute URLs


def _labels(objects) -> list[str]:
    return [str(obj) for obj in objects]


def _recommendation_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    """Published recommendations, with only their published projects (by id)."""
    return recommendation_rows(
        selectors.public_recommendations(),
        url=url_for_each(absolute, "portal:recommendation"),
        projects=selectors.public_projects(),
        internal=False,
        project_value="project_id",
    )


def _project_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    public_recs = selectors.public_recommendations().only("pk")
    public_acts = selectors.public_activities().only("pk")
    projects = (
        selectors.public_projects()
        .select_related("lead_institution")
        .prefetch_related(
            Prefetch("recommendations", queryset=public_recs), Prefetch("activities", queryset=public_acts)
        )
        .order_by("pk")
    )
    for project in projects.iterator(chunk_size=CHUNK):
        yield {
            "id": project.pk,
            "name": project.name,
            "description": project.description,
            "status": project.status,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "lead_institution": str(project.lead_institution or ""),
            "recommendations": [rec.pk for rec in project.recommendations.all()],
            "activities": [activity.pk for activity in project.activities.all()],
            "url": absolute(reverse("portal:project", args=[project.pk])),
        }


def _activity_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    activities = (
        selectors.public_activities()
        .select_related("lead_institution")
        .prefetch_related(
            "implementing_partners",
            Prefetch("recommendations", queryset=selectors.public_recommendations().only("pk")),
            Prefetch("projects", queryset=selectors.public_projects().only("pk")),
        )
        .order_by("pk")
    )
    for activity in activities.iterator(chunk_size=CHUNK):
        budget = selectors.budget_is_public(activity)
        yield {
            "id": activity.pk,
            "title": activity.title,
            "description": activity.description,
            "status": activity.status,
            "lead_institution": str(activity.lead_institution),
            "implementing_partners": _labels(activity.implementing_partners.all()),
            "start_date": activity.start_date,
            "deadline": activity.deadline,
            "expected_results": activity.expected_results,
            "budget": activity.budget_amount if budget else None,
            "currency": activity.budget_currency if budget else "",
            "funding_source": activity.funding_source if budget else "",
            "recommendations": [rec.pk for rec in activity.recommendations.all()],
            "projects": [project.pk for project in activity.projects.all()],
        }


DATASETS = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            "recommendations",
            _("Recommendations"),
            _("Published recommendations with their mechanism, source, classification, status and institutions."),
            (
                "id",
                "reference",
                "text",
                "language",
                "mechanism",
                "document",
                "paragraph",
                "date",
                "upr_cycle",
                "recommending_states",
                "upr_position",
                "status",
                "lead_institution",
                "supporting_institutions",
                "themes",
                "affected_persons",
                "sdgs",
                "projects",
                "url",
            ),  # fmt: skip
            _recommendation_rows,
        ),
        Dataset(
            "projects",
            _("Projects"),
            _("Published projects and action plans, with their published recommendations and activities."),
            (
                "id",
                "name",
                "description",
                "status",
                "start_date",
                "end_date",
                "lead_institution",
                "recommendations",
                "activities",
                "url",
            ),  # fmt: skip
            _project_rows,
        ),
        Dataset(
            "activities",
            _("Activities"),
            _("Published activities, their status, institutions and dates; budgets where they are published."),
            (
                "id",
                "title",
                "description",
                "status",
                "lead_institution",
                "implementing_partners",
                "start_date",
                "deadline",
                "expected_results",
                "budget",
                "currency",
                "funding_source",
                "recommendations",
                "projects",
            ),  # fmt: skip
            _activity_rows,
        ),
    )
}
