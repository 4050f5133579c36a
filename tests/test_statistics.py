"""The statistics pages: their figures, filters, charts and downloads, for each role; and the dashboard's additions."""

import random
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rectrack.accounts.models import Role
from rectrack.agenda import services as agenda
from rectrack.indicators import services as indicators
from rectrack.inquiries import services as inquiries
from rectrack.inquiries.models import InformationRequest
from rectrack.portal.models import Publication
from rectrack.portal.services import publication_set
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import ImplementationStatus, Recommendation
from rectrack.recommendations.selectors import with_status_on
from rectrack.statistics import selectors

from .conftest import listed_ids

PAGES = ["statistics:progress", "statistics:themes", "statistics:planning", "statistics:over_time"]


def _figures(client, page="statistics:progress", **params) -> dict:
    response = client.get(reverse(page), params)
    assert response.status_code == 200
    return {figure.name: figure for figure in response.context["figures"]}


def _counts(figure) -> dict[str, dict[str, int]]:
    return {group.label: {k: v for k, v in group.counts.items() if v} for group in figure.rows}


def test_implementation_progress_counts_by_project_institution_and_mechanism(world, client_for):
    figures = _figures(client_for(world, Role.VIEWER))
    assert _counts(figures["overall"]) == {
        "All recommendations": {"not_started": 1, "in_progress": 1, "fully_implemented": 1}
    }
    assert _counts(figures["by-project"]) == {"Education for all": {"not_started": 1}}
    assert _counts(figures["by-institution"]) == {
        "Ministry of Justice": {"not_started": 1},
        "Ministry of the Interior": {"in_progress": 1},
        "No lead institution": {"fully_implemented": 1},
    }
    assert _counts(figures["by-mechanism"]) == {
        "UPR": {"not_started": 1, "in_progress": 1},
        "CEDAW": {"fully_implemented": 1},
    }


def test_themes_goals_and_groups(world, client_for):
    # A recommendation tagged with goal 4 and its target 4.1 counts once under goal 4.
    goal_4 = world.sdg_4_1.parent
    recs.recommendation_update(recommendation=world.education, actor=world.admin, sdgs=[world.sdg_4_1, goal_4])
    figures = _figures(client_for(world, Role.COORDINATOR), "statistics:themes")
    themes = _counts(figures["by-theme"])
    assert themes == {
        "Right to education": {"not_started": 1},
        world.torture_theme.display_label: {"in_progress": 1},
    }
    goals = figures["by-sdg"].rows
    assert [(group.key, group.total) for group in goals] == [(str(goal_4.pk), 1), (str(world.sdg_16.pk), 1)]
    assert _counts(figures["by-affected"]) == {"Women & girls": {"fully_implemented": 1}}


@pytest.mark.parametrize("page", ["statistics:progress", "statistics:themes"])
def test_every_figure_links_to_the_list_that_holds_it(world, client_for, page):
    """A group's count is the number of recommendations its link lists, with the same filters."""
    client = client_for(world, Role.VIEWER)
    for figure in _figures(client, page, mechanism="UPR").values():
        for group in figure.rows:
            if not (figure.param and group.key):
                continue
            listed = listed_ids(
                client, reverse("recommendations:list"), **{"mechanism": "UPR", figure.param: group.key}
            )
            assert len(listed) == group.total, (figure.name, group.label)
            for status, count, _share in group.cells:
                if count:
                    params = {"mechanism": "UPR", figure.param: group.key, "status": status}
                    assert len(listed_ids(client, reverse("recommendations:list"), **params)) == count
    content = client.get(reverse(page), {"mechanism": "UPR"}).content.decode()
    assert f'href="/recommendations/?mechanism=UPR&amp;{"lead" if page.endswith("progress") else "theme"}=' in content


def test_filters_by_mechanism_cycle_and_period(world, client_for):
    client = client_for(world, Role.VIEWER)
    assert _figures(client, mechanism="CEDAW")["overall"].rows[0].total == 1
    assert _figures(client, cycle="3")["overall"].rows[0].total == 2  # A/HRC/43/15: session 34, the third cycle
    assert _figures(client, date_from="2023-01-01")["overall"].rows[0].total == 1
    assert _figures(client, date_to="2020-01-01")["overall"].rows[0].total == 2
    response = client.get(reverse("statistics:progress"), {"date_from": "2024-01-01", "date_to": "2020-01-01"})
    assert "The period ended before it started" in response.content.decode()
    assert response.context["figures"][0].rows[0].total == 0  # only the start is kept: nothing made since 2024
    unknown = client.get(reverse("statistics:progress"), {"mechanism": "NOPE"})
    assert unknown.status_code == 200 and "was ignored" in unknown.content.decode()
    # The tabs keep the filters.
    content = client.get(reverse("statistics:themes"), {"mechanism": "CEDAW"}).content.decode()
    assert 'href="/statistics/planning/?mechanism=CEDAW"' in content


