"""Any spreadsheet (CSV or Excel) of recommendations, read through a column mapping the user chose.

National and regional bodies keep their own matrices, with their own column
names, in any language. The user previews the file (`inspect`), confirms or
corrects a guessed mapping (`suggest_mapping`), and `SpreadsheetReader`
reads every row through it. A mapping is remembered by the file's
`signature`, so the next file of the same shape imports without asking.

Files are streamed: XLSX with openpyxl in read-only mode (a workbook can hold
a million rows), CSV with the csv module on the decoded text.
"""

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from rectrack.imports.normalize import (
    check_zip,
    excel_date,
    formula_reason,
    is_formula,
    multi_values,
    plain_text,
    read_text_file,
    sniff,
    too_long,
    too_long_reason,
)
from rectrack.imports.records import FileRejected, Item, RowProblem, SourceRecord
from rectrack.recommendations.models import parse_paragraph


@dataclass(frozen=True)
class Field:
    """A recommendation field a column can be mapped to. `key` is the SourceRecord attribute."""

    key: str
    label: str
    required: bool = False
    multi_valued: bool = False


FIELDS: tuple[Field, ...] = (
    Field("text", gettext_lazy("Recommendation text"), required=True),
    Field("external_id", gettext_lazy("Identifier in the source")),
    Field("paragraph", gettext_lazy("Paragraph number")),
    Field("document_symbol", gettext_lazy("Document symbol")),
    Field("mechanism", gettext_lazy("Mechanism")),
    Field("countries", gettext_lazy("Country (State under review)"), multi_valued=True),
    Field("issued_on", gettext_lazy("Date")),
    Field("session", gettext_lazy("UPR session")),
    Field("themes", gettext_lazy("Themes"), multi_valued=True),
    Field("affected_persons", gettext_lazy("Affected persons"), multi_valued=True),
    Field("sdgs", gettext_lazy("Sustainable Development Goals"), multi_valued=True),
    Field("recommending_states", gettext_lazy("Recommending States"), multi_valued=True),
    Field("position", gettext_lazy("Position (supported / noted)")),
    Field("position_source", gettext_lazy("Source of the position")),
    Field("kind", gettext_lazy("Kind (recommendation, observation, pledge)")),
    Field("language", gettext_lazy("Language")),
    # The same text in the other UN languages, kept as translations.
    Field("text_en", gettext_lazy("Text in English")),
    Field("text_fr", gettext_lazy("Text in French")),
    Field("text_es", gettext_lazy("Text in Spanish")),
    Field("text_ar", gettext_lazy("Text in Arabic")),
    Field("text_ru", gettext_lazy("Text in Russian")),
    Field("text_zh", gettext_lazy("Text in Chinese")),
)
# Translation columns, by field key: the language code the text is kept under.
TRANSLATION_FIELDS = {
    "text_en": "en",
    "text_fr": "fr",
    "text_es": "es",
    "text_ar": "ar",
    "text_ru": "ru",
    "text_zh": "zh-hans",
}
_FIELDS_BY_KEY = {f.key: f for f in FIELDS}
# The names the brief and the command line use for two fields whose attribute name differs.
_KEY_ALIASES = {"country": "countries", "date": "issued_on"}

DATE_ORDERS = ("dmy", "mdy")
CSV_DELIMITERS = ",;\t|"
SAMPLE_ROWS = 5
_SNIFF_CHARS = 16 * 1024
_XLSX = "Excel (.xlsx)"
# What openpyxl and zipfile raise on a damaged workbook; XML parse errors are SyntaxErrors.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    EOFError,
    OSError,
    SyntaxError,
)


@dataclass
class SheetPreview:
    """What the mapping form shows: the columns, a few rows, and how the file was read."""

    kind: str  # "csv" or "xlsx"
    headers: list[str]
    rows: list[list[str]]  # up to SAMPLE_ROWS data rows, as text, one cell per header
    signature: str  # the shape of the file: same headers (any case or spacing), same signature
    sheets: list[str] = field(default_factory=list)  # xlsx: every sheet, in order
    sheet: str | None = None  # xlsx: the sheet read
    encoding: str = ""  # csv: as decode_text found it
    delimiter: str = ""  # csv


