"""Exports of the filtered lists: recommendations (CSV, XLSX, JSON), the thematic matrix (XLSX, Word), activities
and indicators; their filters, who gets what, formula safety and streaming in chunks."""

import csv
import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rectrack.accounts.models import Role
from rectrack.indicators import exports as indicator_exports
from rectrack.indicators import services as indicators
from rectrack.indicators.models import IndicatorKind
from rectrack.instance import services as instance_services
from rectrack.lib import tabular
from rectrack.planning import exports as activity_exports
from rectrack.planning import services as planning
from rectrack.portal.models import Publication
from rectrack.portal.services import publication_set
from rectrack.recommendations import exports, thematic
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import Recommendation, UprPosition

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json"]
EXPORT, MATRIX = "recommendations:export", "recommendations:matrix"
ACTIVITIES, INDICATORS = "planning:activity_export", "indicators:export"


def _download(client, fmt: str, name: str = EXPORT, **params) -> tuple[bytes, object]:
    response = client.get(reverse(name, args=[fmt]), params)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content), response


def _csv(data: bytes) -> tuple[list[str], list[dict]]:
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 with a byte order mark
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def _xlsx(data: bytes) -> list[list]:
    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def _ids(fmt: str, data: bytes, columns=exports.COLUMNS) -> list[int]:
    if fmt == "csv":
        header, rows = _csv(data)
        assert header == list(columns)
        return [int(row["id"]) for row in rows]
    if fmt == "xlsx":
        header, *rows = _xlsx(data)
        assert header == list(columns)
        return [row[0] for row in rows]
    return [item["id"] for item in json.loads(data)["items"]]


def _stamped(name: str, fmt: str) -> str:
    return f'attachment; filename="{name}-{timezone.localdate().isoformat()}.{fmt}"'


def _detail(name: str, pk: int) -> str:
    return "http://testserver" + reverse(name, args=[pk])


# Recommendations -------------------------------------------------------------


def test_csv_of_every_recommendation_holds_their_values(world, client_for):
    other = planning.project_create(actor=world.admin, name="Access to schools")
    recs.recommendation_assign_to_projects(recommendation=world.education, projects=[other], actor=world.admin)
    data, response = _download(client_for(world, Role.COORDINATOR), "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == _stamped("recommendations", "csv")
    header, rows = _csv(data)
    assert header == list(exports.COLUMNS)
    by_id = {int(row["id"]): row for row in rows}
    assert set(by_id) == {world.education.pk, world.torture.pk, world.women.pk}
    assert by_id[world.education.pk] == {
        "id": str(world.education.pk),
        "reference": "121.2 (A/HRC/43/15)",
        "text": world.education.text,
        "language": "en",
        "mechanism": "UPR",
        "document": "A/HRC/43/15",
        "paragraph": "121.2",
        "date": "2019-11-15",
        "upr_cycle": str(world.document.upr_cycle or ""),
        "recommending_states": "Ukraine",
        "kind": "recommendation",
        "upr_position": "supported",
        "themes": "Right to education",
        "affected_persons": "",
        "sdgs": "4.1",
        "clusters": "",
        "priority": "",
        "status": "not_started",
        "lead_institution": "Ministry of Justice",
        "supporting_institutions": "",
        "projects": "Access to schools; Education for all",  # ordered by name, joined
        "activities": str(world.activity.pk),
        "url": _detail("recommendations:detail", world.education.pk),
    }
    women = by_id[world.women.pk]
    assert (women["mechanism"], women["affected_persons"], women["themes"]) == ("CEDAW", "Women & girls", "")
    assert women["status"] == "fully_implemented"


FILTERS = [({"mechanism": "CEDAW"}, "women"), ({"q": "torture"}, "torture"), ({"status": "in_progress"}, "torture")]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_the_list_filters_apply_to_every_format(world, client_for, fmt, params, expected):
    data, _response = _download(client_for(world, Role.VIEWER), fmt, **params)
    assert _ids(fmt, data) == [getattr(world, expected).pk]


@pytest.mark.parametrize("fmt", FORMATS)
def test_theme_and_lead_filters(world, client_for, fmt):
    client = client_for(world, Role.VIEWER)
    assert _ids(fmt, _download(client, fmt, theme=world.torture_theme.pk)[0]) == [world.torture.pk]
    assert _ids(fmt, _download(client, fmt, lead=world.justice.pk)[0]) == [world.education.pk]


def test_json_items_hold_only_the_columns_and_keep_lists(world, client_for):
    data, response = _download(client_for(world, Role.FOCAL_POINT), "json", mechanism="UPR")
    assert response["Content-Type"] == "application/json"
    document = json.loads(data)
    assert document["meta"]["dataset"] == "recommendations"
    assert document["meta"]["columns"] == list(exports.COLUMNS)
    items = {item["id"]: item for item in document["items"]}
    assert set(items) == {world.education.pk, world.torture.pk}
    assert all(list(item) == list(exports.COLUMNS) for item in items.values())
    education = items[world.education.pk]
    assert education["themes"] == ["Right to education"]
    assert education["recommending_states"] == ["Ukraine"]
    assert education["projects"] == ["Education for all"]
    assert education["activities"] == [world.activity.pk]
    assert education["date"] == "2019-11-15"
    assert items[world.torture.pk]["supporting_institutions"] == []


def test_xlsx_holds_the_values(world, client_for):
    data, response = _download(client_for(world, Role.ADMINISTRATOR), "xlsx", status="fully_implemented")
    assert response["Content-Disposition"] == _stamped("recommendations", "xlsx")
    header, *rows = _xlsx(data)
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["id"], row["mechanism"], row["affected_persons"]) == (world.women.pk, "CEDAW", "Women & girls")
    assert row["date"].date() == date(2023, 3, 1)


