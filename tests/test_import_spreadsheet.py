"""Any spreadsheet (CSV or Excel) read through a column mapping: preview, guessed mapping, rows and refusals."""

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from rectrack.imports import normalize
from rectrack.imports.formats import reader_for
from rectrack.imports.formats.spreadsheet import (
    FIELDS,
    TRANSLATION_FIELDS,
    SpreadsheetReader,
    inspect,
    suggest_mapping,
)
from rectrack.imports.records import FileRejected, RowProblem, SourceRecord
from tests.conftest import shared_data

HEADER = ["Recommendation", "Symbol", "Date", "Themes", "Session"]
ROW = ["121.2 Ensure inclusive education (Ukraine);", "A/HRC/43/15", "15/11/2019", "Education; Roma", "34"]


def write_csv(tmp_path, rows, *, name="recs.csv", encoding="utf-8", delimiter=",", line_end="\n"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(tmp_path, rows, *, name="recs.xlsx", sheets=None):
    """A workbook whose first sheet holds `rows`; `sheets` adds more sheets {title: rows}."""
    workbook = Workbook()
    workbook.active.title = "Recommendations"
    for row in rows:
        workbook.active.append(row)
    for title, more in (sheets or {}).items():
        sheet = workbook.create_sheet(title)
        for row in more:
            sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def read(path, mapping, **options):
    return list(SpreadsheetReader(mapping, **options).records(path))


def only_records(items) -> list[SourceRecord]:
    assert all(isinstance(item, SourceRecord) for item in items), [i for i in items if isinstance(i, RowProblem)]
    return items


# ---------------------------------------------------------------- fields


def test_fields_are_the_source_record_attributes_in_order():
    keys = [f.key for f in FIELDS]
    assert keys[0] == "text" and [f.key for f in FIELDS if f.required] == ["text"]
    assert set(keys) - set(TRANSLATION_FIELDS) <= set(SourceRecord.__dataclass_fields__)
    assert set(TRANSLATION_FIELDS.values()) == {"en", "fr", "es", "ar", "ru", "zh-hans"}
    assert {"countries", "issued_on", "session", "sdgs", "language"} <= set(keys)
    assert {f.key for f in FIELDS if f.multi_valued} == {
        "countries",
        "themes",
        "affected_persons",
        "sdgs",
        "recommending_states",
    }
    assert all(str(f.label) for f in FIELDS)


# ---------------------------------------------------------------- inspect


def test_inspect_a_csv_shows_headers_five_sample_rows_encoding_and_delimiter(tmp_path):
    rows = [HEADER] + [[f"Recommendation {n}", "A/HRC/43/15", "", "", ""] for n in range(8)]
    preview = inspect(write_csv(tmp_path, rows))
    assert preview.kind == "csv"
    assert preview.headers == HEADER
    assert len(preview.rows) == 5 and preview.rows[0] == ["Recommendation 0", "A/HRC/43/15", "", "", ""]
    assert preview.encoding == "utf-8-sig" and preview.delimiter == ","
    assert preview.sheets == [] and preview.sheet is None
    assert len(preview.signature) == 64


def test_inspect_names_blank_headers_by_column_letter_and_numbers_repeated_ones(tmp_path):
    path = write_csv(tmp_path, [["Text", "Theme", "", "Theme", "Theme", ""], ["a", "b", "c", "d", "e", ""]])
    assert inspect(path).headers == ["Text", "Theme", "Column C", "Theme (2)", "Theme (3)"]


def test_inspect_an_xlsx_lists_sheets_reads_the_chosen_one_and_shows_cells_as_text(tmp_path):
    path = write_xlsx(
        tmp_path,
        [["Recommendation", "Date", "Session"], ["Ratify the Convention", datetime(2019, 11, 15), 34.0]],
        sheets={"Pledges": [["Pledge"], ["Adopt a plan"]]},
    )
    preview = inspect(path)
    assert preview.kind == "xlsx" and preview.sheets == ["Recommendations", "Pledges"]
    assert preview.sheet == "Recommendations"
    assert preview.rows == [["Ratify the Convention", "2019-11-15", "34"]]
    pledges = inspect(path, sheet="Pledges")
    assert pledges.sheet == "Pledges" and pledges.headers == ["Pledge"] and pledges.rows == [["Adopt a plan"]]
    with pytest.raises(FileRejected, match="no sheet “Annex”"):
        inspect(path, sheet="Annex")


def test_the_header_is_the_first_non_blank_row_and_rows_keep_the_numbers_a_user_sees(tmp_path):
    path = write_xlsx(tmp_path, [[None], ["Recommendation"], [None], ["Ratify the Convention"]])
    assert inspect(path).headers == ["Recommendation"]
    [record] = read(path, {"text": "Recommendation"})
    assert record.row == 4


def test_the_signature_ignores_case_and_spacing_but_not_order_or_names(tmp_path):
    first = inspect(write_csv(tmp_path, [["Recommendation Text", "State under review"], ["a", "b"]], name="1.csv"))
    same = inspect(write_xlsx(tmp_path, [["  RECOMMENDATION  text", "state underreview"], ["c", "d"]]))
    reordered = inspect(write_csv(tmp_path, [["State under review", "Recommendation Text"], ["b", "a"]], name="2.csv"))
    other = inspect(write_csv(tmp_path, [["Recommendation Text", "Country"], ["a", "b"]], name="3.csv"))
    assert first.signature == same.signature
    assert first.signature != reordered.signature
    assert first.signature != other.signature


# ---------------------------------------------------------------- suggested mappings


def test_suggest_mapping_from_english_headers():
    headers = [
        "ID",
        "Paragraph",
        "Recommendation",
        "Recommending State(s)",
        "State under review",
        "Body",
        "Symbol",
        "Date",
        "Session",
        "Theme(s)",
        "Affected persons",
        "SDGs",
        "Response",
        "Type",
        "Language",
    ]
    assert suggest_mapping(headers) == {
        "text": "Recommendation",
        "external_id": "ID",
        "paragraph": "Paragraph",
        "document_symbol": "Symbol",
        "mechanism": "Body",
        "countries": "State under review",
        "issued_on": "Date",
        "session": "Session",
        "themes": "Theme(s)",
        "affected_persons": "Affected persons",
        "sdgs": "SDGs",
        "recommending_states": "Recommending State(s)",
        "position": "Response",
        "kind": "Type",
        "language": "Language",
    }


def test_suggest_mapping_from_french_headers():
    headers = ["Para", "Texte", "Mécanisme", "Pays", "Date", "Thèmes", "ODD", "Réponse", "État recommandant"]
    assert suggest_mapping(headers) == {
        "text": "Texte",
        "paragraph": "Para",
        "mechanism": "Mécanisme",
        "countries": "Pays",
        "issued_on": "Date",
        "themes": "Thèmes",
        "sdgs": "ODD",
        "recommending_states": "État recommandant",
        "position": "Réponse",
    }


def test_suggest_mapping_from_spanish_headers():
    headers = ["Recomendación", "Órgano", "Documento", "Fecha", "Temas", "ODS", "Respuesta", "Estado recomendante"]
    assert suggest_mapping(headers) == {
        "text": "Recomendación",
        "document_symbol": "Documento",
        "mechanism": "Órgano",
        "issued_on": "Fecha",
        "themes": "Temas",
        "sdgs": "ODS",
        "recommending_states": "Estado recomendante",
        "position": "Respuesta",
    }


def test_suggest_mapping_never_gives_one_header_to_two_fields():
    mapping = suggest_mapping(["To", "Text", "From", "Response", "Issue", "Session", "Recommending body"])
    assert mapping["countries"] == "To" and mapping["recommending_states"] == "From"
    assert mapping["mechanism"] == "Recommending body"
    assert len(set(mapping.values())) == len(mapping)
    assert suggest_mapping(["Notes", "Comments"]) == {}


# ---------------------------------------------------------------- reading


def test_every_field_is_read_through_the_mapping(tmp_path):
    header = [
        "Ref",
        "No.",
        "Recommendation",
        "Document",
        "Mechanism",
        "SuR",
        "Issued",
        "Session",
        "Themes",
        "Groups",
        "SDGs",
        "From",
        "Position",
        "Position source",
        "Kind",
        "Language",
        "English",
        "Texte FR",
        "Texto ES",
        "Arabic",
        "Russian",
        "Chinese",
    ]
    row = [
        "R-1",
        "121.2",
        "<p>Ensure <b>inclusive</b> education&nbsp;for Roma children</p>",
        "A/HRC/43/15",
        "UPR",
        "Slovenia",
        datetime(2019, 11, 15),
        34,
        "Right to education\nNon-discrimination",
        "- Children\n- Roma",
        "4.1; 4.5",
        "Ukraine; Mexico",
        "Supported",
        "A/HRC/43/15/Add.1 - Para.4",
        "Recommendations",
        "French",
        "<p>Ensure inclusive education</p>",
        "Garantir une éducation inclusive",  # the original's language: not a translation
        "Garantizar una educación inclusiva",
        "",
        "Обеспечить инклюзивное образование",
        "",
    ]
    # The fields in FIELDS order, "text" third: each column maps to the field at its place.
    keys = [f.key for f in FIELDS]
    keys = [*keys[1:3], "text", *keys[3:]]
    mapping = dict(zip(keys, header, strict=True))
    [record] = only_records(read(write_xlsx(tmp_path, [header, row]), mapping))
    assert record == SourceRecord(
        row=2,
        text="Ensure inclusive education for Roma children",
        external_id="R-1",
        paragraph="121.2",
        document_symbol="A/HRC/43/15",
        mechanism="UPR",
        countries=["Slovenia"],
        issued_on=date(2019, 11, 15),
        session=34,
        themes=["Right to education", "Non-discrimination"],
        affected_persons=["Children", "Roma"],
        sdgs=["4.1", "4.5"],
        recommending_states=["Ukraine", "Mexico"],
        position="Supported",
        position_source="A/HRC/43/15/Add.1 - Para.4",
        kind="Recommendations",
        language="fr",
        translations={
            "en": "Ensure inclusive education",
            "es": "Garantizar una educación inclusiva",
            "ru": "Обеспечить инклюзивное образование",
        },
    )


def test_the_paragraph_is_parsed_from_the_text_when_no_column_holds_it(tmp_path):
    path = write_csv(tmp_path, [HEADER, ROW, ["Adopt a plan", "", "", "", ""]])
    first, second = only_records(read(path, {"text": "Recommendation"}))
    assert first.paragraph == "121.2" and first.text.startswith("121.2 Ensure")
    assert second.paragraph == "" and second.language == "en"


def test_multi_values_split_on_the_separator_on_lines_and_on_dashes(tmp_path):
    path = write_csv(
        tmp_path,
        [
            ["Text", "Themes", "From"],
            ["a", "Education; Health ;;Water", "France, Spain"],
            ["b", "- Education\n- Health", "Chile"],
        ],
    )
    first, second = only_records(read(path, {"text": "Text", "themes": "Themes", "recommending_states": "From"}))
    assert first.themes == ["Education", "Health", "Water"] and first.recommending_states == ["France, Spain"]
    assert second.themes == ["Education", "Health"]
    [with_comma, _second] = read(path, {"text": "Text", "recommending_states": "From"}, multi_value_separator=",")
    assert with_comma.recommending_states == ["France", "Spain"]


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        ("05/11/2019", "dmy", date(2019, 11, 5)),
        ("05/11/2019", "mdy", date(2019, 5, 11)),
        ("5.11.2019", "dmy", date(2019, 11, 5)),
        ("11-25-2019", "mdy", date(2019, 11, 25)),
        ("2019-11-05", "mdy", date(2019, 11, 5)),
        ("2019-11-05T00:00:00", "dmy", date(2019, 11, 5)),
        ("43774", "dmy", date(2019, 11, 5)),
        ("", "dmy", None),
    ],
)
def test_dates_in_text_follow_the_chosen_order(tmp_path, cell, order, expected):
    path = write_csv(tmp_path, [["Text", "Date"], ["a", cell]])
    [record] = only_records(read(path, {"text": "Text", "date": "Date"}, date_order=order))
    assert record.issued_on == expected


