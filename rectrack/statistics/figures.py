"""The figures of the statistics pages: each a chart (SVG, see charts.py) and the table it is drawn from.

A figure is built from a `Reading` (who reads, with which filters, on which
day) by one function of FIGURES; PAGES says which figures each tab shows.
The same function serves the page and the figure's SVG download.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from rectrack.accounts import permissions
from rectrack.recommendations.models import ImplementationStatus
from rectrack.recommendations.selectors import RecommendationFilters
from rectrack.statistics import charts, selectors

CHART_ROWS = 20  # bars drawn in a chart; its table lists every row


@dataclass
class Reading:
    """Who reads the statistics, with which filters, on which day."""

    user: object
    filters: RecommendationFilters
    today: date
    query: str  # the filters as a query string, for links to lists and downloads

    def __post_init__(self):
        self.scope = permissions.recommendation_scope(self.user)
        self.recommendations: QuerySet = selectors.recommendations(self.filters, self.scope)

    @property
    def audience(self) -> str:
        """Who sees the same figures: everyone who reads everything (with or without every information request),
        else this reader alone."""
        if self.scope is None:
            return "all" if permissions.request_scope(self.user) is None else "all-but-requests"
        return f"user-{self.user.pk}"


@dataclass
class Figure:
    name: str
    title: str
    description: str
    svg: SafeString
    table: str  # which table template draws `rows`
    rows: list
    param: str = ""  # the recommendations list's filter for a row's key
    note: str = ""
    columns: list = field(default_factory=list)


def status_series() -> list[charts.Series]:
    return [charts.Series(value, str(label), charts.colour_for(value)) for value, label in ImplementationStatus.choices]


def _charted(rows: list) -> tuple[list, str]:
    """The rows a chart draws, and a note when the table holds more."""
    if len(rows) <= CHART_ROWS:
        return rows, ""
    note = _("The chart shows the first %(shown)d rows; the table lists all %(count)d.") % {
        "shown": CHART_ROWS,
        "count": len(rows),
    }
    return rows[:CHART_ROWS], note


PROGRESS_TABLE = gettext_lazy(
    "Each bar shows the share of its recommendations in each implementation status, and their number at its end. "
    "The table that follows gives every figure."
)


def _with_cells(groups: list[selectors.Group]) -> list[selectors.Group]:
    for group in groups:
        group.cells = [(value, group.count(value), group.share(value)) for value in selectors.STATUSES]
    return groups


def _progress(name: str, title: str, groups: list[selectors.Group], param: str) -> Figure:
    _with_cells(groups)
    drawn, note = _charted(groups)
    description = str(PROGRESS_TABLE)
    svg = charts.stacked_bars(
        chart_id=name,
        title=title,
        description=description,
        series=status_series(),
        rows=[charts.BarRow(group.label, group.counts) for group in drawn],
        total_label="{total:,}",
    )
    return Figure(name, title, description, svg, "groups", groups, param=param, note=note, columns=status_series())


def overall(reading: Reading) -> Figure:
    name, title = "overall", _("Implementation status of all recommendations")
    group = _with_cells([selectors.overall(reading.recommendations)])[0]
    description = _("The share of the recommendations counted in each implementation status.")
    svg = charts.stacked_bars(
        chart_id=name,
        title=title,
        description=description,
        series=status_series(),
        rows=[charts.BarRow(group.label, group.counts)],
        total_label="{total:,}",
    )
    return Figure(name, title, description, svg, "groups", [group], columns=status_series())


# "Progress by" figures: name -> (title, the recommendations list's filter for a row, the groups counted).
PROGRESS_BY = {
    "by-project": (
        gettext_lazy("Progress by project"),
        "project",
        lambda reading: selectors.by_project(reading.recommendations, permissions.project_scope(reading.user)),
    ),
    "by-institution": (
        gettext_lazy("Progress by lead institution"),
        "lead",
        lambda reading: selectors.by_lead_institution(reading.recommendations),
    ),
    "by-mechanism": (
        gettext_lazy("Progress by mechanism"),
        "mechanism",
        lambda reading: selectors.by_mechanism(reading.recommendations),
    ),
    "by-theme": (
        gettext_lazy("Progress by theme"),
        "theme",
        lambda reading: selectors.by_theme(reading.recommendations),
    ),
    "by-sdg": (
        gettext_lazy("Progress by SDG goal"),
        "sdg",
        lambda reading: selectors.by_sdg_goal(reading.recommendations),
    ),
    "by-affected": (
        gettext_lazy("Progress by affected group"),
        "affected",
        lambda reading: selectors.by_affected_persons(reading.recommendations),
    ),
}


def progress_by(name: str) -> Callable[[Reading], Figure]:
    title, param, count = PROGRESS_BY[name]
    return lambda reading: _progress(name, str(title), count(reading), param)


def planning_coverage(reading: Reading) -> Figure:
    name, title = "coverage", _("Follow-up planning coverage")
    rows = selectors.coverage(reading.recommendations)
    description = _(
        "The share of the recommendations counted that have a lead institution, are in a project, have activities "
        "and have indicators. The table that follows gives every figure."
    )
    series = [
        charts.Series("covered", _("Planned"), charts.colour_for("completed")),
        charts.Series("missing", _("Not yet"), "#c9d1d9"),
    ]
    svg = charts.stacked_bars(
        chart_id=name,
        title=title,
        description=description,
        series=series,
        rows=[charts.BarRow(row.label, {"covered": row.covered, "missing": row.missing}) for row in rows],
        total_label="{total:,}",
    )
    return Figure(name, title, description, svg, "coverage", rows)


def overdue_work(reading: Reading) -> Figure:
    name, title = "overdue", _("Overdue work by institution")
    activities = selectors.activities_counted(
        reading.recommendations, reading.filters, permissions.activity_scope(reading.user)
    )
    recipients = selectors.recipients_counted(permissions.request_scope(reading.user))
    rows = selectors.overdue_by_institution(reading.today, activities=activities, recipients=recipients)
    drawn, note = _charted(rows)
    description = _(
        "For each institution, its open activities past their deadline and its answers to information requests "
        "past their deadline. The table that follows gives every figure."
    )
    series = [charts.Series("activities", _("Overdue activities"), charts.colour_for("delayed"))]
    if recipients is not None:
        series.append(charts.Series("requests", _("Late answers to information requests"), "#b26b00"))
    svg = charts.stacked_bars(
        chart_id=name,
        title=title,
        description=description,
        series=series,
        rows=[charts.BarRow(row.label, {"activities": row.activities, "requests": row.requests}) for row in drawn],
        shares=False,
        total_label="{total:,}",
    )
    return Figure(name, title, description, svg, "overdue", rows, note=note, columns=series)


@dataclass
class Moment:
    """The statuses on one day of the "over time" table."""

    day: date
    label: str
    counts: dict

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(status, 0) for status in selectors.STATUSES]


def period(reading: Reading) -> tuple[date, date]:
    """The days the status-over-time chart spans: the filter's period, or the history's first year to today."""
    last = min(reading.filters.date_to or reading.today, reading.today)
    first = reading.filters.date_from
    if first is None:
        recorded = selectors.first_change(reading.recommendations)
        first = min(recorded, last - timedelta(days=365)) if recorded else last - timedelta(days=365)
    return min(first, last), last


def status_over_time(reading: Reading) -> Figure:
    name, title = "over-time", _("Implementation status over time")
    first, last = period(reading)
    days = selectors.month_ends(first, last)
    counts = selectors.status_over_time(reading.recommendations, days)
    moments = [Moment(day, date_format(day, "YEAR_MONTH_FORMAT"), counts[day]) for day in days]
    series = status_series()
    description = _(
        "How many recommendations were in each implementation status at the end of each month from %(first)s to "
        "%(last)s, read from the history of status changes. The table that follows gives every figure."
    ) % {"first": date_format(days[0].replace(day=1)), "last": date_format(last)}
    svg = charts.line_chart(
        chart_id=name,
        title=title,
        description=description,
        x_labels=[moment.label for moment in moments],
        series=[
            charts.LineSeries(s.key, s.label, s.colour, [moment.counts.get(s.key, 0) for moment in moments])
            for s in series
        ],
    )
    return Figure(name, title, description, svg, "over_time", moments, columns=series)


FIGURES: dict[str, Callable[[Reading], Figure]] = {
    "overall": overall,
    **{name: progress_by(name) for name in PROGRESS_BY},
    "coverage": planning_coverage,
    "overdue": overdue_work,
    "over-time": status_over_time,
}

CACHE_SECONDS = 600


def figure(name: str, reading: Reading, fingerprint: str) -> Figure:
    """The figure `name` for this reading, from the cache while nothing it counts has changed (`fingerprint`)."""
    parts = (name, get_language(), reading.audience, reading.query, reading.today.isoformat(), fingerprint)
    key = "statistics:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    built = cache.get(key)
    if built is None:
        built = FIGURES[name](reading)
        cache.set(key, built, CACHE_SECONDS)
    return built


# The tabs of the statistics section: (slug, title, figures).
PAGES = {
    "progress": (gettext_lazy("Implementation progress"), ["overall", "by-project", "by-institution", "by-mechanism"]),
    "themes": (gettext_lazy("Themes, goals and groups"), ["by-theme", "by-sdg", "by-affected"]),
    "planning": (gettext_lazy("Follow-up planning"), ["coverage", "overdue"]),
    "over_time": (gettext_lazy("Status over time"), ["over-time"]),
}
