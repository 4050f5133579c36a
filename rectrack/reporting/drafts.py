"""What a report draft says, read from the database: the recommendations of a mechanism grouped by national
cluster or theme, with their status at the end of the period, the activities and indicator values that
implement them, and the gaps.

The content is plain data (`Draft`), so the same reading can be written as a
Word document (documents.py) or shown on a page, and checked against the
statistics for the same filters.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from rectrack.indicators.models import Indicator, Measurement
from rectrack.planning.models import Activity, ActivityStatus, Project
from rectrack.recommendations.models import (
    ImplementationStatus,
    Mechanism,
    Recommendation,
    StatusChange,
    paragraph_sort_key,
    reference_for,
)
from rectrack.recommendations.selectors import with_status_on
from rectrack.taxonomy.models import Term

GROUPINGS = ("cluster", "theme")


@dataclass(frozen=True)
class DraftRequest:
    """What a draft covers: one mechanism's recommendations made by the end of the period, optionally only those of
    a project or a national cluster, grouped by national cluster or by theme."""

    mechanism: Mechanism
    period_start: date
    period_end: date
    project: Project | None = None
    cluster: Term | None = None
    group_by: str = "cluster"


@dataclass
class Item:
    pk: int
    paragraph: str
    symbol: str
    text: str
    status: str  # on the last day of the period

    @property
    def status_label(self) -> str:
        return str(ImplementationStatus(self.status).label)

    @property
    def reference(self) -> str:
        return reference_for(self.pk, self.paragraph, self.symbol)


def status_counts(items) -> dict[str, int]:
    """How many of `items` are in each implementation status (every status present, in order)."""
    counts = dict.fromkeys(ImplementationStatus.values, 0)
    for item in items:
        counts[item.status] += 1
    return counts


@dataclass
class ActivityLine:
    title: str
    status_label: str
    lead: str
    start_date: date | None
    deadline: date | None


@dataclass
class IndicatorLine:
    name: str
    unit: str
    value: object  # Decimal, the latest total by the end of the period
    measured_on: date
    baseline_value: object
    target_value: object


@dataclass
class Section:
    title: str
    items: list[Item]
    activities: list[ActivityLine] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        return references(self.items)

    @property
    def statuses(self) -> dict[str, int]:
        return status_counts(self.items)


@dataclass
class Draft:
    request: DraftRequest
    sections: list[Section]
    totals: dict[str, int]  # recommendations by status on the last day of the period
    without_activity: list[Item]
    without_information: list[Item]

    @property
    def count(self) -> int:
        return sum(self.totals.values())


def _joined(values: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the reader's language."""
    if len(values) == 1:
        return values[0]
    # Translators: what separates the items of a list ("121.2, 121.5 and 121.10"); Chinese uses "、".
    separator = pgettext("list separator", ", ")
    return _("%(list)s and %(last)s") % {"list": separator.join(values[:-1]), "last": values[-1]}


def references(items: list[Item]) -> list[str]:
    """Paragraph references by document: "Recommendations 121.2 and 121.5 (A/HRC/43/15)"."""
    by_symbol: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_symbol[item.symbol].append(item)
    lines = []
    for symbol, grouped in sorted(by_symbol.items()):
        numbered = sorted({item.paragraph for item in grouped if item.paragraph}, key=paragraph_sort_key)
        unnumbered = len([item for item in grouped if not item.paragraph])
        if numbered:
            lines.append(
                ngettext(
                    "Recommendation %(paragraphs)s (%(symbol)s)",
                    "Recommendations %(paragraphs)s (%(symbol)s)",
                    len(numbered),
                )  # fmt: skip
                % {"paragraphs": _joined(numbered), "symbol": symbol or _("no document")}
            )
        if unnumbered:
            lines.append(
                ngettext(
                    "%(count)d recommendation without a paragraph number (%(symbol)s)",
                    "%(count)d recommendations without a paragraph number (%(symbol)s)",
                    unnumbered,
                )  # fmt: skip
                % {"count": unnumbered, "symbol": symbol or _("no document")}
            )
    return lines


def recommendations_for(request: DraftRequest, within: QuerySet | None = None) -> QuerySet:
    """The recommendations a draft covers (`within`: those the author may read)."""
    recommendations = Recommendation.objects.filter(mechanism=request.mechanism).filter(
        Q(issued_on__lte=request.period_end) | Q(issued_on__isnull=True)
    )
    if within is not None:
        recommendations = recommendations.filter(pk__in=within.values("pk"))
    if request.project is not None:
        recommendations = recommendations.filter(pk__in=request.project.recommendations.values("pk"))
    if request.cluster is not None:
        recommendations = recommendations.filter(clusters=request.cluster)
    return recommendations