def test_dates_in_excel_cells_and_serials(tmp_path):
    path = write_xlsx(tmp_path, [["Text", "Date"], ["a", datetime(2019, 11, 5, 10, 30)], ["b", 43774], ["c", None]])
    assert [r.issued_on for r in only_records(read(path, {"text": "Text", "issued_on": "Date"}))] == [
        date(2019, 11, 5),
        date(2019, 11, 5),
        None,
    ]


def test_a_mapping_saved_for_the_same_shape_finds_columns_in_any_case_or_spacing(tmp_path):
    path = write_csv(tmp_path, [["RECOMMENDATION  TEXT", "", "Pays"], ["Adopt a plan", "CEDAW", "Mali"]])
    [record] = only_records(read(path, {"text": "Recommendation text", "mechanism": "Colonne B", "country": "pays"}))
    assert (record.text, record.mechanism, record.countries) == ("Adopt a plan", "CEDAW", ["Mali"])


def test_blank_rows_are_skipped_and_progress_reaches_the_end(tmp_path):
    path = write_csv(tmp_path, [["Text"], ["a"], [], [" "], ["b"]])
    reader = SpreadsheetReader({"text": "Text"})
    seen = []
    for record in reader.records(path):
        seen.append((record.row, record.text, reader.progress))
    assert [(row, text) for row, text, _progress in seen] == [(2, "a"), (5, "b")]
    assert 0 < seen[0][2] < seen[1][2] and reader.progress == 1.0


