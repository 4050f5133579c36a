from django import template

from rectrack.audit.selectors import describe

register = template.Library()


@register.filter
def change_lines(event):
    return describe(event)


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, query_string=""):
    return {"page": page, "query_string": query_string, "request": context.get("request")}
