"""Report templates: the built-in template of each report, administrators' uploads checked against the documented
placeholders (an unknown or misspelt one is named), drafts written into the chosen template, and going back."""

from datetime import date
from io import BytesIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from docx.oxml.ns import qn

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.reporting.drafts import DraftRequest, build_draft
from rectrack.reporting.models import DraftState, ReportDraft, ReportKind, ReportTemplate
from rectrack.reporting.templating import PLACEHOLDERS, builtin_template, render

START, END = date(2020, 1, 1), date(2024, 12, 31)
# A heading each built-in template has, and the blocks it holds.
HEADINGS = {
    ReportKind.UPR_NATIONAL: "Follow-up to the recommendations of the previous review",
    ReportKind.UPR_MIDTERM: "Implementation of the recommendations",
    ReportKind.COMMON_CORE: "Reporting process at the national level",
    ReportKind.PERIODIC: "Follow-up to the previous concluding observations",
    ReportKind.LIST_OF_ISSUES: "Replies to the list of issues",
    ReportKind.FOLLOW_UP: "Information on the recommendations selected for follow-up",
    ReportKind.PARLIAMENT: "Gaps and next steps",
}


def _draft(world, **changes):
    return build_draft(DraftRequest(mechanism=world.upr, period_start=START, period_end=END, group_by="theme"))


