"""The UPR Info CSV reader: the real export (sessions 1-17), and small files in its shape."""

import dataclasses
import time
from pathlib import Path

import pytest

from rectrack.imports.formats.upr_info import UprInfoReader
from rectrack.imports.records import FileRejected, RowProblem, SourceRecord

from .conftest import shared_data

HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"
RECOMMENDATION_FILES = ["1-5.csv", "6-9.csv", "10-13.csv", "14-17.csv"]


def read(path: Path) -> tuple[UprInfoReader, list[SourceRecord], list[RowProblem]]:
    reader = UprInfoReader()
    items = list(reader.records(path))
    return (
        reader,
        [item for item in items if isinstance(item, SourceRecord)],
        [item for item in items if isinstance(item, RowProblem)],
    )


def write_csv(tmp_path: Path, lines: list[str], *, encoding="mac_roman", newline="\r", name="export.csv") -> Path:
    """A file as Excel for Mac saves UPR Info's export: Mac Roman and CR line ends, unless told otherwise."""
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode(encoding))
    return path


TONGA = [
    HEADER,
    'Tonga,Asia,"PIF, OIF",Ratify CEDAW ,Australia,WEOG,PIF,Noted,5,"International instruments,Women\'s rights",15',
    "Tonga,Asia,PIF,Ratify  CEDAW,Maldives,Asia,OIC,Noted,5,International instruments,15",
    "Tonga,Asia,PIF,Abolish the death penalty,&#40;Unknown&#41;,&#40;Unknown&#41;,,Accepted,5,Death penalty,15",
    'Tonga,Asia,PIF,ratify CEDAW,Slovenia,EEG,EU,Noted,5,"Women\'s rights,Justice",15',
    "Tonga,Asia,PIF,Ratify CEDAW,Maldives,Asia,OIC,Noted,5,International instruments,15",
    "Côte d'Ivoire,Africa,AU,Ratify CEDAW,Ghana,Africa,AU,Accepted,5,Women's rights,15",
]


# ---------------------------------------------------------------- the real export


@pytest.fixture(scope="module")
def raw_export():
    """Every raw file of the real export, read once: {file name: (reader, records, problems)}."""
    folder = shared_data("upr-info-s01-17/raw")
    return {name: read(folder / name) for name in [*RECOMMENDATION_FILES, "voluntary.csv"]}


@pytest.mark.shared_data
def test_real_export_reads_every_row_and_merges_joint_recommendations(raw_export):
    readers = [raw_export[name][0] for name in RECOMMENDATION_FILES]
    recommendations = [record for name in RECOMMENDATION_FILES for record in raw_export[name][1]]
    assert sum(reader.rows_read for reader in readers) == 33_082
    assert raw_export["voluntary.csv"][0].rows_read == 947
    assert not any(problems for _reader, _records, problems in raw_export.values())
    # One record per recommendation of a review: a joint one came once per recommending State.
    assert len(recommendations) == 32_096
    assert sum(len(record.recommending_states) > 1 for record in recommendations) == 607
    assert max(len(record.recommending_states) for record in recommendations) == 13
    # Every row is a recommending State of its record, except the 9 rows of "(Unknown)" and
    # 4 rows where a State repeats its own recommendation word for word in the same review.
    unknown = [record for record in recommendations if not record.recommending_states]
    assert len(unknown) == 9 and {record.session for record in unknown} == {1}
    assert sum(len(record.recommending_states) for record in recommendations) + 9 + 4 == 33_082
    ids = [record.external_id for _reader, records, _problems in raw_export.values() for record in records]
    assert len(ids) == len(set(ids)) == 32_096 + 945


@pytest.mark.shared_data
def test_real_pledges_are_kept_apart_from_recommendations(raw_export):
    _reader, pledges, _problems = raw_export["voluntary.csv"]
    assert len(pledges) == 945  # 947 rows: two pledges are repeated word for word
    assert {(record.kind, record.position) for record in pledges} == {("Voluntary pledge", "")}
    assert not any(record.recommending_states for record in pledges)
    assert all(record.external_id.endswith(":pledge") for record in pledges)
    # Sessions 18 and 19 are in the pledges file, though the export covers sessions 1-17.
    assert max(record.session for record in pledges) == 19