def test_planning_coverage_and_overdue_work(world, client_for):
    indicator = indicators.indicator_create(actor=world.admin, name="Roma pupils in school", kind="outcome")
    indicator.recommendations.set([world.education])
    figures = _figures(client_for(world, Role.COORDINATOR), "statistics:planning")
    coverage = {row.key: (row.covered, row.total) for row in figures["coverage"].rows}
    assert coverage == {"lead": (2, 3), "project": (1, 3), "activities": (2, 3), "indicators": (1, 3)}
    overdue = {row.label: (row.activities, row.requests) for row in figures["overdue"].rows}
    assert overdue == {"Ministry of the Interior": (1, 0)}
    # Filtered to CEDAW, no activity implements what is counted.
    assert _figures(client_for(world, Role.COORDINATOR), "statistics:planning", mechanism="CEDAW")["overdue"].rows == []


def test_late_answers_to_information_requests_count_for_those_who_read_every_request(world, client_for):
    request = inquiries.request_send(
        actor=world.admin,
        title="Input for the report",
        instructions="What was done?",
        deadline=timezone.localdate() + timedelta(days=3),
        word_limit=200,
        institutions=[world.justice],
        recommendations=[world.education],
    )
    InformationRequest.objects.filter(pk=request.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    overdue = _figures(client_for(world, Role.COORDINATOR), "statistics:planning")["overdue"]
    assert {row.label: row.requests for row in overdue.rows}["Ministry of Justice"] == 1
    assert [column.key for column in overdue.columns] == ["activities", "requests"]
    # A focal point reads only the requests to their institutions: the column is left out.
    focal = _figures(client_for(world, Role.FOCAL_POINT), "statistics:planning")["overdue"]
    assert [column.key for column in focal.columns] == ["activities"]
    assert all(row.requests == 0 for row in focal.rows)


def test_status_over_time_reads_the_history_as_status_on_does(world, client_for):
    today = timezone.localdate()
    first = today - timedelta(days=200)
    recs.recommendation_change_status(
        recommendation=world.education, actor=world.admin, status=ImplementationStatus.IN_PROGRESS,
        effective_on=first + timedelta(days=40), justification="Started",
    )  # fmt: skip
    recs.recommendation_change_status(
        recommendation=world.education, actor=world.admin, status=ImplementationStatus.FULLY_IMPLEMENTED,
        effective_on=first + timedelta(days=150), justification="Done",
    )  # fmt: skip
    recs.recommendation_change_status(
        recommendation=world.torture, actor=world.admin, status=ImplementationStatus.NOT_IMPLEMENTED,
        effective_on=first + timedelta(days=90), justification="Refused",
    )  # fmt: skip
    late = recs.recommendation_create(
        actor=world.admin, document=world.cedaw_document, text="Made last month", issued_on=today - timedelta(days=20)
    )
    days = selectors.month_ends(first, today)
    assert days[-1] == today and len(days) in (7, 8)
    counts = selectors.status_over_time(Recommendation.objects.all(), days)
    for recommendations in (Recommendation.objects.all(), Recommendation.objects.filter(mechanism=world.upr)):
        counted = selectors.status_over_time(recommendations, days)
        for day in days:
            expected = dict.fromkeys(selectors.STATUSES, 0)
            for status in with_status_on(recommendations, day).values_list("status_on", flat=True):
                if status is not None:
                    expected[status] += 1
            assert counted[day] == expected, (recommendations.query.has_filters(), day)
    assert counts[days[0]][ImplementationStatus.NOT_STARTED] >= 1
    assert sum(counts[days[-1]].values()) == 4 and sum(counts[days[0]].values()) == 3  # `late` is counted once made
    assert late.pk
    # The page spans a year back by default (or back to the first change); the period filter narrows what is
    # counted to the recommendations made in it.
    figure = _figures(client_for(world, Role.VIEWER), "statistics:over_time")["over-time"]
    assert figure.rows[-1].day == today and len(figure.rows) == 13
    assert figure.rows[-1].counts == counts[today]
    made_lately = _figures(client_for(world, Role.VIEWER), "statistics:over_time", date_from=first.isoformat())
    assert made_lately["over-time"].rows[-1].total == 1
    assert figure.rows[-1].counts[ImplementationStatus.FULLY_IMPLEMENTED] == 2


def test_month_ends_are_capped_and_keep_the_latest():
    days = selectors.month_ends(date(2010, 1, 15), date(2026, 11, 10))
    assert len(days) == 60 and days[-1] == date(2026, 11, 10) and days[0] == date(2021, 12, 31)
    assert selectors.month_ends(date(2026, 2, 3), date(2026, 4, 1)) == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 1),
    ]