def _groups(request: DraftRequest, items: dict[int, Item]) -> list[tuple[str, list[Item]]]:
    relation = "clusters" if request.group_by == "cluster" else "themes"
    through = Recommendation._meta.get_field(relation).remote_field.through
    links = through.objects.filter(recommendation_id__in=list(items)).values_list("term_id", "recommendation_id")
    members: dict[int, list[int]] = defaultdict(list)
    for term_id, rec_id in links:
        members[term_id].append(rec_id)
    terms = sorted(Term.objects.filter(pk__in=members), key=lambda term: term.display_label.casefold())
    order = {pk: index for index, pk in enumerate(items)}  # by document and paragraph
    grouped = [(term.display_label, [items[pk] for pk in sorted(members[term.pk], key=order.get)]) for term in terms]
    placed = {pk for pks in members.values() for pk in pks}
    if rest := [item for pk, item in items.items() if pk not in placed]:
        grouped.append((_("No national cluster") if request.group_by == "cluster" else _("No theme"), rest))
    return grouped


def build_draft(
    request: DraftRequest, *, within: QuerySet | None = None, on_progress: Callable[[float], None] | None = None
) -> Draft:
    """Read everything a draft says, in a fixed number of queries; `on_progress` hears how far it is (0 to 1)."""
    report = on_progress or (lambda fraction: None)
    recommendations = with_status_on(recommendations_for(request, within), request.period_end).select_related(
        "document"
    )
    items = {
        rec.pk: Item(
            pk=rec.pk,
            paragraph=rec.paragraph,
            symbol=rec.document.symbol if rec.document_id else "",
            text=rec.text,
            status=rec.status_on or ImplementationStatus.NOT_STARTED,
        )
        for rec in recommendations.order_by("document__symbol", "paragraph_key", "pk")
    }
    report(0.3)
    # Activities that ran in the period (started by its end; not finished before it began), by recommendation.
    activities = (
        Activity.objects.filter(recommendations__in=list(items))
        .filter(Q(start_date__lte=request.period_end) | Q(start_date__isnull=True))
        .filter(Q(deadline__gte=request.period_start) | Q(deadline__isnull=True))
        .select_related("lead_institution")
        .distinct()
        .order_by("deadline", "title", "pk")
    )
    activity_links = Activity.recommendations.through.objects.filter(
        recommendation_id__in=list(items), activity_id__in=[activity.pk for activity in activities]
    ).values_list("recommendation_id", "activity_id")
    activities_of: dict[int, set[int]] = defaultdict(set)
    for rec_id, activity_id in activity_links:
        activities_of[rec_id].add(activity_id)
    lines = {
        activity.pk: ActivityLine(
            title=activity.title,
            status_label=str(ActivityStatus(activity.status).label),
            lead=str(activity.lead_institution),
            start_date=activity.start_date,
            deadline=activity.deadline,
        )
        for activity in activities
    }
    report(0.5)
    # Indicators linked to the recommendations, with their latest total by the end of the period.
    indicator_links = Indicator.recommendations.through.objects.filter(recommendation_id__in=list(items))
    indicators_of: dict[int, set[int]] = defaultdict(set)
    for rec_id, indicator_id in indicator_links.values_list("recommendation_id", "indicator_id"):
        indicators_of[rec_id].add(indicator_id)
    latest: dict[int, Measurement] = {}
    totals = Measurement.objects.filter(
        indicator_id__in={pk for pks in indicators_of.values() for pk in pks},
        breakdown="",
        measured_on__lte=request.period_end,
    ).select_related("indicator")
    for measurement in totals.order_by("measured_on", "id"):
        latest[measurement.indicator_id] = measurement
    report(0.6)
    order = {pk: index for index, pk in enumerate(lines)}  # by deadline, then title
    sections = []
    for title, members in _groups(request, items):
        activity_ids = sorted({pk for item in members for pk in activities_of.get(item.pk, ())}, key=order.get)
        indicator_ids = sorted({pk for item in members for pk in indicators_of.get(item.pk, ())} & set(latest))
        sections.append(
            Section(
                title=title,
                items=members,
                activities=[lines[pk] for pk in activity_ids],
                indicators=[
                    IndicatorLine(
                        name=latest[pk].indicator.name,
                        unit=latest[pk].indicator.unit,
                        value=latest[pk].value,
                        measured_on=latest[pk].measured_on,
                        baseline_value=latest[pk].indicator.baseline_value,
                        target_value=latest[pk].indicator.target_value,
                    )
                    for pk in sorted(indicator_ids, key=lambda pk: latest[pk].indicator.name.casefold())
                ],
            )
        )
    report(0.8)
    changed = set(
        StatusChange.objects.filter(recommendation_id__in=list(items), effective_on__lte=request.period_end)
        .values_list("recommendation_id", flat=True)
        .distinct()
    )
    without_activity = [item for item in items.values() if not activities_of.get(item.pk)]
    return Draft(
        request=request,
        sections=sections,
        totals=status_counts(items.values()),
        without_activity=without_activity,
        without_information=[
            item
            for item in without_activity
            if item.pk not in changed and item.status == ImplementationStatus.NOT_STARTED
        ],
    )