def _text(content: bytes) -> str:
    document = docx.Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _template(*paragraphs: str, drop_styles: tuple[str, ...] = ()) -> bytes:
    """A template as an administrator might write it: these paragraphs, and only the styles not dropped."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    styles = document.styles.element
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) in drop_styles:
            styles.remove(style)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _upload(client, content: bytes, kind: str = "upr_midterm", name: str = "ours.docx"):
    return client.post(reverse("reporting:template_upload", args=[kind]), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("kind", ReportKind.values)
def test_each_report_has_a_built_in_template_that_drafts_fill_in(world, kind):
    written = render(builtin_template(kind), _draft(world), title="Our report", report=str(ReportKind(kind).label))
    text = _text(written)
    assert text.startswith(f"Our report\n{ReportKind(kind).label}\n")
    assert HEADINGS[kind] in text
    assert "It covers 2 recommendations of the Universal Periodic Review" in text  # {{ scope }}
    assert "{{" not in text and "{%" not in text
    assert "Recommendation 121.2 (A/HRC/43/15)." in text  # {{p sections_text }}
    assert "Implementation status" in text and "Total" in text  # {{p summary_table }}
    pictures = docx.Document(BytesIO(written)).inline_shapes
    assert len(pictures) == 1  # {{ chart }}


def test_the_built_in_template_is_in_the_readers_language(world):
    with translation.override("fr"):
        heading = translation.gettext("Gaps and next steps")
        text = _text(builtin_template(ReportKind.PARLIAMENT))
    assert heading != "Gaps and next steps" and heading in text and "Gaps and next steps" not in text


def test_every_documented_placeholder_is_filled_in(world):
    names = [placeholder.name for placeholder in PLACEHOLDERS if placeholder.kind == "text"]
    template = _template(*(f"{name}=[{{{{ {name} }}}}]" for name in names))
    text = _text(render(template, _draft(world), title="T", report="R"))
    for name in names:
        assert f"{name}=[" in text
    assert "mechanism=[Universal Periodic Review]" in text and "mechanism_acronym=[UPR]" in text
    assert "count=[2]" in text and "title=[T]" in text and "project=[]" in text


def test_an_administrator_uploads_a_template_with_loops_and_drafts_use_it(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world, Role.ADMINISTRATOR)
    template = _template(
        "Ministry of Foreign Affairs — {{ title }}",
        "{%p for section in sections %}",
        "Section: {{ section.title }} ({{ section.statuses }})",
        "{%p for item in section.items %}",
        "• {{ item.reference }}: {{ item.status }}",
        "{%p endfor %}",
        "{%p endfor %}",
        "{% for total in totals %}{{ total.status }}={{ total.count }}; {% endfor %}",
        "{{p gaps_text }}",
    )
    response = _upload(client, template, name="mid-term 2026.docx")
    assert response.status_code == 302 and response["Location"] == reverse("reporting:templates")
    stored = ReportTemplate.objects.get(kind="upr_midterm")
    assert stored.original_name == "mid-term 2026.docx" and stored.created_by == world.admin
    assert AuditEvent.objects.filter(
        content_type__model="reporttemplate", object_id=stored.pk, action="created"
    ).exists()
    listed = client.get(reverse("reporting:templates")).content.decode()
    assert "mid-term 2026.docx" in listed
    download = client.get(reverse("reporting:template_download", args=["upr_midterm"]))
    assert download.content == template

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:draft_create"),
            {"title": "Mid-term & more", "report": "upr_midterm", "mechanism": world.upr.pk,
             "period_start": "2020-01-01", "period_end": "2024-12-31", "group_by": "theme"},
        )  # fmt: skip
    draft = ReportDraft.objects.get()
    assert draft.state == DraftState.DONE, draft.error
    assert draft.template_used == "mid-term 2026.docx"
    page = client.get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
    assert "(template “mid-term 2026.docx”)" in page
    with draft.file.open("rb") as stored_file:
        text = _text(stored_file.read())
    assert "Ministry of Foreign Affairs — Mid-term & more" in text
    assert "Section: Right to education (Not started: 1)" in text
    assert "• 121.2 (A/HRC/43/15): Not started" in text and "• 121.10 (A/HRC/43/15): In progress" in text
    assert "Not started=1; In progress=1; Partially implemented=0; " in text
    assert "recommendations with no activity in the period" in text


def test_a_new_upload_replaces_the_old_one_in_the_history(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world, Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, _template("First {{ title }}"), name="first.docx")
    first = ReportTemplate.objects.get()
    first_file = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, _template("Second {{ title }}"), name="second.docx")
    second = ReportTemplate.objects.get()
    assert (second.pk, second.original_name, second.version) == (first.pk, "second.docx", first.version + 1)
    assert not first.file.storage.exists(first_file)
    event = AuditEvent.objects.filter(content_type__model="reporttemplate", object_id=second.pk, action="updated").get()
    assert event.changes == {"original_name": {"old": "first.docx", "new": "second.docx"}}


@pytest.mark.parametrize(
    ("paragraphs", "message"),
    [
        (["{{ mechansim }}"], "“mechansim” (did you mean “mechanism”?)"),
        (["{{ title }} {{ ministry_logo }}"], "does not know: “ministry_logo”."),
        (
            ["{%p for section in sections %}", "{{ section.tittle }}", "{%p endfor %}"],
            "“tittle” (did you mean “title”?)",
        ),
        (["{%p for item in without_activity %}", "{{ item.referense }}", "{%p endfor %}"], "“referense”"),
        (["{% for section in sections %}{{ section.title }}"], "A placeholder is not written correctly"),
        (["{{ title }"], "A placeholder is not written correctly"),
    ],
)
def test_an_unknown_or_misspelt_placeholder_is_named_and_nothing_is_saved(
    world, client_for, settings, paragraphs, message
):
    client = client_for(world, Role.ADMINISTRATOR)
    response = _upload(client, _template(*paragraphs))
    assert response.status_code == 200
    page = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert message in page, page[page.find("error") - 200 : page.find("error") + 600]
    assert not ReportTemplate.objects.exists()
    assert not AuditEvent.objects.filter(content_type__model="reporttemplate").exists()
    folder = settings.PRIVATE_FILES_ROOT / "report-templates"
    assert not folder.exists() or not any(folder.iterdir())


@pytest.mark.parametrize("content", [b"%PDF-1.7 not a Word document", b"PK\x03\x04 a broken zip", b"", b"{{ title }}"])
def test_a_file_that_is_not_a_word_document_is_refused_clearly(world, client_for, content):
    response = _upload(client_for(world, Role.ADMINISTRATOR), content)
    assert response.status_code == 200 and not ReportTemplate.objects.exists()
    page = response.content.decode()
    assert "This is not a Word document (.docx)" in page or "The submitted file is empty" in page


def test_a_template_made_from_scratch_gets_the_styles_the_blocks_use(world):
    template = _template("{{p summary_table }}", "{{p sections_text }}", drop_styles=("TableGrid", "ListBullet"))
    written = docx.Document(BytesIO(render(template, _draft(world), title="T", report="R")))
    style_ids = {style.get(qn("w:styleId")) for style in written.styles.element.findall(qn("w:style"))}
    assert {"TableGrid", "Heading1"} <= style_ids
    assert written.tables[0].style.name == "Table Grid"


def test_going_back_to_the_built_in_template(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world, Role.ADMINISTRATOR)
    _upload(client, _template("Ours {{ title }}"))
    stored = ReportTemplate.objects.get()
    path = stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:template_reset", args=["upr_midterm"]))
    assert response.status_code == 302 and not ReportTemplate.objects.exists()
    assert not stored.file.storage.exists(path)
    assert AuditEvent.objects.filter(
        content_type__model="reporttemplate", object_id=stored.pk, action="deleted"
    ).exists()
    download = client.get(reverse("reporting:template_download", args=["upr_midterm"]))
    assert "Implementation of the recommendations" in _text(download.content)
    assert client.post(reverse("reporting:template_reset", args=["upr_midterm"])).status_code == 404


def test_only_administrators_change_templates(world, client_for):
    for role in (Role.COORDINATOR, Role.FOCAL_POINT, Role.VIEWER, Role.CONTRIBUTOR):
        client = client_for(world, role)
        assert _upload(client, _template("{{ title }}")).status_code == 404, role
    assert not ReportTemplate.objects.exists()
    assert client_for(world, Role.VIEWER).get(reverse("reporting:template_download", args=["nope"])).status_code == 404


def test_the_templates_page_documents_every_placeholder(world, client_for):
    page = client_for(world, Role.ADMINISTRATOR).get(reverse("reporting:template_upload", args=["parliament"]))
    text = page.content.decode()
    for placeholder in PLACEHOLDERS:
        assert f'<code dir="ltr">{placeholder.name}</code>' in text
    assert "{%p for section in sections %} … {{ section.title }} … {%p endfor %}" in text
    assert "Annual report to parliament" in text


def test_the_command_writes_into_the_chosen_template(world, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "follow-up.docx"
    call_command("draft_report", "--mechanism", "UPR", "--from", "2020-01-01", "--to", "2024-12-31",
                 "--report", "follow_up", "--title", "Follow-up, 2026", "--out", str(out))  # fmt: skip
    text = _text(out.read_bytes())
    assert text.startswith("Follow-up, 2026\nFollow-up report\n") and HEADINGS[ReportKind.FOLLOW_UP] in text
