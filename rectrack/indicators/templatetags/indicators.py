from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    """A stored value as the reader's language writes numbers, without trailing zeros, with its unit.

    45.5000 and "%" -> "45.5%"; 1200 and "cases" -> "1,200 cases" (English), "1 200 cases" (French).
    """
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return str(value)
    places = max(0, -number.as_tuple().exponent)
    text = number_format(number, decimal_pos=places, force_grouping=True)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text}\N{NO-BREAK SPACE}{unit}"
