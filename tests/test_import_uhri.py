"""The UHRI export readers (Excel and JSON), on files in the real shapes written by rectrack.imports.samples."""

import dataclasses
import json
import random
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from rectrack.imports import normalize
from rectrack.imports.formats.uhri import UhriJsonReader, UhriXlsxReader
from rectrack.imports.normalize import plain_text
from rectrack.imports.records import FileRejected, RowProblem, SourceRecord
from rectrack.imports.samples import XLSX_HEADERS, synthetic_uhri_records, write_uhri_json, write_uhri_xlsx

ANNOTATION = {
    "AnnotationId": "b4288060-6633-478d-9a9a-df1978d336c3",
    "AnnotationType": "- Recommendations",
    "Body": "- UPR",
    "Countries": ["Slovenia"],
    "DocumentId": "41a0b08f-5a9a-4eb5-985f-05b47986ad82",
    "PublicationDate": "2019-11-15T00:00:00",
    "PublicationDateOnUhri": "2019-12-05T10:53:45.827",
    "Regions": ["Eastern Europe"],
    "Sdgs": ["4.1 - By 2030, ensure that all girls and boys complete free primary education", "16 - PEACE"],
    "Symbol": "A/HRC/43/15",
    "Text": "<p>121.2 Ensure inclusive education for Roma &amp; Sinti children<script>alert(1)</script>"
    " (Ukraine, Chile);</p>",
    "Themes": ["Right to education", "A12 Acceptance of international norms"],
    "AffectedPersons": ["Roma, Gypsies, Sinti & Travellers", "Children"],
    "UprCycle": 3,
    "UprPositions": ["Supported"],
    "UprRecommendingCountry": ["Ukraine", "Chile"],
    "UprRecommendingRegions": ["Eastern Europe", "Latin America and the Caribbean"],
    "UprSession": ["34"],
}
EXPECTED = SourceRecord(
    row=1,
    text="121.2 Ensure inclusive education for Roma & Sinti children (Ukraine, Chile);",
    external_id="b4288060-6633-478d-9a9a-df1978d336c3",
    paragraph="121.2",
    document_symbol="A/HRC/43/15",
    mechanism="UPR",
    countries=["Slovenia"],
    issued_on=date(2019, 11, 15),
    session=34,
    upr_cycle=3,
    themes=["Right to education", "A12 Acceptance of international norms"],
    affected_persons=["Roma, Gypsies, Sinti & Travellers", "Children"],
    sdgs=["4.1 - By 2030, ensure that all girls and boys complete free primary education", "16 - PEACE"],
    recommending_states=["Ukraine", "Chile"],
    position="Supported",
    kind="Recommendations",
)


def read(reader, path: Path) -> tuple[list[SourceRecord], list[RowProblem]]:
    items = list(reader.records(path))
    return (
        [item for item in items if isinstance(item, SourceRecord)],
        [item for item in items if isinstance(item, RowProblem)],
    )


def expected(annotation: dict, row: int) -> SourceRecord:
    """What a reader should make of an annotation, field by field from the JSON export's keys."""
    text = plain_text(annotation["Text"])
    return SourceRecord(
        row=row,
        text=text,
        external_id=annotation["AnnotationId"],
        paragraph=text.split(" ", 1)[0].rstrip("."),
        document_symbol=annotation["Symbol"],
        mechanism=annotation["Body"].removeprefix("- "),
        countries=annotation["Countries"],
        issued_on=date.fromisoformat(annotation["PublicationDate"][:10]),
        session=int(annotation["UprSession"][0]) if annotation["UprSession"] else None,
        upr_cycle=annotation["UprCycle"],
        themes=annotation["Themes"],
        affected_persons=annotation["AffectedPersons"],
        sdgs=annotation["Sdgs"],
        recommending_states=annotation["UprRecommendingCountry"],
        position=(annotation["UprPositions"] or [""])[0],
        kind=annotation["AnnotationType"].removeprefix("- "),
    )