@pytest.mark.shared_data
def test_real_export_labels_are_kept_as_the_file_writes_them(raw_export):
    records = raw_export["1-5.csv"][1]
    first = records[0]
    assert first.text.startswith("Enact legislation and take effective measures to protect and promote women's rights")
    assert first.countries == ["Afghanistan"] and first.session == 5 and first.mechanism == "UPR"
    assert first.recommending_states == ["Austria"] and first.position == "Accepted"
    assert first.themes == ["Rights of the Child", "Women's rights"]
    assert (first.document_symbol, first.paragraph, first.issued_on) == ("", "", None)
    assert not any(record.text != record.text.strip() for record in records)  # trailing spaces are gone
    belgium = next(record for record in raw_export["10-13.csv"][1] if len(record.recommending_states) == 13)
    assert belgium.countries == ["Belgium"] and belgium.recommending_states[:3] == ["United Kingdom", "Poland", "Egypt"]


@pytest.mark.shared_data
def test_same_text_supported_and_noted_stays_two_records(raw_export):
    tonga = [
        record
        for record in raw_export["14-17.csv"][1]
        if record.countries == ["Tonga"] and record.session == 15 and record.text == "Ratify CEDAW"
    ]
    assert [(record.position, record.recommending_states) for record in tonga] == [
        ("Accepted", ["Australia"]),
        ("Noted", ["Maldives", "Slovenia"]),
    ]
    assert [record.external_id.rsplit(":", 1)[1] for record in tonga] == ["accepted", "noted"]


@pytest.mark.shared_data
def test_normalised_copy_gives_the_same_records_as_the_raw_files(raw_export):
    started = time.monotonic()
    reader, records, problems = read(shared_data("upr-info-s01-17/upr_info_sessions_01_17.csv"))
    seconds = time.monotonic() - started
    assert reader.rows_read == 34_029 and not problems
    from_raw = {
        record.external_id: dataclasses.replace(record, row=0)
        for _reader, raw_records, _problems in raw_export.values()
        for record in raw_records
    }
    assert {record.external_id: dataclasses.replace(record, row=0) for record in records} == from_raw
    assert seconds < 15  # about 1.5 s here; the bound only catches a runaway


# ---------------------------------------------------------------- files in the export's shape


def test_joint_recommendation_is_one_record_listing_its_states_in_order(tmp_path):
    _reader, records, problems = read(write_csv(tmp_path, TONGA))
    assert not problems
    cedaw, death_penalty, ivory_coast = records
    assert cedaw.text == "Ratify CEDAW" and cedaw.row == 2
    assert cedaw.recommending_states == ["Australia", "Maldives", "Slovenia"]  # Maldives twice: once
    assert cedaw.themes == ["International instruments", "Women's rights", "Justice"]
    assert cedaw.position == "Noted" and cedaw.session == 15 and cedaw.countries == ["Tonga"]
    assert death_penalty.recommending_states == []  # "&#40;Unknown&#41;"
    assert ivory_coast.countries == ["Côte d'Ivoire"]  # decoded from Mac Roman


def test_ids_are_stable_whatever_the_encoding_and_line_ends(tmp_path):
    mac = read(write_csv(tmp_path, TONGA, name="mac.csv"))[1]
    utf8 = read(write_csv(tmp_path, TONGA, encoding="utf-8-sig", newline="\r\n", name="utf8.csv"))[1]
    assert [record.external_id for record in mac] == [record.external_id for record in utf8]
    assert mac[0].external_id.startswith("upr-info:15:tonga:")
    assert mac[2].external_id.startswith("upr-info:15:cote-divoire:")


