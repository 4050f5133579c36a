"""Imports run as background tasks (django-tasks), so a large file never holds up a page."""

from django_tasks import task

from rectrack.imports.models import ImportRun, ImportState
from rectrack.imports.services import run_execute
from rectrack.suggestions.tasks import queue_after_import


@task()
def run_import(run_id: int) -> str:
    run = ImportRun.objects.filter(pk=run_id, state=ImportState.QUEUED).first()
    if run is None:  # discarded, or already run
        return "skipped"
    run = run_execute(run)
    queue_after_import(run)
    return run.state
