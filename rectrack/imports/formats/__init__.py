"""The file formats RecTrack imports, and how a file's format is recognised.

Each module holds one reader (see rectrack.imports.records.Reader). A
spreadsheet of any other shape needs a column mapping, so it is never
chosen without one.
"""

import csv
import io
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectrack.imports.normalize import check_zip, decode_text, sniff
from rectrack.imports.records import FileRejected, Reader

FORMATS = {
    "uhri-json": gettext_lazy("UHRI export (JSON)"),
    "uhri-xlsx": gettext_lazy("UHRI export (Excel)"),
    "ohchr-docx": gettext_lazy("OHCHR thematic list or matrix of recommendations (Word)"),
    "upr-info-csv": gettext_lazy("UPR Info database export (CSV)"),
    "spreadsheet": gettext_lazy("Other spreadsheet (CSV or Excel), with a column mapping"),
}


def reader_for(format: str, **options) -> Reader:
    """A reader for `format`; a spreadsheet reader takes its `mapping` (and its options)."""
    if format == "uhri-json":
        from rectrack.imports.formats.uhri import UhriJsonReader

        return UhriJsonReader()
    if format == "uhri-xlsx":
        from rectrack.imports.formats.uhri import UhriXlsxReader

        return UhriXlsxReader()
    if format == "ohchr-docx":
        from rectrack.imports.formats.thematic_docx import ThematicListReader

        return ThematicListReader()
    if format == "upr-info-csv":
        from rectrack.imports.formats.upr_info import UprInfoReader

        return UprInfoReader()
    if format == "spreadsheet":
        from rectrack.imports.formats.spreadsheet import SpreadsheetReader

        return SpreadsheetReader(**options)
    raise FileRejected(_("Unknown format “%(format)s”.") % {"format": format})


_UHRI_XLSX_MARKERS = ("ohchr annotation id", "reccomending body", "recommending body")
_UPR_INFO_COLUMNS = {"to", "text", "from", "response", "session"}


def _first_row_of_xlsx(path: Path) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        for row in workbook.worksheets[0].iter_rows(max_row=1, values_only=True):
            return [str(cell or "").strip().casefold() for cell in row]
        return []
    finally:
        workbook.close()


def detect_format(path: Path) -> str:
    """The format a file is in, from its content (never its name). FileRejected if none fits."""
    kind = sniff(path)
    if kind == "json":
        return "uhri-json"
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise FileRejected(_("The file is damaged: it cannot be opened as Word or Excel.")) from error
        if "word/document.xml" in names:
            return "ohchr-docx"
        if "xl/workbook.xml" in names:
            check_zip(path, "Excel (.xlsx)")
            headers = _first_row_of_xlsx(path)
            return "uhri-xlsx" if any(marker in headers for marker in _UHRI_XLSX_MARKERS) else "spreadsheet"
        raise FileRejected(_("The file is a zip archive, but neither a Word nor an Excel document."))
    if kind == "ole":
        raise FileRejected(_("This is an old-style Office file (.xls or .doc). Save it as .xlsx, .docx or CSV."))
    if kind == "pdf":
        raise FileRejected(_("This is a PDF file. Import the Word, Excel, CSV or JSON version of the document."))
    with open(path, "rb") as handle:
        text, _encoding = decode_text(handle.read(64 * 1024))
    first_line = next(csv.reader(io.StringIO(text.replace("\r", "\n"))), [])
    if _UPR_INFO_COLUMNS <= {column.strip().casefold() for column in first_line}:
        return "upr-info-csv"
    return "spreadsheet"
