"""The thematic matrix as a Word document, in the style of OHCHR's thematic lists of recommendations.

One heading per theme, then a table of its recommendations: the text with
its reference and recommending States, the position, the institutions and
the implementation status. A Word file is built whole in memory, so it is
offered for at most DOCX_LIMIT recommendations (the spreadsheet has no limit).
"""

import re
from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from rectrack.instance import selectors as instance
from rectrack.recommendations.exports import ThemeGroup

DOCX_LIMIT = 1_500
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WIDTHS = (Cm(13), Cm(3), Cm(6.5), Cm(3.5))  # recommendation, position, institutions, status


def _repeat_as_header(row) -> None:
    """The table's first row is repeated at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def right_to_left(paragraph) -> None:
    properties = paragraph._p.get_or_add_pPr()
    properties.append(OxmlElement("w:bidi"))


def xml_text(text: str) -> str:
    """Text Word can hold: characters XML 1.0 forbids (form feeds from PDFs, vertical tabs) become spaces."""
    return ILLEGAL_XML.sub(" ", text)


def _cell_text(cell, lines: list[tuple[str, bool]], *, rtl: bool) -> None:
    """Fill a cell with paragraphs of (text, bold)."""
    cell.text = ""
    first = cell.paragraphs[0]
    for index, (text, bold) in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        run = paragraph.add_run(xml_text(text))
        run.bold = bold
        if rtl:
            right_to_left(paragraph)


def matrix_docx(groups: Iterable[ThemeGroup], *, count: int, filters: list[str]) -> bytes:
    rtl = get_language_bidi()
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    style = document.styles["Normal"]
    style.font.size = Pt(9.5)
    document.core_properties.title = _("Thematic matrix of recommendations")
    document.core_properties.author = instance.site_name()

    paragraphs = [document.add_heading(_("Thematic matrix of recommendations"), level=1)]
    introduction = ngettext(
        "%(site)s, %(date)s. %(count)s recommendation, grouped by theme.",
        "%(site)s, %(date)s. %(count)s recommendations, grouped by theme; one appears under each of its themes.",
        count,
    ) % {"site": instance.site_name(), "date": date_format(timezone.localdate()), "count": f"{count:,}"}
    paragraphs.append(document.add_paragraph(introduction))
    for line in filters:
        paragraphs.append(document.add_paragraph(xml_text(line)))
    headers = (_("Recommendation"), _("Position"), _("Institutions"), _("Implementation status"))
    for group in groups:
        rows = list(group.rows)
        paragraphs.append(document.add_heading(xml_text(f"{group.label} ({len(rows)})"), level=2))
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.autofit = False
        for column, width in zip(table.columns, WIDTHS, strict=True):  # the grid LibreOffice reads
            column.width = width
        _repeat_as_header(table.rows[0])
        for cell, header, width in zip(table.rows[0].cells, headers, WIDTHS, strict=True):
            _cell_text(cell, [(header, True)], rtl=rtl)
            cell.width = width
        for row in rows:
            cells = table.add_row().cells
            states = row["recommending_states"]
            recommendation = [(row["text"], False), (row["reference"], True)]
            if states:
                recommendation.append((_("Recommended by: %(states)s") % {"states": ", ".join(states)}, False))
            institutions = []
            if row["lead_institution"]:
                institutions.append((_("Lead: %(name)s") % {"name": row["lead_institution"]}, False))
            if row["supporting_institutions"]:
                names = ", ".join(row["supporting_institutions"])
                institutions.append((_("Supporting: %(names)s") % {"names": names}, False))
            _cell_text(cells[0], recommendation, rtl=rtl)
            _cell_text(cells[1], [(row["upr_position"] or "—", False)], rtl=rtl)
            _cell_text(cells[2], institutions or [("—", False)], rtl=rtl)
            _cell_text(cells[3], [(row["status"], False)], rtl=rtl)
            for cell, width in zip(cells, WIDTHS, strict=True):
                cell.width = width
    if rtl:
        for paragraph in paragraphs:
            right_to_left(paragraph)
    output = BytesIO()
    document.save(output)
    return output.getvalue()
