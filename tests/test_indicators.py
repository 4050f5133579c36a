"""Indicators: pages per role, measurements with their checks and history, the chart, filters, linked panels."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.audit.services import ConflictError
from rectrack.indicators import selectors
from rectrack.indicators import services as indicators
from rectrack.indicators.models import Indicator, IndicatorKind, Measurement
from rectrack.indicators.templatetags.indicators import figure
from rectrack.taxonomy import services as taxonomy

from .conftest import ROLES, listed_ids

LIST = reverse("indicators:list")
SECRETARIAT = {Role.ADMINISTRATOR, Role.COORDINATOR}


@pytest.fixture
def indicator(world) -> Indicator:
    return indicators.indicator_create(
        actor=world.admin,
        name="Roma children completing primary school",
        kind=IndicatorKind.OUTCOME,
        unit="%",
        baseline_value=Decimal("50"),
        baseline_date=date(2019, 6, 30),
        target_value=Decimal("80"),
        target_date=date(2030, 6, 30),
        data_source="Ministry of Education register",
        disaggregation="sex",
        responsible_institution=world.justice,
        recommendations=[world.education],
        activities=[world.activity],
        projects=[world.project],
    )


@pytest.fixture
def police(world) -> Indicator:
    """An indicator the Ministry of the Interior answers for (not the focal point's institution)."""
    return indicators.indicator_create(
        actor=world.admin,
        name="Existence of an independent police complaints mechanism",
        kind=IndicatorKind.STRUCTURAL,
        unit="1 = yes, 0 = no",
        responsible_institution=world.interior,
        recommendations=[world.torture],
        activities=[world.interior_activity],
    )


def _measure(indicator, actor, day, value, breakdown=""):
    return indicators.measurement_add(
        indicator=indicator, actor=actor, measured_on=day, value=Decimal(value), breakdown=breakdown
    )


def _form(world, **changes) -> dict:
    data = {
        "name": "Judges trained on hate crime",
        "kind": "process",
        "unit": "persons",
        "baseline_value": "0",
        "baseline_date": "2021-12-31",
        "target_value": "400",
        "target_date": "2026-12-31",
        "data_source": "Judicial Training Centre",
        "disaggregation": "profession, sex",
        "responsible_institution": world.justice.pk,
        "activities": [world.activity.pk],
        "projects": [world.project.pk],
        "recommendations": [],
        "add_recommendations": "121.10 A/HRC/43/15",
    }
    return {**data, **changes}


def _history(indicator) -> list[dict]:
    return list(
        AuditEvent.objects.filter(content_type__model="indicator", object_id=indicator.pk)
        .order_by("id")
        .values_list("changes", flat=True)
    )


# ---------------------------------------------------------------- creating and editing


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_creates_indicators(world, client_for, role):
    client = client_for(world, role)
    url = reverse("indicators:create")
    assert client.get(url).status_code == (200 if role in SECRETARIAT else 404)
    response = client.post(url, _form(world))
    created = Indicator.objects.filter(name="Judges trained on hate crime").first()
    if role in SECRETARIAT:
        assert response["Location"] == reverse("indicators:detail", args=[created.pk])
        assert created.kind == "process" and created.target_value == Decimal("400")
        assert created.created_by == world.user(role)
        assert list(created.recommendations.all()) == [world.torture]
        assert list(created.activities.all()) == [world.activity]
        assert _history(created)[0]["name"] == {"old": None, "new": "Judges trained on hate crime"}
    else:
        assert response.status_code == 404 and created is None


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_edits_indicators(world, client_for, indicator, role):
    client = client_for(world, role)
    url = reverse("indicators:edit", args=[indicator.pk])
    assert client.get(url).status_code == (200 if role in SECRETARIAT else 404)
    response = client.post(url, _form(world, name="Renamed", version=indicator.version))
    indicator.refresh_from_db()
    if role in SECRETARIAT:
        assert response.status_code == 302 and indicator.name == "Renamed" and indicator.version == 2
        assert _history(indicator)[-1]["name"] == {"old": "Roma children completing primary school", "new": "Renamed"}
    else:
        assert response.status_code == 404 and indicator.name == "Roma children completing primary school"


def test_a_stale_version_shows_what_changed_and_saves_nothing(world, client_for, indicator):
    client = client_for(world, Role.COORDINATOR)
    opened = indicator.version
    indicators.indicator_update(indicator=indicator, actor=world.admin, unit="per cent", expected_version=opened)
    response = client.post(reverse("indicators:edit", args=[indicator.pk]), _form(world, version=opened))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What changed since you opened this page" in page and "per cent" in page
    indicator.refresh_from_db()
    assert indicator.name == "Roma children completing primary school"
    # The form now carries the stored version: saving again applies the user's version on purpose.
    assert response.context["form"].data["version"] == indicator.version
    with pytest.raises(ConflictError):
        indicators.indicator_update(indicator=indicator, actor=world.admin, name="x", expected_version=opened)


def test_the_target_date_cannot_precede_the_baseline(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    response = client.post(reverse("indicators:create"), _form(world, target_date="2020-01-01"))
    assert response.status_code == 200
    assert "The target date cannot be before the baseline date." in response.content.decode()
    assert not Indicator.objects.exists()


def test_the_form_offers_national_clusters_only(world, client_for):
    cluster = taxonomy.cluster_create(actor=world.admin, label="Roma inclusion")
    form = client_for(world, Role.COORDINATOR).get(reverse("indicators:create")).context["form"]
    assert list(form.fields["clusters"].queryset) == [cluster]
    response = client_for(world, Role.COORDINATOR).post(
        reverse("indicators:create"), _form(world, clusters=[world.education_theme.pk])
    )
    assert response.status_code == 200 and not Indicator.objects.exists()


def test_creating_from_a_recommendation_prelinks_it(world, client_for):
    url = reverse("indicators:create") + f"?recommendation={world.women.pk}&project={world.project.pk}"
    form = client_for(world, Role.COORDINATOR).get(url).context["form"]
    assert form.initial == {"recommendations": [world.women.pk], "projects": [world.project.pk]}


# ---------------------------------------------------------------- measurements


@pytest.mark.parametrize("role", ROLES)
def test_who_records_a_value(world, client_for, indicator, role):
    """The secretariat, and the focal points of the responsible institution (the Ministry of Justice)."""
    client = client_for(world, role)
    response = client.post(
        reverse("indicators:measurement_add", args=[indicator.pk]), {"measured_on": "2024-06-30", "value": "61.25"}
    )
    allowed = role in SECRETARIAT | {Role.FOCAL_POINT}
    assert response.status_code == (302 if allowed else 404)
    assert indicator.measurements.count() == (1 if allowed else 0)
    if allowed:
        measurement = indicator.measurements.get()
        assert measurement.value == Decimal("61.25") and measurement.created_by == world.user(role)


def test_a_focal_point_of_another_institution_may_not_record(world, client_for, police):
    client = client_for(world, Role.FOCAL_POINT)
    page = client.get(reverse("indicators:detail", args=[police.pk])).content.decode()
    assert "Record a value" not in page
    response = client.post(
        reverse("indicators:measurement_add", args=[police.pk]), {"measured_on": "2024-06-30", "value": "1"}
    )
    assert response.status_code == 404 and not police.measurements.exists()


def test_a_focal_point_of_the_responsible_institution_sees_the_form(world, client_for, indicator):
    page = client_for(world, Role.FOCAL_POINT).get(reverse("indicators:detail", args=[indicator.pk])).content
    assert b"Record a value" in page
    assert b"indicators/%d/measurements/" % indicator.pk in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"measured_on": "tomorrow", "value": "12"}, "The date cannot be in the future"),
        ({"measured_on": "2024-06-30", "value": "twelve"}, "Enter a number."),
        ({"measured_on": "2024-06-30", "value": ""}, "This field is required."),
        ({"measured_on": "2024-06-30", "value": "1" * 17}, "Ensure that there are no more than 16 digits before"),
        ({"measured_on": "", "value": "12"}, "This field is required."),
        ({"measured_on": "2023-12-31", "value": "12"}, "A value for the total on 2023-12-31 is already recorded."),
        (
            {"measured_on": "2023-12-31", "value": "12", "breakdown": " Women "},
            "A value for Women on 2023-12-31 is already recorded.",
        ),
    ],
)
def test_a_bad_value_changes_nothing_and_says_why(world, client_for, indicator, data, message):
    _measure(indicator, world.admin, date(2023, 12, 31), "40")
    _measure(indicator, world.admin, date(2023, 12, 31), "42", breakdown="Women")
    indicator.refresh_from_db()
    version, events = indicator.version, AuditEvent.objects.count()
    if data["measured_on"] == "tomorrow":
        data = {**data, "measured_on": (timezone.localdate() + timedelta(days=1)).isoformat()}
    response = client_for(world, Role.COORDINATOR).post(
        reverse("indicators:measurement_add", args=[indicator.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert indicator.measurements.count() == 2
    indicator.refresh_from_db()
    assert indicator.version == version and AuditEvent.objects.count() == events


def test_the_service_refuses_what_the_form_would(world, indicator):
    with pytest.raises(ValidationError) as missing:
        indicators.measurement_add(indicator=indicator, actor=world.admin, measured_on=None, value=None)
    assert set(missing.value.message_dict) == {"measured_on", "value"}
    future = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        _measure(indicator, world.admin, future, "1")
    _measure(indicator, world.admin, date(2024, 1, 1), "1", breakdown="Region:  North")
    with pytest.raises(ValidationError, match="already recorded"):
        _measure(indicator, world.admin, date(2024, 1, 1), "2", breakdown="Region: North")
    assert indicator.measurements.count() == 1


def test_values_are_written_into_the_indicators_history(world, indicator):
    version = indicator.version
    measurement = _measure(indicator, world.admin, date(2024, 12, 31), "45.50", breakdown="Women")
    indicator.refresh_from_db()
    assert indicator.version == version + 1
    assert _history(indicator)[-1] == {"measurements": {"added": ["2024-12-31: 45.5 % (Women)"], "removed": []}}
    indicators.measurement_remove(measurement=measurement, actor=world.admin)
    assert _history(indicator)[-1] == {"measurements": {"added": [], "removed": ["2024-12-31: 45.5 % (Women)"]}}
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_removes_a_value(world, client_for, indicator, role):
    measurement = _measure(indicator, world.admin, date(2024, 12, 31), "45")
    client = client_for(world, role)
    url = reverse("indicators:measurement_remove", args=[indicator.pk, measurement.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    if role in SECRETARIAT:
        assert response.status_code == 302 and not indicator.measurements.exists()
        assert _history(indicator)[-1]["measurements"]["removed"] == ["2024-12-31: 45 %"]
    else:
        # Focal points of the responsible institution record values, but do not remove them.
        assert response.status_code == 404 and indicator.measurements.count() == 1


def test_a_value_is_removed_only_through_its_own_indicator(world, client_for, indicator, police):
    measurement = _measure(police, world.admin, date(2024, 12, 31), "0")
    url = reverse("indicators:measurement_remove", args=[indicator.pk, measurement.pk])
    assert client_for(world, Role.COORDINATOR).post(url).status_code == 404
    assert police.measurements.count() == 1


# ---------------------------------------------------------------- the page


def test_the_page_shows_the_chart_the_table_and_the_updates(world, client_for, indicator):
    for day, value in ((date(2020, 6, 30), "52"), (date(2022, 6, 30), "58.5"), (date(2024, 6, 30), "63")):
        _measure(indicator, world.admin, day, value)
    _measure(indicator, world.admin, date(2024, 6, 30), "65.25", breakdown="Girls")
    response = client_for(world, Role.VIEWER).get(reverse("indicators:detail", args=[indicator.pk]))
    page = response.content.decode()
    chart = response.context["chart"]
    assert [point.value for point in chart.points] == [Decimal("52"), Decimal("58.5"), Decimal("63")]  # totals
    # Higher values sit higher: the y coordinate falls as the value rises.
    assert chart.points[0].y > chart.points[1].y > chart.points[2].y
    assert chart.baseline.value == Decimal("50") and chart.target.value == Decimal("80")
    assert chart.target.y < chart.points[2].y < chart.baseline.y
    assert f'<polyline class="chart-line" points="{chart.polyline}">' in page
    assert page.count('class="chart-point"') == 3
    assert "Baseline 50%" in page and "Target 80%" in page
    # The table is the chart's text: every value, the breakdown on its own row.
    assert "<caption" in page and "58.5%" in page and "65.25%" in page
    assert '<tr class="breakdown">' in page and "Girls" in page
    # The details and the links.
    for expected in ("Ministry of Education register", "Ministry of Justice", "121.2 (A/HRC/43/15)",
                     "Train teachers on inclusive education", "Education for all", "Outcome"):  # fmt: skip
        assert expected in page, expected
    # The Updates: the creation and each value recorded.
    assert "Updates" in page and "Measurements: added 2024-06-30: 65.25 % (Girls)" in page


def test_without_totals_there_is_no_chart_but_the_table(world, client_for, indicator):
    _measure(indicator, world.admin, date(2024, 6, 30), "65", breakdown="Girls")
    response = client_for(world, Role.VIEWER).get(reverse("indicators:detail", args=[indicator.pk]))
    assert response.context["chart"] is None
    assert b"<svg" not in response.content.split(b"<main")[1] and b"65%" in response.content


def test_viewers_see_no_forms_and_no_remove_buttons(world, client_for, indicator):
    _measure(indicator, world.admin, date(2024, 6, 30), "60")
    page = client_for(world, Role.VIEWER).get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    assert "Record a value" not in page and "/remove/" not in page and "/edit/" not in page


def test_the_page_hides_linked_objects_the_reader_may_not_see(world, indicator):
    from rectrack.planning.models import Project
    from rectrack.recommendations.models import Recommendation

    shown = selectors.indicator_detail(
        indicator.pk, recommendations=Recommendation.objects.none(), projects=Project.objects.none()
    )
    assert list(shown.recommendations.all()) == [] and list(shown.projects.all()) == []
    assert list(shown.activities.all()) == [world.activity]


def test_numbers_are_written_as_the_readers_language_writes_them():
    assert figure(Decimal("45.5000"), "%") == "45.5%"
    assert figure(Decimal("1200"), "cases") == "1,200\N{NO-BREAK SPACE}cases"
    assert figure(Decimal("1E+2")) == "100"
    assert figure(None) == "—"
    with translation.override("fr"):
        assert figure(Decimal("1234.5"), "EUR") == "1\N{NO-BREAK SPACE}234,5\N{NO-BREAK SPACE}EUR"


# ---------------------------------------------------------------- the list


def test_the_list_filters_by_name_kind_and_institution(world, client_for, indicator, police):
    viewer = client_for(world, Role.VIEWER)
    assert listed_ids(viewer, LIST) == {indicator.pk, police.pk}
    assert listed_ids(viewer, LIST, q="police") == {police.pk}
    assert listed_ids(viewer, LIST, kind="structural") == {police.pk}
    assert listed_ids(viewer, LIST, institution=world.justice.pk) == {indicator.pk}
    response = viewer.get(LIST, {"kind": "impact"})
    assert "so it was ignored" in response.content.decode() and response.context["page"].paginator.count == 2


def test_a_row_shows_the_latest_value_the_target_and_a_sparkline(world, client_for, indicator, police):
    _measure(indicator, world.admin, date(2022, 6, 30), "55")
    _measure(indicator, world.admin, date(2024, 6, 30), "61.5")
    _measure(indicator, world.admin, date(2025, 6, 30), "70", breakdown="Girls")  # not the total
    response = client_for(world, Role.VIEWER).get(LIST)
    rows = {row.pk: row for row in response.context["page"].object_list}
    assert rows[indicator.pk].latest.value == Decimal("61.5")
    assert rows[indicator.pk].sparkline == "1.0,22.0 99.0,2.0"
    assert rows[police.pk].latest is None and rows[police.pk].sparkline == ""
    page = response.content.decode()
    assert "61.5%" in page and "80%" in page and page.count('class="sparkline"') == 1


def test_the_list_query_count_does_not_grow(world, client_for, indicator, django_assert_max_num_queries):
    viewer = client_for(world, Role.VIEWER)
    _measure(indicator, world.admin, date(2024, 6, 30), "61")
    with CaptureQueriesContext(connection) as few:
        viewer.get(LIST)
    for n in range(12):
        extra = indicators.indicator_create(
            actor=world.admin, name=f"Indicator {n}", responsible_institution=world.interior
        )
        _measure(extra, world.admin, date(2023, 6, 30), str(n))
        _measure(extra, world.admin, date(2024, 6, 30), str(n + 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = viewer.get(LIST)
    assert len(response.context["page"].object_list) == 13


# ---------------------------------------------------------------- who reads indicators


@pytest.mark.parametrize("role", ROLES)
def test_contributors_do_not_see_indicators(world, client_for, indicator, role):
    client = client_for(world, role)
    expected = 404 if role == Role.CONTRIBUTOR else 200
    assert client.get(LIST).status_code == expected
    assert client.get(reverse("indicators:detail", args=[indicator.pk])).status_code == expected
    nav = client.get(reverse("dashboard:home")).content.decode().split('<nav class="sidebar"')[1].split("</nav>")[0]
    assert (LIST in nav) == (role != Role.CONTRIBUTOR)


def test_the_navigation_marks_the_indicators_section(world, client_for, indicator):
    page = client_for(world, Role.VIEWER).get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    assert f'<a href="{LIST}" aria-current="page">Indicators</a>' in page


def test_a_missing_indicator_is_not_found(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    assert client.get(reverse("indicators:detail", args=[99999])).status_code == 404
    assert client.post(reverse("indicators:measurement_add", args=[99999]), {}).status_code == 404


# ---------------------------------------------------------------- linked panels


def test_the_recommendation_page_lists_its_indicators_with_the_latest_value(world, client_for, indicator, police):
    _measure(indicator, world.admin, date(2022, 6, 30), "55")
    _measure(indicator, world.admin, date(2024, 6, 30), "61.5")
    page = client_for(world, Role.VIEWER).get(reverse("recommendations:detail", args=[world.education.pk]))
    content = page.content.decode()
    panel = content.split('id="indicators-title"')[1].split("</section>")[0]
    assert "Roma children completing primary school" in panel and "Latest: 61.5%" in panel
    assert "target 80%" in panel and "police" not in panel
    assert [i.pk for i in page.context["indicators"]] == [indicator.pk]
    other = client_for(world, Role.VIEWER).get(reverse("recommendations:detail", args=[world.women.pk]))
    assert "No indicator measures this yet." in other.content.decode()


def test_contributors_see_no_indicators_panel(world, client_for, indicator):
    from rectrack.portal.services import publication_set

    publication_set(obj=world.education, actor=None, publication="published")
    response = client_for(world, Role.CONTRIBUTOR).get(reverse("recommendations:detail", args=[world.education.pk]))
    assert response.status_code == 200
    assert response.context["indicators"] is None and 'id="indicators-title"' not in response.content.decode()


def test_the_project_page_lists_its_indicators(world, client_for, indicator):
    page = client_for(world, Role.VIEWER).get(reverse("planning:project_detail", args=[world.project.pk]))
    assert "Roma children completing primary school" in page.content.decode()
    assert "No value recorded yet." in page.content.decode()


def test_linked_to_reads_activities_and_clusters_too(world, indicator, police):
    cluster = taxonomy.cluster_create(actor=world.admin, label="Policing")
    indicators.indicator_update(indicator=police, actor=world.admin, clusters=[cluster])
    _measure(police, world.admin, date(2025, 10, 1), "1")
    assert [i.pk for i in selectors.linked_to(world.activity)] == [indicator.pk]
    [linked] = selectors.linked_to(cluster)
    assert linked.pk == police.pk and linked.latest.value == Decimal("1")
