"""Report templates: Word documents with placeholders, which drafts are written into (docxtpl).

A template is a .docx with Jinja placeholders: ``{{ title }}`` in running text,
``{{p sections_text }}`` alone in a paragraph for a whole block (tables,
headings, lists), ``{{ chart }}`` for the chart, and loops such as ``{%p for
section in sections %}`` … ``{%p endfor %}`` to lay the data out oneself.
`PLACEHOLDERS` is what a template may use; the upload page lists it.

Every kind of report has a built-in template (`builtin_template`, written here
in the reader's language); an administrator may replace it with an uploaded
one (`models.ReportTemplate`), which `check_template` reads first: a file that
is not a Word document, a placeholder that is not known (named, with the
nearest known one), or a template that does not render refuses the upload.
"""

import difflib
import re
from dataclasses import dataclass
from io import BytesIO
from types import SimpleNamespace
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import get_language_bidi, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Cm, RGBColor
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError

from rectrack.instance import selectors as instance
from rectrack.recommendations.models import ImplementationStatus, Mechanism
from rectrack.recommendations.thematic import right_to_left, xml_text
from rectrack.reporting import documents
from rectrack.reporting.drafts import ActivityLine, Draft, DraftRequest, IndicatorLine, Item, Section, status_counts
from rectrack.reporting.models import ReportKind, ReportTemplate

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Placeholder:
    name: str
    kind: str  # text, block, image, list
    description: Promise
    fields: str = ""  # for lists: what each element holds


TEXT, BLOCK, IMAGE, LIST = "text", "block", "image", "list"
KIND_LABELS = {
    TEXT: gettext_lazy("Text"),
    BLOCK: gettext_lazy("Block (alone in its paragraph)"),
    IMAGE: gettext_lazy("Picture"),
    LIST: gettext_lazy("List (for loops)"),
}
# How to write placeholders, for the templates page: what, then an example (Jinja, shown as code).
PLACEHOLDER_HELP = (
    (gettext_lazy("A text: its name between double braces."), "{{ mechanism }}"),
    (gettext_lazy("A block: alone in its paragraph, with p after the braces."), "{{p sections_text }}"),
    (
        gettext_lazy("A list: a loop, each tag in its own paragraph."),
        "{%p for section in sections %} … {{ section.title }} … {%p endfor %}",
    ),
    (gettext_lazy("One table row per item."), "{%tr for item in section.items %} … {%tr endfor %}"),
)
ITEM_FIELDS = "reference, text, status"
PLACEHOLDERS = (
    Placeholder("title", TEXT, gettext_lazy("The draft's title.")),
    Placeholder("report", TEXT, gettext_lazy("The kind of report, such as “UPR mid-term report”.")),
    Placeholder("site_name", TEXT, gettext_lazy("The name of this instance.")),
    Placeholder("country", TEXT, gettext_lazy("The country of this instance.")),
    Placeholder("mechanism", TEXT, gettext_lazy("The mechanism's name.")),
    Placeholder("mechanism_acronym", TEXT, gettext_lazy("The mechanism's acronym (UPR, CEDAW…).")),
    Placeholder("period_start", TEXT, gettext_lazy("The first day of the period.")),
    Placeholder("period_end", TEXT, gettext_lazy("The last day of the period: statuses are those of this day.")),
    Placeholder("prepared_on", TEXT, gettext_lazy("The day the draft was written.")),
    Placeholder("project", TEXT, gettext_lazy("The project the draft is narrowed to; empty if none.")),
    Placeholder("cluster", TEXT, gettext_lazy("The national cluster the draft is narrowed to; empty if none.")),
    Placeholder("count", TEXT, gettext_lazy("How many recommendations the draft covers.")),
    Placeholder("scope", TEXT, gettext_lazy("Sentences saying what the draft covers and how it was prepared.")),
    Placeholder(
        "summary_table", BLOCK, gettext_lazy("A table of the recommendations by implementation status, with the total.")
    ),
    Placeholder("chart", IMAGE, gettext_lazy("The chart of the status at the end of the period, section by section.")),
    Placeholder("chart_caption", TEXT, gettext_lazy("The chart's caption, which describes it.")),
    Placeholder(
        "sections_text",
        BLOCK,
        gettext_lazy(
            "Every section with its heading, paragraph references, statuses, table of recommendations, "
            "activities and indicator values."
        ),
    ),
    Placeholder(
        "gaps_text",
        BLOCK,
        gettext_lazy("The recommendations with no activity in the period, and those with no information."),
    ),
    Placeholder(
        "sections",
        LIST,
        gettext_lazy("The sections, to lay out yourself."),
        "title, references, statuses, items (" + ITEM_FIELDS + "), activities (title, lead, status, deadline), "
        "indicators (name, value, unit, measured_on, baseline, target)",
    ),
    Placeholder("totals", LIST, gettext_lazy("The recommendations by implementation status."), "status, count"),
    Placeholder(
        "without_activity", LIST, gettext_lazy("The recommendations with no activity in the period."), ITEM_FIELDS
    ),
    Placeholder(
        "without_information",
        LIST,
        gettext_lazy("The recommendations with no information (not started, no status recorded, no activity)."),
        ITEM_FIELDS,
    ),
)
NAMES = frozenset(placeholder.name for placeholder in PLACEHOLDERS)
FIELD_NAMES = frozenset(name for placeholder in PLACEHOLDERS for name in re.findall(r"[a-z_]+", placeholder.fields))


