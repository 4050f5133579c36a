"""UPR Info database export (CSV): one row per recommendation and recommending State.

UPR Info (upr-info.org) exports a joint recommendation once per State that
made it, each time with the same text. The reader merges those rows back into
one record per recommendation of a review, listing the States in the order the
file gives them. Files saved by Excel for Mac are Mac Roman with CR line ends
and a few HTML entities (`&#40;Unknown&#41;`); `decode_text` and `plain_text`
take care of both.

UPR Info has no ids, and no document symbols: the importer names the review
after its State and session, and the reader makes a stable id from the
review and the text (see `_Review.external_id`).
"""

import csv
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from rectrack.imports.normalize import (
    formula_reason,
    is_formula,
    plain_text,
    read_text_file,
    too_long,
    too_long_reason,
)
from rectrack.imports.records import FileRejected, Item, RowProblem, SourceRecord
from rectrack.recommendations.models import Source

REQUIRED = ("To", "Text", "From", "Response", "Session")
OPTIONAL = ("Issue",)
PLEDGE = "voluntary pledge"  # the Response of a State's own commitment (voluntary.csv)
UNKNOWN_STATE = "(unknown)"  # a recommending State UPR Info could not name (9 rows of session 1)


@dataclass
class _Row:
    """What one CSV row says, cleaned."""

    number: int
    country: str
    session: int
    text: str
    response: str
    state: str  # "" when UPR Info does not know it
    issues: list[str]


@dataclass
class _Recommendation:
    """One recommendation of a review, gathered from the rows that repeat it."""

    row: int
    text: str
    response: str
    states: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    def add(self, row: _Row) -> None:
        if row.state and row.state not in self.states:
            self.states.append(row.state)
        self.issues.extend(issue for issue in row.issues if issue not in self.issues)


def _text_key(text: str) -> str:
    """What makes two texts the same recommendation: words and letters, not spacing or case."""
    return " ".join(text.split()).casefold()


class _Review:
    """The rows of one State under review in one session, merged as they arrive."""

    def __init__(self, country: str, session: int):
        self.country = country
        self.session = session
        self.recommendations: dict[tuple[str, str], _Recommendation] = {}

    def add(self, row: _Row) -> None:
        key = (_text_key(row.text), row.response.casefold())
        if key not in self.recommendations:
            self.recommendations[key] = _Recommendation(row.number, row.text, row.response)
        self.recommendations[key].add(row)

    def external_id(self, text_key: str, response: str, *, ambiguous: bool) -> str:
        """The review, and a digest of the text: the same on every import of the same export.

        The response is added only where the text alone is not enough: a
        pledge that repeats a recommendation word for word (Togo, session 12),
        or one text supported from one State and noted from another (Tonga,
        session 15, "Ratify CEDAW"). Elsewhere it is left out, so that a
        changed response updates the record instead of replacing it.
        """
        digest = hashlib.sha1(text_key.encode(), usedforsecurity=False).hexdigest()[:16]
        external_id = f"upr-info:{self.session}:{slugify(self.country)}:{digest}"
        if response == PLEDGE:
            return f"{external_id}:pledge"
        return f"{external_id}:{slugify(response)}" if ambiguous else external_id

    def records(self) -> Iterator[SourceRecord]:
        responses = Counter(text_key for text_key, response in self.recommendations if response != PLEDGE)
        for (text_key, response), rec in self.recommendations.items():
            pledge = response == PLEDGE
            yield SourceRecord(
                row=rec.row,
                text=rec.text,
                external_id=self.external_id(text_key, response, ambiguous=responses[text_key] > 1),
                mechanism="UPR",
                countries=[self.country],
                session=self.session,
                themes=rec.issues,
                # A pledge is the State's own: nobody recommended it.
                recommending_states=[] if pledge else rec.states,
                position="" if pledge else rec.response,
                kind="Voluntary pledge" if pledge else "",
            )


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[tuple[str, int]]:
    """Each line of the text with its ends (CR, LF or CRLF), and where it ends.

    Not io.StringIO, which would copy the whole text at four bytes a character.
    """
    for match in _LINE.finditer(text):
        yield match.group(), match.end()


def _csv_rows(lines: Iterable[str]) -> Iterator[list[str]]:
    """The CSV's rows; FileRejected where it stops being CSV (a cell too large, often an unclosed quote)."""
    reader = csv.reader(lines)
    start = 1  # the line the next row starts on
    try:
        for cells in reader:
            yield cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise FileRejected(
            _(
                "The file cannot be read as CSV from line %(line)s on: "
                "a cell is far too long, or a quotation mark is not closed."
            )
            % {"line": start}
        ) from error


