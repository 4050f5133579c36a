"""Running a service from a submitted form."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rectrack.audit.services import ConflictError


@dataclass
class Submission:
    ok: bool
    result: Any = None
    conflict: ConflictError | None = None


def submit(form: forms.Form, call: Callable[[], Any]) -> Submission:
    """Call a service for a valid form, turning its refusals into form errors.

    On a conflict the form's hidden version moves to the stored one, so the
    user sees what changed meanwhile and can save again on purpose.
    """
    try:
        result = call()
    except ConflictError as error:
        form.add_error(None, str(error))
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = error.instance.version
        return Submission(ok=False, conflict=error)
    except ValidationError as error:
        form.add_error(None, error)
        return Submission(ok=False)
    return Submission(ok=True, result=result)


def submit_edit(request, form: forms.Form, update: Callable[[int | None], Any]) -> Submission | None:
    """On an edit page: for a posted, valid form, call `update(expected_version)` through `submit`.

    `expected_version` is the version the form was opened at (its hidden
    `version` field), so a stale save is refused with what changed meanwhile.
    Returns None when nothing valid was posted.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    expected = form.cleaned_data.get("version")
    return submit(form, lambda: update(expected))
