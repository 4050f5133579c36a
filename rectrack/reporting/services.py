"""Report drafts: asked for by the secretariat, written by a background task."""

import logging
from typing import Any

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from rectrack.audit.services import create_tracked
from rectrack.reporting.documents import draft_docx
from rectrack.reporting.drafts import DraftRequest, build_draft
from rectrack.reporting.models import DraftState, ReportDraft

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 3600


def progress_key(draft_id: int) -> str:
    return f"report-progress:{draft_id}"


def draft_progress(draft: ReportDraft) -> float:
    """How far the writing is, from 0 to 1 (the task reports it in the shared cache)."""
    return caches["shared"].get(progress_key(draft.pk)) or 0.0


def draft_create(*, actor, **fields: Any) -> ReportDraft:
    """Ask for a draft (validated, in the history); the task writes it once the transaction commits."""
    from rectrack.reporting.tasks import generate_report_draft

    draft = create_tracked(model=ReportDraft, actor=actor, fields=fields)
    transaction.on_commit(lambda: generate_report_draft.enqueue(draft.pk))
    return draft


def draft_generate(draft: ReportDraft) -> ReportDraft:
    """Read the database and write the Word file; a failure is kept on the draft with its reason."""
    ReportDraft.objects.filter(pk=draft.pk).update(state=DraftState.RUNNING)

    def progress(fraction: float) -> None:
        caches["shared"].set(progress_key(draft.pk), fraction, PROGRESS_SECONDS)

    try:
        request = DraftRequest(
            mechanism=draft.mechanism,
            period_start=draft.period_start,
            period_end=draft.period_end,
            project=draft.project,
            cluster=draft.cluster,
            group_by=draft.group_by,
        )
        content = draft_docx(build_draft(request, on_progress=progress))
        draft.file.save(f"{draft.pk}.docx", ContentFile(content), save=False)
        draft.state, draft.error = DraftState.DONE, ""
    except Exception as error:  # noqa: BLE001 - any failure is shown on the draft's page, and logged
        logger.exception("Report draft %s failed", draft.pk)
        draft.state, draft.error = DraftState.FAILED, f"{type(error).__name__}: {error}"[:2000]
    draft.finished_at = timezone.now()
    draft.save(update_fields=["state", "error", "file", "finished_at"])
    caches["shared"].delete(progress_key(draft.pk))
    return draft
