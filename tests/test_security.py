"""Security by default: headers, password storage and policy, sign-in throttling, sessions, deployment check."""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import rectrack.settings as production
from rectrack.accounts import services
from rectrack.accounts.models import LoginFailure, Role, User

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-test-password"


def test_every_page_carries_the_security_headers(world, client_for):
    client = client_for(world, Role.VIEWER)
    for url in (reverse("dashboard:home"), reverse("recommendations:list"), reverse("accounts:login")):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]


def test_passwords_are_stored_with_argon2_and_must_be_long(db):
    # The tests hash with MD5 for speed; the product's settings put Argon2 first.
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = User.objects.create_user(username="new", password="correct horse battery")
    assert user.password.startswith("argon2")
    with pytest.raises(ValidationError):
        validate_password("short-pass1")  # 11 characters
    with pytest.raises(ValidationError):
        validate_password("123456789012")  # all digits
    validate_password("Ljubljana river 2026")


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_repeated_failures_pause_sign_in_for_that_name_even_with_the_right_password(world, client):
    for _ in range(settings.RECTRACK_LOGIN_MAX_FAILURES):
        response = _login(client, "viewer", "wrong password here")
        assert "not right" in response.content.decode()
    response = _login(client, "viewer", PASSWORD)
    assert response.status_code == 200 and "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The pause ends with the window.
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=settings.RECTRACK_LOGIN_LOCKOUT_MINUTES + 1))
    assert _login(client, "viewer", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="viewer").exists()  # success forgets the failures


def test_the_pause_says_nothing_about_which_accounts_exist(world, client):
    pages = {}
    for username in ("viewer", "nobody-here"):
        for _ in range(settings.RECTRACK_LOGIN_MAX_FAILURES + 1):
            response = _login(client, username, "wrong password here")
        pages[username] = re.sub(r'value="[^"]{64}"', "TOKEN", response.content.decode().replace(username, "NAME"))
    assert pages["viewer"] == pages["nobody-here"]
    assert "Too many failed attempts" in pages["viewer"]


def test_one_address_guessing_many_names_is_paused_too(world, client, settings):
    settings.RECTRACK_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    for n in range(6):
        _login(client, f"guess-{n}", "wrong password here")
    response = _login(client, "coordinator", PASSWORD)
    assert "Too many failed attempts" in response.content.decode()


def test_an_administrator_lifts_a_pause_with_history(world):
    for _ in range(3):
        services.login_failed(username="Viewer", ip_address="192.0.2.1")
    assert services.login_unlock(username="viewer", actor=world.admin) == 3
    assert not LoginFailure.objects.exists()


def test_a_session_ends_after_idle_time_and_after_the_longest_day(world, client):
    client.force_login(world.user(Role.VIEWER))
    assert client.get(reverse("dashboard:home")).status_code == 200
    session = client.session
    session["seen_at"] = int(time.time()) - settings.RECTRACK_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    client.force_login(world.user(Role.VIEWER))
    client.get(reverse("dashboard:home"))
    session = client.session
    session["signed_in_at"] = int(time.time()) - settings.RECTRACK_SESSION_MAX_HOURS * 3600 - 5
    session.save()
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_reading_pages_does_not_rewrite_the_session_every_time(world, client):
    client.force_login(world.user(Role.VIEWER))
    client.get(reverse("dashboard:home"))
    seen = client.session["seen_at"]
    client.get(reverse("recommendations:list"))
    assert client.session["seen_at"] == seen


def test_the_deployment_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "RECTRACK_HTTPS": "true",
        "SECRET_KEY": "k" * 20 + "Zq8#vX2!mR7@pL4$wN9%tB6^hJ3&cF1*",
        "ALLOWED_HOSTS": "rectrack.example.org",
        "RECTRACK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "rectrack.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