# The context: what the placeholders say, for one draft.


def _item(item: Item) -> SimpleNamespace:
    return SimpleNamespace(reference=item.reference, text=xml_text(item.text), status=item.status_label)


def context_for(tpl: DocxTemplate, draft: Draft, *, title: str, report: str) -> dict:
    """Every placeholder's value for `draft`, written into `tpl` (blocks and the chart belong to it)."""
    request = draft.request
    period = {"start": date_format(request.period_start), "end": date_format(request.period_end)}
    chart = documents.sections_chart(draft)
    if chart is None:
        picture = _("(The chart could not be drawn on this server.)") if draft.sections else ""
    else:
        picture = InlineImage(tpl, BytesIO(chart.png), width=Cm(16))
    documents.add_missing_styles(tpl.get_docx())
    summary, sections, gaps = tpl.new_subdoc(), tpl.new_subdoc(), tpl.new_subdoc()
    documents.write_summary(summary, draft)
    documents.write_sections(sections, draft)
    documents.write_gaps(gaps, draft)
    if get_language_bidi():
        for block in (summary, sections, gaps):
            for paragraph in block.subdocx.paragraphs:
                right_to_left(paragraph)
    return {
        "title": xml_text(title),
        "report": report,
        "site_name": instance.site_name(),
        "country": instance.country(),
        "mechanism": request.mechanism.name,
        "mechanism_acronym": request.mechanism.acronym,
        "period_start": period["start"],
        "period_end": period["end"],
        "prepared_on": date_format(timezone.localdate()),
        "project": request.project.name if request.project else "",
        "cluster": request.cluster.display_label if request.cluster else "",
        "count": number_format(draft.count, force_grouping=True),
        "scope": " ".join(documents.scope_lines(draft)),
        "summary_table": summary,
        "chart": picture,
        "chart_caption": chart.caption if chart else "",
        "sections_text": sections,
        "gaps_text": gaps,
        "sections": [
            SimpleNamespace(
                title=xml_text(section.title),
                references=section.references,
                statuses=documents.statuses_text(section.statuses),
                items=[_item(item) for item in section.items],
                activities=[
                    SimpleNamespace(
                        title=xml_text(line.title),
                        lead=line.lead,
                        status=line.status_label,
                        deadline=date_format(line.deadline) if line.deadline else "",
                    )
                    for line in section.activities
                ],
                indicators=[
                    SimpleNamespace(
                        name=xml_text(line.name),
                        value=number_format(line.value),
                        unit=line.unit,
                        measured_on=date_format(line.measured_on),
                        baseline=number_format(line.baseline_value) if line.baseline_value is not None else "",
                        target=number_format(line.target_value) if line.target_value is not None else "",
                    )
                    for line in section.indicators
                ],
            )
            for section in draft.sections
        ],
        "totals": [
            SimpleNamespace(status=str(label), count=number_format(draft.totals.get(value, 0), force_grouping=True))
            for value, label in ImplementationStatus.choices
        ],
        "without_activity": [_item(item) for item in draft.without_activity],
        "without_information": [_item(item) for item in draft.without_information],
    }


def _environment() -> Environment:
    # Values are escaped for the document's XML; a name the context lacks is an error, not an empty string.
    return Environment(autoescape=True, undefined=StrictUndefined)  # noqa: S701 - autoescape is on


def render(template: bytes, draft: Draft, *, title: str, report: str) -> bytes:
    """Write `draft` into the Word template `template`."""
    tpl = DocxTemplate(BytesIO(template))
    tpl.render(context_for(tpl, draft, title=title, report=report), jinja_env=_environment(), autoescape=True)
    tpl.docx.core_properties.title = title
    tpl.docx.core_properties.author = instance.site_name()
    output = BytesIO()
    tpl.save(output)
    return output.getvalue()


# Checking an uploaded template.