def test_reader_for_builds_the_spreadsheet_reader_from_saved_options(tmp_path):
    reader = reader_for("spreadsheet", mapping={"text": "Text"}, multi_value_separator=",", date_order="mdy")
    assert isinstance(reader, SpreadsheetReader)
    assert (reader.format, reader.source) == ("spreadsheet", "spreadsheet")


# ---------------------------------------------------------------- problems in rows


def test_a_formula_in_a_mapped_column_is_refused_and_in_other_columns_ignored(tmp_path):
    path = write_xlsx(
        tmp_path,
        [
            ["Text", "Symbol", "Notes"],
            ["a", '=HYPERLINK("https://undocs.org/A/HRC/43/15","A/HRC/43/15")', "b"],
            ["c", "A/HRC/43/15", "=1+1"],
        ],
    )
    problem, record = read(path, {"text": "Text", "document_symbol": "Symbol"})
    assert problem == RowProblem(2, "Symbol", normalize.formula_reason())
    assert isinstance(record, SourceRecord) and record.document_symbol == "A/HRC/43/15"


def test_row_problems_name_the_row_and_the_column(tmp_path, monkeypatch):
    monkeypatch.setattr(normalize, "MAX_CELL_CHARS", 100)
    path = write_csv(
        tmp_path,
        [
            ["Id", "Text", "Date", "Session"],
            ["1", "x" * 101, "", ""],
            ["2", "a", "31/02/2019", ""],
            ["3", "a", "2019", ""],
            ["4", "<p> </p>", "", ""],
            ["5", "a", "", "thirty"],
            ["6", "a", "", "17.0"],
            ["6", "a", "", ""],
        ],
    )
    items = read(path, {"external_id": "Id", "text": "Text", "date": "Date", "session": "Session"})
    problems = [(item.row, item.column, item.reason) for item in items if isinstance(item, RowProblem)]
    assert problems == [
        (2, "Text", normalize.too_long_reason()),
        (3, "Date", "“31/02/2019” is not a date. Write it as 2019-11-05 or 05/11/2019."),
        (4, "Date", "“2019” is not a date. Write it as 2019-11-05 or 05/11/2019."),
        (5, "Text", "The recommendation text is empty."),
        (6, "Session", "The session “thirty” is not a number."),
        (8, "Id", "The identifier “6” is already on row 7."),
    ]
    assert [item.session for item in items if isinstance(item, SourceRecord)] == [17]