def csv_rows(text: str) -> Iterator[list[str]]:
    """The rows of a UPR Info export's text, whatever its line ends (CR, LF or CRLF)."""
    return _csv_rows(line for line, _end in _lines(text))


def _columns(header: list[str]) -> dict[str, int]:
    """Where each column UPR Info exports is; FileRejected when a required one is missing."""
    found = {name.strip().casefold(): index for index, name in enumerate(header)}
    missing = [name for name in REQUIRED if name.casefold() not in found]
    if missing:
        raise FileRejected(
            _("This is not a UPR Info export: the columns %(missing)s are missing. The file's columns are: %(found)s.")
            % {
                "missing": ", ".join(missing),
                "found": ", ".join(name.strip() for name in header if name.strip()) or _("none"),
            }
        )
    return {name: found[name.casefold()] for name in (*REQUIRED, *OPTIONAL) if name.casefold() in found}


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _review_key(cells: list[str], columns: dict[str, int]) -> tuple[str, str]:
    return _text_key(_label(_cell(cells, columns, "To"))), _cell(cells, columns, "Session").strip()


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _review_ends(text: str, columns: dict[str, int]) -> dict[tuple[str, str], int]:
    """The last row of each review, so a review is passed on (and forgotten) as soon as it is complete.

    UPR Info files come grouped by review, so only one is held at a time;
    a file sorted otherwise is still merged right, holding more.
    """
    rows = _csv_rows(line for line, _end in _lines(text))
    next(rows, None)
    return {_review_key(cells, columns): number for number, cells in enumerate(rows, start=2) if not _is_blank(cells)}


@functools.lru_cache(maxsize=4096)
def _label(value: str) -> str:
    """A State, response or issue label, cleaned once: the same few hundred repeat on every row."""
    return plain_text(value)


def _row(number: int, cells: list[str], columns: dict[str, int]) -> _Row | RowProblem:
    for name in columns:
        value = _cell(cells, columns, name)
        if too_long(value):
            return RowProblem(number, name, too_long_reason())
        if is_formula(value):
            return RowProblem(number, name, formula_reason())
    country = _label(_cell(cells, columns, "To"))
    text = plain_text(_cell(cells, columns, "Text"))
    if not country:
        return RowProblem(number, "To", _("The row does not say which State was under review."))
    if not text:
        return RowProblem(number, "Text", _("The recommendation has no text."))
    session = _cell(cells, columns, "Session").strip()
    if not session.isdigit():
        return RowProblem(
            number, "Session", _("The session “%(session)s” is not a UPR session number.") % {"session": session}
        )
    state = _label(_cell(cells, columns, "From"))
    issues = [_label(issue) for issue in _cell(cells, columns, "Issue").split(",")]
    return _Row(
        number=number,
        country=country,
        session=int(session),
        text=text,
        response=_label(_cell(cells, columns, "Response")),
        state="" if state.casefold() == UNKNOWN_STATE else state,
        issues=[issue for issue in issues if issue],
    )


class UprInfoReader:
    """Reads a UPR Info CSV export (raw or re-saved as UTF-8); one record per recommendation of a review.

    `rows_read` counts the file's rows, which is more than the records
    yielded: the rows of a joint recommendation become one record.
    Row numbers are those a spreadsheet shows (the header is row 1).
    """

    format = "upr-info-csv"
    source = Source.UPR_INFO

    def __init__(self):
        self.progress = 0.0
        self.rows_read = 0

    def records(self, path: Path) -> Iterator[Item]:
        text, _encoding = read_text_file(path)
        rows = _csv_rows(self._lines_with_progress(text))
        columns = _columns(next(rows, []))
        ends = _review_ends(text, columns)
        reviews: dict[tuple[str, str], _Review] = {}
        for number, cells in enumerate(rows, start=2):
            if _is_blank(cells):
                continue
            self.rows_read += 1
            row = _row(number, cells, columns)
            key = _review_key(cells, columns)
            if isinstance(row, RowProblem):
                yield row
            else:
                if key not in reviews:
                    reviews[key] = _Review(row.country, row.session)
                reviews[key].add(row)
            if ends[key] == number and key in reviews:
                yield from reviews.pop(key).records()
        self.progress = 1.0

    def _lines_with_progress(self, text: str) -> Iterator[str]:
        """The file's lines, following progress (the text has about one character a byte)."""
        total = len(text) or 1
        for line, end in _lines(text):
            self.progress = end / total
            yield line
