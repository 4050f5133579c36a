"""A streaming XLSX writer: a workbook of one sheet, produced as bytes while the rows come.

openpyxl (even in write-only mode) assembles the whole file and hands it over at the end, so a
download of hundreds of thousands of rows would sit in memory, or on disk, before its first byte
reached the browser. This writer feeds the rows into a deflated ZIP member as they arrive and
yields whatever compressed bytes are ready, so memory stays bounded whatever the row count and
the download starts at once (for Django's ``StreamingHttpResponse``).

The ZIP is written to an object with no ``tell()``/``seek()``: ``zipfile`` then records sizes
and checksums in data descriptors after each member instead of seeking back. Strings are inline
strings (never formulas); a string a spreadsheet would read as a formula also gets a
quote-prefixed style, so it stays text when a user edits the cell. The sheet's header row is
bold, frozen and carries an auto filter.
"""

import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet reads as the start of a formula (OWASP's list); lib.tabular escapes the same in CSV.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CELL_LIMIT = 32767  # Excel's maximum number of characters in a cell
BATCH_ROWS = 200  # rows handed to the compressor at a time…
BATCH_CHARS = 65536  # …or fewer, once their XML reaches this size

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serials count naive days from here
_STYLE_HEADER, _STYLE_DATE, _STYLE_DATETIME, _STYLE_QUOTED = 1, 2, 3, 4

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE = "application/vnd.openxmlformats-officedocument"
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"

_CONTENT_TYPES = (
    f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_OFFICE}.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_APP = (
    f'{_HEAD}<Properties xmlns="{_OFFICE}.extended-properties" '
    f'xmlns:vt="{_OFFICE}.docPropsVTypes"><Application>RecTrack</Application></Properties>'
)
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_XF = 'fontId="{}" fillId="0" borderId="0" xfId="0"'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    f'<xf numFmtId="0" {_XF.format(0)}/>'
    f'<xf numFmtId="0" {_XF.format(1)} applyFont="1"/>'
    f'<xf numFmtId="164" {_XF.format(0)} applyNumberFormat="1"/>'
    f'<xf numFmtId="165" {_XF.format(0)} applyNumberFormat="1"/>'
    f'<xf numFmtId="0" {_XF.format(0)} quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class _Sink:
    """An unseekable file: what the ZIP writes waits here until the generator drains it."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """The letters of a 1-based column number: 1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _clean(text: str) -> str:
    """Text XML 1.0 can hold, within Excel's cell limit."""
    text = _ILLEGAL_XML.sub("", text)
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _text_cell(ref: str, text: str, style: int = 0) -> str:
    text = _clean(text)
    if not style and text[:1] in FORMULA_STARTS:
        style = _STYLE_QUOTED
    attrs = f' s="{style}"' if style else ""
    body = escape(text, {"\r": "&#13;"})
    return f'<c r="{ref}"{attrs} t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


def _serial_cell(ref: str, iso: str, delta: timedelta, style: int) -> str:
    """A date as Excel's serial number of days; text before 1900, where Excel has no dates."""
    if delta.days < 2:
        return _text_cell(ref, iso)
    serial = delta.days - (1 if delta.days <= 60 else 0)  # Excel counts a 29 February 1900
    if delta.seconds or delta.microseconds:
        serial += (delta.seconds + delta.microseconds / 1e6) / 86400
    return f'<c r="{ref}" s="{style}"><v>{serial}</v></c>'


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        if isinstance(value, int) or math.isfinite(value):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return _text_cell(ref, str(value))
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return _serial_cell(ref, value.isoformat(), value - _EPOCH, _STYLE_DATETIME)
    if isinstance(value, date):
        return _serial_cell(ref, value.isoformat(), value - _EPOCH.date(), _STYLE_DATE)
    if isinstance(value, list | tuple):
        return _text_cell(ref, "; ".join(str(item) for item in value))
    return _text_cell(ref, str(value))


def _row(number: int, values: Iterable) -> str:
    cells = "".join(_cell(f"{column_letter(index)}{number}", value) for index, value in enumerate(values, 1))
    return f'<row r="{number}">{cells}</row>'


def _sheet_name(name: str) -> str:
    name = _SHEET_NAME_FORBIDDEN.sub("", _ILLEGAL_XML.sub("", name)).strip().strip("'")
    name = name[:31].strip().strip("'")
    return name if name and name.lower() != "history" else "Sheet1"


def xlsx_stream(
    columns: Sequence[str],
    rows: Iterable[Sequence | dict],
    *,
    keys: Sequence[str] | None = None,
    sheet_name: str = "Sheet1",
    widths: Sequence[float] | None = None,
) -> Iterator[bytes]:
    """An XLSX workbook of one sheet, a header row and ``rows``, as a stream of bytes.

    A dict row is read by ``keys`` (default: ``columns``); a sequence row by position.
    ``widths`` are column widths in characters.
    """
    name, keys = _sheet_name(sheet_name), list(keys if keys is not None else columns)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        core = (
            f'{_HEAD}<cp:coreProperties xmlns:cp="{_CORE}" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>RecTrack</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created></cp:coreProperties>'
        )
        for member, text in [
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("docProps/app.xml", _APP),
            ("docProps/core.xml", core),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ]:
            archive.writestr(member, text)
        yield sink.drain()

        cols = "".join(
            f'<col min="{i}" max="{i}" width="{float(width)}" customWidth="1"/>'
            for i, width in enumerate(widths or (), 1)
            if width is not None
        )
        head = _HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0">'
        head += '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        header = "".join(
            _text_cell(f"{column_letter(i)}1", str(label), _STYLE_HEADER) for i, label in enumerate(columns, 1)
        )
        pending = [head, f"<cols>{cols}</cols>" if cols else "", "<sheetData>", f'<row r="1">{header}</row>']
        size, number = 0, 1
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for row in rows:
                number += 1
                values = [row.get(key) for key in keys] if isinstance(row, dict) else row
                pending.append(_row(number, values))
                size += len(pending[-1])
                if len(pending) >= BATCH_ROWS or size >= BATCH_CHARS:
                    sheet.write("".join(pending).encode())
                    pending, size = [], 0
                    if chunk := sink.drain():
                        yield chunk
            last = f"{column_letter(len(columns))}{number}"
            pending.append("</sheetData>" + (f'<autoFilter ref="A1:{last}"/>' if columns else "") + "</worksheet>")
            sheet.write("".join(pending).encode())
        yield sink.drain()

        quoted = "'" + name.replace("'", "''") + "'"
        target = f"{quoted}!$A$1:${column_letter(len(columns))}${number}"
        defined = (
            f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{escape(target)}</definedName></definedNames>"
            if columns
            else ""
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets>{defined}</workbook>',
        )
    yield sink.drain()
