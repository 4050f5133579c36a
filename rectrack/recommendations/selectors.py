"""Reading recommendations: search, filters, sorting, and detail."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from rectrack.institutions.selectors import institution_choices
from rectrack.lib.search_query import ParsedQuery, parse_search_query
from rectrack.planning.models import Activity, Project
from rectrack.planning.selectors import project_choices
from rectrack.recommendations.models import (
    Document,
    ImplementationStatus,
    Mechanism,
    Recommendation,
    RecommendationGroup,
    StatusChange,
)
from rectrack.recommendations.search import apply_search, count_matches, ranked_ids, ranked_page
from rectrack.taxonomy.models import Term, VocabularyKind
from rectrack.taxonomy.selectors import term_choices


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


# Within one date, recommendations keep their order in the document.
ORDERINGS = {
    Sort.NEWEST: ("-issued_on", "document_id", "paragraph_key", "id"),
    Sort.OLDEST: ("issued_on", "document_id", "paragraph_key", "id"),
}


@dataclass
class RecommendationFilters:
    """What a list of recommendations is narrowed by. Empty means "any"."""

    search: ParsedQuery = field(default_factory=lambda: parse_search_query(""))
    mechanisms: list[str] = field(default_factory=list)  # acronyms
    document_symbol: str = ""
    upr_cycles: list[int] = field(default_factory=list)
    upr_positions: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)  # term ids, as are the next four
    affected_persons: list[int] = field(default_factory=list)
    sdg_goals: list[int] = field(default_factory=list)
    sdg_targets: list[int] = field(default_factory=list)
    clusters: list[int] = field(default_factory=list)
    lead_institutions: list[int] = field(default_factory=list)
    projects: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    groups: list[int] = field(default_factory=list)  # groups of similar recommendations
    # Search by meaning (the index of similar recommendations) rather than by the words of the text.
    meaning: bool = False


def _with_terms(queryset: QuerySet, relation: str, term_ids) -> QuerySet:
    through = Recommendation._meta.get_field(relation).remote_field.through
    return queryset.filter(pk__in=through.objects.filter(term_id__in=term_ids).values("recommendation_id"))


def facet_filter(filters: RecommendationFilters, queryset: QuerySet | None = None) -> QuerySet:
    """Recommendations matching every filter but the search (OR within one filter's values).

    Related-set filters use IN subqueries rather than joins, so no row is
    counted twice and no DISTINCT is needed.
    """
    queryset = Recommendation.objects.all() if queryset is None else queryset
    if filters.mechanisms:
        # Literal ids, not a subquery: mechanisms are very unevenly used (most
        # recommendations are UPR ones) and the planner needs the values to
        # estimate how many rows a filter keeps.
        ids = list(Mechanism.objects.filter(acronym__in=filters.mechanisms).values_list("pk", flat=True))
        queryset = queryset.filter(mechanism_id__in=ids)
    if filters.document_symbol:
        documents = Document.objects.filter(symbol__istartswith=filters.document_symbol.strip())
        queryset = queryset.filter(document__in=documents.values("pk"))
    if filters.upr_cycles:
        queryset = queryset.filter(document__in=Document.objects.filter(upr_cycle__in=filters.upr_cycles).values("pk"))
    if filters.upr_positions:
        queryset = queryset.filter(upr_position__in=filters.upr_positions)
    if filters.kinds:
        queryset = queryset.filter(kind__in=filters.kinds)
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.lead_institutions:
        queryset = queryset.filter(lead_institution_id__in=filters.lead_institutions)
    if filters.date_from:
        queryset = queryset.filter(issued_on__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(issued_on__lte=filters.date_to)
    if filters.themes:
        queryset = _with_terms(queryset, "themes", filters.themes)
    if filters.affected_persons:
        queryset = _with_terms(queryset, "affected_persons", filters.affected_persons)
    if filters.clusters:
        queryset = _with_terms(queryset, "clusters", filters.clusters)
    if filters.sdg_goals:
        # A goal matches recommendations tagged with the goal or any of its targets.
        targets = list(Term.objects.filter(parent__in=filters.sdg_goals).values_list("pk", flat=True))
        queryset = _with_terms(queryset, "sdgs", [*filters.sdg_goals, *targets])
    if filters.sdg_targets:
        queryset = _with_terms(queryset, "sdgs", filters.sdg_targets)
    if filters.groups:
        queryset = queryset.filter(group_id__in=filters.groups)
    if filters.projects:
        through = Project.recommendations.through
        queryset = queryset.filter(
            pk__in=through.objects.filter(project_id__in=filters.projects).values("recommendation_id")
        )
    return queryset


def list_queryset() -> QuerySet:
    """Recommendations with what a list row shows, in a constant number of queries."""
    return Recommendation.objects.select_related("document", "mechanism", "lead_institution").prefetch_related(
        Prefetch("themes", queryset=Term.objects.order_by("label")),
        Prefetch("sdgs", queryset=Term.objects.filter(parent__isnull=True).order_by("position")),
        "recommending_states",
    )


# Ranking costs time in proportion to the matches; past this many, a search
# is shown newest first and the user is asked to narrow it to rank it.
RANKING_LIMIT = 20_000


class RecommendationResults:
    """A lazily evaluated, sorted result set for Paginator: count() and slicing.

    Only the ids of the requested page are sorted in the database; the page's
    rows are then loaded with their related data in a fixed number of queries.
    A filtered search sorted by relevance reads all its ids, best first, in
    the query that counts them (up to RANKING_LIMIT), so the filters are
    checked once per match rather than twice.
    """

    def __init__(self, candidates: QuerySet, search: ParsedQuery, sort: str):
        self.candidates = candidates  # what the filters allow, before the search
        self.queryset = apply_search(candidates, search)
        self.search = search
        self.sort = sort
        self._count: int | None = None
        self._ranked: list[int] | None = None

    def count(self) -> int:
        if self._count is None:
            if self.sort == Sort.RELEVANCE and self.candidates.query.has_filters():
                self._ranked = ranked_ids(self.candidates, self.search, RANKING_LIMIT)
            if self._ranked is not None:
                self._count = len(self._ranked)
            else:
                self._count = count_matches(self.candidates, self.search)
        return self._count

    @property
    def too_many_to_rank(self) -> bool:
        return self.sort == Sort.RELEVANCE and self.count() > RANKING_LIMIT

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Recommendation]:
        offset = window.start or 0
        limit = (window.stop or offset) - offset
        if limit <= 0:
            return []
        self.count()
        if self._ranked is not None:
            ids = self._ranked[offset : offset + limit]
        elif self.sort == Sort.RELEVANCE and not self.too_many_to_rank:
            ids = ranked_page(self.candidates, self.search, offset, limit)
        else:
            ordered = self.queryset.order_by(*ORDERINGS.get(self.sort, ORDERINGS[Sort.NEWEST]))
            ids = list(ordered.values_list("id", flat=True)[offset : offset + limit])
        rows = {row.pk: row for row in list_queryset().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


class MeaningResults(RecommendationResults):
    """A search by meaning: the recommendations the index finds about the query (best first, at most
    suggestions.index.SEARCH_LIMIT), among those the filters allow; sorted by date when asked."""

    def __init__(self, candidates: QuerySet, search: ParsedQuery, sort: str, found: list[int]):
        super().__init__(candidates, parse_search_query(""), sort)
        self.search = search
        allowed = set(candidates.filter(pk__in=found).values_list("pk", flat=True)) if found else set()
        self._ranked = [pk for pk in found if pk in allowed]
        self.queryset = candidates.filter(pk__in=self._ranked)
        if sort in (Sort.NEWEST, Sort.OLDEST):
            ordered = self.queryset.order_by(*ORDERINGS[sort])
            self._ranked = list(ordered.values_list("id", flat=True))
        self._count = len(self._ranked)

    @property
    def too_many_to_rank(self) -> bool:
        return False


def meaning_available() -> bool:
    from rectrack.suggestions import index

    return index.active() is not None


def search_recommendations(
    filters: RecommendationFilters, sort: str | None = None, *, within: QuerySet | None = None
) -> RecommendationResults:
    """Recommendations matching `filters`, sorted; relevance first for a search.

    `within` narrows the search to a set the reader may see (the published
    recommendations on the portal, what is shared with a contributor). A search by meaning
    (`filters.meaning`) asks the index of similar recommendations; without an index it searches the words.
    """
    if filters.meaning and filters.search.raw.strip() and meaning_available():
        from rectrack.suggestions import index

        if sort not in (Sort.RELEVANCE, Sort.NEWEST, Sort.OLDEST):
            sort = Sort.RELEVANCE
        found = [pk for pk, _score in index.search(filters.search.raw)]
        return MeaningResults(facet_filter(filters, within), filters.search, sort, found)
    if sort not in (Sort.RELEVANCE, Sort.NEWEST, Sort.OLDEST):
        sort = None
    if sort == Sort.RELEVANCE and filters.search.include is None:
        sort = None
    sort = sort or (Sort.RELEVANCE if filters.search.include is not None else Sort.NEWEST)
    return RecommendationResults(facet_filter(filters, within), filters.search, sort)


def recommendation_detail(
    pk: int, *, projects: QuerySet | None = None, activities: QuerySet | None = None
) -> Recommendation:
    """A recommendation with everything its page shows.

    `projects` and `activities` narrow the linked ones shown to those the
    reader may see (permissions.project_scope, activity_scope).
    """
    projects = Project.objects.all() if projects is None else projects
    activities = Activity.objects.all() if activities is None else activities
    return (
        Recommendation.objects.select_related("document__country", "mechanism", "lead_institution", "group")
        .prefetch_related(
            Prefetch("themes", queryset=Term.objects.select_related("vocabulary").order_by("label")),
            Prefetch("affected_persons", queryset=Term.objects.select_related("vocabulary").order_by("label")),
            Prefetch("sdgs", queryset=Term.objects.select_related("vocabulary", "parent").order_by("position")),
            Prefetch("clusters", queryset=Term.objects.order_by("label")),
            "recommending_states",
            "supporting_institutions",
            Prefetch("projects", queryset=projects.order_by("name")),
            Prefetch("activities", queryset=activities.select_related("lead_institution").order_by("deadline")),
        )
        .get(pk=pk)
    )


_REFERENCE_RE = re.compile(r"^\s*#?(\d+)\s*$|^\s*(\d+(?:\.\d+)*)\s*[,(]?\s*([A-Za-z][\w./\-() ]*?)\)?\s*$")


def parse_recommendation_references(text: str) -> tuple[list[Recommendation], list[str]]:
    """Recommendations from lines like "121.2 A/HRC/43/15", "121.2 (A/HRC/43/15)" or "#42".

    Returns the recommendations found and the lines that matched none.
    """
    found, unknown = [], []
    for line in [part.strip() for part in re.split(r"[\n;]+", text or "") if part.strip()]:
        match = _REFERENCE_RE.match(line)
        recommendation = None
        if match and match.group(1):
            recommendation = Recommendation.objects.filter(pk=int(match.group(1))).first()
        elif match:
            recommendation = Recommendation.objects.filter(
                paragraph=match.group(2), document__symbol__iexact=match.group(3).strip()
            ).first()
        if recommendation is None:
            unknown.append(line)
        else:
            found.append(recommendation)
    return found, unknown


def groups_list(*, within: QuerySet | None = None) -> list:
    """Groups of similar recommendations with `.member_count` (members the reader may read), newest first; only
    the groups with a member the reader may read."""
    members = Recommendation.objects.filter(group__isnull=False)
    if within is not None:
        members = members.filter(pk__in=within.values("pk"))
    counts = dict(members.values("group_id").annotate(n=Count("id")).order_by().values_list("group_id", "n"))
    groups = list(RecommendationGroup.objects.filter(pk__in=list(counts)).order_by("-created_at", "-id"))
    for group in groups:
        group.member_count = counts[group.pk]
    return groups


def group_members(group: RecommendationGroup, *, within: QuerySet | None = None) -> list[Recommendation]:
    members = list_queryset().filter(group=group).order_by(*ORDERINGS[Sort.OLDEST])
    if within is not None:
        members = members.filter(pk__in=within.values("pk"))
    return list(members)


def group_activities(group, members: list[Recommendation], *, within: QuerySet | None = None) -> tuple[list, int]:
    """The activities of a group (those of any member), each with `.missing`: how many members it does not yet
    implement; and how many links are missing in all."""
    through = Activity.recommendations.through
    links = through.objects.filter(recommendation_id__in=[rec.pk for rec in members])
    linked: dict[int, set[int]] = {}
    for activity_id, recommendation_id in links.values_list("activity_id", "recommendation_id"):
        linked.setdefault(activity_id, set()).add(recommendation_id)
    activities = Activity.objects.filter(pk__in=list(linked)).select_related("lead_institution").order_by("deadline")
    if within is not None:
        activities = activities.filter(pk__in=within.values("pk"))
    found = list(activities)
    gaps = 0
    for activity in found:
        activity.missing = len(members) - len(linked[activity.pk])
        gaps += activity.missing
    return found, gaps


FILTER_CHOICES_SECONDS = 300


def _filter_choices_fingerprint() -> str:
    """Changes whenever a filter list gains or loses an entry, or a project changes.

    Renaming a term or an institution (they keep no timestamp) shows in the
    lists within FILTER_CHOICES_SECONDS.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM taxonomy_term), (SELECT MAX(id) FROM taxonomy_term),"
            " (SELECT COUNT(*) FROM institutions_institution), (SELECT MAX(id) FROM institutions_institution),"
            " (SELECT COUNT(*) FROM planning_project), (SELECT MAX(updated_at) FROM planning_project),"
            " (SELECT COUNT(*) FROM recommendations_mechanism)"
        )
        return hashlib.sha256(repr(cursor.fetchone()).encode()).hexdigest()[:20]


