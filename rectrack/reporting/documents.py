"""The blocks a report draft (drafts.Draft) writes into its Word template: the summary table, the chart, the
sections and the gaps. Each writes into a python-docx container (a document, or a docxtpl sub-document)."""

import logging
from copy import deepcopy
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from rectrack.instance import selectors as instance
from rectrack.recommendations.models import ImplementationStatus
from rectrack.recommendations.thematic import DOCX_CONTENT_TYPE, xml_text
from rectrack.reporting.drafts import Draft, Item
from rectrack.statistics import charts

__all__ = ["DOCX_CONTENT_TYPE", "sections_chart", "write_gaps", "write_sections", "write_summary"]
logger = logging.getLogger(__name__)

WIDTHS = (Cm(3.2), Cm(9.8), Cm(3))  # reference, recommendation, status: the width of an A4 page's text


def write_summary(document, draft: Draft) -> None:
    """The recommendations by implementation status at the end of the period, with the total."""
    counts = draft.totals
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = _("Implementation status"), _("Recommendations")
    for value, label in ImplementationStatus.choices:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), number_format(counts.get(value, 0), force_grouping=True)
    cells = table.add_row().cells
    cells[0].text, cells[1].text = _("Total"), number_format(sum(counts.values()), force_grouping=True)


CHART_SECTIONS = 20  # bars in the document's chart; the sections that follow give every figure


@dataclass(frozen=True)
class Chart:
    png: bytes
    caption: str


def sections_chart(draft: Draft) -> Chart | None:
    """The status at the end of the period, section by section, as the statistics draw it, with its caption
    (None when there is nothing to draw, or when this server cannot draw it)."""
    if not draft.sections:
        return None
    title = _("Status at the end of the period, by section")
    description = _(
        "The share of each section's recommendations in each implementation status; "
        "the sections that follow give every figure."
    )
    svg = charts.stacked_bars(
        chart_id="draft-sections",
        title=title,
        description=description,
        series=[
            charts.Series(value, str(label), charts.colour_for(value)) for value, label in ImplementationStatus.choices
        ],
        rows=[charts.BarRow(section.title, section.statuses) for section in draft.sections[:CHART_SECTIONS]],
        total_label="{total:,}",
    )
    try:
        return Chart(png=charts.as_png(str(svg)), caption=xml_text(f"{title}. {description}"))
    except Exception:  # noqa: BLE001 - a draft without its chart is still a draft
        logger.exception("The draft's chart could not be drawn")
        return None


def scope_lines(draft: Draft) -> list[str]:
    """What the draft covers and how it was prepared, as sentences."""
    request = draft.request
    period = {"start": date_format(request.period_start), "end": date_format(request.period_end)}
    lines = [
        _("Prepared by %(site)s from its recommendations database on %(date)s.")
        % {"site": instance.site_name(), "date": date_format(timezone.localdate())},
        ngettext(
            "It covers %(count)s recommendation of the %(mechanism)s made by %(end)s; statuses are those of %(end)s.",
            "It covers %(count)s recommendations of the %(mechanism)s made by %(end)s; statuses are those of %(end)s.",
            draft.count,
        )
        % {"count": number_format(draft.count, force_grouping=True), "mechanism": request.mechanism.name, **period},
    ]
    if request.project is not None:
        lines.append(_("Project: %(name)s.") % {"name": request.project.name})
    if request.cluster is not None:
        lines.append(_("National cluster: %(name)s.") % {"name": request.cluster.display_label})
    return [xml_text(line) for line in lines]


def statuses_text(counts: dict[str, int]) -> str:
    """ "Not started: 3, In progress: 1": the statuses that have recommendations, in order."""
    return ", ".join(f"{ImplementationStatus(value).label}: {count}" for value, count in counts.items() if count)


def _item_list(document, items: list[Item]) -> None:
    for item in items:
        document.add_paragraph(xml_text(f"{item.reference}: {item.text}"), style="List Bullet")


def write_sections(document, draft: Draft) -> None:
    """Each section: heading, references, statuses, the table of its recommendations, activities, indicators."""
    for section in draft.sections:
        document.add_heading(xml_text(section.title), level=1)
        document.add_paragraph(xml_text("; ".join(section.references) + "."))
        statuses = statuses_text(section.statuses)
        document.add_paragraph(xml_text(_("Status at the end of the period: %(statuses)s.") % {"statuses": statuses}))
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text, header[1].text, header[2].text = _("Reference"), _("Recommendation"), _("Status")
        for column, width in zip(table.columns, WIDTHS, strict=True):
            column.width = width
        for item in section.items:
            cells = table.add_row().cells
            cells[0].text = xml_text(item.reference)
            cells[1].text = xml_text(item.text)
            cells[2].text = item.status_label
            for cell, width in zip(cells, WIDTHS, strict=True):
                cell.width = width
        if section.activities:
            document.add_heading(_("Activities"), level=2)
            for activity in section.activities:
                dates = ""
                if activity.deadline:
                    dates = " · " + _("deadline %(date)s") % {"date": date_format(activity.deadline)}
                document.add_paragraph(
                    xml_text(f"{activity.title} ({activity.lead}): {activity.status_label}{dates}"), style="List Bullet"
                )
        if section.indicators:
            document.add_heading(_("Indicators"), level=2)
            for indicator in section.indicators:
                line = _("%(name)s: %(value)s %(unit)s on %(date)s") % {
                    "name": indicator.name,
                    "value": number_format(indicator.value),
                    "unit": indicator.unit,
                    "date": date_format(indicator.measured_on),
                }
                if indicator.baseline_value is not None:
                    line += "; " + _("baseline %(value)s") % {"value": number_format(indicator.baseline_value)}
                if indicator.target_value is not None:
                    line += "; " + _("target %(value)s") % {"value": number_format(indicator.target_value)}
                document.add_paragraph(xml_text(line), style="List Bullet")


def write_gaps(document, draft: Draft) -> None:
    """The recommendations with no activity in the period, and those with no information."""
    document.add_heading(
        ngettext(
            "%(count)s recommendation with no activity in the period",
            "%(count)s recommendations with no activity in the period",
            len(draft.without_activity),
        )
        % {"count": len(draft.without_activity)},
        level=2,
    )
    _item_list(document, draft.without_activity)
    document.add_heading(
        ngettext(
            "%(count)s recommendation with no information (not started, no status recorded, no activity)",
            "%(count)s recommendations with no information (not started, no status recorded, no activity)",
            len(draft.without_information),
        )
        % {"count": len(draft.without_information)},
        level=2,
    )
    _item_list(document, draft.without_information)


# The styles the blocks use: tables, lists, captions, headings.
BLOCK_STYLES = frozenset({"TableGrid", "ListBullet", "Caption", "Heading1", "Heading2"})


def add_missing_styles(document, style_ids=BLOCK_STYLES) -> None:
    """Give a template the styles the blocks use when it lacks them (copied from python-docx's default template):
    a template made from scratch in Word defines only the styles its own text uses."""
    defaults = Document().styles.element
    have = {style.get(qn("w:styleId")) for style in document.styles.element.findall(qn("w:style"))}
    missing = set(style_ids) - have
    for style in defaults.findall(qn("w:style")):
        if style.get(qn("w:styleId")) in missing:
            document.styles.element.append(deepcopy(style))
