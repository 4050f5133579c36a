"""The feed of every update, filtered; who may read it."""

from decimal import Decimal

from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.planning import services as planning

FEED = "audit:feed"


def test_the_feed_lists_changes_with_links_and_field_lines(world, client_for):
    planning.activity_update(activity=world.activity, actor=world.admin, budget_amount=Decimal("150000"))
    client = client_for(world, Role.COORDINATOR)
    response = client.get(reverse(FEED))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Train teachers on inclusive education" in page
    assert reverse("planning:activity_detail", args=[world.activity.pk]) in page
    assert "Budget changed from “100,000” to “150,000”" in page
    # Newest first.
    first = response.context["page"].object_list[0]
    assert first.object_id == world.activity.pk and first.action == "updated"


def test_the_feed_filters_by_kind_actor_name_and_date(world, client_for):
    coordinator = world.user(Role.COORDINATOR)
    planning.project_update(project=world.project, actor=coordinator, name="Education for every child")
    client = client_for(world, Role.VIEWER)

    def shown(**params):
        return {
            (e.content_type.model, e.object_id) for e in client.get(reverse(FEED), params).context["page"].object_list
        }

    assert shown(kind="project") == {("project", world.project.pk)}
    assert shown(actor=coordinator.pk) == {("project", world.project.pk)}
    assert shown(q="police") == {("activity", world.interior_activity.pk)}
    assert shown(q="A/HRC/43/15") == {("recommendation", world.education.pk), ("recommendation", world.torture.pk)}
    assert shown(date_to="2000-01-01") == set()
    assert len(shown(date_from="2000-01-01")) > 3
    # An unknown value is dropped with a note, not an error.
    response = client.get(reverse(FEED), {"kind": "spaceship"})
    assert response.status_code == 200 and response.context["notes"]


def test_only_administrators_see_changes_to_settings_users_and_terms(world, client_for):
    from rectrack.institutions import services as institutions

    institutions.institution_update(institution=world.justice, actor=world.admin, acronym="MoJ")
    admin_kinds = {
        e.content_type.model
        for e in client_for(world, Role.ADMINISTRATOR).get(reverse(FEED)).context["page"].object_list
    }
    assert "institution" in admin_kinds
    viewer_page = client_for(world, Role.VIEWER).get(reverse(FEED), {"kind": "institution"})
    assert {e.content_type.model for e in viewer_page.context["page"].object_list} <= {
        "recommendation",
        "project",
        "activity",
    }


def test_contributors_have_no_feed(world, client_for):
    assert client_for(world, Role.CONTRIBUTOR).get(reverse(FEED)).status_code == 404


def test_the_feed_reads_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world, Role.COORDINATOR)
    client.get(reverse(FEED))
    for n in range(30):
        planning.activity_update(activity=world.activity, actor=world.admin, title=f"Title {n}")
    with django_assert_max_num_queries(12):
        client.get(reverse(FEED))
