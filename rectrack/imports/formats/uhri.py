"""The Universal Human Rights Index (UHRI, OHCHR) full export, in Excel and in JSON.

Both exports hold the same annotations (one recommendation or observation
each, with OHCHR's id), in the shapes observed in real exports, which
`rectrack.imports.samples` writes for tests:

- Excel: 16 columns found by header, two of them misspelt by OHCHR
  ("Reccomending Body", "UPR Reccomending States"; later exports spell them
  right). Cells holding several values have one per line, each after "- ";
  single values carry the "- " too ("- CRC"). Dates are Excel serial numbers.
- JSON: one list of objects (260,000 of them, 360 MB for the whole index),
  so it is streamed, never loaded. Lists are arrays of strings; `Body` and
  `AnnotationType` are strings with the "- "; dates are ISO text
  ("2025-02-12T00:00:00"); `UprCycle` is a number or null and `UprSession`
  a list (["34"]). Where a list is expected, a string of "- " lines is read
  too, and a session may be a number or text.

Both readers give the same records for the same annotations (`_record`).
"""

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from rectrack.imports.normalize import (
    check_zip,
    excel_date,
    formula_reason,
    is_formula,
    multi_values,
    plain_text,
    too_long,
    too_long_reason,
)
from rectrack.imports.records import FileRejected, Item, RowProblem, SourceRecord
from rectrack.recommendations.models import Source, parse_paragraph

# The fields read, by the name of the Excel column (any accepted spelling) and of the JSON key.
XLSX_COLUMNS = {
    "text": ("Text",),
    "id": ("OHCHR Annotation Id",),
    "body": ("Reccomending Body", "Recommending Body"),
    "symbol": ("Document Symbol",),
    "countries": ("Countries Concerned",),
    "date": ("Document Publication Date",),
    "themes": ("Themes",),
    "affected": ("Affected Persons",),
    "sdgs": ("Sdgs",),
    "states": ("UPR Reccomending States", "UPR Recommending States"),
    "positions": ("UPR Position",),
    "kind": ("Type",),
    "session": ("UPR Session",),
}
JSON_KEYS = {
    "text": "Text",
    "id": "AnnotationId",
    "body": "Body",
    "symbol": "Symbol",
    "countries": "Countries",
    "date": "PublicationDate",
    "themes": "Themes",
    "affected": "AffectedPersons",
    "sdgs": "Sdgs",
    "states": "UprRecommendingCountry",
    "positions": "UprPositions",
    "kind": "AnnotationType",
    "session": "UprSession",
    "cycle": "UprCycle",
}
REQUIRED = ("text", "id", "symbol", "body")

# What openpyxl raises on a workbook that is damaged inside a sound zip.
_BROKEN_WORKBOOK = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    TypeError,
    SyntaxError,  # xml.etree's ParseError
)
_NUMBER = re.compile(r"\d+")


# ---------------------------------------------------------------- one mapping for both


