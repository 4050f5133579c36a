"""Choosing what the public portal shows: per object, with history."""

from rectrack.audit.services import save_tracked
from rectrack.planning.models import Activity
from rectrack.portal.models import Publication


def publication_set(
    *, obj, actor, publication: str, budget_publication: str | None = None, expected_version: int | None = None
) -> dict:
    """Publish or withhold a recommendation, project or activity (and an activity's budget).

    `Publication.DEFAULT` hands the decision back to the default rules.
    Refuses a stale `expected_version` (ConflictError); the history records
    who changed it and when.
    """
    fields = {"publication": Publication(publication)}
    if budget_publication is not None and isinstance(obj, Activity):
        fields["budget_publication"] = Publication(budget_publication)
    return save_tracked(instance=obj, actor=actor, fields=fields, expected_version=expected_version)
