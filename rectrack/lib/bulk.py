"""Changing many rows of a list at once: what the recommendations' and the activities' bulk changes share."""

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest


def form_problems(form: forms.Form) -> str:
    """A bound form's errors on one line, each with its field's label ("Project: Choose one…")."""
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


def chosen_ids(request: HttpRequest, matching: QuerySet, *, apply_to: str, limit: int) -> list[int]:
    """The ids a change applies to: the ticked rows (POST "ids") among `matching`, or all of `matching`.

    At most `limit` + 1 are read, so that a caller can tell "too many" without counting them all.
    """
    if apply_to == "selected":
        matching = matching.filter(pk__in=[int(value) for value in request.POST.getlist("ids") if value.isdigit()])
    return list(matching.order_by().values_list("pk", flat=True)[: limit + 1])
