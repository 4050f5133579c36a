from django import template

from rectrack.collaboration.mentions import mark_mentions

register = template.Library()


@register.filter
def mentions(value: str):
    """A comment as HTML: escaped, its @mentions emphasised, its line breaks kept."""
    return mark_mentions(value or "")
