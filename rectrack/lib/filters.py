"""Reading list filters from a query string without ever failing.

A filter value the application does not know (a deleted theme's id in an old
bookmark, a mistyped status) is dropped with a note for the user; the other
filters still apply.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _


def clean_leniently(form: forms.Form, params: QueryDict) -> tuple[dict, list[str]]:
    """Validate each filter, and each value of a multi-valued filter, on its own.

    Returns the cleaned values (multi-valued filters as lists) and one note per
    value that was ignored.
    """
    cleaned: dict = {}
    notes: list[str] = []
    for name, field in form.fields.items():
        raw = field.widget.value_from_datadict(params, {}, form.add_prefix(name))
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            kept = []
            for value in [v for v in (raw or []) if v not in ("", None)]:
                try:
                    kept.extend(field.clean([value]))
                except ValidationError:
                    notes.append(_ignored(field, name, value))
            cleaned[name] = kept
        else:
            try:
                cleaned[name] = field.clean(raw)
            except ValidationError:
                notes.append(_ignored(field, name, raw))
                cleaned[name] = field.to_python(None) if not isinstance(field, forms.CharField) else ""
    return cleaned, notes


def _ignored(field: forms.Field, name: str, value) -> str:
    return _("The filter “%(filter)s” had a value that is not known (“%(value)s”), so it was ignored.") % {
        "filter": field.label or name,
        "value": str(value)[:60],
    }


def narrow_choices(form: forms.Form, name: str, scope) -> None:
    """Keep only the options of `name` whose ids are in `scope` (a queryset; None keeps them all).

    A contributor's project filter, say, lists only the projects they may read.
    """
    if scope is None:
        return
    allowed = set(scope.values_list("pk", flat=True))
    form.fields[name].choices = [(pk, label) for pk, label in form.fields[name].choices if pk in allowed]
