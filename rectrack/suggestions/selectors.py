"""Reading suggestions, similar recommendations and possible duplicates for the pages."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet

from rectrack.recommendations.models import Recommendation
from rectrack.suggestions import index
from rectrack.suggestions.models import LabelModel, PossibleDuplicate, SimilarPair, Suggestion, SuggestionState
from rectrack.suggestions.training import KINDS, RELATIONS
from rectrack.taxonomy.models import Term, VocabularyKind


def pending_for(recommendation: Recommendation) -> list[tuple[str, list[Suggestion]]]:
    """The suggestions to review for one recommendation, by kind (in the order of its Classification panel)."""
    found = defaultdict(list)
    for item in (
        Suggestion.objects.filter(recommendation=recommendation, state=SuggestionState.PENDING)
        .select_related("term")
        .order_by("-confidence")
    ):
        found[item.kind].append(item)
    return [(VocabularyKind(kind).label, found[kind]) for kind in KINDS if found.get(kind)]


@dataclass
class ReviewFilters:
    kind: str = ""
    term: int | None = None
    min_percent: int = 0
    state: str = SuggestionState.PENDING
    recommendation_ids: list[int] = field(default_factory=list)


def matching(filters: ReviewFilters, *, within: QuerySet | None = None) -> QuerySet[Suggestion]:
    """Suggestions matching the review page's filters (pending ones unless another state is asked for)."""
    suggestions = Suggestion.objects.filter(state=filters.state)
    if filters.kind:
        suggestions = suggestions.filter(kind=filters.kind)
    if filters.term:
        suggestions = suggestions.filter(term_id=filters.term)
    if filters.min_percent:
        suggestions = suggestions.filter(confidence__gte=filters.min_percent / 100)
    if filters.recommendation_ids:
        suggestions = suggestions.filter(recommendation_id__in=filters.recommendation_ids)
    if within is not None:
        suggestions = suggestions.filter(recommendation__in=within)
    return suggestions


SCAN_PAGES_UP_TO = 2_000  # recommendations: pages before this one are read off the confidence index
SCAN_LIMIT = 20_000  # suggestions read that way at most, then grouped in the database


