"""Reading indicators: the list, one indicator's page, its chart, and the indicators linked to an object."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from rectrack.indicators.models import Indicator, Measurement
from rectrack.planning.models import Activity, Project
from rectrack.recommendations.models import Recommendation
from rectrack.taxonomy.models import Term


def _totals() -> QuerySet[Measurement]:
    """The total series (no breakdown), oldest first."""
    return Measurement.objects.filter(breakdown="").order_by("measured_on", "id")


@dataclass
class IndicatorFilters:
    search: str = ""
    kinds: list[str] = field(default_factory=list)
    institutions: list[int] = field(default_factory=list)


def indicator_list(filters: IndicatorFilters) -> QuerySet[Indicator]:
    """Indicators matching the filters, by name, each with its total series as `totals`."""
    indicators = Indicator.objects.select_related("responsible_institution").prefetch_related(
        Prefetch("measurements", queryset=_totals(), to_attr="totals")
    )
    if filters.search:
        indicators = indicators.filter(Q(name__icontains=filters.search) | Q(description__icontains=filters.search))
    if filters.kinds:
        indicators = indicators.filter(kind__in=filters.kinds)
    if filters.institutions:
        indicators = indicators.filter(responsible_institution_id__in=filters.institutions)
    return indicators.order_by("name", "id")


def with_sparklines(indicators: Iterable[Indicator]) -> list[Indicator]:
    """The list's rows, each with `latest` (its latest total, or None) and `sparkline` (points, or "")."""
    rows = list(indicators)
    for indicator in rows:
        indicator.latest = indicator.totals[-1] if indicator.totals else None
        indicator.sparkline = sparkline(indicator.totals)
    return rows


def indicator_detail(
    pk: int,
    *,
    recommendations: QuerySet | None = None,
    activities: QuerySet | None = None,
    projects: QuerySet | None = None,
) -> Indicator:
    """An indicator with what its page shows; the querysets narrow the linked objects shown."""
    recommendations = Recommendation.objects.all() if recommendations is None else recommendations
    activities = Activity.objects.all() if activities is None else activities
    projects = Project.objects.all() if projects is None else projects
    return (
        Indicator.objects.select_related("responsible_institution", "created_by")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=recommendations.select_related("document", "mechanism").order_by(
                    "-issued_on", "document_id", "paragraph_key", "id"
                ),
            ),
            Prefetch("activities", queryset=activities.select_related("lead_institution").order_by("deadline", "id")),
            Prefetch("projects", queryset=projects.order_by("name", "id")),
            Prefetch("clusters", queryset=Term.objects.order_by("position", "label")),
            Prefetch("measurements", queryset=Measurement.objects.select_related("created_by")),
        )
        .get(pk=pk)
    )


# ------------------------------------------------------------------ charts

SPARK_WIDTH, SPARK_HEIGHT = 100, 24


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    """`value` placed between `start` and `end` as it lies between `low` and `high` (the middle when flat)."""
    if high == low:
        return (start + end) / 2
    return start + (value - low) / (high - low) * (end - start)


def sparkline(totals: Sequence[Measurement]) -> str:
    """The points of a tiny line for a list row ("x,y x,y"), or "" with fewer than two values."""
    if len(totals) < 2:
        return ""
    days = [m.measured_on.toordinal() for m in totals]
    values = [float(m.value) for m in totals]
    return " ".join(
        f"{_scale(day, days[0], days[-1], 1, SPARK_WIDTH - 1):.1f},"
        f"{_scale(value, min(values), max(values), SPARK_HEIGHT - 2, 2):.1f}"
        for day, value in zip(days, values, strict=True)
    )


@dataclass
class ChartPoint:
    x: float
    y: float
    measured_on: date
    value: Decimal


@dataclass
class Mark:
    """A reference level: the baseline or the target, drawn across the chart at `y`."""

    y: float
    value: Decimal
    on: date | None
    x: float | None = None  # where its date falls, when it has one


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: list[ChartPoint]
    polyline: str
    low: Decimal
    high: Decimal
    first: date
    last: date
    baseline: Mark | None = None
    target: Mark | None = None


# The plot area inside the drawing, in its own units; the margins hold the labels.
CHART = {"width": 640, "height": 260, "left": 76, "right": 624, "top": 18, "bottom": 226}


def indicator_chart(indicator: Indicator, measurements: Iterable[Measurement]) -> Chart | None:
    """The total series as a line, with the baseline and target as levels; None without any total.

    Dates run left to right in every language (as a table of years does);
    the data table beside the chart is its text alternative.
    """
    totals = sorted((m for m in measurements if not m.breakdown), key=lambda m: m.measured_on)
    if not totals:
        return None
    values = [m.value for m in totals]
    levels = [v for v in (indicator.baseline_value, indicator.target_value) if v is not None]
    low, high = min(values + levels), max(values + levels)
    dates = [m.measured_on for m in totals]
    dates += [d for d in (indicator.baseline_date, indicator.target_date) if d]
    first, last = min(dates), max(dates)
    box = CHART

    def x_of(day: date) -> float:
        return round(_scale(day.toordinal(), first.toordinal(), last.toordinal(), box["left"] + 6, box["right"] - 6), 1)

    def y_of(value: Decimal) -> float:
        return round(_scale(float(value), float(low), float(high), box["bottom"] - 6, box["top"] + 6), 1)

    points = [
        ChartPoint(x=x_of(m.measured_on), y=y_of(m.value), measured_on=m.measured_on, value=m.value) for m in totals
    ]
    chart = Chart(
        **box,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        low=low,
        high=high,
        first=first,
        last=last,
    )
    for name, value, on in (
        ("baseline", indicator.baseline_value, indicator.baseline_date),
        ("target", indicator.target_value, indicator.target_date),
    ):
        if value is not None:
            setattr(chart, name, Mark(y=y_of(value), value=value, on=on, x=x_of(on) if on else None))
    return chart


@dataclass
class MeasurementGroup:
    """The values recorded on one date: the total first, then each breakdown."""

    measured_on: date
    rows: list[Measurement]


def measurement_groups(measurements: Iterable[Measurement]) -> list[MeasurementGroup]:
    """Measurements grouped by date, oldest first, for the table beside the chart."""
    groups: dict[date, list[Measurement]] = {}
    for measurement in sorted(measurements, key=lambda m: (m.measured_on, m.breakdown != "", m.breakdown)):
        groups.setdefault(measurement.measured_on, []).append(measurement)
    return [MeasurementGroup(measured_on=day, rows=rows) for day, rows in groups.items()]


# ------------------------------------------------------------------ linked panels

_LINKS = {Recommendation: "recommendations", Activity: "activities", Project: "projects", Term: "clusters"}


def linked_to(obj: models.Model) -> list[Indicator]:
    """The indicators linked to a recommendation, activity, project or cluster, each with `latest`.

    `latest` is the latest total (a Measurement), or None before any.
    """
    relation = _LINKS[type(obj)]
    latest = _totals().filter(indicator_id=OuterRef("pk")).order_by("-measured_on", "-id")
    indicators = list(
        Indicator.objects.filter(**{relation: obj})
        .annotate(latest_id=Subquery(latest.values("pk")[:1]))
        .order_by("name", "id")
    )
    by_id = Measurement.objects.in_bulk([i.latest_id for i in indicators if i.latest_id])
    for indicator in indicators:
        indicator.latest = by_id.get(indicator.latest_id)
    return indicators
