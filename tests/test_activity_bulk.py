"""Bulk changes on the activities list: ticked rows or every match, one history entry per activity."""

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.planning import services
from rectrack.planning.models import Activity


def _bulk(client, **data):
    return client.post(reverse("planning:activity_bulk"), {"apply_to": "all", "query": "", **data}, follow=True)


def _entries(activity):
    return AuditEvent.objects.filter(content_type__model="activity", object_id=activity.pk).count()


def test_every_matching_activity_gets_the_status_and_one_entry_each(world, client_for):
    before = {a.pk: (_entries(a), a.version) for a in Activity.objects.all()}
    response = _bulk(client_for(world, Role.COORDINATOR), action="status", status="delayed")
    assert "2 activities were changed (of 2 chosen)." in response.content.decode()
    for activity in Activity.objects.all():
        assert activity.status == "delayed"
        assert (_entries(activity), activity.version) == (before[activity.pk][0] + 1, before[activity.pk][1] + 1)
    event = AuditEvent.objects.filter(object_id=world.activity.pk, content_type__model="activity").latest("id")
    assert event.changes == {"status": {"old": "in_progress", "new": "delayed"}}


def test_only_the_ticked_activities_within_the_filters_change(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    response = client.post(
        reverse("planning:activity_bulk"),
        {"apply_to": "selected", "query": "q=police", "action": "lead", "institution": world.nhri.pk,
         "ids": [world.activity.pk, world.interior_activity.pk]},
        follow=True,
    )  # fmt: skip
    assert "1 activity was changed (of 1 chosen)." in response.content.decode()
    world.activity.refresh_from_db()
    world.interior_activity.refresh_from_db()
    assert world.activity.lead_institution == world.justice  # ticked but not matching "police"
    assert world.interior_activity.lead_institution == world.nhri


def test_activities_join_a_project_and_gain_a_partner(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    _bulk(client, action="project", project=world.project.pk)
    assert set(world.project.activities.all()) == set(Activity.objects.all())
    project_event = AuditEvent.objects.filter(content_type__model="project", object_id=world.project.pk).latest("id")
    assert project_event.changes["activities"]["added"] == [world.interior_activity.title]
    _bulk(client, action="partner", institution=world.nhri.pk)
    assert all(world.nhri in a.implementing_partners.all() for a in Activity.objects.all())


def test_a_change_without_its_value_changes_nothing(world, client_for):
    response = _bulk(client_for(world, Role.COORDINATOR), action="project")
    assert "Nothing was changed. Project: Choose one for this change." in response.content.decode()
    assert not world.project.activities.exclude(pk=world.activity.pk).exists()


def test_more_than_the_limit_changes_nothing(world, client_for, monkeypatch):
    monkeypatch.setattr(services, "BULK_LIMIT", 1)
    response = _bulk(client_for(world, Role.COORDINATOR), action="status", status="cancelled")
    assert "more than 1 activities match" in response.content.decode()
    assert not Activity.objects.filter(status="cancelled").exists()


@pytest.mark.parametrize("role", list(Role))
def test_who_may_change_many_activities(world, client_for, role):
    response = _bulk(client_for(world, role), action="status", status="cancelled")
    changed = Activity.objects.filter(status="cancelled").count()
    secretariat = role in {Role.ADMINISTRATOR, Role.COORDINATOR}
    assert changed == (2 if secretariat else 0)
    if not secretariat:
        assert response.status_code == 404


def test_the_list_offers_tick_boxes_only_to_the_secretariat(world, client_for):
    url = reverse("planning:activity_list")
    assert 'form="bulk-form"' in client_for(world, Role.COORDINATOR).get(url).content.decode()
    assert 'form="bulk-form"' not in client_for(world, Role.FOCAL_POINT).get(url).content.decode()