def workbook(path: Path, header: list, rows: list[list]) -> Path:
    """An Excel file with these cells, for shapes the sample writer does not make."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def with_huge_cell(path: Path, placeholder: str) -> Path:
    """The workbook with a 1 MB cell where `placeholder` is: openpyxl (like Excel) writes no more than 32,767."""
    huge = "".join(random.Random(0).choices("abcdefgh ", k=1_000_000)).encode()  # too varied to pass for a zip bomb
    with zipfile.ZipFile(path) as source:
        parts = {member.filename: source.read(member) for member in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data.replace(placeholder.encode(), huge))
    return path


def xlsx_row(**cells) -> list:
    """A row of the UHRI Excel export: ANNOTATION's cells, with some changed (by header)."""
    values = {
        "Text": ANNOTATION["Text"],
        "Countries Concerned": "- Slovenia",
        "Reccomending Body": "- UPR",
        "Document Symbol": "A/HRC/43/15",
        "Themes": "- Right to education\n- A12 Acceptance of international norms",
        "Affected Persons": "- Roma, Gypsies, Sinti & Travellers\n- Children",
        "Sdgs": "\n".join(f"- {label}" for label in ANNOTATION["Sdgs"]),
        "Document Publication Date": 43784,
        "UPR Reccomending States": "- Ukraine\n- Chile",
        "UPR Position": "- Supported",
        "Type": "- Recommendations",
        "OHCHR Annotation Id": ANNOTATION["AnnotationId"],
        "UPR Session": "- 34",
        "Regions Concerned": "- Eastern Europe",
        "Recommending Regions": "- Eastern Europe\n- Latin America and the Caribbean",
        "Date of publication on UHRI": 43804.4540,
    }
    values.update(cells)
    return [values[header] for header in XLSX_HEADERS]


@pytest.fixture(scope="module")
def annotations() -> list[dict]:
    return list(synthetic_uhri_records(400, seed=7))


# ---------------------------------------------------------------- both formats


def test_json_export_reads_back_as_written(tmp_path, annotations):
    path = tmp_path / "export.json"
    write_uhri_json(path, annotations)
    records, problems = read(UhriJsonReader(), path)
    assert not problems
    assert records == [expected(annotation, row) for row, annotation in enumerate(annotations, start=1)]


def test_xlsx_export_reads_back_as_written(tmp_path, annotations):
    path = tmp_path / "export.xlsx"
    write_uhri_xlsx(path, annotations)
    reader = UhriXlsxReader()
    records, problems = read(reader, path)
    assert not problems and reader.rows_read == len(annotations)
    # The Excel export has no cycle column; rows count from the header's.
    assert records == [
        dataclasses.replace(expected(annotation, row), upr_cycle=None)
        for row, annotation in enumerate(annotations, start=2)
    ]


def test_one_annotation_in_both_formats(tmp_path):
    json_path, xlsx_path = tmp_path / "one.json", tmp_path / "one.xlsx"
    write_uhri_json(json_path, [ANNOTATION])
    workbook(xlsx_path, XLSX_HEADERS, [xlsx_row()])
    assert read(UhriJsonReader(), json_path) == ([EXPECTED], [])
    assert read(UhriXlsxReader(), xlsx_path) == ([dataclasses.replace(EXPECTED, row=2, upr_cycle=None)], [])


def test_samples_vary_like_the_index(annotations):
    bodies = {annotation["Body"] for annotation in annotations}
    assert "- UPR" in bodies and len(bodies) >= 5
    assert any(len(annotation["UprRecommendingCountry"]) > 1 for annotation in annotations)
    assert any(annotation["Text"].startswith("<p>") for annotation in annotations)
    assert any(annotation["AnnotationType"] == "- Concerns/Observations" for annotation in annotations)
    assert any("/CO/" in annotation["Symbol"] for annotation in annotations)
    assert list(synthetic_uhri_records(5, seed=7)) == annotations[:5]  # the same seed, the same annotations


# ---------------------------------------------------------------- Excel


def test_xlsx_headers_match_whatever_their_spelling_case_and_order(tmp_path):
    headers = [
        header.replace("Reccomending", "Recommending").upper().replace(" ", "  ") for header in reversed(XLSX_HEADERS)
    ]
    path = workbook(tmp_path / "export.xlsx", headers, [list(reversed(xlsx_row()))])
    assert read(UhriXlsxReader(), path) == ([dataclasses.replace(EXPECTED, row=2, upr_cycle=None)], [])