def _values(value: Any) -> list[str]:
    """A list of labels from a JSON array, a multi-value cell ("- a\\n- b") or a single value."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [label for item in value if item is not None for label in multi_values(item)]
    return multi_values(value)


def _first(value: Any) -> str:
    values = _values(value)
    return values[0] if values else ""


def _number(value: Any) -> int | None:
    """34 from 34, "34", "- 34", ["34"] or "34th session"."""
    match = _NUMBER.search(_first(value))
    return int(match.group()) if match else None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _record(row: int, values: dict[str, Any], names: dict[str, str]) -> SourceRecord | RowProblem:
    """The record for one annotation; `names` says what the file calls each field, for problems."""
    try:
        issued_on = excel_date(values.get("date"))
    except (ValueError, TypeError, OverflowError):
        return RowProblem(
            row, names["date"], _("“%(value)s” is not a date.") % {"value": _text(values.get("date"))[:100]}
        )
    text = plain_text(_text(values.get("text")))
    paragraph = parse_paragraph(text)
    return SourceRecord(
        row=row,
        text=text,
        paragraph=paragraph,
        external_id=_text(values.get("id")).strip(),
        document_symbol=_first(values.get("symbol")),
        mechanism=_first(values.get("body")),
        countries=_values(values.get("countries")),
        issued_on=issued_on,
        session=_number(values.get("session")),
        upr_cycle=_number(values.get("cycle")),
        themes=_values(values.get("themes")),
        affected_persons=_values(values.get("affected")),
        sdgs=_values(values.get("sdgs")),
        recommending_states=_values(values.get("states")),
        position=_first(values.get("positions")),
        kind=_first(values.get("kind")),
    )


class _FirstSeen:
    """Refuses an annotation id met before in the same file, naming the row it was first in."""

    def __init__(self, column: str):
        self.column = column
        self.rows: dict[str, int] = {}

    def check(self, item: Item) -> Item:
        if isinstance(item, RowProblem) or not item.external_id:
            return item
        first = self.rows.setdefault(item.external_id, item.row)
        if first == item.row:
            return item
        return RowProblem(
            item.row,
            self.column,
            _("The annotation %(id)s appears twice in this file, first in row %(row)s.")
            % {"id": item.external_id, "row": first},
        )


# ---------------------------------------------------------------- Excel


def _header_key(name: Any) -> str:
    return "".join(_text(name).split()).casefold()


def _xlsx_columns(header: tuple) -> tuple[dict[str, int], dict[str, str]]:
    """Where each field is ({field: index}), and its header as the file writes it; FileRejected when one is missing."""
    found = {}
    for index, name in enumerate(header):
        found.setdefault(_header_key(name), index)
    columns, names = {}, {}
    for name, spellings in XLSX_COLUMNS.items():
        for spelling in spellings:
            if _header_key(spelling) in found:
                columns[name] = found[_header_key(spelling)]
                names[name] = _text(header[columns[name]]).strip()
                break
        else:
            names[name] = spellings[0]
    missing = [XLSX_COLUMNS[name][0] for name in REQUIRED if name not in columns]
    if missing:
        raise FileRejected(
            _(
                "This is not a UHRI export: the columns %(missing)s are missing. "
                "The first row of the first sheet holds: %(found)s."
            )
            % {
                "missing": ", ".join(missing),
                "found": ", ".join(_text(name).strip() for name in header if _text(name).strip()) or _("nothing"),
            }
        )
    return columns, names


def _is_blank(cells: tuple) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in cells)


def _xlsx_item(number: int, cells: tuple, columns: dict[str, int], names: dict[str, str]) -> Item:
    values = {}
    for name, index in columns.items():
        value = cells[index] if index < len(cells) else None
        if is_formula(value):
            return RowProblem(number, names[name], formula_reason())
        if too_long(value):
            return RowProblem(number, names[name], too_long_reason())
        values[name] = value
    return _record(number, values, names)


def _open_workbook(path: Path):
    check_zip(path, "Excel (.xlsx)")
    try:
        # data_only=False: a formula is seen as the formula it is, and refused.
        return load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except _BROKEN_WORKBOOK as error:
        raise FileRejected(_("The file is not an Excel workbook, or it is damaged.")) from error


def _sheet_rows(sheet) -> Iterator[tuple]:
    """The rows of a sheet as values, streamed; FileRejected where the file stops making sense."""
    rows = sheet.iter_rows(values_only=True)
    count = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except _BROKEN_WORKBOOK as error:
            raise FileRejected(
                _("The Excel file is damaged: it could be read up to row %(row)s only.") % {"row": count}
            ) from error
        count += 1
        yield cells


class UhriXlsxReader:
    """Reads the UHRI export in Excel, row by row (openpyxl's read-only mode; the workbook is never loaded whole).

    Row numbers are the spreadsheet's (the header is row 1).
    """

    format = "uhri-xlsx"
    source = Source.UHRI
    covers = "source"  # a full export: what it no longer holds has gone from the UHRI

    def __init__(self):
        self.progress = 0.0
        self.rows_read = 0

    def records(self, path: Path) -> Iterator[Item]:
        workbook = _open_workbook(Path(path))
        try:
            if not workbook.worksheets:
                raise FileRejected(_("The Excel file has no sheet."))
            sheet = workbook.worksheets[0]
            rows = _sheet_rows(sheet)
            columns, names = _xlsx_columns(next(rows, ()))
            first_seen = _FirstSeen(names["id"])
            last_row = sheet.max_row or 0  # from the sheet's stated size, which may be missing
            for number, cells in enumerate(rows, start=2):
                self.progress = min(number / last_row, 0.99) if last_row else 0.0
                if _is_blank(cells):
                    continue
                self.rows_read += 1
                yield first_seen.check(_xlsx_item(number, cells, columns, names))
        finally:
            workbook.close()
        self.progress = 1.0


# ---------------------------------------------------------------- JSON


def _start_of_list(handle) -> None:
    """Leave the file at its opening "[", past a byte order mark and spaces; FileRejected when it is not a list."""
    head = handle.read(64)
    content = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not content:
        raise FileRejected(_("The file is empty."))
    if content[:1] == b"{":
        raise FileRejected(_("The JSON file holds a single object, not a list of records: this is not a UHRI export."))
    if content[:1] != b"[":
        raise FileRejected(_("The file is not JSON, or not in UTF-8: a UHRI export is a JSON list of records."))
    handle.seek(len(head) - len(content))


def _json_item(number: int, raw: Any) -> Item:
    if not isinstance(raw, dict):
        return RowProblem(number, "", _("Record %(number)s is not a UHRI annotation (an object).") % {"number": number})
    values = {}
    for name, key in JSON_KEYS.items():
        value = raw.get(key)
        if too_long(value) or (isinstance(value, list) and any(too_long(item) for item in value)):
            return RowProblem(number, key, too_long_reason())
        values[name] = value
    return _record(number, values, JSON_KEYS)


class UhriJsonReader:
    """Reads the UHRI export in JSON, streamed record by record (ijson): memory does not grow with the file.

    A file that stops being valid JSON (cut short, damaged) is refused where
    it fails; the importer then keeps nothing. Row numbers count the
    records from 1.
    """

    format = "uhri-json"
    source = Source.UHRI
    covers = "source"  # a full export: what it no longer holds has gone from the UHRI

    def __init__(self):
        self.progress = 0.0
        self.rows_read = 0

    def records(self, path: Path) -> Iterator[Item]:
        size = Path(path).stat().st_size or 1
        first_seen = _FirstSeen(JSON_KEYS["id"])
        with open(path, "rb") as handle:
            _start_of_list(handle)
            annotations = ijson.items(handle, "item", use_float=True)
            while True:
                try:
                    raw = next(annotations)
                except StopIteration:
                    break
                except ijson.JSONError as error:
                    raise FileRejected(
                        _(
                            "The JSON file is damaged or cut short: it stops being valid after record %(count)s "
                            "(about %(megabytes)s MB into the file). Export it again."
                        )
                        % {"count": f"{self.rows_read:,}", "megabytes": f"{handle.tell() / 1024**2:,.1f}"}
                    ) from error
                self.rows_read += 1
                self.progress = min(handle.tell() / size, 0.99)
                yield first_seen.check(_json_item(self.rows_read, raw))
        self.progress = 1.0
