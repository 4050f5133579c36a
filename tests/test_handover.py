"""Focal-point handover: the alternate takes over as main focal point, with open requests and history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rectrack.accounts.models import Role, User
from rectrack.audit.models import AuditEvent
from rectrack.collaboration.models import Notification
from rectrack.inquiries import services as inquiries
from rectrack.inquiries.models import Recipient
from rectrack.institutions import services
from rectrack.institutions.models import Membership, MembershipKind


@pytest.fixture
def alternate(world):
    user = User.objects.create_user(username="alenka", first_name="Alenka", role=Role.FOCAL_POINT, password="x" * 20)
    Membership.objects.create(
        user=user,
        institution=world.justice,
        kind=MembershipKind.ALTERNATE_FOCAL_POINT,
        start_date=timezone.localdate() - timedelta(days=100),
    )
    return user


def _request(world):
    return inquiries.request_send(
        actor=world.admin, title="Annual report", instructions="Progress?", word_limit=100,
        deadline=timezone.localdate() + timedelta(days=7), activities=[world.activity], institutions=[world.justice],
    )  # fmt: skip


def test_the_alternate_takes_over_with_open_requests_and_history(world, alternate):
    leaving = world.user(Role.FOCAL_POINT)
    request = _request(world)
    moved = services.focal_point_handover(
        actor=world.admin, institution=world.justice, leaving=leaving, taking_over=alternate
    )
    assert moved == 1
    assert Recipient.objects.get(request=request).assignee == alternate
    today = timezone.localdate()
    active = {(m.user, m.kind) for m in Membership.objects.active().filter(institution=world.justice)}
    assert active == {(alternate, MembershipKind.MAIN_FOCAL_POINT)}
    # The roster keeps the past: Alenka was alternate until yesterday.
    past = Membership.objects.get(user=alternate, kind=MembershipKind.ALTERNATE_FOCAL_POINT)
    assert past.end_date == today - timedelta(days=1)
    event = AuditEvent.objects.filter(content_type__model="institution", object_id=world.justice.pk).latest("id")
    assert event.changes["main focal point"] == {"old": str(leaving), "new": str(alternate)}
    assert Notification.objects.filter(recipient=alternate, kind="handover").exists()
    # The leaving focal point no longer edits the ministry's activities.
    leaving = User.objects.get(pk=leaving.pk)
    from rectrack.accounts import permissions

    assert not permissions.can_edit_activity(leaving, world.activity)
    assert permissions.can_edit_activity(User.objects.get(pk=alternate.pk), world.activity)


def test_the_leaving_person_may_stay_as_alternate(world, alternate):
    leaving = world.user(Role.FOCAL_POINT)
    services.focal_point_handover(
        actor=world.admin, institution=world.justice, leaving=leaving, taking_over=alternate, end_membership=False
    )
    active = {(m.user_id, m.kind) for m in Membership.objects.active().filter(institution=world.justice)}
    assert active == {
        (alternate.pk, MembershipKind.MAIN_FOCAL_POINT),
        (leaving.pk, MembershipKind.ALTERNATE_FOCAL_POINT),
    }


def test_a_handover_to_someone_outside_the_institution_is_refused(world, alternate):
    outsider = world.user(Role.VIEWER)
    with pytest.raises(ValidationError, match="must be an active focal point"):
        services.focal_point_handover(
            actor=world.admin, institution=world.justice, leaving=world.user(Role.FOCAL_POINT), taking_over=outsider
        )
    assert Membership.objects.filter(institution=world.justice, end_date__isnull=False).count() == 0


@pytest.mark.parametrize("role", list(Role))
def test_who_may_hand_over(world, alternate, client_for, role):
    client = client_for(world, role)
    url = reverse("institutions:handover", args=[world.justice.pk])
    data = {"leaving": world.user(Role.FOCAL_POINT).pk, "taking_over": alternate.pk, "end_membership": "on"}
    response = client.post(url, data, follow=True)
    handed = Membership.objects.active().filter(user=alternate, kind=MembershipKind.MAIN_FOCAL_POINT).exists()
    assert handed == (role in {Role.ADMINISTRATOR, Role.COORDINATOR})
    if handed:
        assert "is now the main focal point; 0 open request(s) moved to them" in response.content.decode()
    else:
        assert response.status_code == 404