def test_xlsx_missing_columns_are_named(tmp_path):
    header = [name for name in XLSX_HEADERS if name not in ("OHCHR Annotation Id", "Reccomending Body")]
    path = workbook(tmp_path / "export.xlsx", header, [])
    with pytest.raises(FileRejected) as rejected:
        read(UhriXlsxReader(), path)
    assert "OHCHR Annotation Id, Reccomending Body" in str(rejected.value)
    assert "Countries Concerned" in str(rejected.value)


def test_xlsx_bad_cells_are_problems_in_their_row_and_column(tmp_path):
    rows = [
        xlsx_row(**{"OHCHR Annotation Id": "a1", "Text": '=HYPERLINK("http://x","y")'}),
        xlsx_row(**{"OHCHR Annotation Id": "a2", "Themes": "HUGE-CELL"}),
        xlsx_row(**{"OHCHR Annotation Id": "a3", "Document Publication Date": "15 November, maybe"}),
        [None] * len(XLSX_HEADERS),
        xlsx_row(**{"OHCHR Annotation Id": "a4"}),
        xlsx_row(**{"OHCHR Annotation Id": "a4"}),
    ]
    reader = UhriXlsxReader()
    path = with_huge_cell(workbook(tmp_path / "export.xlsx", XLSX_HEADERS, rows), "HUGE-CELL")
    records, problems = read(reader, path)
    assert [(problem.row, problem.column) for problem in problems] == [
        (2, "Text"),
        (3, "Themes"),
        (4, "Document Publication Date"),
        (7, "OHCHR Annotation Id"),
    ]
    assert "first in row 6" in problems[-1].reason
    assert [record.row for record in records] == [6]
    assert reader.rows_read == 5  # the blank row is skipped


def test_xlsx_dates_may_be_serial_numbers_text_or_dates(tmp_path):
    rows = [
        xlsx_row(**{"OHCHR Annotation Id": "serial", "Document Publication Date": "43784.0"}),
        xlsx_row(**{"OHCHR Annotation Id": "iso", "Document Publication Date": "2019-11-15"}),
        xlsx_row(**{"OHCHR Annotation Id": "date", "Document Publication Date": date(2019, 11, 15)}),
        xlsx_row(**{"OHCHR Annotation Id": "none", "Document Publication Date": None}),
    ]
    records, _problems = read(UhriXlsxReader(), workbook(tmp_path / "export.xlsx", XLSX_HEADERS, rows))
    assert [record.issued_on for record in records] == [date(2019, 11, 15)] * 3 + [None]


