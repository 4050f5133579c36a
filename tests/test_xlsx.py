"""The streaming XLSX writer: what openpyxl reads back, formula safety, and streaming in bounded memory."""

import hashlib
import tracemalloc
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from io import BytesIO
from xml.etree import ElementTree

import openpyxl
import pytest

from rectrack.lib.xlsx import CELL_LIMIT, XLSX_CONTENT_TYPE, column_letter, xlsx_stream

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MEMBERS = {
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/app.xml",
    "docProps/core.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/worksheets/sheet1.xml",
}


def build(columns, rows, **kwargs) -> bytes:
    return b"".join(xlsx_stream(columns, rows, **kwargs))


def sheet(columns, rows, **kwargs):
    return openpyxl.load_workbook(BytesIO(build(columns, rows, **kwargs))).active


def parse(xml: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(xml)  # noqa: S314 - the XML is this module's own output


def values(worksheet) -> list[list]:
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def test_content_type():
    assert XLSX_CONTENT_TYPE == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_values_read_back_as_written():
    when = datetime(2024, 3, 5, 14, 30, 15)
    rows = [
        ["Élimination des discriminations", 42, Decimal("12.50"), 0.125, date(2019, 11, 15), when, True],
        ["حقوق الإنسان", -7, Decimal("-3"), 1e-5, date(1900, 3, 1), datetime(2000, 1, 1), False],
        ["人权教育", 0, None, 2.5e20, date(1900, 1, 15), None, None],
        [["Right to education", "Women & girls"], ("a", 1), "x < y & z > \"q\" 'r'", None, None, None, None],
    ]
    ws = sheet(["Text", "Int", "Decimal", "Float", "Date", "When", "Flag"], rows)
    got = values(ws)
    assert got[0] == ["Text", "Int", "Decimal", "Float", "Date", "When", "Flag"]
    assert got[1][:4] == ["Élimination des discriminations", 42, 12.5, 0.125]
    assert got[1][4].date() == date(2019, 11, 15)
    assert got[1][5] == when
    assert got[1][6] is True
    assert got[2][:4] == ["حقوق الإنسان", -7, -3, 1e-5]
    assert got[2][4].date() == date(1900, 3, 1)
    assert got[2][5] == datetime(2000, 1, 1)
    assert got[2][6] is False
    assert got[3][:4] == ["人权教育", 0, None, 2.5e20]  # None leaves the cell empty…
    assert got[3][4].date() == date(1900, 1, 15)
    assert got[3][5:] == [None, None]
    assert got[4][:3] == ["Right to education; Women & girls", "a; 1", "x < y & z > \"q\" 'r'"]
    assert ws["C4"].value is None and ws["C4"].data_type == "n"  # …not an empty string
    assert ws["E2"].number_format == "yyyy-mm-dd"
    assert ws["F2"].number_format == "yyyy-mm-dd hh:mm"
    assert [ws.cell(1, column).font.b for column in range(1, 8)] == [True] * 7
    assert ws["A2"].font.b is False
    assert ws.max_row == 5


def test_dates_before_march_1900_match_excel_serials():
    # Excel believes 1900 was a leap year: serial 1 is 1900-01-01, 61 is 1900-03-01.
    data = build(["D"], [[date(1900, 1, 1)], [date(1900, 2, 28)], [date(1900, 3, 1)], [date(1899, 6, 1)]])
    xml = zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="A2" s="2"><v>1</v></c>' in xml
    assert '<c r="A3" s="2"><v>59</v></c>' in xml
    assert '<c r="A4" s="2"><v>61</v></c>' in xml
    ws = openpyxl.load_workbook(BytesIO(data)).active
    assert ws["A5"].value == "1899-06-01"  # Excel has no dates before 1900: kept as text


def test_aware_datetimes_are_written_in_utc():
    paris = timezone(timedelta(hours=2))
    ws = sheet(["When"], [[datetime(2024, 6, 1, 12, 0, tzinfo=paris)], [datetime(2024, 6, 1, 23, 45, tzinfo=UTC)]])
    assert ws["A2"].value == datetime(2024, 6, 1, 10, 0)
    assert ws["A3"].value == datetime(2024, 6, 1, 23, 45)


def test_nan_infinity_and_other_objects_are_text():
    class Thing:
        def __str__(self) -> str:
            return "a thing"

    ws = sheet(["A", "B", "C", "D"], [[float("nan"), float("inf"), Decimal("NaN"), Thing()], [float("-inf")]])
    assert values(ws)[1:] == [["nan", "inf", "NaN", "a thing"], ["-inf", None, None, None]]
    assert ws["A2"].data_type == "s" and ws["A3"].data_type == "s"


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", '=HYPERLINK("http://x","y")', "\tx"])
def test_formula_like_strings_stay_text_with_a_quote_prefix(text):
    data = build(["Value", "Plain"], [[text, "plain"]])
    ws = openpyxl.load_workbook(BytesIO(data)).active
    assert ws["A2"].value == text  # no apostrophe added to the text itself
    assert ws["A2"].data_type == "s"
    assert ws["A2"].quotePrefix is True
    assert ws["B2"].quotePrefix is False
    xml = zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_every_formula_start_of_the_csv_export_is_quote_prefixed():
    from rectrack.lib.tabular import FORMULA_STARTS

    ws = sheet(["Value"], [[start + "x"] for start in FORMULA_STARTS])
    assert [ws.cell(row, 1).quotePrefix for row in range(2, len(FORMULA_STARTS) + 2)] == [True] * len(FORMULA_STARTS)


def test_formula_like_list_is_quote_prefixed():
    ws = sheet(["Value"], [[["=cmd", "x"]]])
    assert ws["A2"].value == "=cmd; x"
    assert ws["A2"].quotePrefix is True


def test_control_characters_removed_and_long_text_truncated():
    dirty = "a\x00b\x01c\x08d\x0be\x0cf\x0eg\x1fh\ufffei\uffffj\ud800k\udfffl"
    long = "x" * 40_000
    ws = sheet(["Dirty", "Long", "Kept"], [[dirty, long, "tab\there\nnew line\r\nend  "]])
    assert ws["A2"].value == "abcdefghijkl"
    assert len(ws["B2"].value) == CELL_LIMIT == 32_767
    assert ws["B2"].value.endswith("…") and ws["B2"].value[:-1] == "x" * (CELL_LIMIT - 1)
    assert ws["C2"].value == "tab\there\nnew line\r\nend  "  # whitespace kept


def test_text_at_the_limit_is_not_truncated():
    ws = sheet(["Long"], [["y" * CELL_LIMIT]])
    assert ws["A2"].value == "y" * CELL_LIMIT


def test_dict_rows_are_read_by_keys_or_columns():
    rows = [{"title": "First", "year": 2020, "extra": "ignored"}, {"year": 2021}]
    ws = sheet(["Title", "Year"], rows, keys=["title", "year"])
    assert values(ws) == [["Title", "Year"], ["First", 2020], [None, 2021]]
    ws = sheet(["title", "year"], [{"year": 1999, "title": "By column"}])
    assert values(ws) == [["title", "year"], ["By column", 1999]]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Recommendations", "Recommendations"),
        ("A/B: [x]*?\\y", "AB xy"),
        ("R" * 40, "R" * 31),
        ("", "Sheet1"),
        ("[]:*?/\\", "Sheet1"),
        ("'quoted'", "quoted"),
        ("Tom & Jerry's <list>", "Tom & Jerry's <list>"),
    ],
)
def test_sheet_name_is_sanitised(given, expected):
    data = build(["A"], [[1]], sheet_name=given)
    assert openpyxl.load_workbook(BytesIO(data)).sheetnames == [expected]
    workbook = zipfile.ZipFile(BytesIO(data)).read("xl/workbook.xml").decode()
    quoted = expected.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "''")
    assert f"'{quoted}'!$A$1:$A$2</definedName>" in workbook


