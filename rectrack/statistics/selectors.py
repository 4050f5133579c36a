"""The figures of the statistics pages, read from the database in a few grouped queries.

Every figure is counted over the recommendations the reader may see
(`within`), narrowed by the same filters as the recommendations list
(`recommendations.selectors.facet_filter`), so a number on a statistics page
is the count of the list it links to.
"""

import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from rectrack.indicators.models import Indicator
from rectrack.inquiries.models import Recipient, RequestStatus
from rectrack.institutions.models import Institution
from rectrack.planning.models import Activity, Project
from rectrack.recommendations.models import ImplementationStatus, Mechanism, Recommendation, StatusChange
from rectrack.recommendations.selectors import RecommendationFilters, facet_filter
from rectrack.taxonomy.models import Term

STATUSES = [value for value, _label in ImplementationStatus.choices]


@dataclass
class Group:
    """One row of a "progress by" table: a project, an institution, a theme… and its recommendations by status."""

    key: str  # what the recommendations list filters by ("" when it cannot, as for "no lead institution")
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    cells: list[tuple[str, int, float]] = field(default_factory=list)  # (status, count, share) for the table

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    def share(self, status: str) -> float:
        return self.count(status) / self.total * 100 if self.total else 0.0

    @property
    def implemented_share(self) -> float:
        """Fully implemented, out of the recommendations still applicable."""
        applicable = self.total - self.count(ImplementationStatus.NO_LONGER_APPLICABLE)
        return self.count(ImplementationStatus.FULLY_IMPLEMENTED) / applicable * 100 if applicable else 0.0


def recommendations(filters: RecommendationFilters, within: QuerySet | None = None) -> QuerySet:
    """The recommendations counted: those the reader sees, narrowed by the filters (no search)."""
    return facet_filter(filters, within)


def _links_of(through, recs: QuerySet) -> QuerySet:
    """The rows of a link table whose recommendation is counted (all of them when nothing narrows `recs`)."""
    links = through.objects.all()
    return links.filter(recommendation_id__in=recs.values("pk")) if recs.query.has_filters() else links


def _groups(rows, labels: dict, *, order_by_total: bool = True) -> list[Group]:
    """Groups from (key, status, count) rows; `labels` names each key (keys without a label are dropped)."""
    groups: dict = {}
    for key, status, count in rows:
        if key not in labels:
            continue
        group = groups.setdefault(key, Group(key="" if key is None else str(key), label=labels[key]))
        group.counts[status] = group.counts.get(status, 0) + count
    ordered = list(groups.values())
    if order_by_total:
        ordered.sort(key=lambda group: (-group.total, group.label.casefold()))
    return ordered


def overall(recs: QuerySet) -> Group:
    group = Group(key="", label=_("All recommendations"))
    group.counts = dict(recs.order_by().values_list("status").annotate(n=Count("id")))
    return group


def by_mechanism(recs: QuerySet) -> list[Group]:
    rows = recs.order_by().values_list("mechanism_id", "status").annotate(n=Count("id"))
    mechanisms = Mechanism.objects.order_by("position", "acronym").values_list("pk", "acronym")
    acronyms = dict(mechanisms)
    groups = _groups(rows, acronyms)
    for group in groups:  # the list filters mechanisms by acronym
        group.key = acronyms[int(group.key)]
    return groups


def by_lead_institution(recs: QuerySet) -> list[Group]:
    rows = list(recs.order_by().values_list("lead_institution_id", "status").annotate(n=Count("id")))
    ids = {key for key, _status, _n in rows if key is not None}
    labels: dict = dict(Institution.objects.filter(pk__in=ids).values_list("pk", "name"))
    labels[None] = _("No lead institution")
    return _groups(rows, labels)


def by_project(recs: QuerySet, projects: QuerySet | None = None) -> list[Group]:
    """Recommendations by project (a recommendation in two projects counts in both); `projects` the reader's."""
    through = _links_of(Project.recommendations.through, recs)
    if projects is not None:
        through = through.filter(project_id__in=projects.values("pk"))
    rows = list(through.order_by().values_list("project_id", "recommendation__status").annotate(n=Count("id")))
    labels = dict(Project.objects.filter(pk__in={key for key, _s, _n in rows}).values_list("pk", "name"))
    return _groups(rows, labels)


