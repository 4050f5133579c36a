"""User management by administrators: invitations, roles, institutions, deactivation; password reset."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rectrack.accounts import services
from rectrack.accounts.models import LoginFailure, Role, User
from rectrack.audit.models import AuditEvent
from rectrack.institutions.models import Membership, MembershipKind

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "Triglav and the Sava 2026"


@pytest.fixture
def admin(world, client_for):
    return client_for(world, Role.ADMINISTRATOR)


def _invite(client, world, **changes):
    data = {
        "email": "Maja.Kralj@gov.example",
        "first_name": "Maja",
        "last_name": "Kralj",
        "role": Role.FOCAL_POINT,
        "institutions": [world.interior.pk],
        "kind": MembershipKind.MAIN_FOCAL_POINT,
        "language": "",
        **changes,
    }
    return client.post(reverse("accounts:user_invite"), data)


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def test_an_invitation_creates_an_account_that_works_once_its_owner_chose_a_password(world, admin):
    client = Client()  # the invitee's browser
    response = _invite(admin, world)
    assert response.status_code == 302
    invited = User.objects.get(email="Maja.Kralj@gov.example")
    assert invited.username == "maja.kralj@gov.example"
    assert not invited.is_active and not invited.has_usable_password()
    assert Membership.objects.active().get(user=invited).institution == world.interior
    [message] = mail.outbox
    assert message.to == ["Maja.Kralj@gov.example"] and "maja.kralj@gov.example" in message.body
    # Until then the account cannot sign in.
    assert (
        "not right"
        in client.post(reverse("accounts:login"), {"username": invited.username, "password": "x"}).content.decode()
    )

    link = _link(message)
    page = client.get(link)
    assert page.status_code == 200 and "Choose your password" in page.content.decode()
    short = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200 and not User.objects.get(pk=invited.pk).is_active
    done = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("dashboard:home")
    invited.refresh_from_db()
    assert invited.is_active and invited.check_password(NEW_PASSWORD)
    assert client.get(reverse("dashboard:home")).status_code == 200  # signed in
    # The link works once.
    client.post(reverse("accounts:logout"))
    again = client.get(link)
    assert again.status_code == 404 and "no longer works" in again.content.decode()
    history = [event.changes for event in AuditEvent.objects.filter(object_id=invited.pk, content_type__model="user")]
    assert any("invitation" in changes for changes in history)
    assert any(changes.get("is_active") == {"old": False, "new": True} for changes in history)


def test_an_invitation_expires(world, admin, settings):
    _invite(admin, world)
    settings.RECTRACK_INVITATION_DAYS = 0
    response = Client().get(_link(mail.outbox[0]))
    assert response.status_code == 404


def test_an_invitation_is_written_in_the_invitees_language(world, admin):
    _invite(admin, world, language="fr")
    with translation.override("fr"):
        subject = translation.gettext("Your account on %(site_name)s") % {"site_name": "RecTrack"}
    assert subject != "Your account on RecTrack"
    assert mail.outbox[0].subject == subject
    assert User.objects.get(email="Maja.Kralj@gov.example").language == "fr"


def test_the_same_address_cannot_be_invited_twice(world, admin):
    _invite(admin, world)
    response = _invite(admin, world, email="maja.kralj@GOV.example")
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="maja.kralj@gov.example").count() == 1


def test_a_focal_point_needs_an_institution(world, admin):
    response = _invite(admin, world, institutions=[])
    assert response.status_code == 200 and "at least one institution" in response.content.decode()


def test_resending_an_invitation_sends_a_new_link(world, admin):
    _invite(admin, world)
    invited = User.objects.get(email="Maja.Kralj@gov.example")
    admin.post(reverse("accounts:user_resend", args=[invited.pk]))
    assert len(mail.outbox) == 2


def test_changing_role_institutions_and_deactivating_is_recorded(world, admin):
    viewer = world.user(Role.VIEWER)
    client = Client()  # the viewer's own browser
    client.force_login(viewer)
    assert client.get(reverse("dashboard:home")).status_code == 200
    response = admin.post(
        reverse("accounts:user_edit", args=[viewer.pk]),
        {"role": Role.FOCAL_POINT, "institutions": [world.justice.pk], "kind": MembershipKind.ALTERNATE_FOCAL_POINT},
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.role == Role.FOCAL_POINT and not viewer.is_active
    assert Membership.objects.active().get(user=viewer).kind == MembershipKind.ALTERNATE_FOCAL_POINT
    event = AuditEvent.objects.filter(object_id=viewer.pk, content_type__model="user").latest("id")
    assert event.changes["role"] == {"old": Role.VIEWER, "new": Role.FOCAL_POINT}
    assert event.changes["is_active"] == {"old": True, "new": False}
    assert event.changes["institutions"]["added"] == [str(world.justice)]
    # Deactivation ends the user's sessions at once.
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_an_ended_membership_stays_in_the_roster(world, admin):
    focal = world.user(Role.FOCAL_POINT)
    admin.post(
        reverse("accounts:user_edit", args=[focal.pk]),
        {"role": Role.FOCAL_POINT, "institutions": [world.interior.pk], "kind": MembershipKind.MAIN_FOCAL_POINT,
         "is_active": "on"},
    )  # fmt: skip
    assert [m.institution for m in Membership.objects.active().filter(user=focal)] == [world.interior]
    ended = Membership.objects.get(user=focal, institution=world.justice)
    assert ended.end_date is not None


def test_nobody_demotes_or_deactivates_themselves_or_the_last_administrator(world, admin):
    me = world.admin
    response = admin.post(reverse("accounts:user_edit", args=[me.pk]), {"role": Role.VIEWER, "kind": "member"})
    assert response.status_code == 200 and "your own role" in response.content.decode()
    other = User.objects.create_user(username="second", password=PASSWORD, role=Role.COORDINATOR)
    assert services._last_administrator(me)
    with pytest.raises(Exception, match="last active administrator"):
        services.user_update(
            actor=other, user=me, role=Role.COORDINATOR, institutions=[], kind="member", is_active=True
        )
    assert User.objects.get(pk=me.pk).role == Role.ADMINISTRATOR


def test_the_user_list_shows_roles_states_and_pauses(world, admin):
    _invite(admin, world)
    for _ in range(5):
        services.login_failed(username="viewer", ip_address=None)
    content = admin.get(reverse("accounts:user_list")).content.decode()
    assert "Invited" in content and "Sign-in paused" in content and "Ministry of Justice" in content
    viewer = world.user(Role.VIEWER)
    admin.post(reverse("accounts:user_unlock", args=[viewer.pk]))
    assert not LoginFailure.objects.filter(username="viewer").exists()


# ---------------------------------------------------------------- password reset


def test_a_password_reset_says_the_same_whether_or_not_the_address_exists(world, client):
    viewer = world.user(Role.VIEWER)
    viewer.email = "vera@gov.example"
    viewer.save()
    known = client.post(reverse("accounts:password_reset"), {"email": "vera@gov.example"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@gov.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", message.body).group(0)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)


def test_the_login_page_links_to_password_reset(db, client):
    assert reverse("accounts:password_reset") in client.get(reverse("accounts:login")).content.decode()
