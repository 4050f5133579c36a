"""OHCHR "thematic list" / "matrix of recommendations" Word files (.docx).

OHCHR sends each State, ahead of its next UPR, a Word table of the
recommendations it received, one row per recommendation paragraph, filed
under "Theme: ..." section rows. Five layouts are known (2013 to 2025); they
differ in their column headings and in how the themes cell lists affected
persons and SDGs, so columns are found by their headings and cell lines by
their labels ("Affected persons:", "SDGs:"), never by position.

The State under review and the session are only in the page header
("UPR of Slovenia (3rd Cycle - 34th Session)"); the report symbol
(A/HRC/43/15) only in each row's "Source of position" line.
"""

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx
from django.utils.translation import gettext as _
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from lxml import etree

from rectrack.imports import normalize
from rectrack.imports.records import FileRejected, Item, RowProblem, SourceRecord
from rectrack.recommendations.models import Source, parse_paragraph

_WHAT = "Word (.docx)"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Column roles, tried in this order on each heading ("Human rights themes and
# groups of persons" is the themes column, "Relevant SDGs" the SDGs one).
# Columns with no role (Assessment/comments...) are not read.
_HEADINGS = (
    ("sdgs", re.compile(r"\bsdgs?\b|sustainable development goals?")),
    ("themes", re.compile(r"\bthemes?\b")),
    ("position", re.compile(r"^position\b")),
    ("text", re.compile(r"^recommendations?\b")),
)
_SECTION_ROW = re.compile(r"^\s*theme\s*:", re.IGNORECASE)
_POSITION_SOURCE = re.compile(r"\bsource of position\s*:", re.IGNORECASE)
# Labels that open a list inside the themes cell; the lines under them belong to that field.
_CELL_LABEL = re.compile(r"^(?:(affected persons|groups? of persons)|(sdgs?))\s*:\s*(.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^[-–•·]\s*")
# China 2018 lists SDGs among the coded themes: "S16 SDG 16 - peace, justice...".
_SDG_AS_THEME = re.compile(r"^S\d{1,2}\s+SDG\b")
_SYMBOL = re.compile(r"\bA/HRC/\d+/\d+")
# The State ends where "(3rd Cycle..." or "(34th session)" starts: "Iran (Islamic Republic of)" keeps its own brackets.
_STATE = re.compile(
    r"\b(?:UPR|Universal Periodic Review) of\s+(.+?)\s*(?:\(\s*\d+\w*\s+(?:cycle|session)|[\t\n]| [-–—] |$)",
    re.IGNORECASE,
)
_SESSION = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\s+session\b|\bUPR\s?(\d{1,2})(?!\d)", re.IGNORECASE)
_CYCLE = re.compile(r"\b(\d)(?:st|nd|rd|th)\s+cycle\b", re.IGNORECASE)
_MONTHS = ("january february march april may june july august september october november december").split()
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z]{2,}(?:-[A-Z]+)*$")


@dataclass
class _Columns:
    """Where the roles are in a recommendations table, and the Recommendation heading as written."""

    index: dict[str, int]
    width: int
    text_heading: str


@dataclass
class _Row:
    """One recommendation row: its number in the document and its cells as lines, by role."""

    number: int
    heading: str
    cells: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Facts:
    """What the document says once for all its rows."""

    state: str = ""
    symbol: str = ""
    session: int | None = None
    cycle: int | None = None
    issued_on: date | None = None


class ThematicListReader:
    """Reads an OHCHR UPR thematic list or matrix of recommendations (.docx)."""

    format = "ohchr-docx"
    source = Source.OHCHR_LIST.value

    def __init__(self) -> None:
        self.progress = 0.0

    def records(self, path: Path) -> Iterator[Item]:
        self.progress = 0.0
        document = _open(path)
        heading, rows = _read_body(document)
        facts = _document_facts(heading + _header_lines(document), rows)
        for done, row in enumerate(rows, start=1):
            self.progress = done / len(rows)
            yield _item(row, facts)
        self.progress = 1.0


def _open(path: Path) -> WordDocument:
    """The parsed document, after checks that need no decompression; FileRejected otherwise."""
    if normalize.sniff(path) != "zip":
        raise FileRejected(
            _("The file is not a Word (.docx) document. Save the thematic list as .docx in Word and import it again.")
        )
    normalize.check_zip(path, _WHAT)
    try:
        return docx.Document(str(path))
    except (
        PackageNotFoundError,
        KeyError,
        ValueError,
        EOFError,
        zipfile.BadZipFile,
        zlib.error,
        etree.XMLSyntaxError,
    ) as error:
        raise FileRejected(
            _(
                "The file cannot be read as a Word (.docx) document: it may be damaged. "
                "Open it in Word and save it again."
            )
        ) from error


