"""The OHCHR thematic list / matrix reader: the five real layouts against their reference parse, and bad files."""

import csv
import random
import re
import time
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest

from rectrack.imports import normalize
from rectrack.imports.formats.thematic_docx import ThematicListReader, recommending_states
from rectrack.imports.records import FileRejected, RowProblem, SourceRecord
from tests.conftest import shared_data

LISTS = "ohchr-upr-thematic-lists"
# file → (recommendations, State, report symbol, session)
DOCUMENTS = {
    "UPR20__Slovenia_ThematicListRecommendations_E.docx": (163, "Slovenia", "A/HRC/28/15", 20),
    "UPR34_Slovenia_Thematic_list_of_Recommendations.docx": (215, "Slovenia", "A/HRC/43/15", 34),
    "upr48-slovenia-thematic-list-of-recommendatio.docx": (254, "Slovenia", "A/HRC/59/15", 48),
    "China_UPR17_2013_Matrix_recommendations_2013.docx": (252, "China", "A/HRC/25/5", 17),
    "China_UPR31_2018_Matrix_recommendations_2018.docx": (346, "China", "A/HRC/40/6", 31),
}
# Where the reference CSV took a parenthesised non-State for a State; the reader leaves them out.
CSV_STATE_ERRORS = {
    ("UPR20__Slovenia_ThematicListRecommendations_E.docx", "115.6"): ["Iran (Islamic Republic of)"],  # (ICRMW)
    ("UPR34_Slovenia_Thematic_list_of_Recommendations.docx", "121.3"): [  # (No. 29)
        "United Kingdom of Great Britain and Northern Ireland"
    ],
    ("UPR34_Slovenia_Thematic_list_of_Recommendations.docx", "122.10"): ["Philippines"],  # (No. 189)
    ("China_UPR31_2018_Matrix_recommendations_2018.docx", "28.74"): ["Kyrgyzstan"],  # (2016–2020)
    ("China_UPR31_2018_Matrix_recommendations_2018.docx", "28.114"): ["Iraq"],  # (2011–2020)
    ("China_UPR31_2018_Matrix_recommendations_2018.docx", "28.14"): [  # (the Paris Principles)
        "Niger",
        "Philippines",
        "Indonesia",
    ],
}


def read(path: Path) -> list:
    return list(ThematicListReader().records(path))


def unique(values) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


def labels(cell: str) -> list[str]:
    """A ` | `-separated CSV cell, once each: the documents sometimes repeat an SDG label in a cell."""
    return unique(cell.split(" | "))


def states(cell: str) -> list[str]:
    """The CSV's States: "; "-separated, and "Portugal, Slovakia" when one bracket holds several."""
    return unique(name for part in cell.split(";") for name in re.split(r",(?![^()]*\))", part))


def expected_rows(name: str) -> dict[str, dict]:
    with open(shared_data(f"{LISTS}/upr_thematic_lists_SVN_CHN.csv"), encoding="utf-8", newline="") as handle:
        return {row["paragraph"]: row for row in csv.DictReader(handle) if row["source_file"] == name}


def differences(record: SourceRecord, row: dict, name: str) -> dict:
    """The fields where the record and the reference row disagree (text compared without whitespace)."""
    expected = {
        "text": "".join(row["text"].split()),
        "position": row["position"],
        "position_source": row["source_of_position"],
        "themes": labels(row["themes"]),
        "affected_persons": labels(row["affected_persons"]),
        "sdgs": labels(row["sdgs"]),
        "recommending_states": CSV_STATE_ERRORS.get((name, row["paragraph"])) or states(row["recommending_states"]),
    }
    actual = {field: getattr(record, field) for field in expected}
    actual["text"] = "".join(record.text.split())
    return {field: (actual[field], value) for field, value in expected.items() if actual[field] != value}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_recommendation_of_a_real_list_matches_the_reference_parse(name):
    count, state, symbol, session = DOCUMENTS[name]
    items = read(shared_data(f"{LISTS}/docx/{name}"))
    assert [item for item in items if not isinstance(item, SourceRecord)] == []
    expected = expected_rows(name)
    assert len(items) == count == len(expected)
    assert sorted(item.paragraph for item in items) == sorted(expected)
    wrong = {item.paragraph: diff for item in items if (diff := differences(item, expected[item.paragraph], name))}
    assert not wrong, f"{len(wrong)} rows differ; first ones: {dict(list(wrong.items())[:5])}"


