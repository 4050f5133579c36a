"""The calendar: events, activity deadlines, month and list views, filters, permissions, the iCalendar feed."""

import re
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rectrack.accounts.models import Role
from rectrack.agenda import ical, selectors
from rectrack.agenda import services as agenda
from rectrack.agenda.models import Audience, CalendarFeed, Event, EventKind
from rectrack.audit.models import AuditEvent
from rectrack.audit.services import ConflictError
from rectrack.planning import services as planning
from rectrack.planning.models import ActivityStatus
from rectrack.portal.services import publication_set

from .conftest import ROLES

SECRETARIAT = {Role.ADMINISTRATOR, Role.COORDINATOR}
MARCH = date(2031, 3, 1)  # a month of its own: the world's activities fall due around today


def _event(world, **fields) -> Event:
    values = {"title": "NMIRF plenary meeting", "kind": EventKind.MEETING, "starts_on": date(2031, 3, 4)}
    return agenda.event_create(actor=world.admin, **{**values, **fields})


def _form(**fields) -> dict:
    values = {"title": "Consultation on the action plan", "kind": "consultation", "starts_on": "2031-03-10",
              "audience": "everyone"}  # fmt: skip
    return {**values, **fields}


def _day(response, day: date) -> list[str]:
    """The titles shown on one day of a month page."""
    for week in response.context["grid"].weeks:
        for cell in week:
            if cell.date == day:
                return [entry.title for entry in cell.entries]
    raise AssertionError(f"{day} is not on the page")


def _month(client, first: date = MARCH, **params):
    response = client.get(reverse("agenda:month"), {"month": first.strftime("%Y-%m"), **params})
    assert response.status_code == 200
    return response


# The month ------------------------------------------------------------------


def test_the_month_shows_events_and_deadlines_on_their_days(world, client_for):
    _event(world, title="Visit of the Special Rapporteur", kind=EventKind.VISIT, starts_on=date(2031, 3, 9),
           ends_on=date(2031, 3, 12))  # fmt: skip
    _event(world, title="NMIRF plenary meeting", start_time=time(10), end_time=time(12))
    planning.activity_update(activity=world.activity, actor=world.admin, deadline=date(2031, 3, 20))
    response = _month(client_for(world, Role.VIEWER))
    assert _day(response, date(2031, 3, 4)) == ["NMIRF plenary meeting"]
    for day in (9, 10, 11, 12):  # every day of the visit
        assert _day(response, date(2031, 3, day)) == ["Visit of the Special Rapporteur"], day
    assert _day(response, date(2031, 3, 8)) == [] and _day(response, date(2031, 3, 13)) == []
    assert _day(response, date(2031, 3, 20)) == ["Deadline: Train teachers on inclusive education"]
    page = response.content.decode()
    assert reverse("planning:activity_detail", args=[world.activity.pk]) in page
    # Each entry names its kind in words beside its colour.
    assert re.search(r'class="entry k-visit"[^>]*><span class="kind-mark">Special Procedures visit</span>', page)
    assert '<span class="entry-time">10 a.m.</span> NMIRF plenary meeting' in page


def test_the_grid_is_a_table_of_weeks_starting_on_monday(world, client_for):
    response = _month(client_for(world, Role.VIEWER))
    weeks = response.context["grid"].weeks
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0].date == date(2031, 2, 24) and weeks[0][0].date.weekday() == 0  # 1 March 2031 is a Saturday
    assert weeks[-1][-1].date == date(2031, 4, 6)
    page = response.content.decode()
    assert "<table" in page and page.index(">Monday<") < page.index(">Sunday<")
    french = client_for(world, Role.VIEWER).get(reverse("agenda:month"), headers={"accept-language": "fr"})
    assert ">lundi<" in french.content.decode()


def test_an_entry_of_the_neighbouring_month_shows_in_the_first_week(world, client_for):
    _event(world, title="Late February meeting", starts_on=date(2031, 2, 25))
    response = _month(client_for(world, Role.VIEWER))
    assert _day(response, date(2031, 2, 25)) == ["Late February meeting"]
    assert response.context["grid"].entry_count == 0  # only March's own days count


