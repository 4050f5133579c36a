"""Interface languages: the switcher, a per-user choice, and catalogues complete in every language."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent

from .conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "locale"


def gettext_tool(name: str) -> str:
    """The full path of a GNU gettext program (Debian package gettext); required on CI."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is missing: apt-get install gettext.")
        pytest.skip(f"{name} is not installed (apt-get install gettext); skipped.")
    return path


def test_a_signed_in_user_s_choice_is_saved_and_followed_everywhere(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    response = client.post(reverse("accounts:language"), {"language": "fr", "next": reverse("planning:project_list")})
    assert response.status_code == 302 and response["Location"] == reverse("planning:project_list")
    user = world.user(Role.FOCAL_POINT)
    user.refresh_from_db()
    assert user.language == "fr"
    assert AuditEvent.objects.filter(object_id=user.pk, changes__language__new="fr").exists()
    # Another device, whose browser asks for English, still gets the user's language.
    client.cookies.clear()
    client.force_login(user)
    page = client.get(reverse("dashboard:home"), headers={"accept-language": "en"})
    assert '<html lang="fr"' in page.content.decode()


def test_the_browser_language_applies_until_the_user_chooses(world, client_for):
    client = client_for(world, Role.VIEWER)
    page = client.get(reverse("dashboard:home"), headers={"accept-language": "ar"})
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<option value="ar" lang="ar" selected>' in html


def test_anyone_may_switch_on_the_login_page_and_unknown_languages_or_foreign_redirects_change_nothing(db, client):
    response = client.post(reverse("accounts:language"), {"language": "es", "next": reverse("accounts:login")})
    assert response["Location"] == reverse("accounts:login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es"' in client.get(reverse("accounts:login")).content.decode()
    response = client.post(reverse("accounts:language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_switching_needs_a_post(client):
    assert client.get(reverse("accounts:language")).status_code == 405


def test_every_user_facing_string_is_translated_in_every_catalogue(tmp_path, settings, monkeypatch):
    """Extract the strings afresh into copies of the catalogues: none may be missing, empty or fuzzy."""
    msgattrib = gettext_tool("msgattrib")
    # makemessages writes to ./locale too: run it in a scratch folder that sees the code through a link.
    copy = tmp_path / "locale"
    shutil.copytree(CATALOGUES, copy)
    (tmp_path / "rectrack").symlink_to(ROOT / "rectrack")
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [copy]
    languages = sorted(path.name for path in copy.iterdir() if path.is_dir())
    assert languages == ["ar", "es", "fr", "ru", "zh_Hans"]
    call_command(
        "makemessages",
        *[f"--locale={language}" for language in languages],
        "--no-location",
        "--symlinks",
        verbosity=0,
    )
    problems = {}
    for language in languages:
        po = copy / language / "LC_MESSAGES" / "django.po"
        assert '\nmsgid "Import a file"\n' in po.read_text(), "the strings were not extracted"
        for flag in ("--untranslated", "--only-fuzzy"):
            out = subprocess.run([msgattrib, flag, "--no-wrap", str(po)], capture_output=True, text=True).stdout  # noqa: S603
            missing = [line[7:-1] for line in out.splitlines() if line.startswith('msgid "') and line != 'msgid ""']
            if missing:
                problems[f"{language} {flag}"] = missing[:10]
    assert problems == {}


def test_the_compiled_catalogues_match_their_sources(tmp_path):
    msgfmt = gettext_tool("msgfmt")
    for po in sorted(CATALOGUES.glob("*/LC_MESSAGES/django.po")):
        subprocess.run([msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(po)], check=True)  # noqa: S603
        assert po.with_suffix(".mo").read_bytes() == (tmp_path / "django.mo").read_bytes(), f"run compilemessages: {po}"


def test_a_national_language_is_added_by_configuration_alone():
    """RECTRACK_EXTRA_LANGUAGES adds a language to the switcher and the user's choices; no code changes."""
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.test import Client;"
        "html = Client().get('/accounts/login/', headers={'accept-language': 'sl'}).content.decode();"
        'print(\'<html lang="sl"\' in html, \'<option value="sl" lang="sl" selected>Slovenščina</option>\' in html)'
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "RECTRACK_EXTRA_LANGUAGES": "sl:Slovenščina",
        "DATABASE_URL": "sqlite://:memory:",
    }
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert done.stdout.split() == ["True", "True"], done.stderr[-2000:]


def test_every_plural_form_is_translated():
    """msgattrib counts a plural entry as translated once its first form is; every form must be."""
    from babel.messages.pofile import read_po

    missing = {}
    for po in sorted(CATALOGUES.glob("*/LC_MESSAGES/django.po")):
        with open(po, "rb") as handle:
            catalog = read_po(handle)
        empty = [message.id[0] for message in catalog if isinstance(message.string, tuple) and not all(message.string)]
        if empty:
            missing[po.parent.parent.name] = empty
    assert missing == {}