def _read_body(document: WordDocument) -> tuple[list[str], list[_Row]]:
    """The paragraphs before the first recommendations table, and every recommendation row.

    Rows are numbered across all the document's tables, as a reader counts
    them, so a problem can be found in the file. A table without a heading
    row continues the recommendations table before it when it has as many
    columns: Word files are often split where pages were.
    """
    heading: list[str] = []
    rows: list[_Row] = []
    columns: _Columns | None = None
    seen_table = False
    number = 0
    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            if not seen_table:
                heading.extend(_lines(block._p))
            continue
        for index, cells in enumerate(_table_cells(block)):
            number += 1
            found = _columns(cells)
            if found:
                columns, seen_table = found, True
            elif index == 0 and columns and len(cells) != columns.width:
                columns = None
            elif columns:
                row = _row(number, cells, columns)
                if row:
                    rows.append(row)
    if not seen_table:
        raise FileRejected(
            _(
                "No table with a Recommendation column was found. An OHCHR thematic list has a table whose "
                "headings include “Recommendation”, “Position” and “Full list of themes”."
            )
        )
    return heading, rows


def _table_cells(table: Table) -> Iterator[list]:
    """Each row's cells, one per grid column: a merged cell is repeated over the columns it spans."""
    for row in table.rows:
        yield [None] * row.grid_cols_before + list(row.cells)


def _columns(cells: list) -> _Columns | None:
    """The column roles when this is a heading row (it has a Recommendation heading), else None."""
    index: dict[str, int] = {}
    headings: dict[str, str] = {}
    for position, cell in enumerate(cells):
        written = " ".join(_cell_lines(cell))
        heading = written.casefold()
        for role, pattern in _HEADINGS:
            if pattern.search(heading):
                if role not in index:
                    index[role], headings[role] = position, written
                break
    if "text" not in index:
        return None
    return _Columns(index=index, width=len(cells), text_heading=headings["text"])


def _row(number: int, cells: list, columns: _Columns) -> _Row | None:
    """The row's cells by role; None for a blank row or a "Theme: ..." section row."""
    present = [cell for cell in cells if cell is not None]
    if len(cells) > 1 and all(cell._tc is present[0]._tc for cell in present):
        return None  # one cell across the table: a section heading
    by_role = {role: _cell_lines(cells[i] if i < len(cells) else None) for role, i in columns.index.items()}
    if not any(by_role.values()):
        return None
    if by_role["text"] and _SECTION_ROW.match(by_role["text"][0]):
        return None
    return _Row(number=number, heading=columns.text_heading, cells=by_role)


def _cell_lines(cell) -> list[str]:
    """The cell's non-empty lines: paragraphs and line breaks both end a line."""
    if cell is None:
        return []
    lines = []
    for paragraph in cell._tc.iterchildren(f"{_W}p", f"{_W}tbl", f"{_W}sdt"):
        lines.extend(_lines(paragraph))
    return lines


def _lines(element) -> list[str]:
    """The visible text of a paragraph (or anything holding paragraphs), split into clean lines.

    Read from the XML rather than python-docx's Paragraph.text so that text
    in tracked insertions, smart tags and content controls is kept; deleted
    text (w:delText) and field codes (w:instrText) are not w:t, so they stay out.
    """
    parts = []
    for node in element.iter(f"{_W}p", f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}p":
            parts.append("\n")
        elif node.getparent().tag == f"{_W}r":  # not a tab stop of the paragraph's style
            parts.append("\t" if node.tag == f"{_W}tab" else "\n")
    return [line for line in normalize.plain_text("".join(parts)).split("\n") if line]


def _header_lines(document: WordDocument) -> list[str]:
    """The page headers' lines: where OHCHR puts "UPR of <State> (<n>th Cycle - <n>th Session)"."""
    lines = []
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:  # reading an absent header would create one
                lines.extend(_lines(header._element))
    return lines + ([document.core_properties.title] if document.core_properties.title else [])


def _document_facts(lines: list[str], rows: list[_Row]) -> _Facts:
    """The State, session, cycle, date and report symbol, from the heading lines or the rows."""
    text = "\n".join(lines)
    facts = _Facts()
    if match := _STATE.search(text):
        facts.state = match.group(1).strip()
    if match := _SESSION.search(text):
        facts.session = int(match.group(1) or match.group(2))
    if match := _CYCLE.search(text):
        facts.cycle = int(match.group(1))
    if match := _DATE.search(text):
        facts.issued_on = _date(match)
    if match := _SYMBOL.search(text):
        facts.symbol = match.group(0)
    else:
        facts.symbol = _commonest_symbol(rows)
    return facts


def _date(match: re.Match) -> date | None:
    day, month, year = match.groups()
    try:
        return date(int(year), _MONTHS.index(month.casefold()) + 1, int(day))
    except ValueError:
        return None