def test_month_navigation(world, client_for):
    client = client_for(world, Role.VIEWER)
    page = _month(client, date(2031, 1, 1), kind="meeting").content.decode()
    # The filters stay on as one goes from month to month.
    assert 'href="?kind=meeting&amp;month=2030-12" rel="prev"' in page
    assert 'href="?kind=meeting&amp;month=2031-02" rel="next"' in page
    december = _month(client, date(2031, 12, 1)).context["grid"]
    assert (december.previous, december.next) == (date(2031, 11, 1), date(2032, 1, 1))


def test_today_is_highlighted_and_a_bad_month_falls_back_to_this_month(world, client_for):
    response = client_for(world, Role.VIEWER).get(reverse("agenda:month"), {"month": "2031-13"})
    today = timezone.localdate()
    assert response.context["grid"].first == today.replace(day=1)
    assert 'aria-current="date"' in response.content.decode()
    assert "is not a month" in response.content.decode()


def test_the_month_costs_the_same_queries_for_few_and_many_entries(world, client_for):
    client = client_for(world, Role.CONTRIBUTOR)
    _event(world, audience=Audience.EVERYONE)
    _month(client)  # the session and the instance's settings, read once
    with CaptureQueriesContext(connection) as few:
        _month(client)
    for day in range(5, 25):
        _event(world, starts_on=date(2031, 3, day), audience=Audience.EVERYONE)
    with CaptureQueriesContext(connection) as many:
        response = _month(client)
    assert response.context["grid"].entry_count == 21
    assert len(many) == len(few)


# The list -------------------------------------------------------------------


def test_the_list_groups_entries_by_day_from_a_date(world, client_for):
    _event(world, title="Long visit", kind=EventKind.VISIT, starts_on=date(2031, 2, 26), ends_on=date(2031, 3, 3))
    _event(world, title="Morning meeting", starts_on=date(2031, 3, 4), start_time=time(9))
    _event(world, title="Report due", kind=EventKind.REPORT_DUE, starts_on=date(2031, 3, 4))
    _event(world, title="Too far", starts_on=date(2031, 5, 1))  # beyond the sixty days shown
    response = client_for(world, Role.VIEWER).get(reverse("agenda:list"), {"start": "2031-03-01"})
    days = response.context["days"]
    # The visit began before and is listed on the first day; all-day entries come before timed ones.
    assert [(d.date, [e.title for e in d.entries]) for d in days] == [
        (date(2031, 3, 1), ["Long visit"]),
        (date(2031, 3, 4), ["Report due", "Morning meeting"]),
    ]
    page = response.content.decode()
    assert "start=2031-04-30" in page  # "Later": the next sixty days
    assert "start=2030-12-31" in page  # "Earlier"
    later = client_for(world, Role.VIEWER).get(reverse("agenda:list"), {"start": "2031-04-30"})
    assert [d.date for d in later.context["days"]] == [date(2031, 5, 1)]


def test_the_list_starts_today_by_default(world, client_for):
    response = client_for(world, Role.VIEWER).get(reverse("agenda:list"))
    titles = [e.title for d in response.context["days"] for e in d.entries]
    # The world's open activity falls due in thirty days; the overdue one is in the past.
    assert titles == ["Deadline: Train teachers on inclusive education"]


# Filters --------------------------------------------------------------------


def test_the_kind_filter(world, client_for):
    _event(world, title="A visit", kind=EventKind.VISIT, starts_on=date(2031, 3, 5))
    _event(world, title="A meeting", starts_on=date(2031, 3, 5))
    planning.activity_update(activity=world.activity, actor=world.admin, deadline=date(2031, 3, 5))
    client = client_for(world, Role.VIEWER)
    assert _day(_month(client, kind="visit"), date(2031, 3, 5)) == ["A visit"]
    deadlines = _day(_month(client, kind="deadline"), date(2031, 3, 5))
    assert deadlines == ["Deadline: Train teachers on inclusive education"]
    assert len(_day(_month(client), date(2031, 3, 5))) == 3
    unknown = _month(client, kind="picnic")
    assert len(_day(unknown, date(2031, 3, 5))) == 3 and "was ignored" in unknown.content.decode()


