"""Tables for download: CSV a spreadsheet opens safely, and JSON, both streamed.

Rows are produced lazily, so a download of hundreds of thousands of rows
holds one chunk in memory at a time.
"""

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a leading apostrophe, as OWASP advises)."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    return spreadsheet_safe(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(columns: Sequence[str], rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, UTF-8 with a byte order mark (Excel reads it), one line at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([_cell(row.get(column)) for column in columns])


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def json_stream(rows: Iterable[dict], *, meta: dict | None = None) -> Iterator[str]:
    """A JSON object {"meta": …, "items": [...]}, one item at a time."""
    yield '{"meta": ' + json.dumps(meta or {}, ensure_ascii=False, default=_json_default) + ', "items": ['
    first = True
    for row in rows:
        yield ("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False, default=_json_default)
        first = False
    yield "\n]}\n"