EVIL = '=HYPERLINK("http://evil.example","x") Ensure remedies for victims;'
AT = "@SUM(1+1) Adopt a national action plan;"


def test_formula_like_text_stays_text(world, client_for):
    evil = recs.recommendation_create(actor=world.admin, document=world.document, text=EVIL)
    at = recs.recommendation_create(actor=world.admin, document=world.document, text=AT)
    client = client_for(world, Role.COORDINATOR)
    _header, rows = _csv(_download(client, "csv")[0])
    texts = {int(row["id"]): row["text"] for row in rows}
    assert (texts[evil.pk], texts[at.pk]) == ("'" + EVIL, "'" + AT)
    assert texts[world.education.pk] == world.education.text  # ordinary text is left alone

    sheet = openpyxl.load_workbook(io.BytesIO(_download(client, "xlsx")[0])).active
    column = exports.COLUMNS.index("text") + 1
    cells = {sheet.cell(row, 1).value: sheet.cell(row, column) for row in range(2, sheet.max_row + 1)}
    for pk, text in ((evil.pk, EVIL), (at.pk, AT)):
        assert cells[pk].data_type == "s"
        assert cells[pk].value == text
        assert cells[pk].quotePrefix is True
    assert cells[world.education.pk].quotePrefix is False
    sheet_xml = zipfile.ZipFile(io.BytesIO(_download(client, "xlsx")[0])).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml

    items = {item["id"]: item for item in json.loads(_download(client, "json")[0])["items"]}
    assert items[evil.pk]["text"] == EVIL  # JSON is data: no apostrophe