def test_header_frozen_filter_and_widths():
    rows = [[f"row {n}", n, None] for n in range(5)]
    data = build(["Name", "Number", "Empty"], rows, widths=[30, 12.5, 8])
    ws = openpyxl.load_workbook(BytesIO(data)).active
    assert ws.freeze_panes == "A2"
    assert (ws.sheet_view.pane.state, ws.sheet_view.pane.ySplit) == ("frozen", 1)
    assert ws.auto_filter.ref == "A1:C6"
    assert [ws.column_dimensions[letter].width for letter in "ABC"] == [30, 12.5, 8]
    assert ws.column_dimensions["A"].customWidth is True
    workbook = zipfile.ZipFile(BytesIO(data)).read("xl/workbook.xml").decode()
    assert (
        '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        "'Sheet1'!$A$1:$C$6</definedName>" in workbook
    )


def test_worksheet_elements_follow_the_schema_order():
    data = build(["A"], [[1]], widths=[10])
    root = parse(zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml"))
    assert [child.tag.removeprefix(MAIN) for child in root] == ["sheetViews", "cols", "sheetData", "autoFilter"]
    without_widths = build(["A"], [[1]])
    root = parse(zipfile.ZipFile(BytesIO(without_widths)).read("xl/worksheets/sheet1.xml"))
    assert [child.tag.removeprefix(MAIN) for child in root] == ["sheetViews", "sheetData", "autoFilter"]


@pytest.mark.parametrize(
    ("index", "letters"),
    [(1, "A"), (26, "Z"), (27, "AA"), (28, "AB"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA"), (16384, "XFD")],
)
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_thirty_columns():
    columns = [f"C{n}" for n in range(1, 31)]
    rows = [list(range(1, 31)), [f"v{n}" for n in range(1, 31)]]
    ws = sheet(columns, rows)
    assert values(ws) == [columns, *rows]
    assert ws["AA1"].value == "C27" and ws["AD3"].value == "v30" and ws["AD2"].value == 30
    assert ws.auto_filter.ref == "A1:AD3"


def test_rows_are_streamed_as_they_come():
    total = 50_000
    consumed = 0

    def rows():
        nonlocal consumed
        for n in range(total):
            consumed += 1
            yield [n, f"Recommendation {n}", hashlib.sha256(str(n).encode()).hexdigest()]

    seen_at = []  # how many rows had been consumed when each non-empty chunk came back
    for chunk in xlsx_stream(["N", "Title", "Hash"], rows()):
        if chunk:
            seen_at.append(consumed)
    assert len(seen_at) > 10
    assert seen_at[0] < total
    during = [count for count in seen_at if 0 < count < total]
    assert len(during) > 10  # sheet data reaches the caller while rows are still being produced
    assert min(during) <= 1_000


def run_peak(count: int) -> tuple[int, int]:
    def rows():
        for n in range(count):
            digest = hashlib.sha256(str(n).encode()).hexdigest()  # barely compressible
            yield [n, digest, digest[::-1], digest[:40] + "Élimination"]

    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in xlsx_stream(["N", "A", "B", "C"], rows()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, size


def test_memory_stays_bounded_whatever_the_row_count():
    small_peak, small_size = run_peak(20_000)
    large_peak, large_size = run_peak(100_000)
    assert large_size > 4 * small_size > 0
    assert large_size > 8_000_000  # keeping the output would break the bound below
    assert large_peak < 8_000_000
    assert large_peak < 2 * small_peak


def test_file_is_a_valid_zip_with_the_required_members():
    data = build(["A", "B"], [[n, str(n)] for n in range(1_000)])
    archive = zipfile.ZipFile(BytesIO(data))
    assert archive.testzip() is None
    assert set(archive.namelist()) == MEMBERS
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
    for name in MEMBERS:
        parse(archive.read(name))  # every part is well-formed XML
    types = archive.read("[Content_Types].xml").decode()
    assert 'PartName="/xl/worksheets/sheet1.xml"' in types and 'PartName="/xl/workbook.xml"' in types
    styles = archive.read("xl/styles.xml").decode()
    assert 'patternType="gray125"' in styles and 'quotePrefix="1"' in styles


def test_empty_rows_give_only_the_header():
    ws = sheet(["Title", "Year", "Status"], iter(()))
    assert values(ws) == [["Title", "Year", "Status"]]
    assert ws.max_row == 1
    assert ws.auto_filter.ref == "A1:C1"
    assert ws.freeze_panes == "A2"
