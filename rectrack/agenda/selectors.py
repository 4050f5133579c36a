"""Reading the calendar: entries from several sources, a month's grid, days of a list.

A calendar is a list of `Entry`s gathered from `SOURCES`. Each source is a
function `(user, start, end, filters) -> iterable of Entry` that returns the
entries overlapping the days from `start` to `end` (both included) that the
user may read, and declares the kinds it gives, for the kind filter. A new
kind of dated work joins the calendar (pages and feed) with one line in
`SOURCES`.
"""

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectrack.accounts import permissions
from rectrack.agenda.models import Event, EventKind
from rectrack.planning.models import CLOSED_ACTIVITY_STATUSES, Activity


@dataclass(frozen=True)
class Entry:
    """One thing on the calendar, whatever its source.

    `uid` is stable across readings (iCalendar UID, "event-12"); `kind` is a
    short code also used as the CSS class; `end_date` is the last day of an
    entry lasting several days, else None.
    """

    uid: str
    date: date
    title: str
    kind: str
    kind_label: str
    url: str
    end_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    location: str = ""
    description: str = ""
    note: str = ""  # a short state shown beside the title ("Completed")

    @property
    def last_day(self) -> date:
        return self.end_date or self.date

    @property
    def spans_days(self) -> bool:
        return self.last_day > self.date

    def covers(self, day: date) -> bool:
        return self.date <= day <= self.last_day


@dataclass(frozen=True)
class CalendarFilters:
    kinds: frozenset[str] = frozenset()  # empty: every kind
    institution_ids: frozenset[int] | None = None  # "my institutions only"


SourceFunction = Callable[[Any, date, date, CalendarFilters], Iterable[Entry]]  # (user, start, end, filters)


@dataclass(frozen=True)
class Source:
    kinds: tuple[tuple[str, str], ...]  # (code, label) of the kinds of entries it gives
    entries: SourceFunction

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _label in self.kinds)


def event_entries(user, start: date, end: date, filters: CalendarFilters) -> Iterable[Entry]:
    """The events the user may read, overlapping the days."""
    events = Event.objects.filter(starts_on__lte=end).filter(
        Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start)
    )
    if filters.kinds:
        events = events.filter(kind__in=filters.kinds)
    if filters.institution_ids is not None:
        through = Event.institutions.through.objects.filter(institution_id__in=filters.institution_ids)
        events = events.filter(pk__in=through.values("event_id"))
    events = permissions.scoped(events, permissions.event_scope(user)).order_by("starts_on", "start_time", "id")
    for event in events:
        yield Entry(
            uid=f"event-{event.pk}",
            date=event.starts_on,
            end_date=event.ends_on if event.ends_on and event.ends_on > event.starts_on else None,
            start_time=event.start_time,
            end_time=event.end_time,
            title=event.title,
            kind=event.kind,
            kind_label=event.get_kind_display(),
            url=reverse("agenda:event_detail", args=[event.pk]),
            location=event.location,
            description=event.description,
        )


DEADLINE = "deadline"


def activity_deadline_entries(user, start: date, end: date, filters: CalendarFilters) -> Iterable[Entry]:
    """The deadlines of the activities the user may read, open and closed ones.

    "Mine" keeps the activities one of the user's institutions leads or takes part in.
    """
    activities = Activity.objects.filter(deadline__range=(start, end))
    if filters.institution_ids is not None:
        partner = Activity.implementing_partners.through.objects.filter(institution_id__in=filters.institution_ids)
        activities = activities.filter(
            Q(lead_institution_id__in=filters.institution_ids) | Q(pk__in=partner.values("activity_id"))
        )
    activities = permissions.scoped(activities, permissions.activity_scope(user))
    for activity in activities.only("pk", "title", "deadline", "status", "description").order_by("deadline", "id"):
        closed = activity.status in CLOSED_ACTIVITY_STATUSES
        yield Entry(
            uid=f"activity-{activity.pk}-deadline",
            date=activity.deadline,
            title=_("Deadline: %(activity)s") % {"activity": activity.title},
            kind=DEADLINE,
            kind_label=_("Activity deadline"),
            url=reverse("planning:activity_detail", args=[activity.pk]),
            description=activity.description,
            note=activity.get_status_display() if closed else "",
        )


REQUEST_DEADLINE = "request_deadline"


