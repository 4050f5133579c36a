"""The open-data downloads: what the portal publishes, and nothing else, as CSV and JSON.

Each dataset is a list of columns and a generator of rows (plain dicts) read
in chunks from the published querysets. Lists (themes, States) are arrays in
JSON and "; "-joined in CSV.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rectrack.planning.models import Project
from rectrack.portal import selectors
from rectrack.recommendations.models import Recommendation, reference_for

CHUNK = 1_000


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[Callable[[str], str]], Iterator[dict]]  # given a function making absolute URLs


def _labels(objects) -> list[str]:
    return [str(obj) for obj in objects]


def _grouped(pairs) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


def _recommendation_rows(absolute: Callable[[str], str]) -> Iterator[dict]:
    """Published recommendations read as plain values, CHUNK at a time by id.

    No model instances: a download of 260,000 rows reads about a dozen
    queries per chunk and holds one chunk in memory.
    """
    url = absolute(reverse("portal:recommendation", args=[PLACEHOLDER_ID])).replace(str(PLACEHOLDER_ID), "{}")
    public_projects = set(selectors.public_projects().values_list("pk", flat=True))
    field = Recommendation._meta.get_field
    links = {name: field(name).remote_field.through.objects for name in M2M_COLUMNS}
    published = selectors.public_recommendations().order_by("pk")
    last = 0
    while True:
        rows = list(
            published.filter(pk__gt=last).values(
                "pk", "text", "language", "paragraph", "issued_on", "upr_position", "status",
                "mechanism__acronym", "document__symbol", "document__upr_cycle", "lead_institution__name",
            )[:CHUNK]
        )  # fmt: skip
        if not rows:
            return
        ids = [row["pk"] for row in rows]
        last = ids[-1]
        related = {
            name: _grouped(
                links[name].filter(recommendation_id__in=ids).order_by(order).values_list("recommendation_id", value)
            )
            for name, (value, order) in M2M_COLUMNS.items()
        }
        in_projects = Project.recommendations.through.objects.filter(recommendation_id__in=ids)
        projects = _grouped(
            (rec, project)
            for rec, project in in_projects.values_list("recommendation_id", "project_id")
            if project in public_projects
        )
        for row in rows:
            pk = row["pk"]
            symbol = row["document__symbol"] or ""
            yield {
                "id": pk,
                "reference": reference_for(pk, row["paragraph"], symbol),
                "text": row["text"],
                "language": row["language"],
                "mechanism": row["mechanism__acronym"],
                "document": symbol,
                "paragraph": row["paragraph"],
                "date": row["issued_on"],
                "upr_cycle": row["document__upr_cycle"],
                "recommending_states": related["recommending_states"].get(pk, []),
                "upr_position": row["upr_position"],
                "status": row["status"],
                "lead_institution": row["lead_institution__name"] or "",
                "supporting_institutions": related["supporting_institutions"].get(pk, []),
                "themes": related["themes"].get(pk, []),
                "affected_persons": related["affected_persons"].get(pk, []),
                "sdgs": related["sdgs"].get(pk, []),
                "projects": sorted(projects.get(pk, [])),
                "url": url.format(pk),
            }


# Many-to-many columns of the recommendations dataset: (value read, its order) through the link table.
M2M_COLUMNS = {
    "recommending_states": ("country__name", "country__name"),
    "supporting_institutions": ("institution__name", "institution__name"),
    "themes": ("term__label", "term__label"),
    "affected_persons": ("term__label", "term__label"),
    "sdgs": ("term__code", "term__position"),
}
PLACEHOLDER_ID = 987_654_321


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