@pytest.fixture
def published(world):
    """Recommendations and projects published by default; world.torture and a project withheld."""
    instance_services.portal_rules_update(actor=None, publish_recommendations=True, publish_projects=True)
    publication_set(obj=world.torture, actor=world.admin, publication=Publication.WITHHELD)
    secret = planning.project_create(actor=world.admin, name="Secret plan")
    publication_set(obj=secret, actor=world.admin, publication=Publication.WITHHELD)
    recs.recommendation_assign_to_projects(recommendation=world.education, projects=[secret], actor=world.admin)
    return secret


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_contributor_exports_only_what_they_read(world, client_for, published, fmt):
    data, _response = _download(client_for(world, Role.CONTRIBUTOR), fmt)
    assert sorted(_ids(fmt, data)) == sorted([world.education.pk, world.women.pk])
    assert world.torture.text.encode() not in data
    assert b"Secret plan" not in data
    if fmt == "json":
        education = next(item for item in json.loads(data)["items"] if item["id"] == world.education.pk)
        assert education["projects"] == ["Education for all"]
        assert education["activities"] == []  # activities are not published, nor shared


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.VIEWER])
def test_readers_of_everything_export_everything(world, client_for, published, role):
    _header, rows = _csv(_download(client_for(world, role), "csv")[0])
    by_id = {int(row["id"]): row for row in rows}
    assert set(by_id) == {world.education.pk, world.torture.pk, world.women.pk}
    assert by_id[world.education.pk]["projects"] == "Education for all; Secret plan"
    assert by_id[world.education.pk]["activities"] == str(world.activity.pk)


# Thematic matrix ---------------------------------------------------------------


def test_thematic_matrix_spreadsheet(world, client_for):
    both = recs.recommendation_create(
        actor=world.admin,
        document=world.document,
        text="121.20 Train police officers on the rights of Roma pupils;",
        upr_position=UprPosition.SUPPORTED,
        themes=[world.education_theme, world.torture_theme],
    )
    data, response = _download(client_for(world, Role.VIEWER), "xlsx", MATRIX)
    assert response["Content-Disposition"] == _stamped("thematic-matrix", "xlsx")
    header, *rows = _xlsx(data)
    assert header == [str(column.label) for column in exports.MATRIX_COLUMNS]
    torture, education = world.torture_theme.display_label, world.education_theme.display_label
    assert torture.casefold() < education.casefold()
    assert [(row[0], row[1]) for row in rows] == [
        (torture, world.torture.reference),
        (torture, both.reference),
        (education, world.education.reference),
        (education, both.reference),
        ("No theme", world.women.reference),
    ]
    keys = [column.key for column in exports.MATRIX_COLUMNS]
    first = dict(zip(keys, rows[2], strict=True))
    assert first["text"] == world.education.text
    assert (first["upr_position"], first["status"]) == ("Supported", "Not started")
    assert (first["lead_institution"], first["recommending_states"]) == ("Ministry of Justice", "Ukraine")
    assert first["projects"] == "Education for all"
    last = dict(zip(keys, rows[-1], strict=True))
    assert last["status"] == "Fully implemented"
    assert dict(zip(keys, rows[0], strict=True))["upr_position"] == "Noted"


def test_thematic_matrix_word_document(world, client_for):
    response = client_for(world, Role.COORDINATOR).get(reverse(MATRIX, args=["docx"]), {"mechanism": "UPR"})
    assert response.status_code == 200
    assert response["Content-Type"] == thematic.DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == _stamped("thematic-matrix", "docx")
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Thematic matrix of recommendations",
        f"{world.torture_theme.display_label} (1)",
        f"{world.education_theme.display_label} (1)",
    ]  # world.women (CEDAW, no theme) is filtered out
    texts = [p.text for p in document.paragraphs]
    assert "Mechanism: UPR" in texts
    assert any("2 recommendations, grouped by theme" in text for text in texts)
    assert len(document.tables) == 2
    header, row = document.tables[1].rows
    assert [cell.text for cell in header.cells] == [
        "Recommendation",
        "Position",
        "Institutions",
        "Implementation status",
    ]
    assert [cell.text for cell in row.cells] == [
        f"{world.education.text}\n{world.education.reference}\nRecommended by: Ukraine",
        "Supported",
        "Lead: Ministry of Justice",
        "Not started",
    ]
    unfiltered = client_for(world, Role.COORDINATOR).get(reverse(MATRIX, args=["docx"]))
    document = docx.Document(io.BytesIO(unfiltered.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-1] == "No theme (1)"
    assert not any(p.text.startswith("Mechanism:") for p in document.paragraphs)


def test_word_matrix_over_the_limit_sends_back_to_the_list(world, client_for, monkeypatch):
    monkeypatch.setattr(thematic, "DOCX_LIMIT", 1)
    client = client_for(world, Role.VIEWER)
    response = client.get(reverse(MATRIX, args=["docx"]), {"mechanism": "UPR"})
    assert response.status_code == 302
    assert response["Location"] == reverse("recommendations:list") + "?mechanism=UPR"
    assert "Content-Disposition" not in response and not response.content
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "2 recommendations match: a Word thematic matrix holds at most 1. Narrow the filters, "
        "or download the matrix as a spreadsheet."
    ]
    assert client.get(reverse(MATRIX, args=["docx"]), {"mechanism": "CEDAW"}).status_code == 200  # one: allowed
    assert client.get(reverse(MATRIX, args=["xlsx"])).status_code == 200  # the spreadsheet has no limit