def _by_terms(recs: QuerySet, relation: str, *, goals: bool = False) -> list[Group]:
    """Recommendations by the terms of a many-to-many `relation` (themes, affected persons, SDGs).

    For SDGs, a recommendation tagged with a target counts under its goal,
    once however many of the goal's targets it has.
    """
    through = Recommendation._meta.get_field(relation).remote_field.through
    links = _links_of(through, recs)
    if goals:
        key = Coalesce("term__parent_id", "term_id")
        rows = links.order_by().annotate(key=key).values_list("key", "recommendation__status")
        rows = rows.annotate(n=Count("recommendation_id", distinct=True))
    else:
        rows = links.order_by().values_list("term_id", "recommendation__status").annotate(n=Count("id"))
    rows = list(rows)
    terms = Term.objects.filter(pk__in={key for key, _s, _n in rows})
    labels = {term.pk: term.display_label for term in terms}
    groups = _groups(rows, labels, order_by_total=not goals)
    if goals:  # goals in their own order, 1 to 17
        positions = dict(terms.values_list("pk", "position"))
        groups.sort(key=lambda group: positions.get(int(group.key), 0))
    return groups


def by_theme(recs: QuerySet) -> list[Group]:
    return _by_terms(recs, "themes")


def by_affected_persons(recs: QuerySet) -> list[Group]:
    return _by_terms(recs, "affected_persons")


def by_sdg_goal(recs: QuerySet) -> list[Group]:
    return _by_terms(recs, "sdgs", goals=True)


# Follow-up planning ---------------------------------------------------------


@dataclass
class Coverage:
    """How many of the recommendations counted have a measure of follow-up planning."""

    key: str
    label: str
    covered: int
    total: int

    @property
    def share(self) -> float:
        return self.covered / self.total * 100 if self.total else 0.0

    @property
    def missing(self) -> int:
        return self.total - self.covered


def coverage(recs: QuerySet) -> list[Coverage]:
    """Recommendations with a lead institution, in a project, with activities, with indicators.

    Each is counted from its own index (the distinct recommendations of a
    link table), which is much quicker than testing every recommendation.
    """

    def linked(through) -> int:
        return _links_of(through, recs).values("recommendation_id").distinct().count()

    total = recs.count()
    return [
        Coverage("lead", _("With a lead institution"), recs.filter(lead_institution__isnull=False).count(), total),
        Coverage("project", _("In a project"), linked(Project.recommendations.through), total),
        Coverage("activities", _("With activities"), linked(Activity.recommendations.through), total),
        Coverage("indicators", _("With indicators"), linked(Indicator.recommendations.through), total),
    ]


@dataclass
class Overdue:
    """One institution's late work on a day."""

    institution_id: int
    label: str
    activities: int = 0
    requests: int = 0

    @property
    def total(self) -> int:
        return self.activities + self.requests


def overdue_by_institution(today: date, *, activities: QuerySet, recipients: QuerySet | None = None) -> list[Overdue]:
    """Overdue activities by lead institution, and late answers to open information requests by institution.

    `activities` are those counted (the reader's, linked to the recommendations
    counted); `recipients` the request parts the reader may see (None: leave
    requests out).
    """
    late: dict[int, Overdue] = {}
    rows = activities.overdue(today).order_by().values_list("lead_institution_id").annotate(n=Count("id"))
    for institution_id, count in rows:
        late.setdefault(institution_id, Overdue(institution_id, "")).activities = count
    if recipients is not None:
        open_late = recipients.filter(
            completed_at__isnull=True, request__status=RequestStatus.OPEN, request__deadline__lt=today
        )
        for institution_id, count in open_late.order_by().values_list("institution_id").annotate(n=Count("id")):
            late.setdefault(institution_id, Overdue(institution_id, "")).requests = count
    names = dict(Institution.objects.filter(pk__in=late).values_list("pk", "name"))
    for row in late.values():
        row.label = names.get(row.institution_id, "")
    return sorted(late.values(), key=lambda row: (-row.total, row.label.casefold()))


def activities_counted(recs: QuerySet, filters: RecommendationFilters, scope: QuerySet | None) -> QuerySet:
    """The activities of the overdue figures: the reader's, and with filters, those implementing the recommendations
    counted."""
    activities = Activity.objects.all() if scope is None else Activity.objects.filter(pk__in=scope.values("pk"))
    if filters != RecommendationFilters():
        links = Activity.recommendations.through.objects.filter(recommendation_id__in=recs.values("pk"))
        activities = activities.filter(pk__in=links.values("activity_id"))
    return activities


# Status over time -----------------------------------------------------------