def test_rows_of_a_review_are_merged_even_when_the_file_is_not_grouped(tmp_path):
    lines = [TONGA[0], TONGA[1], TONGA[6], TONGA[4]]  # Tonga, Côte d'Ivoire, Tonga again
    _reader, records, _problems = read(write_csv(tmp_path, lines))
    assert [record.recommending_states for record in records] == [["Ghana"], ["Australia", "Slovenia"]]


def test_voluntary_pledge_has_no_position_and_no_recommending_state(tmp_path):
    lines = [
        HEADER,
        "Togo,Africa,AU,Ratify the Convention on Disappearances,Spain,WEOG,EU,Accepted,5,Enforced disappearances,12",
        "Togo,Africa,AU,Ratify the Convention on Disappearances,Togo,Africa,AU,Voluntary Pledge,5,Other,12",
    ]
    _reader, (recommendation, pledge), _problems = read(write_csv(tmp_path, lines))
    assert (pledge.kind, pledge.position, pledge.recommending_states) == ("Voluntary pledge", "", [])
    assert pledge.external_id == recommendation.external_id + ":pledge"
    assert (recommendation.kind, recommendation.position) == ("", "Accepted")


def test_normalised_copy_columns_are_accepted(tmp_path):
    lines = [
        "row_id,source_file," + HEADER + ",Cycle",
        "1,1-5.csv,Tonga,Asia,PIF,Ratify CEDAW,Australia,WEOG,PIF,Noted,5,Women's rights,15,2",
    ]
    _reader, (record,), _problems = read(write_csv(tmp_path, lines, encoding="utf-8", newline="\n"))
    assert record.external_id == read(write_csv(tmp_path, TONGA[:2], name="raw.csv"))[1][0].external_id


def test_missing_columns_are_named(tmp_path):
    path = write_csv(tmp_path, ["To,Text,From,Issue", "Tonga,Ratify CEDAW,Australia,Other"])
    with pytest.raises(FileRejected) as rejected:
        read(path)
    assert "Response, Session" in str(rejected.value)
    assert "To, Text, From, Issue" in str(rejected.value)


def test_unclosed_quote_is_rejected_with_its_line(tmp_path):
    lines = [HEADER, TONGA[1], 'Tonga,Asia,PIF,"Ratify CEDAW,Australia,WEOG,PIF,Noted,5,Other,15', *[TONGA[2]] * 5000]
    with pytest.raises(FileRejected, match="from line 3 on"):
        read(write_csv(tmp_path, lines))


def test_empty_file_is_rejected(tmp_path):
    with pytest.raises(FileRejected):
        read(write_csv(tmp_path, [""]))


def test_bad_rows_are_problems_with_their_row_and_column(tmp_path):
    lines = [
        HEADER,
        "Tonga,Asia,PIF,Ratify CEDAW,Australia,WEOG,PIF,Noted,5,Other,fifteen",
        'Tonga,Asia,PIF,"=HYPERLINK(""http://x"",""y"")",Australia,WEOG,PIF,Noted,5,Other,15',
        "Tonga,Asia,PIF,,Australia,WEOG,PIF,Noted,5,Other,15",
        "",
        "Tonga,Asia,PIF," + "x" * 60_000 + ",Australia,WEOG,PIF,Noted,5,Other,15",
        "Tonga,Asia,PIF,Ratify CEDAW,Australia,WEOG,PIF,Noted,5,Other,15",
    ]
    reader, records, problems = read(write_csv(tmp_path, lines))
    assert [(problem.row, problem.column) for problem in problems] == [
        (2, "Session"),
        (3, "Text"),
        (4, "Text"),
        (6, "Text"),
    ]
    assert [record.row for record in records] == [7]
    assert reader.rows_read == 5  # the blank line is no row


def test_progress_follows_the_file(tmp_path):
    reader = UprInfoReader()
    seen = [reader.progress for _item in reader.records(write_csv(tmp_path, TONGA))]
    assert seen == sorted(seen) and 0 < seen[0] < 1
    assert reader.progress == 1.0