@pytest.mark.shared_data
@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_real_list_gives_its_state_report_and_session_to_every_record(name):
    _count, state, symbol, session = DOCUMENTS[name]
    records = read(shared_data(f"{LISTS}/docx/{name}"))
    assert {(r.mechanism, tuple(r.countries), r.document_symbol, r.session, r.kind) for r in records} == {
        ("UPR", (state,), symbol, session, "Recommendation")
    }
    assert all(r.external_id == f"{symbol}:{r.paragraph}" and r.text.startswith(r.paragraph) for r in records)


@pytest.mark.shared_data
def test_a_record_row_is_the_table_row_a_user_finds_it_in():
    path = shared_data(f"{LISTS}/docx/UPR34_Slovenia_Thematic_list_of_Recommendations.docx")
    records = read(path)
    rows = docx.Document(str(path)).tables[0].rows
    assert records[0].row == 3  # after the heading row and the first "Theme:" row
    for record in records:
        assert rows[record.row - 1].cells[0].text.startswith(record.paragraph + " ")


@pytest.mark.shared_data
def test_a_second_import_gives_the_same_external_ids():
    path = shared_data(f"{LISTS}/docx/China_UPR31_2018_Matrix_recommendations_2018.docx")
    first = [r.external_id for r in read(path)]
    assert first == [r.external_id for r in read(path)]
    assert len(set(first)) == len(first)


@pytest.mark.shared_data
def test_the_five_real_lists_parse_quickly_with_progress_to_the_end():
    paths = [shared_data(f"{LISTS}/docx/{name}") for name in DOCUMENTS]
    started = time.monotonic()
    total = 0
    for path in paths:
        reader = ThematicListReader()
        seen = []
        for _item in reader.records(path):
            seen.append(reader.progress)
            total += 1
        assert seen == sorted(seen) and 0 < seen[0] and reader.progress == 1.0
    assert total == 1230
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "text,expected",
    [
        ("121.2 Complete ... (Ukraine); Increase efforts ... (Slovakia);", ["Ukraine", "Slovakia"]),
        ("115.3 Ratify the OP (Portugal, Slovakia);", ["Portugal", "Slovakia"]),
        ("121.1 Ratify the ICPPED (France) (Lithuania);", ["France", "Lithuania"]),
        (
            "1 Ratify (Senegal, Venezuela (Bolivarian Republic of),Peru).",
            ["Senegal", "Venezuela (Bolivarian Republic of)", "Peru"],
        ),
        ("1 Ratify the Forced Labour Convention, 1930 (No. 29) (United Kingdom);", ["United Kingdom"]),
        ("1 Ratify the ICRMW (ICRMW) (Iran (Islamic Republic of));", ["Iran (Islamic Republic of)"]),
        ("1 In line with (the Paris Principles) (Niger);", ["Niger"]),
        ("1 Improve (the former Yugoslav Republic of Macedonia);", ["the former Yugoslav Republic of Macedonia"]),
        ("1 Ratify the ICCPR (Maldives); Accede to the OP (Maldives) ;", ["Maldives"]),
        ("1 Ratify the Convention (ICRMW) as soon as possible (Chile);", ["Chile"]),
    ],
)
def test_recommending_states_are_the_brackets_that_end_each_recommendation(text, expected):
    assert recommending_states(text) == expected


def add_table(document, rows: list[list]) -> None:
    """A table from rows of cells; a cell is a string or a list of paragraphs; a 1-cell row spans the table."""
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for cells, row in zip(rows, table.rows, strict=True):
        if len(cells) == 1 and width > 1:
            row.cells[0].merge(row.cells[-1])
        for value, cell in zip(cells, row.cells, strict=False):
            paragraphs = [value] if isinstance(value, str) else value
            cell.text = paragraphs[0]
            for paragraph in paragraphs[1:]:
                cell.add_paragraph(paragraph)


def thematic_list(tmp_path: Path, tables: list[list[list]], heading: list[str] = ()) -> Path:
    document = docx.Document()
    for line in heading:
        document.add_paragraph(line)
    for rows in tables:
        add_table(document, rows)
        document.add_paragraph("")
    path = tmp_path / "list.docx"
    document.save(str(path))
    return path


HEADINGS = ["Full list of Themes", "  RECOMMENDATION ", "Position", "Relevant SDGs"]
SOURCE = "Source of position: A/HRC/43/15/Add.1 - Para.4"


