from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rectrack.accounts import permissions
from rectrack.agenda import ical, selectors, services
from rectrack.agenda.forms import CalendarFilterForm, EventForm
from rectrack.agenda.models import CalendarFeed
from rectrack.audit.selectors import history_for
from rectrack.instance import selectors as instance
from rectrack.lib.filters import clean_leniently
from rectrack.lib.forms import submit, submit_edit

# How many days the list shows at a time; "Later" shows the next ones.
LIST_DAYS = 60
# What the feed holds: from this many days ago to this many ahead.
FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 365


def _render(request: HttpRequest, template: str, context: dict, **kwargs) -> HttpResponse:
    return render(request, template, {"nav_section": "calendar", **context}, **kwargs)


def _require_reader(request: HttpRequest) -> None:
    if not permissions.can_read_calendar(request.user):
        raise Http404


def _filters(request: HttpRequest) -> tuple[CalendarFilterForm, selectors.CalendarFilters, list[str], bool]:
    """The kind and "mine" filters from the query string, read leniently."""
    form = CalendarFilterForm(request.GET)
    cleaned, notes = clean_leniently(form, request.GET)
    mine_ids = permissions.institution_ids(request.user)
    filters = selectors.CalendarFilters(
        kinds=frozenset(cleaned["kind"]), institution_ids=mine_ids if cleaned["mine"] and mine_ids else None
    )
    return form, filters, notes, bool(mine_ids)


def _query(request: HttpRequest, **values) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    query: QueryDict = request.GET.copy()
    for name, value in values.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


def _month(value: str) -> date | None:
    """The first day of a month written "2026-11", or None."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return None


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (ValueError, TypeError):
        return None


def _weekdays() -> list[tuple[str, str]]:
    """Monday to Sunday, in full and abbreviated, in the reader's language."""
    return [(WEEKDAYS[number], WEEKDAYS_ABBR[number]) for number in range(7)]


def month_view(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form, filters, notes, has_institutions = _filters(request)
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    first = _month(raw)
    if raw and first is None:
        notes.append(_("“%(value)s” is not a month (write it as 2026-11); this month is shown.") % {"value": raw[:20]})
    grid = selectors.month_grid(request.user, first or today, filters, today)
    return _render(
        request,
        "agenda/month.html",
        {
            "form": form,
            "notes": notes,
            "grid": grid,
            "weekdays": _weekdays(),
            "has_institutions": has_institutions,
            "previous_query": _query(request, month=grid.previous.strftime("%Y-%m")),
            "next_query": _query(request, month=grid.next.strftime("%Y-%m")),
            "today_query": _query(request, month=None),
            "filter_query": _query(request, month=None),
            "month_value": grid.first.strftime("%Y-%m"),
            "can_manage": permissions.can_manage_events(request.user),
        },
    )


def list_view(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form, filters, notes, has_institutions = _filters(request)
    raw = request.GET.get("start", "")
    start = _day(raw)
    if raw and start is None:
        notes.append(_("“%(value)s” is not a date (write it as 2026-11-03); today is used.") % {"value": raw[:20]})
    start = start or timezone.localdate()
    end = start + timedelta(days=LIST_DAYS - 1)
    return _render(
        request,
        "agenda/list.html",
        {
            "form": form,
            "notes": notes,
            "days": selectors.upcoming_days(request.user, start, LIST_DAYS, filters),
            "start": start,
            "end": end,
            "has_institutions": has_institutions,
            "earlier_query": _query(request, start=(start - timedelta(days=LIST_DAYS)).isoformat()),
            "later_query": _query(request, start=(end + timedelta(days=1)).isoformat()),
            "filter_query": _query(request, start=None),
            "can_manage": permissions.can_manage_events(request.user),
        },
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    event = permissions.get_event_for_user(request.user, pk)
    return _render(
        request,
        "agenda/event_detail.html",
        {
            "event": event,
            "institutions": event.institutions.order_by("name"),
            "history": history_for(event) if permissions.can_read_history(request.user) else None,
            "can_manage": permissions.can_manage_events(request.user),
        },
    )


def event_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_events(request.user):
        raise Http404
    initial = {"starts_on": day} if (day := _day(request.GET.get("on", ""))) else {}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submission = submit(form, lambda: services.event_create(actor=request.user, **form.event_fields()))
        if submission.ok:
            messages.success(request, _("The event was added to the calendar."))
            return redirect("agenda:event_detail", pk=submission.result.pk)
    return _render(request, "agenda/event_form.html", {"form": form})


def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for_user(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event)
    submission = submit_edit(
        request,
        form,
        lambda expected: services.event_update(
            event=event, actor=request.user, expected_version=expected, **form.event_fields()
        ),
    )
    if submission and submission.ok:
        messages.success(request, _("Your changes were saved."))
        return redirect("agenda:event_detail", pk=event.pk)
    return _render(
        request,
        "agenda/event_form.html",
        {"form": form, "event": event, "conflict": submission and submission.conflict},
    )


@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.get_event_for_user(request.user, pk, write=True)
    services.event_delete(event=event, actor=request.user)
    messages.success(request, _("The event “%(title)s” was deleted.") % {"title": event.title})
    return redirect("agenda:month")


def feed_page(request: HttpRequest) -> HttpResponse:
    """One's own calendar address: create it, reset it (the old one stops working) or turn it off."""
    _require_reader(request)
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            if services.feed_stop(user=request.user):
                messages.success(request, _("Your calendar address was turned off."))
            return redirect("agenda:feed")
        token = services.feed_reset(user=request.user)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("agenda:feed_ics", args=[token])) if token else ""
    response = _render(request, "agenda/feed.html", {"feed": feed, "feed_url": url})
    if token:
        response["Cache-Control"] = "no-store"  # the address is shown once; keep it out of caches
    return response


@login_not_required
@require_GET
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of a calendar address: what its owner may read, 90 days back to a year ahead."""
    owner = services.feed_owner(token)
    if owner is None or not permissions.can_read_calendar(owner):
        raise Http404
    today = timezone.localdate()
    with translation.override(owner.language or translation.get_language()):
        entries = selectors.calendar_entries(
            owner, today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=FEED_FUTURE_DAYS)
        )
        text = ical.calendar(
            name=_("%(site)s calendar") % {"site": instance.site_name()},
            entries=entries,
            absolute=request.build_absolute_uri,
        )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