def filter_choices() -> dict[str, list[tuple]]:
    """The option lists of the recommendation and activity filters, in the user's language.

    Read on every list page, so kept in the cache under a fingerprint of the
    rows they come from: one small query instead of five lists and hundreds
    of labels to format.
    """
    key = f"filter-choices:{get_language()}:{_filter_choices_fingerprint()}"
    choices = cache.get(key)
    if choices is None:
        choices = {
            "mechanism": [
                (acronym, acronym)
                for acronym in Mechanism.objects.order_by("position", "acronym").values_list("acronym", flat=True)
            ],
            "theme": term_choices(VocabularyKind.THEME)(),
            "affected": term_choices(VocabularyKind.AFFECTED_PERSONS)(),
            "sdg": term_choices(VocabularyKind.SDG, parent__isnull=True)(),
            # Full target texts would make the list page three times heavier.
            "target": term_choices(VocabularyKind.SDG, max_length=80, parent__isnull=False)(),
            "cluster": term_choices(VocabularyKind.NATIONAL_CLUSTER)(),
            "lead": institution_choices(),
            "project": project_choices(),
        }
        cache.set(key, choices, FILTER_CHOICES_SECONDS)
    return choices


def with_status_on(recommendations: QuerySet, day: date) -> QuerySet:
    """Annotate `status_on`: each recommendation's implementation status on `day`.

    The latest recorded change effective on or before the day decides; with
    none by then, "not started". A recommendation with no recorded change at
    all keeps its current status throughout (it was set before the history
    was kept, or by a bulk load). None for a recommendation made after the day.
    """
    changes = StatusChange.objects.filter(recommendation=OuterRef("pk"))
    latest = changes.filter(effective_on__lte=day).order_by("-effective_on", "-created_at", "-id").values("status")[:1]
    return recommendations.annotate(
        status_on=Case(
            When(issued_on__gt=day, then=Value(None)),
            When(~Exists(changes), then=F("status")),
            default=Coalesce(Subquery(latest), Value(ImplementationStatus.NOT_STARTED)),
            output_field=CharField(),
        )
    )


def status_on(recommendation: Recommendation, day: date) -> str | None:
    return with_status_on(Recommendation.objects.filter(pk=recommendation.pk), day).values_list("status_on", flat=True)[
        0
    ]