# ---------------------------------------------------------------- refused files


def test_a_mapping_naming_a_missing_column_is_refused_before_any_row(tmp_path):
    path = write_csv(tmp_path, [HEADER, ROW])
    with pytest.raises(FileRejected, match="does not have: “Country”, “Pledge”. Its columns are: Recommendation"):
        read(path, {"text": "Recommendation", "countries": "Country", "kind": "Pledge"})


def test_a_mapping_without_text_or_with_an_unknown_field_is_refused():
    with pytest.raises(FileRejected, match="recommendation text"):
        SpreadsheetReader({"themes": "Themes", "position": ""})
    with pytest.raises(FileRejected, match="“colour”"):
        SpreadsheetReader({"text": "Text", "colour": "Colour"})
    with pytest.raises(FileRejected, match="date order"):
        SpreadsheetReader({"text": "Text"}, date_order="ymd")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\r\n \r\n", "empty"),
        (b",,,\n\n,,,\n", "no header row"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "save it as .xlsx or CSV"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b'[{"annotationId": "1"}]', "JSON"),
        (b"PK\x03\x04" + bytes(100), "not a valid Excel"),
    ],
)
def test_files_that_are_not_a_csv_or_xlsx_are_refused_with_what_they_are(tmp_path, content, message):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=message):
        inspect(path)
    with pytest.raises(FileRejected, match=message):
        read(path, {"text": "Text"})


def test_a_truncated_xlsx_is_refused(tmp_path):
    path = write_xlsx(tmp_path, [HEADER, ROW] * 50)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(FileRejected, match="truncated or damaged"):
        inspect(path)


