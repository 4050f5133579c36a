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
