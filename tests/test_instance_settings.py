"""Settings › This instance: name, country, logo, default currency, languages offered."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.instance import selectors
from rectrack.instance.models import InstanceSettings

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def admin(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return client_for(world, Role.ADMINISTRATOR)


def _save(client, **changes):
    data = {"name": "", "country": "", "default_currency": "", "languages": [], **changes}
    return client.post(reverse("instance:edit"), data)


def test_name_country_currency_and_languages_apply_everywhere(world, admin):
    response = _save(admin, name="NRTD Slovenija", country="Slovenia", default_currency="USD", languages=["en", "fr"])
    assert response.status_code == 302
    page = admin.get(reverse("dashboard:home")).content.decode()
    assert "NRTD Slovenija" in page
    assert '<option value="fr"' in page and '<option value="ar"' not in page  # the switcher offers two
    assert 'value="USD" selected' in admin.get(reverse("planning:activity_create")).content.decode()
    assert "Slovenia" in admin.get(reverse("imports:new")).content.decode()
    assert selectors.country() == "Slovenia"
    event = AuditEvent.objects.filter(content_type__model="instancesettings").get()
    assert event.changes["name"] == {"old": "", "new": "NRTD Slovenija"}


def test_empty_settings_fall_back_to_the_environment(world, admin, settings):
    settings.SITE_NAME = "RecTrack test"
    assert "RecTrack test" in admin.get(reverse("dashboard:home")).content.decode()
    assert selectors.default_currency() == settings.RECTRACK_DEFAULT_CURRENCY


def test_an_unknown_country_is_refused(world, admin):
    response = _save(admin, country="Atlantis")
    assert response.status_code == 200 and "is not a State" in response.content.decode()
    assert not InstanceSettings.objects.exists()


def test_a_logo_is_a_png_or_jpeg_served_as_an_image(world, admin, client):
    response = _save(admin, logo=SimpleUploadedFile("logo.png", PNG, content_type="image/png"))
    assert response.status_code == 302
    assert reverse("instance:logo") in admin.get(reverse("dashboard:home")).content.decode()
    served = admin.get(reverse("instance:logo"))
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == PNG
    # Replacing it with a remove keeps no file behind.
    _save(admin, remove_logo="on")
    assert admin.get(reverse("instance:logo")).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG or JPEG"),
        ("logo.png", b"GIF89a" + b"\0" * 20, "PNG or JPEG"),
        ("big.png", PNG + b"\0" * 600_000, "512"),
    ],
)
def test_other_files_are_refused_as_logos(world, admin, name, content, message):
    response = _save(admin, name="Changed", logo=SimpleUploadedFile(name, content))
    assert response.status_code == 200 and message in response.content.decode()
    assert not InstanceSettings.objects.exists()  # nothing saved, not even the name


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_administrators_change_the_instance(world, client_for, role):
    client = client_for(world, role)
    assert client.get(reverse("instance:edit")).status_code == 404
    assert client.post(reverse("instance:edit"), {"name": "Hijacked"}).status_code == 404
    assert not InstanceSettings.objects.exists()