def test_an_empty_worksheet_has_no_header_row(tmp_path):
    with pytest.raises(FileRejected, match="no header row"):
        inspect(write_xlsx(tmp_path, []))


def test_a_zip_bomb_posing_as_xlsx_is_refused_before_decompressing(tmp_path, monkeypatch):
    monkeypatch.setattr(normalize, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(2 * 1024 * 1024))
    with pytest.raises(FileRejected, match="refused as unsafe"):
        read(path, {"text": "Text"})


# ---------------------------------------------------------------- encodings and delimiters


def test_windows_1252_with_curly_quotes(tmp_path):
    path = write_csv(tmp_path, [["Text"], ["Adopt the “Istanbul” Convention – it’s overdue"]], encoding="cp1252")
    assert inspect(path).encoding == "cp1252"
    [record] = only_records(read(path, {"text": "Text"}))
    assert record.text == "Adopt the “Istanbul” Convention – it’s overdue"


def test_mac_roman_with_accents_and_cr_line_ends(tmp_path):
    rows = [["To", "Text"], ["Côte d'Ivoire", "Améliorer l'accès à l'éducation"], ["Mali", "Réviser le code"]]
    path = write_csv(tmp_path, rows, encoding="mac_roman", line_end="\r")
    assert inspect(path).encoding == "mac_roman"
    first, second = only_records(read(path, {"text": "Text", "country": "To"}))
    assert (first.row, first.countries, first.text) == (2, ["Côte d'Ivoire"], "Améliorer l'accès à l'éducation")
    assert (second.row, second.text) == (3, "Réviser le code")


def test_utf16_unicode_text_from_excel(tmp_path):
    path = write_csv(tmp_path, [["Text", "Pays"], ["Égalité des genres", "Sénégal"]], encoding="utf-16", delimiter="\t")
    preview = inspect(path)
    assert (preview.encoding, preview.delimiter, preview.headers) == ("utf-16", "\t", ["Text", "Pays"])
    [record] = only_records(read(path, {"text": "Text", "countries": "Pays"}))
    assert (record.text, record.countries) == ("Égalité des genres", ["Sénégal"])


def test_utf8_with_bom_has_a_clean_first_header(tmp_path):
    path = write_csv(tmp_path, [["Text", "État"], ["Ratifier", "Mali"]], encoding="utf-8-sig")
    assert inspect(path).headers == ["Text", "État"]
    [record] = only_records(read(path, {"text": "Text", "countries": "État"}))
    assert record.countries == ["Mali"]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_delimiter_is_sniffed(tmp_path, delimiter):
    rows = [["Text", "Date", "Themes"], ["Adopt, with care, a law", "05/11/2019", "Education, Health"]]
    path = write_csv(tmp_path, rows, delimiter=delimiter)
    assert inspect(path).delimiter == delimiter
    [record] = only_records(read(path, {"text": "Text", "date": "Date", "themes": "Themes"}))
    assert (record.text, record.issued_on, record.themes) == (
        "Adopt, with care, a law",
        date(2019, 11, 5),
        ["Education, Health"],
    )


def test_quoted_fields_may_hold_line_breaks(tmp_path):
    path = write_csv(tmp_path, [["Text", "Themes"], ["First line\r\nsecond line", "Education\nHealth"], ["b", ""]])
    first, second = only_records(read(path, {"text": "Text", "themes": "Themes"}))
    assert first.text == "First line\nsecond line" and first.themes == ["Education", "Health"]
    assert second.row == 3


# ---------------------------------------------------------------- real data


@pytest.mark.shared_data
def test_the_upr_info_export_reads_through_a_mapping():
    path = shared_data("upr-info-s01-17/upr_info_sessions_01_17.csv")
    mapping = {
        "country": "To",
        "text": "Text",
        "recommending_states": "From",
        "position": "Response",
        "themes": "Issue",
        "session": "Session",
    }
    items = read(path, mapping, multi_value_separator=",")
    assert len(items) == 34_029
    first = items[0]
    assert first.countries == ["Afghanistan"] and first.recommending_states == ["Austria"]
    assert first.themes == ["Rights of the Child", "Women's rights"] and first.session == 5


def test_a_csv_over_the_text_file_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from rectrack.imports import normalize

    monkeypatch.setattr(normalize, "MAX_TEXT_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("Recommendation\n" + "Ratify the convention.\n" * 10)
    with pytest.raises(FileRejected, match="CSV files of up to"):
        list(SpreadsheetReader({"text": "Recommendation"}).records(path))
