"""Small, shared rules for reading source files: HTML, dates, cells, zip safety."""

import html
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import nh3
from django.utils.translation import gettext as _

from rectrack.imports.records import FileRejected

# A cell longer than this is refused (a recommendation is a paragraph, not a book).
MAX_CELL_CHARS = 50_000
# Zip containers (XLSX, DOCX): limits checked before any part is decompressed.
MAX_UNZIPPED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 10_000

_BLOCK_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


def plain_text(value: str) -> str:
    """Text without HTML: tags removed by a real HTML parser (nh3), entities decoded.

    Line breaks and paragraph ends become line breaks; runs of spaces,
    including non-breaking ones, become one space.
    """
    if not value:
        return ""
    if "<" in value:
        value = _BLOCK_BREAK.sub("\n", value)
        value = nh3.clean(value, tags=set(), clean_content_tags={"script", "style"})
    value = html.unescape(value)
    value = _SPACES.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _BLANK_LINES.sub("\n", value).strip()


def multi_values(cell) -> list[str]:
    """The values of a UHRI multi-value cell: one per line, each starting with "- "."""
    if cell is None:
        return []
    values = []
    for line in str(cell).replace("\r", "\n").split("\n"):
        line = line.strip()
        if line.startswith("- "):
            line = line[2:]
        elif line == "-":
            line = ""
        line = line.strip()
        if line:
            values.append(line)
    return values


_EXCEL_EPOCH = date(1899, 12, 30)


def excel_date(value) -> date | None:
    """A date from an Excel serial number (45123 or "45123.0"), a datetime, or ISO text."""
    if value is None or value == "":
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        serial = float(text)
    except ValueError:
        return iso_date(text)
    if not 1 <= serial < 2958466:
        raise ValueError(text)
    return _EXCEL_EPOCH + timedelta(days=int(serial))


_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
]


def iso_date(text: str) -> date | None:
    """A date from "2019-11-05", "2019-11-05T00:00:00", "05/11/2019" or "05.11.2019"."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) >= 10 and text[4] == "-":
        try:  # the common case (every date of a UHRI export), without regular expressions
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            return date(parts["y"], parts["m"], parts["d"])
    raise ValueError(text)


def too_long(value) -> bool:
    return isinstance(value, str) and len(value) > MAX_CELL_CHARS


def too_long_reason() -> str:
    return _("The cell holds more than %(limit)s characters.") % {"limit": f"{MAX_CELL_CHARS:,}"}


def is_formula(value) -> bool:
    """A spreadsheet formula (=HYPERLINK(...)), which is never evaluated or imported."""
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def formula_reason() -> str:
    return _("The cell holds a spreadsheet formula, which is not imported. Replace it with its value.")


def check_zip(path: Path, what: str) -> None:
    """Refuse a zip container (XLSX, DOCX) that is corrupt, or would unpack to too much.

    Reads only the central directory: nothing is decompressed here.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise FileRejected(
            _("The file is not a valid %(what)s file (it may be truncated or damaged).") % {"what": what}
        ) from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileRejected(_("The %(what)s file holds too many parts to be safe to open.") % {"what": what})
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise FileRejected(
            _("The %(what)s file would unpack to %(size)s MB, far more than it holds: it is refused as unsafe.")
            % {"what": what, "size": f"{total / 1024**2:,.0f}"}
        )


def sniff(path: Path) -> str:
    """What the file's first bytes say it is: "zip", "json", "ole" (old Office), "pdf" or "text"."""
    with open(path, "rb") as handle:
        head = handle.read(2048)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "text"


# CSV files are decoded whole (an 8-bit encoding can only be told from UTF-8
# by reading all of it), so their size is capped to keep memory bounded.
MAX_TEXT_FILE_BYTES = 100 * 1024**2


def read_text_file(path: Path) -> tuple[str, str]:
    """(text, encoding) of a whole text file, refused with a message past MAX_TEXT_FILE_BYTES."""
    size = Path(path).stat().st_size
    if size > MAX_TEXT_FILE_BYTES:
        raise FileRejected(
            _("CSV files of up to %(limit)s MB are imported; this one is %(size)s MB. Save it as .xlsx, or split it.")
            % {"limit": MAX_TEXT_FILE_BYTES // 1024**2, "size": f"{size / 1024**2:,.0f}"}
        )
    return decode_text(Path(path).read_bytes())


def decode_text(raw: bytes, hint: str = "") -> tuple[str, str]:
    """(text, encoding) for the bytes of a text file: UTF-8/16 with or without BOM, or a legacy 8-bit encoding.

    `hint` ("mac_roman", "cp1252") is tried first when given. Line endings
    are left as they are; csv handles CR, LF and CRLF.
    """
    candidates = [hint] if hint else []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates.append("utf-16")
    candidates.append("utf-8-sig")
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    if b"\x00" in raw[:4096]:
        raise FileRejected(_("The file is not text: it looks like a binary file."))
    # Legacy 8-bit: bytes 0x80-0x9F are curly quotes and dashes in Windows-1252,
    # but accented letters in Mac Roman; Excel for Mac wrote the latter, with CR line ends.
    mac = raw.count(b"\r") and not raw.count(b"\n")
    encoding = "mac_roman" if mac else "cp1252"
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"
