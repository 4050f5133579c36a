"""The Reporting section: asking for a draft, its background writing with progress, its download, for each role."""

from io import BytesIO

import docx
import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.reporting import services
from rectrack.reporting.models import DraftState, ReportDraft

from .conftest import written_draft

FORM = {
    "title": "UPR mid-term report, third cycle",
    "period_start": "2020-01-01",
    "period_end": "2024-12-31",
    "group_by": "theme",
    "report": "upr_midterm",
}


def _download(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_secretariat_generates_a_draft_and_downloads_it(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world, Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:draft_create"), {**FORM, "mechanism": world.upr.pk})
    draft = ReportDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reporting:draft_detail", args=[draft.pk])
    assert (draft.state, draft.created_by, draft.error) == (DraftState.DONE, world.users[Role.COORDINATOR], "")
    assert AuditEvent.objects.filter(object_id=draft.pk, action="created").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Download the draft (Word)" in page and 'http-equiv="refresh"' not in page
    download = client.get(reverse("reporting:draft_download", args=[draft.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="draft-UPR-2024-12-31.docx"')
    document = docx.Document(BytesIO(_download(download)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert text.startswith("UPR mid-term report, third cycle\nUPR mid-term report\n")  # title, kind of report
    assert "Implementation of the recommendations" in text  # the built-in mid-term template's heading
    assert "Recommendation 121.2 (A/HRC/43/15)." in text and "{{" not in text
    assert (
        draft.template_used == ""
        and "(Built-in template)" in page
        and draft.outline
        == [
            world.torture_theme.display_label,
            "Right to education",
        ]
    )


def test_a_draft_being_written_shows_its_progress_and_refreshes(world, client_for):
    draft = ReportDraft.objects.create(
        title="Queued", mechanism=world.upr, period_start="2020-01-01", period_end="2024-12-31"
    )
    client = client_for(world, Role.VIEWER)
    page = client.get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "Writing the draft" in page
    assert "Download the draft" not in page
    assert client.get(reverse("reporting:draft_download", args=[draft.pk])).status_code == 404


def test_a_failure_is_kept_with_its_reason(world, client_for, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("rectrack.reporting.services.build_draft", broken)
    draft = ReportDraft.objects.create(
        title="X", mechanism=world.upr, period_start="2020-01-01", period_end="2024-12-31"
    )
    services.draft_generate(draft)
    draft.refresh_from_db()
    assert draft.state == DraftState.FAILED and "the disk is full" in draft.error and not draft.file
    page = client_for(world, Role.COORDINATOR).get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
    assert "The draft could not be written" in page and "the disk is full" in page


def test_a_period_that_ends_before_it_starts_is_refused_and_nothing_is_made(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    data = {**FORM, "mechanism": world.upr.pk, "period_start": "2025-01-01", "period_end": "2020-01-01"}
    response = client.post(reverse("reporting:draft_create"), data)
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_the_form_starts_with_the_mechanism_of_the_tab(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    index = client.get(reverse("reporting:index")).content.decode()
    assert f'href="/reporting/drafts/new/?mechanism={world.upr.pk}"' in index
    form = client.get(reverse("reporting:draft_create"), {"mechanism": world.upr.pk}).context["form"]
    assert form.initial["mechanism"] == world.upr
    assert client.get(reverse("reporting:draft_create"), {"mechanism": "x"}).status_code == 200


def test_the_tabs_list_their_reports_and_drafts(world, client_for):
    draft = written_draft(world)
    cedaw = ReportDraft.objects.create(
        title="CEDAW follow-up", mechanism=world.cedaw, period_start="2023-03-01", period_end="2025-03-01"
    )
    client = client_for(world, Role.FOCAL_POINT)
    upr = client.get(reverse("reporting:index")).content.decode()
    assert "UPR mid-term report" in upr and draft.title in upr and cedaw.title not in upr
    treaty = client.get(reverse("reporting:treaty_bodies")).content.decode()
    assert "Reply to a list of issues" in treaty and "Common core document" in treaty and cedaw.title in treaty
    assert reverse("reporting:draft_create") not in treaty  # a focal point reads drafts but does not ask for them


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_the_secretariat_asks_for_drafts(world, client_for, role):
    client = client_for(world, role)
    assert client.get(reverse("reporting:draft_create")).status_code == 404
    response = client.post(reverse("reporting:draft_create"), {**FORM, "mechanism": world.upr.pk})
    assert response.status_code == 404 and not ReportDraft.objects.exists()


def test_contributors_see_no_draft_not_shared_with_them(world, client_for):
    draft = written_draft(world)
    client = client_for(world, Role.CONTRIBUTOR)
    page = client.get(reverse("reporting:index")).content.decode()
    assert "Drafts shared with you for comment" in page and draft.title not in page
    assert "How a report is prepared here" not in page and reverse("reporting:templates") not in page
    for url in (
        reverse("reporting:draft_detail", args=[draft.pk]),
        reverse("reporting:draft_download", args=[draft.pk]),
        reverse("reporting:templates"),
    ):
        assert client.get(url).status_code == 404, url


def test_the_drafts_are_listed_newest_first(world, client_for):
    for title in ("First draft", "Second draft", "Third draft"):
        ReportDraft.objects.create(title=title, mechanism=world.upr, period_start="2020-01-01", period_end="2024-12-31")
    page = client_for(world, Role.VIEWER).get(reverse("reporting:index")).content.decode()
    assert page.index("Third draft") < page.index("Second draft") < page.index("First draft")
