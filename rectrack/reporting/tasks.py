"""Report drafts are written by a background task (django-tasks), so a large draft never holds up a page."""

from django_tasks import task

from rectrack.reporting.models import DraftState, ReportDraft
from rectrack.reporting.services import draft_generate


@task()
def generate_report_draft(draft_id: int) -> str:
    draft = ReportDraft.objects.filter(pk=draft_id, state=DraftState.QUEUED).first()
    if draft is None:  # already written
        return "skipped"
    return draft_generate(draft).state
