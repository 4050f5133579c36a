"""Settings › Institutions: register, edit and deactivate institutions; the roster shows who belongs."""

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.institutions.models import Institution, InstitutionKind, Level


@pytest.fixture
def admin(world, client_for):
    return client_for(world, Role.ADMINISTRATOR)


def _data(**changes):
    return {"name": "Office for Equal Opportunities", "acronym": "OEO", "kind": InstitutionKind.AGENCY,
            "level": Level.NATIONAL, "parent": "", "is_active": "on", **changes}  # fmt: skip


def test_an_administrator_registers_an_institution_with_history(world, admin):
    response = admin.post(reverse("institutions:list"), _data(parent=world.justice.pk))
    assert response.status_code == 302
    office = Institution.objects.get(name="Office for Equal Opportunities")
    assert office.parent == world.justice
    event = AuditEvent.objects.get(object_id=office.pk, content_type__model="institution")
    assert event.changes["name"]["new"] == "Office for Equal Opportunities"
    listing = admin.get(reverse("institutions:list")).content.decode()
    assert "Office for Equal Opportunities" in listing and "(OEO)" in listing
    duplicate = admin.post(reverse("institutions:list"), _data())
    assert (
        duplicate.status_code == 200
        and Institution.objects.filter(name__iexact="office for equal opportunities").count() == 1
    )


def test_editing_and_deactivating_is_recorded_and_the_roster_shows_members(world, admin):
    page = admin.get(reverse("institutions:edit", args=[world.justice.pk])).content.decode()
    assert "Focal point" in page and "Main focal point" in page  # the focal point of the world's ministry
    response = admin.post(
        reverse("institutions:edit", args=[world.justice.pk]),
        _data(name="Ministry of Justice", acronym="MP", kind=InstitutionKind.MINISTRY, is_active=""),
    )
    assert response.status_code == 302
    world.justice.refresh_from_db()
    assert not world.justice.is_active and world.justice.acronym == "MP"
    event = AuditEvent.objects.filter(object_id=world.justice.pk, content_type__model="institution").latest("id")
    assert event.changes["is_active"] == {"old": True, "new": False}
    # An inactive institution is no longer offered as a lead.
    form = admin.get(reverse("planning:activity_create")).content.decode()
    assert f'<option value="{world.justice.pk}"' not in form


def test_an_institution_cannot_sit_under_its_own_unit(world, admin):
    unit = Institution.objects.create(name="Prison Administration", parent=world.justice)
    response = admin.post(
        reverse("institutions:edit", args=[world.justice.pk]),
        _data(name="Ministry of Justice", kind=InstitutionKind.MINISTRY, parent=unit.pk),
    )
    assert response.status_code == 200 and "cannot sit under itself" in response.content.decode()
    world.justice.refresh_from_db()
    assert world.justice.parent is None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_administrators_manage_institutions(world, client_for, role):
    client = client_for(world, role)
    assert client.get(reverse("institutions:list")).status_code == 404
    assert client.post(reverse("institutions:list"), _data()).status_code == 404
    assert client.post(reverse("institutions:edit", args=[world.justice.pk]), _data(name="X")).status_code == 404
    assert not Institution.objects.filter(name__in=["Office for Equal Opportunities", "X"]).exists()
