"""Activities: list filters, detail, creation from a recommendation, editing, conflicts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.audit.services import ConflictError
from rectrack.planning import services as planning
from rectrack.planning.models import Activity, ActivityStatus

from .conftest import listed_ids

LIST = reverse("planning:activity_list")


def shown(client, **params) -> set[int]:
    return listed_ids(client, LIST, **params)


@pytest.fixture
def viewer(world, client_for):
    return client_for(world, Role.VIEWER)


def test_filters_by_lead_institution_status_project_and_overdue(world, viewer):
    assert shown(viewer) == {world.activity.pk, world.interior_activity.pk}
    assert shown(viewer, lead=world.interior.pk) == {world.interior_activity.pk}
    assert shown(viewer, status="in_progress") == {world.activity.pk}
    assert shown(viewer, project=world.project.pk) == {world.activity.pk}
    assert shown(viewer, overdue="on") == {world.interior_activity.pk}
    assert shown(viewer, q="police") == {world.interior_activity.pk}


def test_my_institutions_only(world, client_for):
    focal_point = client_for(world, Role.FOCAL_POINT)
    assert shown(focal_point, mine="on") == {world.activity.pk}


def test_completed_and_cancelled_activities_are_never_overdue(world):
    planning.activity_update(activity=world.interior_activity, actor=world.admin, status=ActivityStatus.CANCELLED)
    world.interior_activity.refresh_from_db()
    assert not world.interior_activity.is_overdue
    assert not Activity.objects.overdue().exists()


def test_unknown_filters_are_ignored_with_a_message(world, viewer):
    response = viewer.get(LIST, {"status": "finished", "lead": "abc"})
    assert response.content.decode().count("so it was ignored") == 2
    assert response.context["page"].paginator.count == 2


def test_list_query_count_does_not_grow(world, viewer, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        viewer.get(LIST)
    for n in range(15):
        planning.activity_create(
            actor=world.admin,
            title=f"Activity {n}",
            lead_institution=world.interior,
            projects=[world.project],
            recommendations=[world.torture, world.education],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = viewer.get(LIST)
    assert len(response.context["page"].object_list) == 17


def test_detail_shows_budget_links_and_history(world, viewer):
    content = viewer.get(reverse("planning:activity_detail", args=[world.activity.pk])).content.decode()
    for expected in (
        "Train teachers on inclusive education",
        "€100,000.00",
        "121.2 (A/HRC/43/15)",
        "Education for all",
        "Ministry of Justice",
        "Updates",
    ):
        assert expected in content, expected


def test_create_from_a_recommendation_links_it_and_the_project(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    url = reverse("planning:activity_create") + f"?recommendation={world.torture.pk}&project={world.project.pk}"
    form = client.get(url).context["form"]
    assert form.initial["recommendations"] == [world.torture.pk]
    assert form.initial["projects"] == [world.project.pk]
    # Only the lead institutions the focal point belongs to are offered.
    assert list(form.fields["lead_institution"].queryset) == [world.justice]
    response = client.post(
        url,
        {
            "title": "Review police detention procedures",
            "status": "planned",
            "lead_institution": world.justice.pk,
            "budget_amount": "2500.50",
            "budget_currency": "EUR",
            "deadline": "2027-06-30",
            "recommendations": [world.torture.pk],
            "projects": [world.project.pk],
            "add_recommendations": f"121.2 A/HRC/43/15\n#{world.women.pk}",
        },
    )
    activity = Activity.objects.get(title="Review police detention procedures")
    assert response["Location"] == reverse("planning:activity_detail", args=[activity.pk])
    assert set(activity.recommendations.all()) == {world.torture, world.education, world.women}
    assert list(activity.projects.all()) == [world.project]
    assert activity.budget_amount == Decimal("2500.50")
    assert activity.created_by == world.user(Role.FOCAL_POINT)


def test_the_form_does_not_list_every_recommendation(world, client_for):
    form = client_for(world, Role.COORDINATOR).get(reverse("planning:activity_create")).context["form"]
    assert list(form.fields["recommendations"].widget.choices) == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"lead_institution": ""}, "lead_institution"),
        ({"budget_amount": "-5", "budget_currency": "EUR"}, "budget_amount"),
        ({"budget_amount": "12", "budget_currency": ""}, "budget_currency"),
        ({"budget_currency": "XYZ"}, "budget_currency"),
        ({"deadline": "2027-02-30"}, "deadline"),
        ({"add_recommendations": "999.9 A/HRC/1/1"}, "add_recommendations"),
        ({"recommendations": ["999999"]}, "recommendations"),
        ({"status": "finished"}, "status"),
    ],
)
def test_invalid_activities_are_refused_at_the_field(world, client_for, change, field):
    client = client_for(world, Role.COORDINATOR)
    before = Activity.objects.count()
    data = {"title": "T", "status": "planned", "lead_institution": world.justice.pk, **change}
    response = client.post(reverse("planning:activity_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Activity.objects.count() == before


def test_a_deadline_before_the_start_is_refused(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    response = client.post(
        reverse("planning:activity_create"),
        {
            "title": "T",
            "status": "planned",
            "lead_institution": world.justice.pk,
            "start_date": "2027-01-10",
            "deadline": "2027-01-01",
        },
    )
    assert "The deadline cannot be before the start date." in response.content.decode()


def test_edit_records_the_budget_change(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    url = reverse("planning:activity_edit", args=[world.activity.pk])
    response = client.post(
        url,
        {
            "title": world.activity.title,
            "status": "in_progress",
            "lead_institution": world.justice.pk,
            "budget_amount": "150000",
            "budget_currency": "EUR",
            "recommendations": [world.education.pk],
            "projects": [world.project.pk],
            "deadline": world.activity.deadline.isoformat(),
            "version": world.activity.version,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_id=world.activity.pk, content_type__model="activity").latest("id")
    assert event.changes == {"budget_amount": {"old": "100000", "new": "150000"}}
    page = client.get(reverse("planning:activity_detail", args=[world.activity.pk])).content.decode()
    assert "Budget changed from “100,000” to “150,000”" in page


def test_two_people_editing_the_same_activity(world, client_for):
    """The second save, made from the same version, is refused; nothing is overwritten."""
    version = world.activity.version
    planning.activity_update(activity=world.activity, actor=world.admin, expected_version=version, status="delayed")
    with pytest.raises(ConflictError) as conflict:
        planning.activity_update(
            activity=Activity.objects.get(pk=world.activity.pk),
            actor=world.user(Role.FOCAL_POINT),
            expected_version=version,
            status="completed",
        )
    assert [e.changes for e in conflict.value.events] == [{"status": {"old": "in_progress", "new": "delayed"}}]
    world.activity.refresh_from_db()
    assert world.activity.status == "delayed"

    client = client_for(world, Role.FOCAL_POINT)
    response = client.post(
        reverse("planning:activity_edit", args=[world.activity.pk]),
        {"title": "Mine", "status": "completed", "lead_institution": world.justice.pk, "version": version},
    )
    assert response.status_code == 200
    assert "changed this activity after you opened it" in response.content.decode()
    assert "Status changed from “In progress” to “Delayed”" in response.content.decode()
    assert Activity.objects.get(pk=world.activity.pk).title == "Train teachers on inclusive education"


def test_saving_unchanged_values_keeps_the_version_and_writes_no_history(world):
    before = AuditEvent.objects.count()
    changes = planning.activity_update(activity=world.activity, actor=world.admin, title=world.activity.title)
    assert changes == {}
    assert AuditEvent.objects.count() == before
    assert Activity.objects.get(pk=world.activity.pk).version == world.activity.version


def test_overdue_marking_on_the_detail_page(world, viewer):
    planning.activity_update(
        activity=world.activity, actor=world.admin, deadline=timezone.localdate() - timedelta(days=1)
    )
    assert "Overdue" in viewer.get(reverse("planning:activity_detail", args=[world.activity.pk])).content.decode()