def test_a_list_split_over_tables_with_merged_and_repeated_rows_is_read_by_its_headings(tmp_path):
    path = thematic_list(
        tmp_path,
        [
            [
                HEADINGS,
                ["Theme: Right to education"],
                [
                    ["- Right to education", "Groups of Persons: ", "- Children"],
                    ["121.2 Ensure inclusive education", "for Roma children (Ukraine);", SOURCE],
                    "Supported",
                    ["- 4 - QUALITY EDUCATION"],
                ],
            ],
            [
                HEADINGS,  # the heading row again, as on each page
                [
                    "A12 Acceptance of international norms\nAffected persons:\n- general",
                    "121.3 Ratify (Chile);",
                    "Noted",
                    "",
                ],
            ],
            [["", "121.4 Ratify the OP (Portugal, Slovakia);\n" + SOURCE, "Supported", ""]],  # no heading row
        ],
        heading=[
            "Universal Periodic Review of Iran (Islamic Republic of) (3rd cycle – 34th session)",
            "15 November 2019",
        ],
    )
    records = read(path)
    assert [(r.row, r.paragraph, r.position) for r in records] == [
        (3, "121.2", "Supported"),
        (5, "121.3", "Noted"),
        (6, "121.4", "Supported"),
    ]
    first = records[0]
    assert first.text == "121.2 Ensure inclusive education\nfor Roma children (Ukraine);"
    assert (first.themes, first.affected_persons, first.sdgs) == (
        ["Right to education"],
        ["Children"],
        ["4 - QUALITY EDUCATION"],
    )
    assert (first.position_source, first.external_id) == ("A/HRC/43/15/Add.1 - Para.4", "A/HRC/43/15:121.2")
    assert (first.countries, first.session, first.issued_on) == (["Iran (Islamic Republic of)"], 34, date(2019, 11, 15))
    assert (records[1].themes, records[1].affected_persons) == (["A12 Acceptance of international norms"], ["general"])
    assert records[2].recommending_states == ["Portugal", "Slovakia"]


@pytest.mark.parametrize(
    "heading,state,session,cycle",
    [
        ("UPR of Slovenia (3rd Cycle - 34th Session)\tThematic list", "Slovenia", 34, None),
        ("UPR of Ruritania (4th Cycle)", "Ruritania", None, 4),
        ("UPR20 Ruritania thematic list", "", 20, None),
    ],
)
def test_the_state_and_session_come_from_the_heading(tmp_path, heading, state, session, cycle):
    path = thematic_list(tmp_path, [[HEADINGS, ["", "1.1 Ratify (Chile);", "Supported", ""]]], heading=[heading])
    [record] = read(path)
    assert (record.countries, record.session, record.upr_cycle, record.issued_on) == (
        [state] if state else [],
        session,
        cycle,
        None,
    )


def test_rows_without_a_paragraph_number_or_text_are_reported_not_raised(tmp_path):
    path = thematic_list(
        tmp_path,
        [
            [
                HEADINGS,
                ["A12", "Ratify the OP (Chile);", "Supported", ""],
                ["A12", SOURCE, "Supported", ""],
                ["", "", "", ""],  # a blank row is no recommendation and no problem
                ["A12", "1.1 Ratify (Chile);", "Supported", ""],
            ]
        ],
    )
    items = read(path)
    assert [type(item) for item in items] == [RowProblem, RowProblem, SourceRecord]
    assert [(p.row, p.column) for p in items[:2]] == [(2, "RECOMMENDATION"), (3, "RECOMMENDATION")]
    assert "paragraph number" in items[0].reason and "empty" in items[1].reason


def test_a_truncated_docx_is_rejected(tmp_path):
    original = Path(docx.__file__).parent / "templates" / "default.docx"
    path = tmp_path / "truncated.docx"
    data = original.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileRejected, match="not a valid Word"):
        read(path)


def test_random_bytes_named_docx_are_rejected(tmp_path):
    path = tmp_path / "random.docx"
    path.write_bytes(random.Random(4).randbytes(20_000))
    with pytest.raises(FileRejected, match="not a Word"):
        read(path)


def test_a_zip_that_is_not_a_word_document_is_rejected(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(FileRejected, match="cannot be read as a Word"):
        read(path)


def test_a_zip_bomb_posing_as_docx_is_rejected_before_anything_is_unpacked(tmp_path):
    path = tmp_path / "bomb.docx"
    chunk = bytes(16 * 1024**2)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(64):  # 1 GiB of zeros, about 4.5 MB packed (ratio 229), in about a second
                member.write(chunk)
    assert 1024**3 / path.stat().st_size > normalize.MAX_COMPRESSION_RATIO
    with pytest.raises(FileRejected, match="unsafe"):
        read(path)


def test_a_docx_with_no_recommendation_column_is_rejected(tmp_path):
    path = thematic_list(tmp_path, [[["Country", "Comment"], ["Slovenia", "121.2 Ratify (Chile);"]]])
    with pytest.raises(FileRejected, match="(?i)no table with a Recommendation column was found"):
        read(path)
