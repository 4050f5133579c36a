"""Recommendations as rows for downloads: the filtered list's export, the thematic matrix and the portal's open data.

Rows are plain dicts read 1,000 at a time by id (`lib.tabular.in_chunks`), with no
model instances: a download of 260,000 rows reads about a dozen queries per
chunk and holds one chunk in memory. Lists (themes, States) are Python lists;
`lib.tabular` joins them for CSV and XLSX.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectrack.lib.tabular import grouped, in_chunks
from rectrack.planning.models import Activity, Project
from rectrack.recommendations.models import ImplementationStatus, Priority, Recommendation, UprPosition, reference_for
from rectrack.taxonomy.models import Term

# Many-to-many columns: (value read, its order) through the link table.
M2M_COLUMNS = {
    "recommending_states": ("country__name", "country__name"),
    "supporting_institutions": ("institution__name", "institution__name"),
    "themes": ("term__label", "term__label"),
    "affected_persons": ("term__label", "term__label"),
    "sdgs": ("term__code", "term__position"),
}
INTERNAL_M2M_COLUMNS = {**M2M_COLUMNS, "clusters": ("term__label", "term__label")}


def recommendation_rows(
    recommendations: QuerySet,
    *,
    url: Callable[[int], str],
    projects: QuerySet | None = None,
    activities: QuerySet | None = None,
    internal: bool = True,
    project_value: str = "project__name",
) -> Iterator[dict]:
    """Rows of `recommendations`, in id order.

    `projects` and `activities` are those the reader may see (None: all),
    projects named by `project_value` ("project_id" for their ids);
    `internal` adds the national follow-up fields the portal does not publish
    (kind, priority, national clusters, activities).
    """
    m2m = INTERNAL_M2M_COLUMNS if internal else M2M_COLUMNS
    field = Recommendation._meta.get_field
    links = {name: field(name).remote_field.through.objects for name in m2m}
    project_links = Project.recommendations.through.objects
    if projects is not None:
        project_links = project_links.filter(project_id__in=projects.values("pk"))
    activity_links = Activity.recommendations.through.objects
    if activities is not None:
        activity_links = activity_links.filter(activity_id__in=activities.values("pk"))
    fields = (
        "text", "language", "paragraph", "issued_on", "upr_position", "status", "kind", "priority",
        "mechanism__acronym", "document__symbol", "document__upr_cycle", "lead_institution__name",
    )  # fmt: skip
    for rows in in_chunks(recommendations, *fields):
        ids = [row["pk"] for row in rows]
        related = {
            name: grouped(
                links[name].filter(recommendation_id__in=ids).order_by(order).values_list("recommendation_id", value)
            )
            for name, (value, order) in m2m.items()
        }
        in_projects = grouped(
            project_links.filter(recommendation_id__in=ids)
            .order_by(project_value)
            .values_list("recommendation_id", project_value)
        )
        in_activities = (
            grouped(
                activity_links.filter(recommendation_id__in=ids)
                .order_by("activity_id")
                .values_list("recommendation_id", "activity_id")
            )
            if internal
            else {}
        )
        for row in rows:
            pk = row["pk"]
            symbol = row["document__symbol"] or ""
            item = {
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
                "projects": in_projects.get(pk, []),
                "url": url(pk),
            }
            if internal:
                item["kind"] = row["kind"]
                item["priority"] = row["priority"]
                item["clusters"] = related["clusters"].get(pk, [])
                item["activities"] = in_activities.get(pk, [])
            yield item


# The internal export's columns, in order.
COLUMNS = (
    "id", "reference", "text", "language", "mechanism", "document", "paragraph", "date", "upr_cycle",
    "recommending_states", "kind", "upr_position", "themes", "affected_persons", "sdgs", "clusters", "priority",
    "status", "lead_institution", "supporting_institutions", "projects", "activities", "url",
)  # fmt: skip


# Thematic matrix ------------------------------------------------------------


@dataclass(frozen=True)
class MatrixColumn:
    key: str
    label: str
    width: float


MATRIX_COLUMNS = (
    MatrixColumn("theme", gettext_lazy("Theme"), 30),
    MatrixColumn("reference", gettext_lazy("Reference"), 18),
    MatrixColumn("text", gettext_lazy("Recommendation"), 70),
    MatrixColumn("recommending_states", gettext_lazy("Recommending States"), 24),
    MatrixColumn("upr_position", gettext_lazy("Position"), 14),
    MatrixColumn("lead_institution", gettext_lazy("Lead institution"), 24),
    MatrixColumn("supporting_institutions", gettext_lazy("Supporting institutions"), 24),
    MatrixColumn("status", gettext_lazy("Implementation status"), 18),
    MatrixColumn("projects", gettext_lazy("Projects"), 24),
)


def _labelled(row: dict) -> dict:
    """A row with its coded values as the reader's language says them."""
    return {
        **row,
        "upr_position": str(UprPosition(row["upr_position"]).label) if row["upr_position"] else "",
        "status": str(ImplementationStatus(row["status"]).label) if row["status"] else "",
        "priority": str(Priority(row["priority"]).label) if row.get("priority") else "",
    }


@dataclass
class ThemeGroup:
    label: str
    rows: Iterator[dict]


def thematic_groups(
    recommendations: QuerySet, *, url: Callable[[int], str], projects: QuerySet | None = None
) -> Iterator[ThemeGroup]:
    """The recommendations grouped by UHRI theme (a recommendation appears under each of its themes), themes in
    alphabetical order, then those with no theme; rows as `recommendation_rows` gives them, with labels."""
    through = Recommendation.themes.through.objects
    themed = through.filter(recommendation_id__in=recommendations.values("pk"))
    theme_ids = set(themed.values_list("term_id", flat=True).distinct())
    themes = sorted(Term.objects.filter(pk__in=theme_ids), key=lambda term: term.display_label.casefold())
    for theme in themes:
        members = recommendations.filter(pk__in=through.filter(term_id=theme.pk).values("recommendation_id"))
        yield ThemeGroup(
            theme.display_label,
            (_labelled(row) for row in recommendation_rows(members, url=url, projects=projects, internal=False)),
        )
    unthemed = recommendations.exclude(pk__in=through.values("recommendation_id"))
    if unthemed.exists():
        yield ThemeGroup(
            _("No theme"),
            (_labelled(row) for row in recommendation_rows(unthemed, url=url, projects=projects, internal=False)),
        )


def matrix_rows(groups: Iterable[ThemeGroup]) -> Iterator[dict]:
    """The thematic matrix as one table: each row with its theme."""
    for group in groups:
        for row in group.rows:
            yield {**row, "theme": group.label}
