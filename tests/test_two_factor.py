"""Two-factor sign-in with an authenticator app (TOTP): setting it up, signing in, recovery, enforcement."""

import re
import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from rectrack.accounts import services
from rectrack.accounts.models import LoginFailure, Role, TwoFactorDevice
from rectrack.audit.models import AuditEvent

PASSWORD = "a-long-test-password"


def _turn_on(client) -> tuple[str, list[str]]:
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "<svg" in page
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    wrong = client.post(reverse("accounts:two_factor"), {"code": "000000"})
    assert "not right" in wrong.content.decode()
    done = client.post(reverse("accounts:two_factor"), {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4})</code></li>", done.content.decode())
    assert len(codes) == 10
    return secret, codes


def _password_step(client, username="viewer"):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def test_turning_it_on_then_signing_in_needs_the_code(world, client_for):
    client = client_for(world, Role.VIEWER)
    secret, _codes = _turn_on(client)
    viewer = world.user(Role.VIEWER)
    assert TwoFactorDevice.objects.get(user=viewer).confirmed_at is not None
    assert AuditEvent.objects.filter(object_id=viewer.pk, changes__has_key="two-factor sign-in").exists()

    browser = Client()
    response = _password_step(browser)
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert browser.get(reverse("dashboard:home")).status_code == 302  # not signed in yet
    # The code of the step already used to turn it on is refused (each code works once)...
    step_code = pyotp.TOTP(secret).now()
    refused = browser.post(reverse("accounts:two_factor_verify"), {"code": step_code})
    assert refused.status_code == 200 and "not right" in refused.content.decode()
    # ...and the next one (an app a little ahead of the server's clock) is accepted.
    next_code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    accepted = browser.post(reverse("accounts:two_factor_verify"), {"code": next_code})
    assert accepted.status_code == 302
    assert browser.get(reverse("dashboard:home")).status_code == 200


def test_a_recovery_code_signs_in_once(world, client_for):
    _secret, codes = _turn_on(client_for(world, Role.VIEWER))
    first = Client()
    _password_step(first)
    assert first.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()}).status_code == 302
    second = Client()
    _password_step(second)
    assert second.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}).status_code == 200
    assert len(TwoFactorDevice.objects.get(user=world.user(Role.VIEWER)).recovery_codes) == 9


def test_wrong_codes_pause_sign_in_like_wrong_passwords(world, client_for, settings):
    _turn_on(client_for(world, Role.VIEWER))
    browser = Client()
    _password_step(browser)
    for _ in range(settings.RECTRACK_LOGIN_MAX_FAILURES):
        browser.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert LoginFailure.objects.filter(username="viewer").count() == settings.RECTRACK_LOGIN_MAX_FAILURES
    paused = browser.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert "Too many failed attempts" in paused.content.decode()


def test_the_code_step_expires_and_cannot_be_reached_without_a_password(world, client):
    assert client.get(reverse("accounts:two_factor_verify"))["Location"] == reverse("accounts:login")


def test_turning_it_off_needs_a_code(world, client_for):
    client = client_for(world, Role.VIEWER)
    secret, codes = _turn_on(client)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "<svg" not in page and 'name="off-code"' in page  # no new key is offered while one is in use
    client.post(reverse("accounts:two_factor_disable"), {"off-code": "999999"})
    assert services.two_factor_enabled(world.user(Role.VIEWER))
    client.post(reverse("accounts:two_factor_disable"), {"off-code": codes[1]})
    assert not services.two_factor_enabled(world.user(Role.VIEWER))


def test_administrators_can_be_required_to_use_it(world, client_for, settings):
    settings.RECTRACK_REQUIRE_2FA_FOR_ADMINS = True
    admin = client_for(world, Role.ADMINISTRATOR)
    response = admin.get(reverse("recommendations:list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor")
    assert "must use two-factor sign-in" in admin.get(reverse("accounts:two_factor")).content.decode()
    _turn_on(admin)
    assert admin.get(reverse("recommendations:list")).status_code == 200
    # Other roles are not forced.
    assert client_for(world, Role.VIEWER).get(reverse("recommendations:list")).status_code == 200


def test_an_administrator_turns_it_off_for_a_user_who_lost_their_phone(world, client_for):
    _turn_on(client_for(world, Role.VIEWER))
    viewer = world.user(Role.VIEWER)
    admin = client_for(world, Role.ADMINISTRATOR)
    assert "lost phone" in admin.get(reverse("accounts:user_edit", args=[viewer.pk])).content.decode()
    admin.post(reverse("accounts:user_reset_two_factor", args=[viewer.pk]))
    assert not services.two_factor_enabled(viewer)
    assert _password_step(Client())["Location"] == reverse("dashboard:home")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_administrators_turn_it_off_for_others(world, client_for, role):
    _turn_on(client_for(world, Role.ADMINISTRATOR))
    client = client_for(world, role)
    response = client.post(reverse("accounts:user_reset_two_factor", args=[world.admin.pk]))
    assert response.status_code == 404
    assert services.two_factor_enabled(world.admin)
