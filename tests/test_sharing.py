"""Contributors (an NHRI, civil society) read what is published and what is shared with their institution."""

import pytest
from django.urls import reverse

from rectrack.accounts import permissions
from rectrack.accounts.models import Role
from rectrack.instance.services import portal_rules_update
from rectrack.planning import services as planning
from rectrack.portal.models import Publication
from rectrack.portal.services import publication_set

from .conftest import listed_ids


def _share_project(world):
    planning.project_update(project=world.project, actor=world.admin, shared_with=[world.nhri])


def test_a_contributor_reads_nothing_that_is_neither_published_nor_shared(world, client_for):
    client = client_for(world, Role.CONTRIBUTOR)
    assert listed_ids(client, reverse("recommendations:list")) == set()
    assert client.get(reverse("planning:project_list")).context["page"].paginator.count == 0
    assert client.get(reverse("planning:activity_list")).context["page"].paginator.count == 0
    for url in (
        reverse("recommendations:detail", args=[world.education.pk]),
        reverse("planning:project_detail", args=[world.project.pk]),
        reverse("planning:activity_detail", args=[world.activity.pk]),
    ):
        assert client.get(url).status_code == 404, url
    dashboard = client.get(reverse("dashboard:home"))
    overview = dashboard.context["overview"]
    assert (overview.projects_total, overview.recommendations_total, overview.activities_total) == (0, 0, 0)
    assert dashboard.context["recent_updates"] == []
    # Nor do the project filters name the projects.
    page = client.get(reverse("recommendations:list")).content.decode()
    assert world.project.name not in page


def test_a_shared_project_opens_its_recommendations_and_activities(world, client_for):
    _share_project(world)
    client = client_for(world, Role.CONTRIBUTOR)
    assert listed_ids(client, reverse("recommendations:list")) == {world.education.pk}
    assert listed_ids(client, reverse("recommendations:list"), q="torture") == set()
    activities = client.get(reverse("planning:activity_list")).context["page"].object_list
    assert [activity.pk for activity in activities] == [world.activity.pk]
    assert client.get(reverse("planning:project_detail", args=[world.project.pk])).status_code == 200
    assert client.get(reverse("planning:activity_detail", args=[world.activity.pk])).status_code == 200
    assert client.get(reverse("recommendations:detail", args=[world.torture.pk])).status_code == 404
    assert client.get(reverse("planning:activity_detail", args=[world.interior_activity.pk])).status_code == 404
    overview = client.get(reverse("dashboard:home")).context["overview"]
    assert (overview.projects_total, overview.recommendations_total, overview.activities_total) == (1, 1, 1)
    updates = client.get(reverse("dashboard:home")).context["recent_updates"]
    assert updates and {(event.content_type.model, event.object_id) for event in updates} <= {
        ("project", world.project.pk),
        ("recommendation", world.education.pk),
        ("activity", world.activity.pk),
    }


def test_linked_objects_on_a_readable_page_are_narrowed_too(world, client_for):
    _share_project(world)
    other = planning.project_create(actor=world.admin, name="Confidential reform plan")
    planning.activity_update(activity=world.activity, actor=world.admin, projects=[world.project, other])
    client = client_for(world, Role.CONTRIBUTOR)
    activity_page = client.get(reverse("planning:activity_detail", args=[world.activity.pk])).content.decode()
    assert "Confidential reform plan" not in activity_page
    assert world.project.name in activity_page
    recommendation_page = client.get(reverse("recommendations:detail", args=[world.education.pk])).content.decode()
    assert "Confidential reform plan" not in recommendation_page
    # Everyone else reads it.
    viewer = client_for(world, Role.VIEWER)
    assert (
        "Confidential reform plan"
        in viewer.get(reverse("planning:activity_detail", args=[world.activity.pk])).content.decode()
    )


def test_a_contributor_reads_what_is_published(world, client_for):
    publication_set(obj=world.torture, actor=None, publication=Publication.PUBLISHED)
    portal_rules_update(actor=None, publish_activities=True)
    client = client_for(world, Role.CONTRIBUTOR)
    assert listed_ids(client, reverse("recommendations:list")) == {world.torture.pk}
    assert client.get(reverse("planning:activity_detail", args=[world.interior_activity.pk])).status_code == 200


def test_a_contributor_reads_the_activities_their_institution_takes_part_in(world, client_for):
    planning.activity_update(activity=world.interior_activity, actor=world.admin, implementing_partners=[world.nhri])
    client = client_for(world, Role.CONTRIBUTOR)
    assert client.get(reverse("planning:activity_detail", args=[world.interior_activity.pk])).status_code == 200
    assert client.get(reverse("planning:activity_detail", args=[world.activity.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.COORDINATOR, Role.FOCAL_POINT, Role.VIEWER])
def test_every_other_role_reads_everything(world, client_for, role):
    user = world.user(role)
    assert permissions.recommendation_scope(user) is None
    client = client_for(world, role)
    assert listed_ids(client, reverse("recommendations:list")) == {world.education.pk, world.torture.pk, world.women.pk}


def test_the_secretariat_shares_a_project_from_its_form(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    url = reverse("planning:project_edit", args=[world.project.pk])
    form = client.get(url).content.decode()
    assert "Ombudsman" in form and "Ministry of the Interior" not in form.split("shared_with")[-1]
    client.post(
        url,
        {
            "name": world.project.name,
            "status": "active",
            "shared_with": [world.nhri.pk],
            "version": world.project.version,
        },
    )
    world.project.refresh_from_db()
    assert list(world.project.shared_with.all()) == [world.nhri]
    contributor = client_for(world, Role.CONTRIBUTOR)
    assert contributor.get(reverse("planning:project_detail", args=[world.project.pk])).status_code == 200
