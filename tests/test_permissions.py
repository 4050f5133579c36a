"""Who may do what: every page needs a login, every mutating view checks the role.

A user who may not act on an object gets the same 404 as for a missing one.
"""

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent

SECRETARIAT = {Role.ADMINISTRATOR, Role.COORDINATOR}
ROLES = [Role.ADMINISTRATOR, Role.COORDINATOR, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER]


def _pages(world):
    return [
        reverse("dashboard:home"),
        reverse("statistics:progress"),
        reverse("statistics:themes"),
        reverse("statistics:planning"),
        reverse("statistics:over_time"),
        reverse("dashboard:settings"),
        reverse("recommendations:list"),
        reverse("recommendations:detail", args=[world.education.pk]),
        reverse("planning:activity_list"),
        reverse("planning:activity_detail", args=[world.activity.pk]),
        reverse("planning:project_list"),
        reverse("planning:project_detail", args=[world.project.pk]),
    ]


def test_anonymous_users_are_sent_to_the_login_page_everywhere(world, client):
    urls = _pages(world) + [
        reverse("recommendations:create"),
        reverse("recommendations:edit", args=[world.education.pk]),
        reverse("planning:activity_create"),
        reverse("planning:activity_edit", args=[world.activity.pk]),
        reverse("planning:project_create"),
        reverse("planning:project_edit", args=[world.project.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_anonymous_posts_change_nothing(world, client):
    before = AuditEvent.objects.count()
    client.post(reverse("recommendations:assign", args=[world.torture.pk]), {"project": world.project.pk})
    client.post(reverse("planning:project_create"), {"name": "X", "status": "active"})
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_read_every_page(world, client_for, role):
    if role == Role.CONTRIBUTOR:
        # A contributor reads what is published or shared with them (tests/test_sharing.py).
        from rectrack.instance.services import portal_rules_update

        portal_rules_update(actor=None, publish_recommendations=True, publish_projects=True, publish_activities=True)
    client = client_for(world, role)
    for url in _pages(world):
        assert client.get(url).status_code == 200, url


# (view name, args from the world, form data) for each mutating view.
def _recommendation_form(world):
    return {
        "mechanism": world.upr.pk,
        "document_symbol": "A/HRC/43/15",
        "text": "121.99 Adopt a national action plan on business and human rights.",
        "kind": "recommendation",
        "status": "not_started",
    }


MUTATIONS = {
    "recommendation_create": (
        lambda w: reverse("recommendations:create"),
        _recommendation_form,
        SECRETARIAT,
    ),
    "recommendation_edit": (
        lambda w: reverse("recommendations:edit", args=[w.torture.pk]),
        lambda w: {**_recommendation_form(w), "version": w.torture.version, "status": "fully_implemented"},
        SECRETARIAT,
    ),
    "recommendation_assign": (
        lambda w: reverse("recommendations:assign", args=[w.torture.pk]),
        lambda w: {"project": w.project.pk},
        SECRETARIAT,
    ),
    "recommendation_unassign": (
        lambda w: reverse("recommendations:unassign", args=[w.education.pk, w.project.pk]),
        lambda w: {},
        SECRETARIAT,
    ),
    "activity_create": (
        lambda w: reverse("planning:activity_create"),
        lambda w: {"title": "New activity", "status": "planned", "lead_institution": w.justice.pk},
        SECRETARIAT | {Role.FOCAL_POINT},
    ),
    "activity_edit_own_institution": (
        lambda w: reverse("planning:activity_edit", args=[w.activity.pk]),
        lambda w: {
            "title": "Renamed",
            "status": "completed",
            "lead_institution": w.justice.pk,
            "version": w.activity.version,
        },
        SECRETARIAT | {Role.FOCAL_POINT},
    ),
    "activity_edit_other_institution": (
        lambda w: reverse("planning:activity_edit", args=[w.interior_activity.pk]),
        lambda w: {
            "title": "Renamed",
            "status": "completed",
            "lead_institution": w.interior.pk,
            "version": w.interior_activity.version,
        },
        SECRETARIAT,
    ),
    "project_create": (
        lambda w: reverse("planning:project_create"),
        lambda w: {"name": "New project", "status": "active"},
        SECRETARIAT,
    ),
    "project_edit": (
        lambda w: reverse("planning:project_edit", args=[w.project.pk]),
        lambda w: {"name": "Renamed project", "status": "active", "version": w.project.version},
        SECRETARIAT,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_mutating_views_check_the_role(world, client_for, role, mutation):
    url_of, data_of, allowed = MUTATIONS[mutation]
    client = client_for(world, role)
    before = AuditEvent.objects.count()
    response = client.post(url_of(world), data_of(world))
    if role in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert AuditEvent.objects.count() > before
    else:
        assert response.status_code == 404
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_edit_forms_are_only_shown_to_those_who_may_save_them(world, client_for, role):
    client = client_for(world, role)
    expected = 200 if role in SECRETARIAT else 404
    assert client.get(reverse("recommendations:edit", args=[world.torture.pk])).status_code == expected
    assert client.get(reverse("planning:project_edit", args=[world.project.pk])).status_code == expected
    own = 200 if role in SECRETARIAT | {Role.FOCAL_POINT} else 404
    assert client.get(reverse("planning:activity_edit", args=[world.activity.pk])).status_code == own
    assert client.get(reverse("planning:activity_create")).status_code == own


def test_a_missing_object_and_a_forbidden_one_look_alike(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    forbidden = client.get(reverse("planning:activity_edit", args=[world.interior_activity.pk]))
    missing = client.get(reverse("planning:activity_edit", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404


def test_a_focal_point_cannot_make_another_institution_lead(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    response = client.post(
        reverse("planning:activity_create"),
        {"title": "Sneaky", "status": "planned", "lead_institution": world.interior.pk},
    )
    assert response.status_code == 200
    assert "lead_institution" in response.context["form"].errors


def test_a_focal_point_without_an_institution_cannot_create_activities(world, client_for):
    world.user(Role.FOCAL_POINT).memberships.all().delete()
    client = client_for(world, Role.FOCAL_POINT)
    assert client.get(reverse("planning:activity_create")).status_code == 404


def test_logout_needs_a_post(world, client_for):
    client = client_for(world, Role.VIEWER)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 302