def test_mine_keeps_a_focal_points_institutions(world, client_for):
    _event(world, title="Justice meeting", institutions=[world.justice])
    _event(world, title="Interior meeting", institutions=[world.interior])
    planning.activity_update(activity=world.activity, actor=world.admin, deadline=date(2031, 3, 4))
    planning.activity_update(activity=world.interior_activity, actor=world.admin, deadline=date(2031, 3, 4))
    client = client_for(world, Role.FOCAL_POINT)  # of the Ministry of Justice
    assert set(_day(_month(client), date(2031, 3, 4))) == {
        "Justice meeting", "Interior meeting",
        "Deadline: Train teachers on inclusive education", "Deadline: Independent police complaints body",
    }  # fmt: skip
    assert set(_day(_month(client, mine="on"), date(2031, 3, 4))) == {
        "Justice meeting", "Deadline: Train teachers on inclusive education"
    }  # fmt: skip
    # Someone without institutions is not offered the filter.
    assert 'name="mine"' not in _month(client_for(world, Role.VIEWER)).content.decode()


def test_a_partner_institutions_deadline_is_mine_too(world, client_for):
    planning.activity_update(
        activity=world.interior_activity, actor=world.admin, deadline=date(2031, 3, 6),
        implementing_partners=[world.justice],
    )  # fmt: skip
    client = client_for(world, Role.FOCAL_POINT)
    assert _day(_month(client, mine="on"), date(2031, 3, 6)) == ["Deadline: Independent police complaints body"]


# What each role reads ------------------------------------------------------


def test_a_contributor_sees_events_for_everyone_and_the_deadlines_they_may_read(world, client_for):
    public = _event(world, title="Consultation with civil society", audience=Audience.EVERYONE)
    internal = _event(world, title="Internal preparation", audience=Audience.ADMINISTRATION)
    planning.activity_update(activity=world.activity, actor=world.admin, deadline=date(2031, 3, 4))
    planning.activity_update(activity=world.interior_activity, actor=world.admin, deadline=date(2031, 3, 4))
    client = client_for(world, Role.CONTRIBUTOR)
    assert _day(_month(client), date(2031, 3, 4)) == ["Consultation with civil society"]
    assert client.get(reverse("agenda:event_detail", args=[public.pk])).status_code == 200
    assert client.get(reverse("agenda:event_detail", args=[internal.pk])).status_code == 404
    publication_set(obj=world.activity, actor=world.admin, publication="published")
    assert set(_day(_month(client), date(2031, 3, 4))) == {
        "Consultation with civil society", "Deadline: Train teachers on inclusive education"
    }  # fmt: skip
    viewer = client_for(world, Role.VIEWER)
    assert len(_day(_month(viewer), date(2031, 3, 4))) == 4


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_calendar_but_only_the_secretariat_sees_the_add_button(world, client_for, role):
    client = client_for(world, role)
    for name in ("agenda:month", "agenda:list", "agenda:feed"):
        assert client.get(reverse(name)).status_code == 200, name
    page = client.get(reverse("agenda:month")).content.decode()
    assert (reverse("agenda:event_create") in page) == (role in SECRETARIAT)


def test_the_sidebar_marks_the_calendar(world, client_for):
    page = client_for(world, Role.VIEWER).get(reverse("agenda:list")).content.decode()
    assert f'<a href="{reverse("agenda:month")}" aria-current="page">Calendar</a>' in page