def request_deadline_entries(user, start: date, end: date, filters: CalendarFilters) -> Iterable[Entry]:
    """The deadlines of the information requests the user reads (focal points: those to their institutions).

    "Mine" keeps the requests addressed to one of the user's institutions.
    """
    from rectrack.inquiries.models import InformationRequest, RequestStatus

    scope = permissions.request_scope(user)
    requests = InformationRequest.objects.filter(deadline__range=(start, end))
    if scope is not None:
        requests = requests.filter(pk__in=scope.values("pk"))
    if filters.institution_ids is not None:
        requests = requests.filter(recipients__institution_id__in=filters.institution_ids).distinct()
    for request in requests.only("pk", "title", "deadline", "status", "instructions").order_by("deadline", "id"):
        yield Entry(
            uid=f"request-{request.pk}-deadline",
            date=request.deadline,
            title=_("Answers due: %(request)s") % {"request": request.title},
            kind=REQUEST_DEADLINE,
            kind_label=_("Information request deadline"),
            url=reverse("inquiries:detail", args=[request.pk]),
            description=request.instructions,
            note=request.get_status_display() if request.status == RequestStatus.CLOSED else "",
        )


# Every source of the calendar. Add one line to add a kind of dated work.
SOURCES: list[Source] = [
    Source(kinds=tuple(EventKind.choices), entries=event_entries),
    Source(kinds=((DEADLINE, gettext_lazy("Activity deadline")),), entries=activity_deadline_entries),
    Source(kinds=((REQUEST_DEADLINE, gettext_lazy("Information request deadline")),), entries=request_deadline_entries),
]


def kind_choices() -> list[tuple[str, str]]:
    """Every kind of entry, for the kind filter."""
    return [choice for source in SOURCES for choice in source.kinds]


def _sort_key(entry: Entry):
    return (entry.date, entry.start_time is not None, entry.start_time or time.min, entry.title.casefold(), entry.uid)


def calendar_entries(user, start: date, end: date, filters: CalendarFilters | None = None) -> list[Entry]:
    """Every entry the user may read overlapping the days from `start` to `end`, in date order.

    All-day entries come before timed ones on the same day.
    """
    filters = filters or CalendarFilters()
    entries: list[Entry] = []
    for source in SOURCES:
        if filters.kinds and not (source.codes & filters.kinds):
            continue
        entries.extend(
            entry
            for entry in source.entries(user, start, end, filters)
            if not filters.kinds or entry.kind in filters.kinds
        )
    return sorted(entries, key=_sort_key)


# Month view ---------------------------------------------------------------


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    entries: list[Entry] = field(default_factory=list)


@dataclass
class MonthGrid:
    first: date  # the first day of the month
    weeks: list[list[Day]]
    previous: date
    next: date

    @property
    def entry_count(self) -> int:
        return sum(len(day.entries) for week in self.weeks for day in week if day.in_month)


def month_grid(user, first: date, filters: CalendarFilters | None = None, today: date | None = None) -> MonthGrid:
    """The weeks (Monday first) showing the month that starts on `first`, each day with its entries.

    An entry lasting several days appears on each of its days; the days of
    the neighbouring months that complete the first and last weeks carry
    their entries too.
    """
    first = first.replace(day=1)
    weeks_dates = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(first.year, first.month)
    start, end = weeks_dates[0][0], weeks_dates[-1][-1]
    entries = calendar_entries(user, start, end, filters)
    weeks = [
        [
            Day(
                date=day,
                in_month=day.month == first.month,
                is_today=day == today,
                entries=[entry for entry in entries if entry.covers(day)],
            )
            for day in week
        ]
        for week in weeks_dates
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return MonthGrid(first=first, weeks=weeks, previous=previous, next=following)


# List view ----------------------------------------------------------------


@dataclass
class ListDay:
    date: date
    entries: list[Entry]


def upcoming_days(user, start: date, days: int, filters: CalendarFilters | None = None) -> list[ListDay]:
    """The entries of `days` days from `start`, grouped by day.

    An entry lasting several days is listed once: on its first day, or on
    `start` when it began before.
    """
    end = start + timedelta(days=days - 1)
    grouped: dict[date, list[Entry]] = {}
    for entry in calendar_entries(user, start, end, filters):
        grouped.setdefault(max(entry.date, start), []).append(entry)
    return [ListDay(date=day, entries=entries) for day, entries in sorted(grouped.items())]
