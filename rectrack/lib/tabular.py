"""Tables for download: CSV a spreadsheet opens safely, XLSX (lib/xlsx.py) and JSON, all streamed.

Rows are produced lazily, so a download of hundreds of thousands of rows
holds one chunk in memory at a time.
"""

import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from rectrack.lib.xlsx import FORMULA_STARTS, XLSX_CONTENT_TYPE, xlsx_stream


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


def csv_stream(columns: Sequence[str], rows: Iterable[dict], *, headers: Sequence[str] | None = None) -> Iterator[str]:
    """CSV text, UTF-8 with a byte order mark (Excel reads it), one line at a time; `headers` title the columns
    (default: their names)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers or columns)
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


FORMATS = ("csv", "xlsx", "json")


def grouped(pairs: Iterable[tuple]) -> dict:
    """(key, value) pairs as {key: [values]}, in the pairs' order (a chunk's linked rows, by the row they belong to)."""
    values: dict = defaultdict(list)
    for key, value in pairs:
        values[key].append(value)
    return values


CHUNK = 1_000


def in_chunks(queryset, *fields: str, size: int = CHUNK) -> Iterator[list[dict]]:
    """`queryset`'s rows as plain values, `size` at a time in id order (one query per chunk, no model instances),
    so that a download of any length holds one chunk in memory."""
    ordered = queryset.order_by("pk")
    last = 0
    while rows := list(ordered.filter(pk__gt=last).values("pk", *fields)[:size]):
        last = rows[-1]["pk"]
        yield rows


PLACEHOLDER_ID = 987_654_321  # an id put in a URL pattern, then replaced by each row's


def url_for_each(absolute: Callable[[str], str], view_name: str) -> Callable[[int], str]:
    """A function giving the absolute URL of `view_name` for an id, reversing the URL once for a whole download.

    `absolute` makes a path absolute (`request.build_absolute_uri`).
    """
    pattern = absolute(reverse(view_name, args=[PLACEHOLDER_ID])).replace(str(PLACEHOLDER_ID), "{}")
    return pattern.format


def download(
    fmt: str,
    columns: Sequence[str],
    rows: Iterable[dict],
    *,
    dataset: str,
    headers: Sequence[str] | None = None,
    meta: dict | None = None,
    sheet_name: str = "",
    widths: Sequence[float] | None = None,
) -> StreamingHttpResponse:
    """A streamed download of `rows` as CSV, XLSX or JSON (`fmt`), each row cut to `columns` (nothing else leaves).

    The file is named after `dataset` and today's date; `headers` are the
    column titles of CSV and XLSX (default: the column names); the JSON file
    opens with `meta`, the dataset's name, the time and the columns.
    """
    rows = ({column: row.get(column) for column in columns} for row in rows)
    titles = list(headers or columns)
    filename = f"{dataset}-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(columns, rows, headers=titles), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        stream = xlsx_stream(titles, rows, keys=columns, sheet_name=sheet_name or dataset, widths=widths)
        response = StreamingHttpResponse(stream, content_type=XLSX_CONTENT_TYPE)
    elif fmt == "json":
        meta = {
            "dataset": dataset,
            **(meta or {}),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "columns": list(columns),
        }
        response = StreamingHttpResponse(json_stream(rows, meta=meta), content_type="application/json")
    else:
        raise ValueError(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
