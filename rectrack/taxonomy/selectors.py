"""Reading the vocabularies."""

from collections.abc import Callable

from django.utils.text import Truncator
from django.utils.translation import get_language

from rectrack.taxonomy.models import Term, TermStatus, format_label


def term_choices(kind: str, max_length: int | None = None, **filters) -> Callable[[], list[tuple[int, str]]]:
    """A choices callable for a form field: the usable terms of a kind, current vocabulary first.

    Reads plain values, not model instances: list filters show hundreds of
    terms on every page view. `max_length` shortens long labels (SDG
    targets run to 300 characters) with an ellipsis; the code leads them.
    """

    def choices() -> list[tuple[int, str]]:
        language = get_language()
        rows = (
            Term.objects.filter(vocabulary__kind=kind, **filters)
            .exclude(status=TermStatus.RETIRED)
            .order_by("-vocabulary__is_current", "vocabulary__name", "position", "label")
            .values_list("pk", "code", "label", "translations")
        )
        labels = ((pk, format_label(code, label, translations, language)) for pk, code, label, translations in rows)
        if max_length:
            return [(pk, Truncator(label).chars(max_length)) for pk, label in labels]
        return list(labels)

    return choices
