"""Recommendation detail, creation, editing and project assignment through the pages."""

from datetime import date

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import Document, Recommendation


@pytest.fixture
def coordinator(world, client_for):
    return client_for(world, Role.COORDINATOR)


def test_detail_shows_text_source_classification_projects_and_activities(world, client_for):
    content = (
        client_for(world, Role.VIEWER)
        .get(reverse("recommendations:detail", args=[world.education.pk]))
        .content.decode()
    )
    for expected in (
        "Ensure inclusive education for Roma children",
        "A/HRC/43/15",
        "121.2",
        "Ukraine",
        "Supported",
        "Right to education",
        "SDG 4.1",
        "Education for all",
        "Train teachers on inclusive education",
        "Ministry of Justice",
        "UPR cycle 3",
    ):
        assert expected in content, expected


def test_detail_offers_assign_and_create_activity_to_the_secretariat_only(world, client_for):
    url = reverse("recommendations:detail", args=[world.education.pk])
    secretariat = client_for(world, Role.COORDINATOR).get(url).content.decode()
    assert "Assign to project" in secretariat and "Create activity" in secretariat
    client_for(world, Role.VIEWER)  # the same client, now logged in as a viewer
    viewer = client_for(world, Role.VIEWER).get(url).content.decode()
    assert "Assign to project" not in viewer and "Create activity" not in viewer


def test_a_missing_recommendation_is_404(world, client_for):
    assert client_for(world, Role.VIEWER).get(reverse("recommendations:detail", args=[999_999])).status_code == 404


def test_create_reads_the_paragraph_and_creates_the_document(world, coordinator):
    response = coordinator.post(
        reverse("recommendations:create"),
        {
            "mechanism": world.cedaw.pk,
            "document_symbol": "CEDAW/C/SVN/CO/8",
            "issued_on": "2026-02-20",
            "text": "31. The Committee recommends that the State party ratify ILO Convention No. 189.",
            "kind": "concern",
            "status": "not_started",
            "themes": [world.education_theme.pk],
        },
    )
    rec = Recommendation.objects.latest("id")
    assert response["Location"] == reverse("recommendations:detail", args=[rec.pk])
    assert rec.paragraph == "31"
    assert rec.document.symbol == "CEDAW/C/SVN/CO/8"
    assert rec.document.mechanism == world.cedaw
    assert rec.issued_on == date(2026, 2, 20)
    assert list(rec.themes.all()) == [world.education_theme]
    assert AuditEvent.objects.filter(object_id=rec.pk, action="created").exists()


def test_create_takes_the_date_of_an_existing_document(world, coordinator):
    coordinator.post(
        reverse("recommendations:create"),
        {
            "mechanism": world.upr.pk,
            "document_symbol": "A/HRC/43/15",
            "text": "121.77 Do more.",
            "kind": "recommendation",
            "status": "not_started",
        },
    )
    assert Recommendation.objects.latest("id").issued_on == date(2019, 11, 15)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"text": ""}, "text"),
        ({"mechanism": ""}, "mechanism"),
        ({"mechanism": "999999"}, "mechanism"),
        ({"document_symbol": "", "issued_on": ""}, "issued_on"),
        ({"document_symbol": "NEW/SYMBOL/1", "issued_on": ""}, "issued_on"),
        ({"issued_on": "31/31/2020"}, "issued_on"),
        ({"themes": ["999999"]}, "themes"),
    ],
)
def test_invalid_input_is_reported_at_the_field_and_saves_nothing(world, coordinator, change, field):
    before = Recommendation.objects.count(), Document.objects.count()
    data = {
        "mechanism": world.upr.pk,
        "document_symbol": "A/HRC/43/15",
        "text": "121.80 Something.",
        "kind": "recommendation",
        "status": "not_started",
        **change,
    }
    response = coordinator.post(reverse("recommendations:create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (Recommendation.objects.count(), Document.objects.count()) == before


def test_a_symbol_of_another_mechanism_is_refused(world, coordinator):
    response = coordinator.post(
        reverse("recommendations:create"),
        {
            "mechanism": world.upr.pk,
            "document_symbol": "CEDAW/C/SVN/CO/7",
            "text": "x",
            "kind": "recommendation",
            "status": "not_started",
        },
    )
    assert "belongs to CEDAW" in str(response.context["form"].errors["document_symbol"])


def test_edit_records_each_changed_field_in_the_history(world, coordinator):
    url = reverse("recommendations:edit", args=[world.torture.pk])
    form = coordinator.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "mechanism": world.upr.pk,
            "document_symbol": "A/HRC/43/15",
            "status": "fully_implemented",  # ignored: the status changes only with a date and a justification
            "lead_institution": world.justice.pk,
            "themes": [t.pk for t in world.torture.themes.all()],
            "sdgs": [world.sdg_16.pk],
            "upr_position": "noted",
            "version": world.torture.version,
        }
    )
    data.pop("recommending_states", None)
    response = coordinator.post(url, data)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_id=world.torture.pk, action="updated").latest("id")
    assert "status" not in event.changes
    assert event.changes["lead_institution"] == {"old": "Ministry of the Interior", "new": "Ministry of Justice"}
    assert event.actor == world.user(Role.COORDINATOR)
    page = coordinator.get(reverse("recommendations:detail", args=[world.torture.pk])).content.decode()
    assert "Lead institution changed from “Ministry of the Interior” to “Ministry of Justice”" in page


