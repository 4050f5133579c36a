"""The import pages: upload, preview, confirm, discard, history, report; who may use them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from rectrack.accounts.models import Role
from rectrack.imports import services
from rectrack.imports.models import ImportRun, ImportState
from rectrack.imports.records import RowProblem, SourceRecord
from rectrack.recommendations.models import Recommendation, Source

SECRETARIAT = {Role.ADMINISTRATOR, Role.COORDINATOR}
ROLES = [Role.ADMINISTRATOR, Role.COORDINATOR, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER]


class FakeReader:
    format = "uhri-json"
    source = Source.UHRI

    def __init__(self, items):
        self.items = items
        self.progress = 0.0

    def records(self, path):
        yield from self.items


def _records(bad: bool = False):
    items = [
        SourceRecord(
            row=n,
            external_id=f"x-{n}",
            text=f"121.{n} Ratify the convention number {n}.",
            paragraph=f"121.{n}",
            document_symbol="A/HRC/43/15",
            mechanism="UPR",
            countries=["Slovenia"],
            issued_on=date(2019, 11, 15),
            recommending_states=["Chile"],
            position="Supported",
        )
        for n in range(1, 4)
    ]
    if bad:
        items.append(RowProblem(9, "Text", "The cell holds a spreadsheet formula."))
    return items


@pytest.fixture
def fake_reader(monkeypatch):
    state = {"bad": False}
    monkeypatch.setattr(services, "reader_for", lambda format, **options: FakeReader(_records(state["bad"])))
    return state


def _upload(client, **extra):
    data = {"file": SimpleUploadedFile("export.json", b"[]", content_type="application/json"), "format": "uhri-json"}
    return client.post(reverse("imports:new"), {**data, **extra})


def test_upload_previews_then_imports_on_confirmation(
    world, client_for, fake_reader, django_capture_on_commit_callbacks
):
    client = client_for(world, Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[run.pk])
    run.refresh_from_db()
    assert run.state == ImportState.PREVIEWED and run.created == 3 and run.created_by == world.user(Role.COORDINATOR)
    assert not Recommendation.objects.filter(source=Source.UHRI).exists()
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Preview: nothing has been imported yet" in page and "Import now" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.SUCCEEDED and run.created == 3
    assert Recommendation.objects.filter(source=Source.UHRI).count() == 3
    assert not run.stored_file  # the upload is not kept once imported
    listing = client.get(reverse("imports:list")).content.decode()
    assert "export.json" in listing and "Imported" in listing


def test_a_preview_with_rejected_rows_lists_them_and_offers_the_report(
    world, client_for, fake_reader, django_capture_on_commit_callbacks
):
    fake_reader["bad"] = True
    client = client_for(world, Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client)
    run = ImportRun.objects.get()
    assert run.state == ImportState.FAILED
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "nothing was imported" in page and "The cell holds a spreadsheet formula." in page
    report = client.get(reverse("imports:report", args=[run.pk]))
    assert report["Content-Disposition"].startswith("attachment")
    assert b"9,Text,The cell holds a spreadsheet formula." in b"".join(report.streaming_content)
    assert not Recommendation.objects.filter(source=Source.UHRI).exists()


def test_messages_and_report_are_in_the_language_of_whoever_started_the_import(
    world, client_for, fake_reader, django_capture_on_commit_callbacks
):
    fake_reader["bad"] = True
    client = client_for(world, Role.ADMINISTRATOR)
    client.cookies["django_language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client)
    run = ImportRun.objects.get()
    with translation.override("fr"):
        expected = translation.gettext(
            "%(count)s rows were rejected, so nothing was imported. Correct them, or choose to skip them."
        ) % {"count": "1"}
        header = ",".join(translation.gettext(word) for word in ("Row", "Column", "Reason"))
    assert "rien n" in expected  # the catalogue has it
    assert run.message == expected
    report = b"".join(client.get(reverse("imports:report", args=[run.pk])).streaming_content).decode("utf-8-sig")
    assert report.splitlines()[0] == header != "Row,Column,Reason"


def test_skipping_rejected_rows_imports_the_rest(world, client_for, fake_reader, django_capture_on_commit_callbacks):
    fake_reader["bad"] = True
    client = client_for(world, Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, skip_rejected="on")
    run = ImportRun.objects.get()
    assert run.state == ImportState.PREVIEWED and run.rejected == 1 and run.created == 3


def test_discarding_a_preview_imports_nothing_and_removes_the_file(
    world, client_for, fake_reader, django_capture_on_commit_callbacks
):
    client = client_for(world, Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client)
    run = ImportRun.objects.get()
    stored = services.imports_dir() / run.stored_file
    assert stored.exists()
    client.post(reverse("imports:discard", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.DISCARDED and not stored.exists()
    assert client.post(reverse("imports:confirm", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.state == ImportState.DISCARDED


def test_a_file_over_the_size_limit_is_refused_with_a_message(world, client_for, settings):
    settings.RECTRACK_IMPORT_MAX_BYTES = 10
    client = client_for(world, Role.ADMINISTRATOR)
    response = client.post(
        reverse("imports:new"), {"file": SimpleUploadedFile("big.json", b"[" + b" " * 20 + b"]"), "format": "auto"}
    )
    assert response.status_code == 200
    assert "the largest file this instance accepts is 10" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_of_no_known_kind_is_refused_with_a_message(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    response = client.post(
        reverse("imports:new"), {"file": SimpleUploadedFile("report.pdf", b"%PDF-1.7 ..."), "format": "auto"}
    )
    assert response.status_code == 200
    assert "This is a PDF file" in response.content.decode()
    assert ImportRun.objects.get().state == ImportState.DISCARDED


def test_the_progress_page_refreshes_itself_while_a_run_waits(world, client_for):
    run = ImportRun.objects.create(file_name="big.json", format="uhri-json", state=ImportState.RUNNING)
    page = client_for(world, Role.ADMINISTRATOR).get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "<progress" in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_may_import(world, client_for, fake_reader, role, django_capture_on_commit_callbacks):
    client = client_for(world, role)
    allowed = role in SECRETARIAT
    run = ImportRun.objects.create(file_name="old.json", format="uhri-json", state=ImportState.PREVIEWED)
    services.report_path(run).write_text("Row,Column,Reason\n")
    for url in (
        reverse("imports:list"),
        reverse("imports:new"),
        reverse("imports:detail", args=[run.pk]),
        reverse("imports:report", args=[run.pk]),
    ):
        assert client.get(url).status_code == (200 if allowed else 404), url
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client)
    assert response.status_code == (302 if allowed else 404)
    assert ImportRun.objects.count() == (2 if allowed else 1)
    response = client.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert response.status_code == (302 if allowed else 404)
    assert run.state == (ImportState.QUEUED if allowed else ImportState.PREVIEWED)
    response = client.post(reverse("imports:discard", args=[run.pk]))
    assert response.status_code == (302 if allowed else 404)


def test_anonymous_users_are_sent_to_log_in(world, client):
    run = ImportRun.objects.create(file_name="old.json", format="uhri-json", state=ImportState.PREVIEWED)
    for url in (reverse("imports:list"), reverse("imports:new"), reverse("imports:detail", args=[run.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    client.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportState.PREVIEWED


CSV = (
    b"Recommendation;Body;Date;Theme\n"
    b"1. Adopt a national action plan on business and human rights.;National Human Rights Council;12/03/2024;"
    b"Business & human rights\n"
    b"2. Train judges on the Istanbul Convention.;National Human Rights Council;12/03/2024;Women & girls|Justice\n"
)


def test_a_spreadsheet_of_any_shape_goes_through_a_remembered_column_mapping(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world, Role.COORDINATOR)
    response = client.post(reverse("imports:new"), {"file": SimpleUploadedFile("national.csv", CSV), "format": "auto"})
    run = ImportRun.objects.get()
    assert run.format == "spreadsheet"
    assert response["Location"] == reverse("imports:mapping", args=[run.pk])
    page = client.get(response["Location"])
    form = page.context["form"]
    assert form.initial["map_text"] == "Recommendation" and form.initial["map_mechanism"] == "Body"
    assert "guesses from the column names" in page.content.decode()
    choice = {"map_text": "Recommendation", "map_mechanism": "Body", "map_issued_on": "Date", "map_themes": "Theme"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {**choice, "separator": "|", "date_order": "dmy"})
    run.refresh_from_db()
    assert run.state == ImportState.PREVIEWED, run.message
    assert run.created == 2 and run.rejected == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[run.pk]))
    rec = Recommendation.objects.get(source=Source.SPREADSHEET, paragraph="2")
    assert rec.issued_on == date(2024, 3, 12) and rec.mechanism.name == "National Human Rights Council"
    assert rec.themes.count() == 2
    # The next file with the same columns starts from the saved mapping.
    response = client.post(reverse("imports:new"), {"file": SimpleUploadedFile("next.csv", CSV), "format": "auto"})
    page = client.get(response["Location"])
    assert page.context["form"].initial["separator"] == "|"
    assert "saved the last time" in page.content.decode()


def test_a_mapping_using_one_column_twice_is_refused(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    response = client.post(reverse("imports:new"), {"file": SimpleUploadedFile("national.csv", CSV), "format": "auto"})
    page = client.post(
        response["Location"],
        {"map_text": "Recommendation", "map_paragraph": "Recommendation", "separator": ";", "date_order": "dmy"},
    )
    assert page.status_code == 200
    assert "is already used for" in page.content.decode()
    assert ImportRun.objects.get().state == ImportState.QUEUED
