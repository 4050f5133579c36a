"""Exports open in a real office suite: LibreOffice (headless) converts the Word matrix to PDF and a spreadsheet
export to CSV, and what it reads is what RecTrack wrote."""

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.recommendations import services as recs

from .conftest import IN_CI

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def office(tmp_path):
    if not (SOFFICE and PDFTOTEXT):
        message = "LibreOffice and pdftotext are not installed (apt-get install libreoffice-writer-nogui " \
            "libreoffice-calc-nogui poppler-utils); these tests need them."  # fmt: skip
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)

    def convert(content: bytes, name: str, target: str) -> Path:
        source = tmp_path / name
        source.write_bytes(content)
        profile = (tmp_path / "profile").as_uri()  # its own profile: runs in parallel do not collide
        done = subprocess.run(  # noqa: S603 - LibreOffice on a file this test wrote
            [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
             "--outdir", str(tmp_path), str(source)],
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        converted = source.with_suffix("." + target.split(":")[0])
        assert done.returncode == 0 and converted.exists(), done.stdout + done.stderr
        return converted

    return convert


def _body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_word_thematic_matrix_opens_in_libreoffice(world, client_for, office):
    client = client_for(world, Role.COORDINATOR)
    content = _body(client.get(reverse("recommendations:matrix", args=["docx"]), {"mechanism": "UPR"}))
    pdf = office(content, "matrix.docx", "pdf")
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Thematic matrix of recommendations" in text
    assert "Right to education (1)" in text
    assert "Ensure inclusive education for Roma" in text
    assert "Lead: Ministry of Justice" in text
    assert "Mechanism: UPR" in text
    assert "violence against women" not in text  # CEDAW's is filtered out


def test_a_spreadsheet_export_opens_in_libreoffice_with_formulas_kept_as_text(world, client_for, office):
    recs.recommendation_create(
        actor=world.admin, document=world.document, text='=HYPERLINK("http://evil.example","Click")'
    )
    client = client_for(world, Role.VIEWER)
    content = _body(client.get(reverse("recommendations:export", args=["xlsx"])))
    converted = office(content, "recommendations.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76")
    rows = list(csv.DictReader(io.StringIO(converted.read_text(encoding="utf-8"))))
    assert len(rows) == 4
    texts = {row["text"] for row in rows}
    assert '=HYPERLINK("http://evil.example","Click")' in texts  # read as text, never run
    education = next(row for row in rows if row["reference"] == "121.2 (A/HRC/43/15)")
    assert education["lead_institution"] == "Ministry of Justice"
    assert education["projects"] == "Education for all"


def test_report_drafts_open_in_libreoffice_in_every_template(world, office, tmp_path):
    """Every built-in template, one in Arabic, and an uploaded one with loops: LibreOffice reads each to PDF."""
    from django.utils import translation

    from rectrack.reporting.drafts import DraftRequest, build_draft
    from rectrack.reporting.models import ReportKind
    from rectrack.reporting.templating import builtin_template, render

    from .test_report_templates import _template

    draft = build_draft(DraftRequest(mechanism=world.upr, period_start=date(2020, 1, 1), period_end=date(2024, 12, 31),
                                     group_by="theme"))  # fmt: skip
    documents = {kind: render(builtin_template(kind), draft, title=f"Draft {kind}", report=str(ReportKind(kind).label))
                 for kind in ReportKind.values}  # fmt: skip
    with translation.override("ar"):
        documents["arabic"] = render(builtin_template(ReportKind.PARLIAMENT), build_draft(draft.request),
                                     title="مشروع التقرير", report="تقرير")  # fmt: skip
    loops = _template("{%p for section in sections %}", "Section {{ section.title }}", "{%p endfor %}",
                      "{{p summary_table }}", drop_styles=("TableGrid",))  # fmt: skip
    documents["uploaded"] = render(loops, draft, title="Ours", report="Ours")
    texts = {name: _pdf_text(office, content, f"{name}.docx") for name, content in documents.items()}
    for kind in ReportKind.values:
        assert f"Draft {kind}" in texts[kind] and "Recommendation 121.2 (A/HRC/43/15)." in texts[kind], kind
        assert "Implementation status" in texts[kind] and "{{" not in texts[kind]
    assert "Right to education" in texts[ReportKind.UPR_MIDTERM] and "Gaps and next steps" in texts["parliament"]
    assert "مشروع التقرير" in texts["arabic"]
    assert "Section Right to education" in texts["uploaded"] and "Total" in texts["uploaded"]


def _pdf_text(office, content: bytes, name: str) -> str:
    pdf = office(content, name, "pdf")
    return subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603