# Activities and indicators -----------------------------------------------------


def test_activities_export(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    data, response = _download(client, "csv", ACTIVITIES)
    assert response["Content-Disposition"] == _stamped("activities", "csv")
    header, rows = _csv(data)
    assert header == list(activity_exports.COLUMNS)
    by_id = {int(row["id"]): row for row in rows}
    assert set(by_id) == {world.activity.pk, world.interior_activity.pk}
    row = by_id[world.activity.pk]
    assert Decimal(row["budget"]) == Decimal("100000") and row["currency"] == "EUR"
    assert row["recommendations"] == world.education.reference == "121.2 (A/HRC/43/15)"
    assert (row["projects"], row["lead_institution"], row["status"]) == (
        "Education for all",
        "Ministry of Justice",
        "in_progress",
    )
    assert (row["overdue"], row["deadline"]) == ("False", world.activity.deadline.isoformat())
    assert row["url"] == _detail("planning:activity_detail", world.activity.pk)
    assert by_id[world.interior_activity.pk]["recommendations"] == world.torture.reference

    items = json.loads(_download(client, "json", ACTIVITIES, overdue="on")[0])["items"]
    assert [(item["id"], item["overdue"], item["budget"]) for item in items] == [
        (world.interior_activity.pk, True, None)
    ]
    assert items[0]["recommendations"] == [world.torture.reference]
    header, *rows = _xlsx(_download(client, "xlsx", ACTIVITIES, lead=world.justice.pk)[0])
    assert header == list(activity_exports.COLUMNS)
    assert [(row[0], row[header.index("budget")], row[header.index("overdue")]) for row in rows] == [
        (world.activity.pk, 100000, False)
    ]


def test_a_contributors_activity_export_names_only_what_they_read(world, client_for):
    instance_services.portal_rules_update(actor=None, publish_activities=True)  # recommendations stay unpublished
    items = json.loads(_download(client_for(world, Role.CONTRIBUTOR), "json", ACTIVITIES)[0])["items"]
    assert {item["id"]: (item["recommendations"], item["projects"]) for item in items} == {
        world.activity.pk: ([], []),
        world.interior_activity.pk: ([], []),
    }


@pytest.fixture
def measured(world):
    indicator = indicators.indicator_create(
        actor=world.admin,
        name="Roma children completing primary school",
        kind=IndicatorKind.OUTCOME,
        unit="%",
        baseline_value=Decimal("50"),
        responsible_institution=world.justice,
        recommendations=[world.education],
        activities=[world.activity],
    )
    for day, value in ((date(2023, 6, 30), "62.5"), (date(2022, 1, 31), "55")):  # the later one first
        indicators.measurement_add(indicator=indicator, actor=world.admin, measured_on=day, value=Decimal(value))
    police = indicators.indicator_create(
        actor=world.admin, name="Independent police complaints body", kind=IndicatorKind.STRUCTURAL
    )
    return indicator, police


def test_indicators_export(world, client_for, measured):
    indicator, police = measured
    client = client_for(world, Role.VIEWER)
    data, response = _download(client, "csv", INDICATORS)
    assert response["Content-Disposition"] == _stamped("indicators", "csv")
    header, rows = _csv(data)
    assert header == list(indicator_exports.COLUMNS)
    by_id = {int(row["id"]): row for row in rows}
    assert set(by_id) == {indicator.pk, police.pk}
    row = by_id[indicator.pk]
    assert (Decimal(row["latest_value"]), row["latest_date"], row["measurements"]) == (
        Decimal("62.5"),
        "2023-06-30",
        "2",
    )
    assert (row["kind"], row["recommendations"], row["activities"], row["projects"]) == ("outcome", "1", "1", "0")
    assert row["responsible_institution"] == "Ministry of Justice"
    assert by_id[police.pk]["latest_value"] == "" and by_id[police.pk]["measurements"] == "0"
    for fmt in FORMATS:
        structural = _download(client, fmt, INDICATORS, kind="structural")[0]
        assert _ids(fmt, structural, indicator_exports.COLUMNS) == [police.pk]


@pytest.mark.parametrize("fmt", FORMATS)
def test_contributors_get_no_indicator_export(world, client_for, measured, fmt):
    assert client_for(world, Role.CONTRIBUTOR).get(reverse(INDICATORS, args=[fmt])).status_code == 404


# Formats, sign-in, streaming ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"), [(EXPORT, "pdf"), (MATRIX, "pdf"), (MATRIX, "csv"), (ACTIVITIES, "pdf"), (INDICATORS, "pdf")]
)
def test_an_unknown_format_is_not_found(world, client_for, name, fmt):
    assert client_for(world, Role.ADMINISTRATOR).get(reverse(name, args=[fmt])).status_code == 404


