"""Bulk changes on the recommendations list: ticked rows or every match; one history entry per object."""

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.recommendations.models import ImplementationStatus, Recommendation, StatusChange
from rectrack.taxonomy.models import Term

BULK = "recommendations:bulk"


def _post(client, **data):
    return client.post(reverse(BULK), data, follow=True)


def _events(world, field):
    return AuditEvent.objects.filter(content_type__model="recommendation", action="updated", changes__has_key=field)


def test_set_the_lead_of_the_ticked_recommendations(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    response = _post(
        client, action="lead", lead=world.interior.pk, apply_to="selected", ids=[world.education.pk, world.women.pk]
    )
    assert b"2 recommendations were changed (of 2 chosen)." in response.content
    leads = dict(Recommendation.objects.values_list("pk", "lead_institution_id"))
    assert leads[world.education.pk] == leads[world.women.pk] == world.interior.pk
    events = _events(world, "lead_institution")
    assert {event.object_id for event in events} == {world.education.pk, world.women.pk}
    assert events.get(object_id=world.education.pk).changes["lead_institution"] == {
        "old": "Ministry of Justice", "new": "Ministry of the Interior"
    }  # fmt: skip


def test_every_match_of_the_filters(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    cluster = Term.objects.get(pk=world.torture_theme.pk)
    response = _post(client, action="term", term=cluster.pk, apply_to="all", query="mechanism=UPR")
    assert b"1 recommendation was changed (of 2 chosen)." in response.content  # torture already had it
    assert world.education.themes.filter(pk=cluster.pk).exists()
    assert not world.women.themes.filter(pk=cluster.pk).exists()
    assert _events(world, "themes").count() == 1


def test_assign_to_a_project(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    _post(client, action="project", project=world.project.pk, apply_to="all", query="")
    assert set(world.project.recommendations.values_list("pk", flat=True)) == {
        world.education.pk, world.torture.pk, world.women.pk
    }  # fmt: skip


def test_a_status_change_for_many_is_all_or_nothing(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    # The CEDAW recommendation was made in 2023: a 2021 status change cannot apply to it.
    response = _post(
        client, action="status", status="in_progress", effective_on="2021-04-01", justification="National plan",
        apply_to="all", query="",
    )  # fmt: skip
    assert b"Nothing was changed." in response.content and b"CEDAW/C/SVN/CO/7" in response.content
    assert StatusChange.objects.count() == 0
    _post(
        client, action="status", status="in_progress", effective_on="2023-04-01", justification="National plan",
        apply_to="all", query="",
    )  # fmt: skip
    assert StatusChange.objects.count() == 3
    assert set(Recommendation.objects.values_list("status", flat=True)) == {ImplementationStatus.IN_PROGRESS}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "lead", "apply_to": "selected"}, b"Nothing was changed."),
        ({"action": "lead", "lead": "justice", "apply_to": "selected"}, b"tick recommendations"),
        ({"action": "status", "status": "in_progress", "apply_to": "all"}, b"required for the change you chose"),
        ({"action": "explode", "apply_to": "all"}, b"Nothing was changed."),
    ],
)
def test_bad_requests_say_why_and_change_nothing(world, client_for, data, message):
    before = AuditEvent.objects.count()
    if data.get("lead") == "justice":
        data = {**data, "lead": world.justice.pk}
    response = _post(client_for(world, Role.COORDINATOR), **data)
    assert message in response.content
    assert AuditEvent.objects.count() == before


def test_more_than_the_limit_is_refused(world, client_for, monkeypatch):
    from rectrack.recommendations import services

    monkeypatch.setattr(services, "BULK_LIMIT", 2)
    response = _post(client_for(world, Role.COORDINATOR), action="lead", lead=world.justice.pk, apply_to="all")
    assert b"more than 2 recommendations match" in response.content
    assert _events(world, "lead_institution").count() == 0


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_the_secretariat_changes_many(world, client_for, role):
    client = client_for(world, role)
    assert b"Change many at once" not in client.get(reverse("recommendations:list")).content
    response = client.post(reverse(BULK), {"action": "lead", "lead": world.interior.pk, "apply_to": "all"})
    assert response.status_code == 404
    assert _events(world, "lead_institution").count() == 0


def test_the_list_offers_the_form_and_a_tick_box_per_row(world, client_for):
    page = client_for(world, Role.COORDINATOR).get(reverse("recommendations:list"), {"q": "torture"}).content.decode()
    assert "Change many at once" in page
    assert f'name="ids" value="{world.torture.pk}" form="bulk-form"' in page
    assert 'name="query" value="q=torture"' in page


def test_the_ticked_recommendations_start_an_information_request(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    response = client.post(
        reverse("recommendations:bulk"),
        {"apply_to": "selected", "query": "", "action": "ask", "ids": [world.education.pk, world.torture.pk]},
    )
    assert response.status_code == 302
    form = client.get(response["Location"]).content.decode()
    first, second = sorted([world.education.pk, world.torture.pk])
    assert f"#{first}\n#{second}</textarea>" in form


def test_a_request_about_too_many_recommendations_is_refused(world, client_for, monkeypatch):
    from rectrack.recommendations import views

    monkeypatch.setattr(views, "ASK_LIMIT", 1)
    response = client_for(world, Role.COORDINATOR).post(
        reverse("recommendations:bulk"), {"apply_to": "all", "query": "", "action": "ask"}, follow=True
    )
    assert "at most 1 recommendations" in response.content.decode()
