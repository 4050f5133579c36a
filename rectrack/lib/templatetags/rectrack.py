from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rectrack.audit.selectors import describe
from rectrack.lib.currencies import format_money
from rectrack.lib.languages import language_name

register = template.Library()


@register.filter
def change_lines(event):
    return describe(event)


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    """A language code as a name in the user's language: "fr" -> "French"."""
    return language_name(code)


@register.filter
def money(amount, currency: str = "") -> str:
    """An amount with its currency, as the user's locale writes it: "150 000,00 €" in French."""
    return format_money(amount, currency)


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, query_string=""):
    return {"page": page, "query_string": query_string, "request": context.get("request")}


@register.simple_tag
def filter_select(field, no_blank: bool = False):
    """A labelled single <select> for a list filter, keeping the chosen value.

    Built in Python: filter lists hold hundreds of options (SDG targets,
    themes), and a template loop over them costs more than the page's queries.
    """
    current = field.value()
    selected = {str(v) for v in current} if isinstance(current, list) else {str(current or "")}
    options = [] if no_blank else [format_html('<option value="">{}</option>', _("Any"))]
    for value, label in field.field.choices:
        value = str(value)
        if value == "" and no_blank is False:
            continue
        marker = mark_safe(" selected") if value in selected else ""
        options.append(format_html('<option value="{}"{}>{}</option>', value, marker, label))
    return format_html(
        '<div class="field"><label for="f-{name}">{label}</label>'
        '<select name="{name}" id="f-{name}">{options}</select></div>',
        name=field.name,
        label=field.label,
        options=mark_safe("".join(options)),  # each option is escaped by format_html above
    )


@register.filter
def rich_text(value: str) -> str:
    """Stored rich text, sanitised again as it is shown (it was when saved: this is the second lock)."""
    from rectrack.lib.richtext import sanitize

    return mark_safe(sanitize(value))  # noqa: S308 - nh3 has just removed everything unsafe