# ---------------------------------------------------------------- opening a file


@dataclass
class _Table:
    """The rows of a CSV file or a worksheet: (row number a user sees, cells), blank rows included."""

    kind: str
    rows: Iterator[tuple[int, Sequence]]
    progress: Callable[[], float]
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    encoding: str = ""
    delimiter: str = ""


@contextmanager
def _open_table(path: Path, sheet: str | None):
    kind = sniff(path)
    if kind == "zip":
        with _xlsx_table(path, sheet) as table:
            yield table
        return
    if kind == "ole":
        raise FileRejected(
            _("This is an old-style Excel file (.xls). Open it in Excel or LibreOffice and save it as .xlsx or CSV.")
        )
    if kind == "pdf":
        raise FileRejected(_("This is a PDF file, not a spreadsheet. Import the Excel or CSV version of the document."))
    if kind == "json":
        raise FileRejected(_("This is a JSON file, not a spreadsheet. Import it as a UHRI export (JSON)."))
    yield _csv_table(path)


@contextmanager
def _xlsx_table(path: Path, sheet: str | None):
    check_zip(path, _XLSX)  # before openpyxl decompresses anything
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except _XLSX_ERRORS as error:
        raise _damaged() from error
    try:
        worksheet = _worksheet(workbook, sheet)
        total = worksheet.max_row or 0  # from the sheet's stated size, which may be wrong or absent
        # Some writers state a size of A1 only; read-only openpyxl would then cut every row to one cell.
        worksheet.reset_dimensions()
        counter = {"row": 0}
        yield _Table(
            kind="xlsx",
            rows=_xlsx_rows(worksheet, counter),
            progress=lambda: min(counter["row"] / total, 1.0) if total else 0.0,
            sheets=list(workbook.sheetnames),
            sheet=worksheet.title,
        )
    finally:
        workbook.close()