def test_files_that_are_not_a_sound_xlsx_are_rejected(tmp_path):
    write_uhri_xlsx(tmp_path / "good.xlsx", synthetic_uhri_records(50))
    whole = (tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "noise.xlsx").write_bytes(random.Random(1).randbytes(20_000))
    (tmp_path / "export.csv").write_text("Text,OHCHR Annotation Id\nRatify CEDAW,a1\n")
    with zipfile.ZipFile(tmp_path / "notes.xlsx", "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    with zipfile.ZipFile(tmp_path / "good.xlsx") as source, zipfile.ZipFile(tmp_path / "damaged.xlsx", "w") as damaged:
        for member in source.infolist():
            data = source.read(member)
            damaged.writestr(member, data[: len(data) // 2] if member.filename.startswith("xl/worksheets/") else data)
    for name in ("cut.xlsx", "noise.xlsx", "export.csv", "notes.xlsx", "damaged.xlsx"):
        with pytest.raises(FileRejected):
            read(UhriXlsxReader(), tmp_path / name)


def test_zip_bomb_posing_as_xlsx_is_rejected_before_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(normalize, "MAX_UNZIPPED_BYTES", 1024**2)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 4 * 1024**2)
    with pytest.raises(FileRejected, match="unsafe"):
        read(UhriXlsxReader(), path)


# ---------------------------------------------------------------- JSON


def test_json_lists_may_be_dash_lines_and_sessions_numbers(tmp_path):
    lenient = {
        **ANNOTATION,
        "Body": "UPR",
        "Countries": "Slovenia",
        "Themes": "- Right to education\n- A12 Acceptance of international norms",
        "UprRecommendingCountry": ["- Ukraine", "- Chile"],
        "UprPositions": "Supported",
        "UprSession": 34,
        "UprCycle": "3",
        "PublicationDate": "2019-11-15",
        "Unknown key": "ignored",
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps([lenient]), encoding="utf-8-sig")
    assert read(UhriJsonReader(), path) == ([EXPECTED], [])


def test_json_bad_records_are_problems(tmp_path):
    annotations = [
        ANNOTATION,
        "not an annotation",
        {**ANNOTATION, "AnnotationId": "big", "Text": "x" * 1_000_000},
        {**ANNOTATION, "AnnotationId": "dated", "PublicationDate": "2019-13-45"},
        {**ANNOTATION, "AnnotationId": "many", "Themes": ["Right to education", "y" * 60_000]},
        ANNOTATION,
    ]
    path = tmp_path / "export.json"
    write_uhri_json(path, annotations)
    records, problems = read(UhriJsonReader(), path)
    assert [record.row for record in records] == [1]
    assert [(problem.row, problem.column) for problem in problems] == [
        (2, ""),
        (3, "Text"),
        (4, "PublicationDate"),
        (5, "Themes"),
        (6, "AnnotationId"),
    ]
    assert "first in row 1" in problems[-1].reason


def test_truncated_json_is_rejected_where_it_fails_saying_how_far_it_got(tmp_path):
    path = tmp_path / "export.json"
    write_uhri_json(path, synthetic_uhri_records(30))
    whole = path.read_bytes()
    cut = whole.index(b'"AnnotationId"', len(whole) // 2)  # in the middle of one record
    path.write_bytes(whole[:cut])
    reader = UhriJsonReader()
    items = reader.records(path)
    read_before = [next(items) for _ in range(3)]
    with pytest.raises(FileRejected) as rejected:
        list(items)
    assert len(read_before) == 3 and 3 < reader.rows_read < 30
    assert f"after record {reader.rows_read}" in str(rejected.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"AnnotationId": "a1"}', "single object"),
        (b"Text,OHCHR Annotation Id\nRatify CEDAW,a1\n", "not JSON"),
        (random.Random(2).randbytes(5000), "not JSON"),
        (b'[{"AnnotationId": "a1"}] trailing', "damaged"),
        (b'[{"AnnotationId": "\xff\xfe"}]', "damaged"),
    ],
)
def test_files_that_are_not_a_json_list_are_rejected(tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=message):
        read(UhriJsonReader(), path)


def test_json_reader_memory_does_not_grow_with_the_file(tmp_path):
    """A 20 MB file is read in well under 1 MB: one annotation at a time (only the ids seen are kept)."""
    padding = " " + "Loremipsumdolorsitamet,consecteturadipiscingelit." * 200

    def long_annotations():
        for annotation in synthetic_uhri_records(2000, seed=3):
            yield {**annotation, "Text": annotation["Text"] + padding}

    path = tmp_path / "export.json"
    write_uhri_json(path, long_annotations())
    assert path.stat().st_size > 20 * 1024**2
    reader = UhriJsonReader()
    items = reader.records(path)
    next(items)  # imports and buffers are in place
    tracemalloc.start()
    try:
        count = 1 + sum(1 for _item in items)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 2000
    assert peak < 2 * 1024**2


def test_json_progress_follows_the_bytes_read(tmp_path):
    path = tmp_path / "export.json"
    write_uhri_json(path, synthetic_uhri_records(3000))
    reader = UhriJsonReader()
    seen = [reader.progress for _item in reader.records(path)]
    assert seen == sorted(seen) and seen[0] < 0.5 < seen[-1]
    assert reader.progress == 1.0


def test_json_writer_streams_one_record_at_a_time(tmp_path):
    path = tmp_path / "export.json"
    assert write_uhri_json(path, iter([ANNOTATION, ANNOTATION])) == 2
    assert json.loads(path.read_text(encoding="utf-8")) == [ANNOTATION, ANNOTATION]