def _suggestion(name: str, known) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return _(" (did you mean “%(name)s”?)") % {"name": close[0]} if close else ""


def check_template(content: bytes) -> None:
    """Refuse a template that could not write a draft, saying why and naming what is wrong."""
    if len(content) > MAX_TEMPLATE_BYTES:
        raise ValidationError(_("The template is larger than 10 MB."))
    try:
        tpl = DocxTemplate(BytesIO(content))
        tpl.init_docx()
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError):
        raise ValidationError(
            _("This is not a Word document (.docx). Save the template from Word or LibreOffice as .docx.")
        ) from None
    try:
        used = tpl.get_undeclared_template_variables(jinja_env=_environment())
    except TemplateSyntaxError as error:
        raise ValidationError(
            _(
                "A placeholder is not written correctly: %(message)s. "
                "Check that every “{{” is closed by “}}” and every “{%%” by “%%}”."
            )
            % {"message": error.message}
        ) from None
    if unknown := used - NAMES:
        lines = [f"“{name}”{_suggestion(name, NAMES)}" for name in sorted(unknown)]
        raise ValidationError(
            ngettext(
                "The template uses a placeholder this application does not know: %(names)s.",
                "The template uses placeholders this application does not know: %(names)s.",
                len(unknown),
            )
            % {"names": ", ".join(lines)}
        )
    try:
        sample = context_for(tpl, _sample_draft(), title="—", report="—")
        tpl.render(sample, jinja_env=_environment(), autoescape=True)
    except UndefinedError as error:
        found = re.search(r"has no attribute '(\w+)'", error.message or "")
        name = found.group(1) if found else (error.message or "")
        raise ValidationError(
            _("The template uses a placeholder this application does not know: %(names)s.")
            % {"names": f"“{name}”{_suggestion(name, FIELD_NAMES)}"}
        ) from None
    except (TemplateError, ValueError, TypeError) as error:
        raise ValidationError(
            _("The template could not be filled in: %(message)s.") % {"message": getattr(error, "message", error)}
        ) from None


def _sample_draft() -> Draft:
    """One of everything a draft holds, so that a template's loops and attributes are tried on what a real draft
    gives them (through `context_for` itself)."""
    item = Item(pk=0, paragraph="1.1", symbol="A/HRC/1/1", text="—", status=ImplementationStatus.NOT_STARTED)
    day = timezone.localdate()
    section = Section(
        title="—",
        items=[item],
        activities=[ActivityLine(title="—", status_label="—", lead="—", start_date=day, deadline=day)],
        indicators=[IndicatorLine(name="—", unit="—", value=1, measured_on=day, baseline_value=0, target_value=2)],
    )
    return Draft(
        request=DraftRequest(mechanism=Mechanism(name="—", acronym="—"), period_start=day, period_end=day),
        sections=[section],
        totals=status_counts([item]),
        without_activity=[item],
        without_information=[item],
    )


# The built-in templates, in the reader's language.