# Creating, editing, deleting -------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_create_an_event(world, client_for, role):
    client = client_for(world, role)
    response = client.post(reverse("agenda:event_create"), _form(institutions=[world.justice.pk]))
    if role in SECRETARIAT:
        event = Event.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("agenda:event_detail", args=[event.pk])
        assert event.created_by == world.user(role) and list(event.institutions.all()) == [world.justice]
        history = AuditEvent.objects.get(content_type__model="event", object_id=event.pk)
        assert history.action == "created" and history.changes["title"]["new"] == "Consultation on the action plan"
    else:
        assert response.status_code == 404 and not Event.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_an_event(world, client_for, role):
    event = _event(world, audience=Audience.EVERYONE)
    client = client_for(world, role)
    response = client.post(reverse("agenda:event_edit", args=[event.pk]), _form(title="Renamed", version=event.version))
    event.refresh_from_db()
    if role in SECRETARIAT:
        assert response.status_code == 302 and event.title == "Renamed" and event.version == 2
    else:
        assert response.status_code == 404 and event.title == "NMIRF plenary meeting" and event.version == 1
        assert client.get(reverse("agenda:event_edit", args=[event.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_who_may_delete_an_event(world, client_for, role):
    event = _event(world, audience=Audience.EVERYONE, institutions=[world.justice])
    client = client_for(world, role)
    response = client.post(reverse("agenda:event_delete", args=[event.pk]))
    if role in SECRETARIAT:
        assert response.status_code == 302 and not Event.objects.exists()
        deleted = AuditEvent.objects.get(content_type__model="event", object_id=event.pk, action="deleted")
        assert deleted.actor == world.user(role) and deleted.object_repr == "NMIRF plenary meeting"
        assert deleted.changes["starts_on"] == {"old": "2031-03-04", "new": None}
        assert deleted.changes["institutions"] == {"old": ["Ministry of Justice"], "new": None}
    else:
        assert response.status_code == 404 and Event.objects.filter(pk=event.pk).exists()
    assert client.get(reverse("agenda:event_delete", args=[event.pk])).status_code == 405


def test_the_event_page_shows_its_details_and_updates(world, client_for):
    event = _event(world, location="Ljubljana", mechanism=world.cedaw, institutions=[world.justice],
                   start_time=time(10), end_time=time(12))  # fmt: skip
    agenda.event_update(event=event, actor=world.admin, location="Geneva")
    page = client_for(world, Role.VIEWER).get(reverse("agenda:event_detail", args=[event.pk])).content.decode()
    assert "Geneva" in page and "CEDAW" in page and "Ministry of Justice" in page
    assert "Location changed from “Ljubljana” to “Geneva”" in page
    assert "Delete this event" not in page and reverse("agenda:event_edit", args=[event.pk]) not in page
    contributor = client_for(world, Role.CONTRIBUTOR)
    agenda.event_update(event=event, actor=world.admin, audience=Audience.EVERYONE)
    page = contributor.get(reverse("agenda:event_detail", args=[event.pk])).content.decode()
    assert "Geneva" in page and "Updates" not in page  # contributors do not read the history


def test_a_stale_version_is_refused_and_shows_what_changed(world, client_for):
    event = _event(world)
    version = event.version
    agenda.event_update(event=event, actor=world.admin, expected_version=version, location="Geneva")
    with pytest.raises(ConflictError):
        agenda.event_update(
            event=Event.objects.get(pk=event.pk), actor=world.admin, expected_version=version, title="Mine"
        )
    response = client_for(world, Role.COORDINATOR).post(
        reverse("agenda:event_edit", args=[event.pk]), _form(title="Mine", version=version)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed this event after you opened it" in page and "What changed since you opened this page" in page
    assert "Location set to “Geneva”" in page
    event.refresh_from_db()
    assert event.title == "NMIRF plenary meeting" and event.location == "Geneva"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_on": "2031-03-09"}, "The last day cannot be before the first day."),
        ({"start_time": "14:00", "end_time": "09:00"}, "The end time cannot be before the start time."),
        ({"end_time": "09:00"}, "Give the start time too, or leave the end time empty."),
        ({"starts_on": "31/03/2031"}, "Enter a valid date."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(world, client_for, fields, message):
    event = _event(world)
    client = client_for(world, Role.COORDINATOR)
    response = client.post(reverse("agenda:event_create"), _form(**fields))
    assert response.status_code == 200 and message in response.content.decode()
    response = client.post(reverse("agenda:event_edit", args=[event.pk]), _form(version=event.version, **fields))
    assert response.status_code == 200 and message in response.content.decode()
    assert list(Event.objects.values_list("pk", "title", "version")) == [(event.pk, "NMIRF plenary meeting", 1)]


def test_the_services_refuse_what_the_database_would(world):
    with pytest.raises(ValidationError, match="The last day cannot be before the first day"):
        _event(world, ends_on=date(2031, 3, 1))
    event = _event(world)
    with pytest.raises(ValidationError, match="The end time cannot be before the start time"):
        agenda.event_update(event=event, actor=world.admin, start_time=time(12), end_time=time(9))
    # Over several days, the last day may end earlier in the day than the first began.
    agenda.event_update(event=event, actor=world.admin, ends_on=date(2031, 3, 5), start_time=time(12),
                        end_time=time(9))  # fmt: skip
    assert Event.objects.get(pk=event.pk).version == 2


def test_the_create_form_takes_the_day_from_the_address(world, client_for):
    response = client_for(world, Role.COORDINATOR).get(reverse("agenda:event_create"), {"on": "2031-03-17"})
    assert 'value="2031-03-17"' in response.content.decode()


# The iCalendar feed --------------------------------------------------------


def _unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _events(text: str) -> list[dict]:
    """The VEVENTs of a feed, each as {property name with parameters: value}."""
    events, current = [], None
    for line in _unfold(text):
        name, _sep, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return events


def _feed(client, token: str, **headers):
    return client.get(reverse("agenda:feed_ics", args=[token]), **headers)


def test_making_a_feed_address_shows_it_once(world, client_for):
    client = client_for(world, Role.VIEWER)
    response = client.post(reverse("agenda:feed"))
    url = response.context["feed_url"]
    token = re.search(r"/calendar/feed/([^/]+)\.ics$", url).group(1)
    assert url.startswith("http://testserver/") and len(token) >= 43
    assert url in response.content.decode() and response["Cache-Control"] == "no-store"
    feed = CalendarFeed.objects.get(user=world.user(Role.VIEWER))
    assert feed.token_hash == agenda.feed_token_hash(token) and token not in feed.token_hash
    assert url not in client.get(reverse("agenda:feed")).content.decode()  # never shown again


def test_the_feed_needs_no_sign_in_and_is_icalendar(world, client):
    long_title = "Réunion, consultation; suivi\nligne deux — " + "Žiga Čeh 人权 " * 12
    _event(world, title=long_title, starts_on=timezone.localdate() + timedelta(days=3), ends_on=None,
           description="Back\\slash, comma; semicolon\r\nnext line", audience=Audience.EVERYONE)  # fmt: skip
    token = agenda.feed_reset(user=world.user(Role.VIEWER))
    response = _feed(client, token)  # the test client is not signed in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    text = raw.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "X-WR-CALNAME:RecTrack calendar" in _unfold(text)
    events = {event["UID"]: event for event in _events(text)}
    mine = next(event for event in events.values() if event["UID"].startswith("event-"))
    assert "\\," in mine["SUMMARY"] and "\\;" in mine["SUMMARY"] and "\\n" in mine["SUMMARY"]
    assert _unescape(mine["SUMMARY"]) == long_title
    assert _unescape(mine["DESCRIPTION"]) == "Back\\slash, comma; semicolon\nnext line"
    start = timezone.localdate() + timedelta(days=3)
    assert mine["DTSTART;VALUE=DATE"] == start.strftime("%Y%m%d")
    assert mine["DTEND;VALUE=DATE"] == (start + timedelta(days=1)).strftime("%Y%m%d")
    assert mine["URL"].startswith("http://testserver/calendar/events/")
    assert re.fullmatch(r"\d{8}T\d{6}Z", mine["DTSTAMP"])
    deadline = events[f"activity-{world.activity.pk}-deadline@rectrack"]
    assert deadline["SUMMARY"] == "Deadline: Train teachers on inclusive education"
    assert deadline["URL"] == f"http://testserver{reverse('planning:activity_detail', args=[world.activity.pk])}"
    # The overdue activity fell due ten days ago: within the ninety days the feed looks back.
    assert f"activity-{world.interior_activity.pk}-deadline@rectrack" in events
    assert CalendarFeed.objects.get().last_used_at is not None


def test_the_feed_holds_ninety_days_back_and_a_year_ahead(world, client):
    today = timezone.localdate()
    for title, offset in (("Too old", -91), ("Old enough", -90), ("A year ahead", 365), ("Too far", 366)):
        _event(world, title=title, starts_on=today + timedelta(days=offset))
    text = _feed(client, agenda.feed_reset(user=world.admin)).content.decode()
    summaries = {event["SUMMARY"] for event in _events(text)}
    assert {"Old enough", "A year ahead"} <= summaries and not {"Too old", "Too far"} & summaries


def test_timed_and_multi_day_events_in_the_feed(world, settings):
    settings.TIME_ZONE = "Europe/Ljubljana"  # times are the instance's; the feed writes them in UTC
    _event(world, title="Timed", start_time=time(10), end_time=time(12))  # 4 March 2031: UTC+1
    _event(world, title="Visit", starts_on=date(2031, 3, 9), ends_on=date(2031, 3, 12))
    _event(world, title="Starts only", starts_on=date(2031, 3, 20), start_time=time(9))
    entries = selectors.calendar_entries(world.admin, date(2031, 3, 1), date(2031, 3, 31))
    text = ical.calendar(name="Test", entries=entries, absolute=lambda path: f"https://example.org{path}")
    events = {event["SUMMARY"]: event for event in _events(text)}
    assert (events["Timed"]["DTSTART"], events["Timed"]["DTEND"]) == ("20310304T090000Z", "20310304T110000Z")
    assert events["Visit"]["DTSTART;VALUE=DATE"] == "20310309"
    assert events["Visit"]["DTEND;VALUE=DATE"] == "20310313"  # the day after the last day
    assert events["Starts only"]["DTSTART"] == "20310320T080000Z" and "DTEND" not in events["Starts only"]
    uids = [event["UID"] for event in events.values()]
    assert len(set(uids)) == 3 and all(re.fullmatch(r"event-\d+@rectrack", uid) for uid in uids)


def test_folding_keeps_characters_whole():
    line = "SUMMARY:" + "é" * 100
    folded = ical.fold(line)
    parts = folded.encode("utf-8").split(b"\r\n")
    assert all(len(part) <= 75 for part in parts) and len(parts) == 3
    assert all(part.startswith(b" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert ical.fold("SHORT:line") == "SHORT:line"
    assert ical.escape_text("a\\b;c,d\ne\x07") == "a\\\\b\\;c\\,d\\ne"


def test_unknown_and_reset_addresses_answer_not_found(world, client):
    viewer = world.user(Role.VIEWER)
    assert _feed(client, "not-a-token").status_code == 404
    old = agenda.feed_reset(user=viewer)
    assert _feed(client, old).status_code == 200
    new = agenda.feed_reset(user=viewer)
    assert _feed(client, old).status_code == 404 and _feed(client, new).status_code == 200
    assert CalendarFeed.objects.count() == 1
    viewer.is_active = False
    viewer.save()
    assert _feed(client, new).status_code == 404
    assert client.post(reverse("agenda:feed_ics", args=[new])).status_code == 405


def test_resetting_and_stopping_through_the_page(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    first = client.post(reverse("agenda:feed"), {"action": "reset"}).context["feed_url"]
    second = client.post(reverse("agenda:feed"), {"action": "reset"}).context["feed_url"]
    assert first != second
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    response = client.post(reverse("agenda:feed"), {"action": "stop"})
    assert response.status_code == 302 and not CalendarFeed.objects.exists()
    assert client.get(second).status_code == 404
    assert AuditEvent.objects.filter(content_type__model="calendarfeed").count() == 3


@pytest.mark.parametrize("role", ROLES)
def test_every_role_makes_only_their_own_address(world, client_for, role):
    other = agenda.feed_reset(user=world.admin if role != Role.ADMINISTRATOR else world.user(Role.VIEWER))
    client = client_for(world, role)
    response = client.post(reverse("agenda:feed"))
    assert response.status_code == 200
    assert CalendarFeed.objects.filter(user=world.user(role)).exists()
    assert client.get(reverse("agenda:feed_ics", args=[other])).status_code == 200  # the other one still works
    assert CalendarFeed.objects.count() == 2


def test_an_anonymous_visitor_cannot_make_an_address(world, client):
    response = client.post(reverse("agenda:feed"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert not CalendarFeed.objects.exists()


def test_the_feed_holds_only_what_its_owner_may_read(world, client):
    soon = timezone.localdate() + timedelta(days=5)
    _event(world, title="For everyone", starts_on=soon, audience=Audience.EVERYONE)
    _event(world, title="Internal", starts_on=soon, audience=Audience.ADMINISTRATION)
    contributor = _events(_feed(client, agenda.feed_reset(user=world.user(Role.CONTRIBUTOR))).content.decode())
    assert [event["SUMMARY"] for event in contributor] == ["For everyone"]
    viewer = _events(_feed(client, agenda.feed_reset(user=world.user(Role.VIEWER))).content.decode())
    assert {"For everyone", "Internal", "Deadline: Train teachers on inclusive education"} <= {
        event["SUMMARY"] for event in viewer
    }


def test_the_feed_speaks_its_owners_language(world, client):
    viewer = world.user(Role.VIEWER)
    viewer.language = "fr"
    viewer.save()
    planning.activity_update(activity=world.activity, actor=world.admin, status=ActivityStatus.COMPLETED)
    text = _feed(client, agenda.feed_reset(user=viewer)).content.decode()
    summaries = [event["SUMMARY"] for event in _events(text)]
    # A closed activity says so, in the owner's language whatever the calendar program asks for.
    assert any(summary.endswith("(Terminé)") for summary in summaries), summaries


# Demo data ------------------------------------------------------------------


def test_the_demo_adds_coming_events_once(db):
    from rectrack.demo.loaders import _calendar_events, _institutions
    from rectrack.recommendations.seed import seed_mechanisms

    seed_mechanisms()
    institutions = _institutions()
    created = _calendar_events(institutions, None)
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert kinds == {"review", "report_due", "visit", "meeting", "consultation"}
    assert Event.objects.filter(kind="meeting").count() == 6
    assert created == Event.objects.count()
    assert Event.objects.filter(starts_on__lt=timezone.localdate()).count() == 0
    assert _calendar_events(institutions, None) == 0


def test_information_request_deadlines_are_on_the_calendar_of_those_who_read_them(world, client_for):
    from rectrack.inquiries import services as inquiries

    due = timezone.localdate() + timedelta(days=3)
    request = inquiries.request_send(
        actor=world.admin, title="Input for the UPR mid-term report", instructions="Progress?", word_limit=100,
        deadline=due, activities=[world.interior_activity], institutions=[world.interior],
    )  # fmt: skip
    url = reverse("agenda:list") + f"?start={timezone.localdate().isoformat()}"
    coordinator = client_for(world, Role.COORDINATOR).get(url).content.decode()
    assert "Answers due: Input for the UPR mid-term report" in coordinator
    assert reverse("inquiries:detail", args=[request.pk]) in coordinator
    # The request is not addressed to the Ministry of Justice, so its focal point does not see it.
    focal = client_for(world, Role.FOCAL_POINT).get(url).content.decode()
    assert "Input for the UPR mid-term report" not in focal