@pytest.mark.parametrize(
    ("name", "fmt"), [(EXPORT, "csv"), (MATRIX, "docx"), (ACTIVITIES, "json"), (INDICATORS, "xlsx")]
)
def test_anonymous_readers_are_sent_to_sign_in(world, client, name, fmt):
    response = client.get(reverse(name, args=[fmt]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_large_export_streams_chunk_by_chunk(world, client_for):
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                mechanism=world.upr,
                document=world.document,
                issued_on=world.document.date,
                paragraph=f"200.{n}",
                text=f"200.{n} Bulk recommendation number {n};",
            )  # fmt: skip
            for n in range(3_000)
        ],
        batch_size=500,
    )
    client = client_for(world, Role.COORDINATOR)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse(EXPORT, args=[fmt]))
        assert response.status_code == 200 and response.streaming
        with CaptureQueriesContext(connection) as queries:
            pieces = iter(response.streaming_content)
            data = next(pieces)
            before_first_byte = len(queries)
            data += b"".join(pieces)
        assert before_first_byte == 0  # nothing read before the download starts
        chunk_reads = [q["sql"] for q in queries.captured_queries if f"LIMIT {tabular.CHUNK}" in q["sql"]]
        assert len(chunk_reads) == 5  # 4 chunks of at most 1,000, then an empty one
        assert len(queries) < 20 * 4
        if fmt == "csv":
            assert len(_csv(data)[1]) == 3_003
        else:
            assert len(_xlsx(data)) == 3_003 + 1
            assert {info.compress_type for info in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {
                zipfile.ZIP_DEFLATED
            }


def test_word_matrix_survives_control_characters_in_a_text(world, client_for):
    text = "121.30 Adopt a Sinti strategy\x0bon inclusion;"
    recs.recommendation_create(actor=world.admin, document=world.document, text=text)
    client = client_for(world, Role.COORDINATOR)
    sheet = _xlsx(_download(client, "xlsx", q="Sinti")[0])
    assert sheet[1][exports.COLUMNS.index("text")] == "121.30 Adopt a Sinti strategyon inclusion;"  # stripped
    client.raise_request_exception = False
    response = client.get(reverse(MATRIX, args=["docx"]), {"q": "Sinti"})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert any(
        "Adopt a Sinti strategy on inclusion" in cell.text
        for table in document.tables
        for cell in table.columns[0].cells
    )