# (heading level, heading, guidance or None, blocks); blocks: "summary" (table and chart), "sections", "gaps".
def _outline(kind: str) -> list[tuple[int, str, str | None, tuple[str, ...]]]:
    methodology = _(
        "How this report was prepared: the national mechanism, the institutions that contributed, "
        "and the consultation of the national human rights institution and civil society."
    )
    outlines = {
        ReportKind.UPR_NATIONAL: [
            (1, _("Methodology and consultation process"), methodology, ()),
            (
                1,
                _("Developments since the previous review"),
                _("Changes in the normative and institutional framework since the previous review."),
                (),
            ),
            (1, _("Follow-up to the recommendations of the previous review"), None, ("summary", "sections")),
            (
                1,
                _("Achievements, best practices, challenges and constraints"),
                _("What worked, and what held implementation back; the gaps below are where to start."),
                ("gaps",),
            ),
            (1, _("Key national priorities, initiatives and commitments"), _("What the State commits to next."), ()),
            (
                1,
                _("Expectations in terms of capacity-building and technical assistance"),
                _("The support the State would welcome, and from whom."),
                (),
            ),
        ],
        ReportKind.UPR_MIDTERM: [
            (
                1,
                _("Introduction"),
                _("The review, the recommendations received and supported, and how they are followed up."),
                (),
            ),
            (1, _("Methodology"), methodology, ()),
            (1, _("Status of implementation"), None, ("summary",)),
            (1, _("Implementation of the recommendations"), None, ("sections",)),
            (1, _("Challenges and next steps"), _("What remains to be done, and by whom."), ("gaps",)),
        ],
        ReportKind.COMMON_CORE: [
            (
                1,
                _("General information about the reporting State"),
                _(
                    "Demographic, economic, social and cultural characteristics; constitutional, political and "
                    "legal structure."
                ),
                (),
            ),  # fmt: skip
            (
                1,
                _("General framework for the protection and promotion of human rights"),
                _(
                    "Acceptance of international human rights norms; the legal framework; the framework within which "
                    "human rights are promoted."
                ),
                (),
            ),  # fmt: skip
            (
                2,
                _("Reporting process at the national level"),
                _(
                    "The national mechanism for implementation, reporting and follow-up, and how recommendations "
                    "are followed up."
                ),
                ("summary",),
            ),  # fmt: skip
            (
                1,
                _("Information on non-discrimination and equality and effective remedies"),
                _("Measures against discrimination, and the remedies open to victims."),
                (),
            ),
            (1, _("Annex: follow-up to recommendations"), None, ("sections",)),
        ],
        ReportKind.PERIODIC: [
            (1, _("Introduction"), _("The period covered, how the report was prepared and who was consulted."), ()),
            (1, _("Follow-up to the previous concluding observations"), None, ("summary", "sections")),
            (
                1,
                _("Information on the articles of the Convention"),
                _("Article by article, the measures taken since the previous report, with disaggregated data."),
                (),
            ),
            (1, _("Remaining challenges"), None, ("gaps",)),
        ],
        ReportKind.LIST_OF_ISSUES: [
            (1, _("Introduction"), _("How the replies were prepared and who was consulted."), ()),
            (
                1,
                _("Replies to the list of issues"),
                _(
                    "Answer each paragraph of the list of issues in turn, under its number; the information below "
                    "gives what the follow-up database holds."
                ),
                (),
            ),  # fmt: skip
            (1, _("Information from the follow-up database"), None, ("summary", "sections")),
            (1, _("Gaps"), None, ("gaps",)),
        ],
        ReportKind.FOLLOW_UP: [
            (
                1,
                _("Introduction"),
                _("The recommendations the committee selected for follow-up, and the period covered."),
                (),
            ),
            (1, _("Information on the recommendations selected for follow-up"), None, ("summary", "sections")),
            (1, _("Remaining gaps"), None, ("gaps",)),
        ],
        ReportKind.PARLIAMENT: [
            (1, _("Introduction"), _("The national mechanism's mandate and the year covered."), ()),
            (1, _("Summary"), None, ("summary",)),
            (1, _("Progress by section"), None, ("sections",)),
            (
                1,
                _("Gaps and next steps"),
                _("What the government will do next, and what it needs from parliament."),
                ("gaps",),
            ),
        ],
    }
    return outlines[ReportKind(kind)]


GUIDANCE_COLOUR = RGBColor(0x59, 0x59, 0x59)


def builtin_template(kind: str) -> bytes:
    """The built-in template of a kind of report, in the active language: headings, guidance in brackets for the
    drafter (to replace), and the placeholders the drafts fill in."""
    document = Document()
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("{{ report }}{% if country %} · {{ country }}{% endif %}", style="Subtitle")
    document.add_paragraph("{{ scope }}")
    for level, heading, guidance, blocks in _outline(kind):
        document.add_heading(heading, level=level)
        if guidance:
            run = document.add_paragraph().add_run(f"[{guidance}]")
            run.italic = True
            run.font.color.rgb = GUIDANCE_COLOUR
        for block in blocks:
            if block == "summary":
                document.add_paragraph("{{p summary_table }}")
                document.add_paragraph("{{ chart }}")
                document.add_paragraph("{{ chart_caption }}", style="Caption")
            else:
                document.add_paragraph(f"{{{{p {block}_text }}}}")
    if get_language_bidi():
        for paragraph in document.paragraphs:
            right_to_left(paragraph)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def template_for(kind: str) -> tuple[bytes, str]:
    """The template a draft of this kind is written into, and its uploaded file's name ("" for the built-in one)."""
    uploaded = ReportTemplate.objects.filter(kind=kind).first()
    if uploaded is None:
        return builtin_template(kind), ""
    with uploaded.file.open("rb") as stored:
        content = stored.read()
    return content, uploaded.original_name


def draft_docx(draft: Draft, *, report: str = ReportKind.PARLIAMENT, title: str = "") -> bytes:
    """The draft written into the template of its kind of report."""
    template, _name = template_for(report)
    return render(template, draft, title=title or draft_title(draft), report=str(ReportKind(report).label))


def draft_title(draft: Draft) -> str:
    request = draft.request
    return _("Draft report: %(mechanism)s, %(start)s to %(end)s") % {
        "mechanism": request.mechanism.acronym,
        "start": date_format(request.period_start),
        "end": date_format(request.period_end),
    }