def month_ends(first: date, last: date, *, limit: int = 60) -> list[date]:
    """The last day of each month from `first`'s month to `last`'s (`last` itself for its month), at most `limit`,
    the latest kept."""
    points = []
    month = date(last.year, last.month, 1)
    while len(points) < limit:
        end = min(last, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
        points.append(end)
        if (month.year, month.month) <= (first.year, first.month):
            break
        month = (month - timedelta(days=1)).replace(day=1)
    return points[::-1]


def status_over_time(recs: QuerySet, days: list[date]) -> dict[date, dict[str, int]]:
    """How many of `recs` were in each status on each of `days`, read from the status history.

    The same rule as `recommendations.selectors.with_status_on`, for many days
    at once without a subquery per recommendation: recommendations with no
    recorded change count in their current status from their issue date;
    those with changes are replayed in Python (a national instance records a
    few thousand changes; a bulk load records none). Two queries: every
    recommendation counted by issue date and status (an index holds both),
    and the changes with their recommendation's issue date and status.
    """
    result = {day: dict.fromkeys(STATUSES, 0) for day in days}
    if not days:
        return result
    # The changes, by recommendation; each such recommendation is then taken out of the plain counts.
    changes = StatusChange.objects.all()
    if recs.query.has_filters():
        changes = changes.filter(recommendation_id__in=recs.values("pk"))
    rows = changes.order_by("recommendation_id", "effective_on", "created_at", "id").values_list(
        "recommendation_id", "effective_on", "status", "recommendation__issued_on", "recommendation__status"
    )
    histories: dict[int, list[tuple[date, str]]] = defaultdict(list)
    replayed: dict[int, tuple[date | None, str]] = {}
    for rec_id, effective_on, status, issued_on, current in rows.iterator():
        histories[rec_id].append((effective_on, status))
        replayed[rec_id] = (issued_on, current)
    plain: dict[tuple[date | None, str], int] = defaultdict(int)
    for issued_on, status, count in recs.order_by().values_list("issued_on", "status").annotate(n=Count("id")):
        plain[(issued_on, status)] += count
    for issued_on, current in replayed.values():
        plain[(issued_on, current)] -= 1
    # Recommendations without history: counts by status and date of issue, summed up to each day.
    issued_by_status: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for (issued_on, status), count in plain.items():
        if not count:
            continue
        if issued_on is None:  # undated: counted throughout
            for day in days:
                result[day][status] += count
        else:
            issued_by_status[status].append((issued_on, count))
    for status, dated in issued_by_status.items():
        dated.sort()
        dates = [issued_on for issued_on, _count in dated]
        running = list(accumulate(count for _issued_on, count in dated))
        for day in days:
            position = bisect_right(dates, day)
            if position:
                result[day][status] += running[position - 1]
    # Recommendations with history: each status held over a run of days, added up with a difference array.
    steps = {status: [0] * (len(days) + 1) for status in STATUSES}
    for rec_id, history in histories.items():
        issued_on = replayed[rec_id][0]
        start = 0 if issued_on is None else bisect_left(days, issued_on)  # the first day it is counted
        current, since = ImplementationStatus.NOT_STARTED.value, start
        for effective_on, status in history:
            begins = max(bisect_left(days, effective_on), start)  # the first day this change is in force
            if begins > since:
                steps[current][since] += 1
                steps[current][begins] -= 1
                since = begins
            current = status
        if len(days) > since:
            steps[current][since] += 1
            steps[current][len(days)] -= 1
    for status, step in steps.items():
        for day, running in zip(days, accumulate(step), strict=False):
            result[day][status] += running
    return result


def first_change(recs: QuerySet) -> date | None:
    return (
        StatusChange.objects.filter(recommendation_id__in=recs.values("pk"))
        .order_by("effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )


def fingerprint() -> str:
    """Changes whenever a figure may: any recorded change (every service writes the history), a status change, a
    recommendation added or removed, a term or institution added."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT MAX(id) FROM audit_auditevent), (SELECT MAX(id) FROM recommendations_statuschange),"
            " (SELECT MAX(id) FROM recommendations_recommendation), (SELECT MAX(id) FROM taxonomy_term),"
            " (SELECT MAX(id) FROM institutions_institution)"
        )
        return hashlib.sha256(repr(cursor.fetchone()).encode()).hexdigest()[:20]


def recipients_counted(request_scope) -> QuerySet | None:
    """The information-request parts whose lateness a reader may see: all for those who read every request."""
    return Recipient.objects.all() if request_scope is None else None