def _commonest_symbol(rows: list[_Row]) -> str:
    """The report most rows take their position from: "A/HRC/43/15/Add.1 - Para.4" → A/HRC/43/15."""
    symbols = Counter(
        match.group(0) for row in rows if (match := _SYMBOL.search(_split_position_source(row.cells["text"])[1]))
    )
    return symbols.most_common(1)[0][0] if symbols else ""


def _split_position_source(lines: list[str]) -> tuple[str, str]:
    """(recommendation, position source) from the Recommendation cell, which ends "Source of position: ..."."""
    whole = "\n".join(lines)
    match = _POSITION_SOURCE.search(whole)
    if not match:
        return whole, ""
    return whole[: match.start()].strip(), " ".join(whole[match.end() :].split())


def _item(row: _Row, facts: _Facts) -> Item:
    text, position_source = _split_position_source(row.cells["text"])
    if not text:
        return RowProblem(row.number, row.heading, _("The recommendation cell is empty."))
    if normalize.too_long(text):
        return RowProblem(row.number, row.heading, normalize.too_long_reason())
    paragraph = parse_paragraph(text)
    if not paragraph:
        return RowProblem(
            row.number,
            row.heading,
            _(
                "The recommendation does not start with its paragraph number (such as 121.2), "
                "so it cannot be told apart from the others."
            ),
        )
    themes, affected_persons, sdgs = _labels(row.cells.get("themes", []))
    sdgs += [_BULLET.sub("", line) for line in row.cells.get("sdgs", [])]
    return SourceRecord(
        row=row.number,
        text=text,
        external_id=f"{facts.symbol}:{paragraph}" if facts.symbol else "",
        paragraph=paragraph,
        document_symbol=facts.symbol,
        mechanism="UPR",
        countries=[facts.state] if facts.state else [],
        issued_on=facts.issued_on,
        session=facts.session,
        upr_cycle=facts.cycle if facts.session is None else None,
        themes=themes,
        affected_persons=affected_persons,
        sdgs=_unique(sdgs),
        recommending_states=recommending_states(text),
        position=" ".join(row.cells.get("position", [])),
        position_source=position_source,
        kind="Recommendation",
    )


def _labels(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(themes, affected persons, SDGs) from a themes cell.

    Themes come first; "Affected persons:" / "Groups of Persons:" and "SDGs:"
    lines switch the list the following lines go to. SDG codes written as
    themes ("S16 SDG 16 - ...") go to the SDGs.
    """
    lists: dict[str, list[str]] = {"themes": [], "affected": [], "sdgs": []}
    current = "themes"
    for line in lines:
        label = _CELL_LABEL.match(line)
        if label:
            current = "affected" if label.group(1) else "sdgs"
            line = label.group(3)
        value = _BULLET.sub("", line).strip()
        if not value:
            continue
        target = "sdgs" if current == "themes" and _SDG_AS_THEME.match(value) else current
        lists[target].append(value)
    return _unique(lists["themes"]), _unique(lists["affected"]), lists["sdgs"]


def recommending_states(text: str) -> list[str]:
    """The States in the parenthesised groups that end each recommendation, in order, once each.

    "... (Ukraine); Increase ... (Slovakia);" and "... (Portugal, Slovakia);"
    both give two States, "(France) (Lithuania);" too. Other groups can sit
    in the same place: "1930 (No. 29) (United Kingdom ...)", "plan
    (2016–2020) (Iraq)", "(ICRMW) (Iran (Islamic Republic of))", "(the Paris
    Principles) (Niger)". Numbers and acronyms are never States; a group in
    lower case is one only when it is the last ("(the former Yugoslav
    Republic of Macedonia)").
    """
    states = []
    for chain in _trailing_chains(text):
        for position, group in enumerate(chain, start=1):
            last = position == len(chain)
            states.extend(name for name in _split_top_level(group) if _looks_like_state(name, last=last))
    return _unique(states)


def _trailing_chains(text: str) -> Iterator[list[str]]:
    """The contents of each run of parenthesised groups that is followed by ";", "." or the end."""
    chain: list[str] = []
    for start, end in _groups(text):
        chain.append(text[start + 1 : end])
        following = text[end + 1 :].lstrip()
        if following.startswith("("):
            continue
        if not following or following[0] in ";.\n":
            yield chain
        chain = []


def _groups(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each outermost balanced pair of parentheses: "Iran (Islamic Republic of)" stays whole."""
    depth, start = 0, 0
    for position, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = position
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                yield start, position


def _split_top_level(group: str) -> list[str]:
    """The comma-separated names of a group, ignoring commas inside nested parentheses."""
    names, depth, current = [], 0, []
    for char in group:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return [" ".join(name.split()) for name in names if name.strip()]


def _looks_like_state(name: str, *, last: bool) -> bool:
    if any(char.isdigit() for char in name) or _ACRONYM.match(name):
        return False
    return last or name[:1].isupper()


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