def test_a_stale_edit_is_refused_and_shows_what_changed(world, coordinator):
    url = reverse("recommendations:edit", args=[world.torture.pk])
    stale_version = world.torture.version
    recs.recommendation_update(
        recommendation=world.torture, actor=world.admin, expected_version=stale_version, status="partially_implemented"
    )
    response = coordinator.post(
        url,
        {
            "mechanism": world.upr.pk,
            "document_symbol": "A/HRC/43/15",
            "text": world.torture.text,
            "kind": "recommendation",
            "status": "not_implemented",
            "version": stale_version,
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "changed this recommendation after you opened it" in content
    assert "Partially implemented" in content
    world.torture.refresh_from_db()
    assert world.torture.status == "partially_implemented"
    # Saving again from the refreshed form applies the user's version on purpose.
    assert response.context["form"].data["version"] == world.torture.version


def test_assign_to_project_and_remove(world, coordinator):
    assign = reverse("recommendations:assign", args=[world.torture.pk])
    assert coordinator.post(assign, {"project": world.project.pk}).status_code == 302
    assert world.project.recommendations.filter(pk=world.torture.pk).exists()
    again = coordinator.post(assign, {"project": world.project.pk}, follow=True)
    assert "already in the project" in again.content.decode()
    coordinator.post(reverse("recommendations:unassign", args=[world.torture.pk, world.project.pk]))
    assert not world.project.recommendations.filter(pk=world.torture.pk).exists()
    changes = [e.changes for e in AuditEvent.objects.filter(object_id=world.project.pk, content_type__model="project")]
    assert {"recommendations": {"added": ["121.10 (A/HRC/43/15)"], "removed": []}} in changes
    assert {"recommendations": {"added": [], "removed": ["121.10 (A/HRC/43/15)"]}} in changes


def test_assign_without_a_project_says_so(world, coordinator):
    response = coordinator.post(
        reverse("recommendations:assign", args=[world.torture.pk]), {"project": "nope"}, follow=True
    )
    assert "Choose a project" in response.content.decode()


def test_assign_needs_a_post(world, coordinator):
    assert coordinator.get(reverse("recommendations:assign", args=[world.torture.pk])).status_code == 405


def test_html_in_a_recommendation_is_shown_as_text(world, client_for):
    rec = recs.recommendation_create(
        actor=world.admin,
        document=world.document,
        text='121.66 <script>alert("x")</script> Protect <b>journalists</b>.',
    )
    content = client_for(world, Role.VIEWER).get(reverse("recommendations:detail", args=[rec.pk])).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content