class ReviewPage:
    """A page of the review list for Paginator: recommendations that have matching suggestions, those with the
    most confident first, each with its matching suggestions. Counted in the database (one grouped query on an
    index); a window is read off the suggestions most confident first (see `_ids`), or grouped in the database
    when deep, whatever the number of suggestions."""

    def __init__(self, suggestions: QuerySet[Suggestion]):
        self.suggestions = suggestions
        self.grouped = (
            suggestions.order_by()
            .values("recommendation_id")
            .annotate(best=Max("confidence"))
            .order_by("-best", "recommendation_id")
        )

    def count(self) -> int:
        return self.grouped.count()

    def __len__(self) -> int:
        return self.count()

    def _ids(self, window: slice) -> list[int]:
        """The recommendations of a window. A recommendation first comes, reading its suggestions most confident
        first (ties by recommendation), at its best one, so the first pages are read off the index that way,
        stopping once full; deeper pages are grouped (and sorted) in the database."""
        wanted = window.stop
        if wanted <= SCAN_PAGES_UP_TO:
            seen: dict[int, None] = {}
            rows = self.suggestions.order_by("-confidence", "recommendation_id").values_list(
                "recommendation_id", flat=True
            )
            read = 0
            for pk in rows[:SCAN_LIMIT].iterator(chunk_size=2_000):
                read += 1
                seen.setdefault(pk, None)
                if len(seen) >= wanted:
                    break
            if len(seen) >= wanted or read < SCAN_LIMIT:  # the page is full, or every matching suggestion was read
                return list(seen)[window]
        return [row["recommendation_id"] for row in self.grouped[window]]

    def __getitem__(self, window: slice):
        ids = self._ids(window)
        rows = Recommendation.objects.select_related("document", "mechanism").prefetch_related(
            Prefetch(
                "suggestions",
                queryset=self.suggestions.filter(recommendation_id__in=ids)
                .select_related("term", "decided_by")
                .order_by("kind", "-confidence"),
                to_attr="shown_suggestions",
            )
        )
        found = {rec.pk: rec for rec in rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


def term_choices_with_suggestions(state: str = SuggestionState.PENDING) -> list[tuple[int, str]]:
    """The terms that have suggestions in `state`, with how many, for the review page's filter."""
    counts = dict(
        Suggestion.objects.filter(state=state).values("term_id").annotate(n=Count("id")).values_list("term_id", "n")
    )
    terms = Term.objects.filter(pk__in=list(counts)).select_related("vocabulary")
    terms = terms.order_by("vocabulary__kind", "position")
    return [(term.pk, f"{term.display_label} ({counts[term.pk]:,})") for term in terms]


def similar_to(recommendation: Recommendation, *, within: QuerySet | None = None, limit: int = 10) -> list:
    """The recommendations most similar to this one that the reader may read, best first, each with `.similarity`
    (0 to 1). From the index; a recommendation added since the index was built is compared on the spot."""
    pairs = list(
        SimilarPair.objects.filter(recommendation=recommendation)
        .order_by("-score")
        .values_list("similar_id", "score")[: limit * 3]
    )
    if not pairs:
        loaded = index.load()
        if loaded is not None and recommendation.pk not in loaded.row_of:
            pairs = index.similar_to_text(recommendation.text, exclude_id=recommendation.pk)
    scores = dict(pairs)
    rows = Recommendation.objects.filter(pk__in=list(scores)).select_related("document", "mechanism", "group")
    if within is not None:
        rows = rows.filter(pk__in=within.values("pk"))
    found = sorted(rows, key=lambda rec: -scores[rec.pk])[:limit]
    for rec in found:
        rec.similarity = scores[rec.pk]
    return found


def duplicate_sets(*, within: QuerySet | None = None) -> list[list[int]]:
    """The sets of possible duplicates still worth offering (not all in one group already), largest first, as
    lists of recommendation ids."""
    members = PossibleDuplicate.objects.all()
    if within is not None:
        members = members.filter(recommendation__in=within)
    by_set = defaultdict(list)
    groups = {}
    for number, pk, group in members.values_list("number", "recommendation_id", "recommendation__group_id").order_by(
        "number", "recommendation_id"
    ):
        by_set[number].append(pk)
        groups.setdefault(number, set()).add(group)
    offered = [
        ids for number, ids in by_set.items() if len(ids) > 1 and (None in groups[number] or len(groups[number]) > 1)
    ]
    return sorted(offered, key=lambda ids: (-len(ids), ids[0]))


def with_rows(sets: list[list[int]]) -> list[list[Recommendation]]:
    """The recommendations of some sets, loaded in one query, in each set's order."""
    ids = [pk for ids in sets for pk in ids]
    rows = {
        rec.pk: rec
        for rec in Recommendation.objects.filter(pk__in=ids).select_related("document", "mechanism", "group")
    }
    return [[rows[pk] for pk in ids if pk in rows] for ids in sets]


def counts() -> dict:
    """How many suggestions are to review, accepted and rejected, by kind, for Settings › Suggestions."""
    rows = Suggestion.objects.values("kind", "state").annotate(n=Count("id")).order_by()
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        table[row["kind"]][row["state"]] = row["n"]
    found = []
    for kind in KINDS:
        if kind in table:
            line = table[kind]
            decided = line[SuggestionState.ACCEPTED] + line[SuggestionState.REJECTED]
            found.append(
                {
                    "kind": kind,
                    "label": VocabularyKind(kind).label,
                    "pending": line[SuggestionState.PENDING],
                    "accepted": line[SuggestionState.ACCEPTED],
                    "rejected": line[SuggestionState.REJECTED],
                    "accepted_share": round(100 * line[SuggestionState.ACCEPTED] / decided) if decided else None,
                }
            )
    return found


def lacking(kind: str, recommendations: QuerySet | None = None) -> QuerySet[Recommendation]:
    """The recommendations (of `recommendations`, default all) with no label of `kind`: NOT EXISTS, an anti-join
    on both databases (PostgreSQL runs NOT IN over a large subquery row by row)."""
    through = Recommendation._meta.get_field(RELATIONS[kind]).remote_field.through
    recommendations = Recommendation.objects.all() if recommendations is None else recommendations
    return recommendations.filter(~Exists(through.objects.filter(recommendation_id=OuterRef("pk"))))


def lacking_counts() -> dict[str, int]:
    """How many recommendations have no label of each kind."""
    return {kind: lacking(kind).count() for kind in KINDS}


def training_history(limit: int = 10) -> list[LabelModel]:
    return list(LabelModel.objects.select_related("requested_by").order_by("-created_at", "-id")[:limit])