def test_contributors_count_only_what_they_read(world, client_for):
    client = client_for(world, Role.CONTRIBUTOR)
    assert _figures(client)["overall"].rows[0].total == 0
    publication_set(obj=world.torture, actor=None, publication=Publication.PUBLISHED)
    figures = _figures(client)
    assert _counts(figures["overall"]) == {"All recommendations": {"in_progress": 1}}
    assert figures["by-project"].rows == []  # the project is neither published nor shared
    content = client.get(reverse("statistics:progress")).content.decode()
    assert "These figures count the recommendations you can read" in content
    assert "Education for all" not in content


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_each_tab(world, client_for, role):
    client = client_for(world, role)
    for page in PAGES:
        response = client.get(reverse(page))
        assert response.status_code == 200
        assert 'aria-current="page">Statistics</a>' in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    for url in [reverse(page) for page in PAGES] + [reverse("statistics:chart_svg", args=["overall"])]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_charts_have_text_alternatives_and_download_as_svg(world, client_for):
    client = client_for(world, Role.VIEWER)
    content = client.get(reverse("statistics:progress")).content.decode()
    assert 'aria-labelledby="by-institution-title" aria-describedby="by-institution-desc"' in content
    assert '<table class="stat-table">' in content
    assert 'href="/statistics/charts/by-institution.svg"' in content
    assert 'data-png="by-institution"' in content
    response = client.get(reverse("statistics:chart_svg", args=["by-institution"]), {"mechanism": "UPR"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"].startswith('attachment; filename="by-institution-')
    root = ET.fromstring(response.content)  # noqa: S314 - our own SVG
    svg = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{svg}title").text == "Progress by lead institution"
    texts = " ".join(element.text or "" for element in root.iter(f"{svg}text"))
    assert "Ministry of the Interior" in texts and "No lead institution" not in texts  # UPR only: both have a lead
    assert client.get(reverse("statistics:chart_svg", args=["nothing"])).status_code == 404


def test_a_long_list_is_charted_in_part_and_tabled_in_full(world, client_for, monkeypatch):
    monkeypatch.setattr("rectrack.statistics.figures.CHART_ROWS", 2)
    figure = _figures(client_for(world, Role.VIEWER))["by-institution"]
    assert len(figure.rows) == 3
    assert "The chart shows the first 2 rows; the table lists all 3." in figure.note
    assert figure.svg.count('class="rtc-row"') == 2


# The dashboard -----------------------------------------------------------------


def test_dashboard_shows_the_coming_weeks_of_the_calendar(world, client_for):
    today = timezone.localdate()
    agenda.event_create(actor=world.admin, title="NMIRF plenary", kind="meeting", starts_on=today + timedelta(days=5))
    agenda.event_create(actor=world.admin, title="Far away", kind="meeting", starts_on=today + timedelta(days=40))
    response = client_for(world, Role.FOCAL_POINT).get(reverse("dashboard:home"))
    titles = [entry.title for _day, entry in response.context["coming"]]
    assert "NMIRF plenary" in titles and "Far away" not in titles
    assert not any("Train teachers" in title for title in titles)  # its deadline is in 30 days, after the 28 shown
    content = response.content.decode()
    assert "Coming weeks" in content


def test_dashboard_counts_my_institutions_open_and_overdue_activities(world, client_for):
    response = client_for(world, Role.FOCAL_POINT).get(reverse("dashboard:home"))
    assert response.context["my_counts"] == {"open": 1, "overdue": 0}
    assert "1 open activity" in response.content.decode()


def test_status_over_time_matches_status_on_for_random_histories(world):
    """Several changes, some on the same day, on recommendations made on various days or undated: each day's counts are
    what `with_status_on` says, recommendation by recommendation."""
    rng = random.Random(5)
    today = timezone.localdate()
    statuses = list(selectors.STATUSES)
    made = []
    for n in range(12):
        recommendation = recs.recommendation_create(
            actor=world.admin,
            document=world.document,
            text=f"121.{50 + n} Random history {n}",
            issued_on=today - timedelta(days=rng.randint(0, 400)) if n % 4 else None,
        )
        earliest = (today - recommendation.issued_on).days if recommendation.issued_on else 450
        dates = [today - timedelta(days=rng.randint(0, earliest)) for _ in range(3)]  # few dates: same-day changes
        for _ in range(rng.randint(0, 5)):
            recs.recommendation_change_status(
                recommendation=recommendation, actor=world.admin, status=rng.choice(statuses),
                effective_on=rng.choice(dates), justification="Random",
            )  # fmt: skip
            recommendation.refresh_from_db()
        made.append(recommendation.pk)
    recommendations = Recommendation.objects.filter(pk__in=made)
    days = selectors.month_ends(today - timedelta(days=420), today)
    counted = selectors.status_over_time(recommendations, days)
    for day in days:
        expected = dict.fromkeys(statuses, 0)
        for status in with_status_on(recommendations, day).values_list("status_on", flat=True):
            if status is not None:
                expected[status] += 1
        assert counted[day] == expected, day