def _worksheet(workbook, sheet: str | None):
    if not workbook.worksheets:
        raise FileRejected(_("The Excel file has no worksheet."))
    if sheet is None:
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        raise FileRejected(
            _("The Excel file has no sheet “%(sheet)s”. Its sheets are: %(sheets)s.")
            % {"sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
        )
    return workbook[sheet]


def _xlsx_rows(worksheet, counter: dict) -> Iterator[tuple[int, Sequence]]:
    try:
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
            counter["row"] = number
            yield number, [_formula_text(cell) for cell in cells]
    except _XLSX_ERRORS as error:
        raise _damaged() from error


def _formula_text(value):
    """Array and data-table formulas come as objects; they are formulas all the same."""
    if isinstance(value, ArrayFormula | DataTableFormula):
        text = getattr(value, "text", None) or ""
        return text if text.startswith("=") else f"={text}"
    return value


def _damaged() -> FileRejected:
    return FileRejected(_("The file is not a valid %(what)s file (it may be truncated or damaged).") % {"what": _XLSX})


def _csv_table(path: Path) -> _Table:
    # The whole file is decoded at once: an 8-bit encoding can only be told
    # from UTF-8 by reading all of it (the first accent may be on row 5,000).
    text, encoding = read_text_file(path)
    if not text.strip():
        raise FileRejected(_("The file is empty."))
    delimiter = _delimiter(text[:_SNIFF_CHARS])
    consumed = {"chars": 0}
    return _Table(
        kind="csv",
        rows=_csv_rows(text, delimiter, consumed),
        progress=lambda: consumed["chars"] / len(text),
        encoding=encoding,
        delimiter=delimiter,
    )


def _delimiter(sample: str) -> str:
    """The sniffed delimiter, if the header line has it; else the header's most frequent one; else a comma."""
    lines = sample.splitlines()
    if len(sample) == _SNIFF_CHARS and len(lines) > 1:
        sample = "\n".join(lines[:-1])  # no half line at the end of the sample
    first_line = lines[0] if lines else ""
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and sniffed in first_line:
        return sniffed
    counts = {candidate: first_line.count(candidate) for candidate in CSV_DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(text: str, delimiter: str, consumed: dict) -> Iterator[tuple[int, Sequence]]:
    def lines():
        # newline="": lines end at CR, LF or CRLF (Excel for Mac writes CR), and csv sees them as they are.
        for line in io.StringIO(text, newline=""):
            consumed["chars"] += len(line)
            yield line

    number = 0
    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as error:
        raise FileRejected(
            _("The CSV file cannot be read after row %(row)s (%(error)s). Check its quotes, or save it again as CSV.")
            % {"row": number, "error": error}
        ) from error


# ---------------------------------------------------------------- headers


def _is_blank(cells: Sequence) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _cell_text(value) -> str:
    """A cell as the user sees it: numbers without a spurious ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _header_row(rows: Iterator[tuple[int, Sequence]]) -> list[str]:
    """The header cells (the first non-blank row), without the blank cells that trail them."""
    for _number, cells in rows:
        if not _is_blank(cells):
            header = [" ".join(_cell_text(cell).split()) for cell in cells]
            while header and not header[-1]:
                header.pop()
            return header
    raise FileRejected(_("The file has no header row: its first row must name the columns."))


def _column_names(header: list[str]) -> list[str]:
    """Names for the columns: a blank header is "Column C"; a repeated one gets " (2)", " (3)"..."""
    names: list[str] = []
    for index, cell in enumerate(header):
        name = cell or _("Column %(letter)s") % {"letter": get_column_letter(index + 1)}
        candidate, count = name, 1
        while candidate in names:
            count += 1
            candidate = f"{name} ({count})"
        names.append(candidate)
    return names


def _normalised(name: str) -> str:
    return "".join(name.split()).casefold()


def signature(header: list[str]) -> str:
    """The shape of a file: its header names in order, ignoring case and spaces."""
    return hashlib.sha256("\x1f".join(_normalised(cell) for cell in header).encode()).hexdigest()


def _find_column(header: list[str], names: list[str], wanted: str) -> int | None:
    """The column a mapping names: by its name, else ignoring case and spaces (as `signature` does).

    A blank header is also found by its letter alone, since "Column C" is
    translated and the mapping may have been saved in another language.
    """
    if wanted in names:
        return names.index(wanted)
    normalised = [_normalised(name) for name in names]
    if _normalised(wanted) in normalised:
        return normalised.index(_normalised(wanted))
    letter = wanted.split()[-1] if wanted.split() else ""
    for index, cell in enumerate(header):
        if not cell and get_column_letter(index + 1) == letter:
            return index
    return None


# ---------------------------------------------------------------- inspect and suggest


def inspect(path: Path, sheet: str | None = None) -> SheetPreview:
    """The columns and first rows of a spreadsheet, for choosing a mapping. Reads only the first rows."""
    with _open_table(Path(path), sheet) as table:
        header = _header_row(table.rows)
        names = _column_names(header)
        samples = []
        for _number, cells in table.rows:
            if len(samples) == SAMPLE_ROWS:
                break
            if not _is_blank(cells):
                samples.append([_cell_text(cells[i]) if i < len(cells) else "" for i in range(len(names))])
        return SheetPreview(
            kind=table.kind,
            headers=names,
            rows=samples,
            signature=signature(header),
            sheets=table.sheets,
            sheet=table.sheet,
            encoding=table.encoding,
            delimiter=table.delimiter,
        )


# Header names (lower case, without accents or punctuation) in English, French and Spanish.
# First pass: a header equal to one of `exact`. Second pass, in this order of fields:
# a header containing one of `words`, so "Recommending State" is not taken for the text.
_SYNONYMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "external_id": (
        (
            "id",
            "identifier",
            "annotation id",
            "ohchr annotation id",
            "identifiant",
            "identificador",
            "ref",
            "reference",
        ),
        ("identifier", "identifiant", "identificador", "id"),
    ),
    "recommending_states": (
        ("from", "de", "recommending state", "recommending country", "recommended by", "etat recommandant"),
        ("recommending", "recommended by", "recommandant", "recomendante", "recomendado por", "recommande par"),
    ),
    "position_source": (
        ("position source", "source of position", "response source", "source de la position"),
        ("position source", "source of the position", "source de la position", "fuente de la posicion"),
    ),
    "mechanism": (
        ("mechanism", "body", "mecanisme", "organe", "organo", "mecanismo", "recommending body", "reccomending body"),
        ("mechanism", "mecanisme", "mecanismo", "body", "organe", "organo", "treaty"),
    ),
    "countries": (
        ("country", "to", "state under review", "sur", "pays", "pais", "etat", "estado", "etat examine"),
        ("state under review", "country", "pays", "pais", "estado examinado", "etat examine", "etat partie"),
    ),
    "affected_persons": (
        ("affected persons", "affected groups", "groups", "personnes concernees", "personas afectadas"),
        ("affected", "groups", "groupes", "grupos", "personnes", "personas"),
    ),
    "sdgs": (
        ("sdg", "odd", "ods", "sustainable development goals", "goals"),
        ("sdg", "odd", "ods", "sustainable development", "developpement durable", "desarrollo sostenible"),
    ),
    "themes": (
        ("theme", "issue", "tema", "thematique", "topic", "subject", "category"),
        ("theme", "issue", "tema", "thematique", "topic", "thematic"),
    ),
    "issued_on": (
        ("date", "fecha", "issued on", "date of issue", "publication date", "date of publication"),
        ("date", "fecha"),
    ),
    "session": (("session", "sesion", "upr session"), ("session", "sesion")),
    "document_symbol": (
        ("symbol", "document", "document symbol", "symbole", "cote", "simbolo", "signatura", "documento"),
        ("symbol", "symbole", "simbolo", "document"),
    ),
    "paragraph": (
        ("paragraph", "para", "paragraphe", "parrafo", "paragraph number", "para no"),
        ("paragraph", "paragraphe", "parrafo", "para"),
    ),
    "position": (
        ("position", "response", "reponse", "respuesta", "posicion", "upr position"),
        ("position", "response", "reponse", "respuesta", "posicion", "supported", "accepted"),
    ),
    "kind": (("type", "kind", "nature", "tipo"), ("type", "tipo")),
    "language": (("language", "lang", "langue", "idioma", "lengua"), ("language", "langue", "idioma")),
    **{
        key: (
            tuple(f"{word} {name}" for word in ("text", "texte", "texto", "recommendation") for name in names)
            + tuple(f"{name} {word}" for word in ("text", "texte", "texto", "recommendation") for name in names)
            + names[:2],
            tuple(f"{word} {name}" for word in ("text", "texte", "texto") for name in names),
        )
        for key, names in (
            ("text_en", ("en", "english", "anglais", "ingles")),
            ("text_fr", ("fr", "french", "francais", "frances")),
            ("text_es", ("es", "spanish", "espagnol", "espanol")),
            ("text_ar", ("ar", "arabic", "arabe")),
            ("text_ru", ("ru", "russian", "russe", "ruso")),
            ("text_zh", ("zh", "chinese", "chinois", "chino")),
        )
    },
    "text": (
        ("recommendation", "text", "texte", "texto", "recommandation", "recomendacion", "recommendation text"),
        ("recommendation", "recommandation", "recomendacion", "text", "texte", "texto"),
    ),
}


def _plain_words(text: str) -> list[str]:
    """ "Recomendación(es) " -> ["recomendacion"]: no accents, case, bracketed plurals or punctuation."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"\((s|es|x)\)", "", text)).split()


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _header_words(header: str) -> str:
    """A header as suggest_mapping compares it: plain words, plurals as singulars ("Issues" = "issue")."""
    return " ".join(_singular(word) for word in _plain_words(header))


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """A first guess of field -> header from the header names. Each header is given to one field at most."""
    words = {header: _header_words(header) for header in headers}
    mapping: dict[str, str] = {}
    for pass_index in (0, 1):
        for key, synonyms in _SYNONYMS.items():
            if key in mapping:
                continue
            phrases = [_header_words(phrase) for phrase in synonyms[pass_index]]
            for header in headers:
                if header not in mapping.values() and _matches(words[header], phrases, exact=pass_index == 0):
                    mapping[key] = header
                    break
    return {f.key: mapping[f.key] for f in FIELDS if f.key in mapping}


def _matches(header_words: str, phrases: list[str], *, exact: bool) -> bool:
    if exact:
        return header_words in phrases
    padded = f" {header_words} "
    return any(f" {phrase} " in padded for phrase in phrases)


# ---------------------------------------------------------------- reading


class _BadCell(ValueError):
    """A cell whose value cannot be read; the message is the reason shown to the user."""


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s|$)")
_YEAR = re.compile(r"^\d{4}$")
_SESSION = re.compile(r"^\d{1,4}(?:\.0+)?$")
_LANGUAGES = {
    "english": "en",
    "anglais": "en",
    "ingles": "en",
    "french": "fr",
    "francais": "fr",
    "frances": "fr",
    "spanish": "es",
    "espagnol": "es",
    "espanol": "es",
    "arabic": "ar",
    "arabe": "ar",
    "russian": "ru",
    "russe": "ru",
    "ruso": "ru",
    "chinese": "zh-hans",
    "chinois": "zh-hans",
    "chino": "zh-hans",
    "zh": "zh-hans",
}


class SpreadsheetReader:
    """Reads a CSV or XLSX file through `mapping` (field key -> header). See the module docstring."""

    format = "spreadsheet"
    source = "spreadsheet"

    def __init__(
        self,
        mapping: dict[str, str],
        *,
        sheet: str | None = None,
        multi_value_separator: str = ";",
        date_order: str = "dmy",
    ):
        self.mapping = _checked_mapping(mapping)
        if date_order not in DATE_ORDERS:
            raise FileRejected(_("The date order must be day/month/year or month/day/year."))
        self.sheet = sheet or None
        self.separator = multi_value_separator
        self.date_order = date_order
        self.progress = 0.0

    def records(self, path: Path) -> Iterator[Item]:
        self.progress = 0.0
        with _open_table(Path(path), self.sheet) as table:
            header = _header_row(table.rows)
            columns = self._columns(header, _column_names(header))
            first_rows: dict[str, int] = {}
            for number, cells in table.rows:
                self.progress = table.progress()
                if not _is_blank(cells):
                    yield self._item(number, cells, columns, first_rows)
        self.progress = 1.0

    def _columns(self, header: list[str], names: list[str]) -> dict[str, tuple[int, str]]:
        """field key -> (column index, header as the file has it). FileRejected if a column is missing."""
        columns, missing = {}, []
        for key, wanted in self.mapping.items():
            index = _find_column(header, names, wanted)
            if index is None:
                missing.append(wanted)
            else:
                columns[key] = (index, names[index])
        if missing:
            raise FileRejected(
                _("The mapping names columns the file does not have: %(missing)s. Its columns are: %(columns)s.")
                % {"missing": ", ".join(f"“{name}”" for name in missing), "columns": ", ".join(names)}
            )
        return columns

    def _item(self, number: int, cells: Sequence, columns: dict, first_rows: dict[str, int]) -> Item:
        raw = {key: (cells[index] if index < len(cells) else None, name) for key, (index, name) in columns.items()}
        duplicate = _earlier_row(raw.get("external_id", (None, ""))[0], number, first_rows)
        for value, name in raw.values():
            if is_formula(value):
                return RowProblem(number, name, formula_reason())
            if too_long(value):
                return RowProblem(number, name, too_long_reason())
        values = {}
        for key, (value, name) in raw.items():
            try:
                values[key] = self._value(key, value)
            except _BadCell as error:
                return RowProblem(number, name, str(error))
        if not values["text"]:
            return RowProblem(number, raw["text"][1], _("The recommendation text is empty."))
        if duplicate:
            return RowProblem(
                number,
                raw["external_id"][1],
                _("The identifier “%(id)s” is already on row %(row)s.")
                % {"id": values["external_id"], "row": duplicate},
            )
        return _record(number, values)

    def _value(self, key: str, value):
        if _FIELDS_BY_KEY[key].multi_valued:
            return self._split(value)
        if key == "issued_on":
            return _date(value, self.date_order)
        if key == "session":
            return _session(value)
        return plain_text(_cell_text(value))

    def _split(self, value) -> list[str]:
        """One value per line ("- " bullets included), and per separator within a line."""
        values = []
        for line in multi_values(plain_text(_cell_text(value))):
            parts = line.split(self.separator) if self.separator else [line]
            values.extend(part.strip() for part in parts if part.strip())
        return list(dict.fromkeys(values))


def _checked_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """The mapping with its unmapped fields dropped; FileRejected for an unknown field or no text column."""
    checked = {}
    for key, header in (mapping or {}).items():
        key = _KEY_ALIASES.get(key, key)
        if key not in _FIELDS_BY_KEY:
            raise FileRejected(
                _("The mapping names a field RecTrack does not have: “%(field)s”. The fields are: %(fields)s.")
                % {"field": key, "fields": ", ".join(_FIELDS_BY_KEY)}
            )
        if header and str(header).strip():
            checked[key] = str(header).strip()
    if "text" not in checked:
        raise FileRejected(_("Choose the column that holds the recommendation text: it is required."))
    return checked


def _earlier_row(external_id, number: int, first_rows: dict[str, int]) -> int | None:
    """The earlier row with this identifier, if any. Every row's identifier counts, even a rejected row's."""
    value = plain_text(_cell_text(external_id))
    if not value:
        return None
    first = first_rows.setdefault(value, number)
    return first if first != number else None


def _date(value, date_order: str) -> date | None:
    """Excel serials, date cells and ISO text as they are; 05/11/2019 as `date_order` says."""
    try:
        text = value.strip() if isinstance(value, str) else None
        if text and _YEAR.match(text):
            raise ValueError(text)  # a year alone, which excel_date would take for a serial in 1905
        match = _DAY_MONTH_YEAR.match(text) if text else None
        if match:
            first, second, year = (int(group) for group in match.groups())
            day, month = (first, second) if date_order == "dmy" else (second, first)
            return date(year, month, day)
        return excel_date(value if text is None else text)
    except (ValueError, OverflowError) as error:
        example = "05/11/2019" if date_order == "dmy" else "11/05/2019"
        raise _BadCell(
            _("“%(value)s” is not a date. Write it as 2019-11-05 or %(example)s.")
            % {"value": _cell_text(value), "example": example}
        ) from error


def _session(value) -> int | None:
    text = _cell_text(value).strip()
    if not text:
        return None
    if not _SESSION.match(text):
        raise _BadCell(_("The session “%(value)s” is not a number.") % {"value": text})
    return int(float(text))


def _record(number: int, values: dict) -> SourceRecord:
    fields = {key: value for key, value in values.items() if value not in (None, "")}
    fields.setdefault("paragraph", parse_paragraph(fields["text"]))
    if "language" in fields:
        name = " ".join(_plain_words(fields["language"]))
        fields["language"] = _LANGUAGES.get(name, fields["language"].lower())
    language = fields.get("language", "en")
    translations = {
        code: fields.pop(key) for key, code in TRANSLATION_FIELDS.items() if key in fields and code != language
    }
    for key in TRANSLATION_FIELDS:
        fields.pop(key, None)  # the text in its own language, given twice
    return SourceRecord(row=number, translations=translations, **fields)
