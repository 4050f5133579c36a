"""Report drafts: asked for by the secretariat, written by a background task."""

import logging
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import create_tracked, record_deletion, record_event, save_tracked
from rectrack.collaboration.models import NotificationKind, private_storage
from rectrack.collaboration.services import notify
from rectrack.institutions.models import Membership
from rectrack.reporting.drafts import DraftRequest, build_draft
from rectrack.reporting.models import DraftComment, DraftState, ReportDraft, ReportTemplate
from rectrack.reporting.templating import check_template, render, template_for

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 3600


def progress_key(draft_id: int) -> str:
    return f"report-progress:{draft_id}"


def draft_progress(draft: ReportDraft) -> float:
    """How far the writing is, from 0 to 1 (the task reports it in the shared cache)."""
    return caches["shared"].get(progress_key(draft.pk)) or 0.0


def draft_create(*, actor, **fields: Any) -> ReportDraft:
    """Ask for a draft (validated, in the history); the task writes it, in the asker's language, once the
    transaction commits."""
    from rectrack.reporting.tasks import generate_report_draft

    language = translation.get_language()
    fields.setdefault("language", language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE)
    draft = create_tracked(model=ReportDraft, actor=actor, fields=fields)
    transaction.on_commit(lambda: generate_report_draft.enqueue(draft.pk))
    return draft


def draft_generate(draft: ReportDraft) -> ReportDraft:
    """Read the database and write the Word file; a failure is kept on the draft with its reason."""
    ReportDraft.objects.filter(pk=draft.pk).update(state=DraftState.RUNNING)

    def progress(fraction: float) -> None:
        caches["shared"].set(progress_key(draft.pk), fraction, PROGRESS_SECONDS)

    try:
        with translation.override(draft.language):
            _write(draft, progress)
        draft.state, draft.error = DraftState.DONE, ""
    except Exception as error:  # noqa: BLE001 - any failure is shown on the draft's page, and logged
        logger.exception("Report draft %s failed", draft.pk)
        draft.state, draft.error = DraftState.FAILED, f"{type(error).__name__}: {error}"[:2000]
    draft.finished_at = timezone.now()
    draft.save(update_fields=["state", "error", "file", "finished_at", "template_used", "outline"])
    caches["shared"].delete(progress_key(draft.pk))
    return draft


def _write(draft: ReportDraft, progress) -> None:
    """Read the draft's content, write it into its template, keep the file and the sections' titles."""
    request = DraftRequest(
        mechanism=draft.mechanism,
        period_start=draft.period_start,
        period_end=draft.period_end,
        project=draft.project,
        cluster=draft.cluster,
        group_by=draft.group_by,
    )
    content = build_draft(request, on_progress=progress)
    template, draft.template_used = template_for(draft.report)
    written = render(template, content, title=draft.title, report=draft.get_report_display())
    draft.file.save(f"{draft.pk}.docx", ContentFile(written), save=False)
    draft.outline = [section.title for section in content.sections]


# Templates: an administrator's upload replaces a kind of report's built-in template.


def template_upload(*, actor, kind: str, name: str, content: bytes) -> ReportTemplate:
    """Check and keep an uploaded template for `kind` (replacing an earlier upload), with history."""
    check_template(content)
    with transaction.atomic():
        template = ReportTemplate.objects.select_for_update().filter(kind=kind).first()
        old_file, old_name = (template.file.name, template.original_name) if template else ("", "")
        if template is None:
            template = ReportTemplate(kind=kind, created_by=actor if actor and actor.pk else None)
        template.original_name = name[:255]
        template.file.save("template.docx", ContentFile(content), save=False)
        template.full_clean()
        if old_file:
            template.version += 1
            template.save()
            changes = {"original_name": {"old": old_name, "new": template.original_name}}
            record_event(actor=actor, instance=template, action=Action.UPDATED, changes=changes)
            transaction.on_commit(lambda: private_storage.delete(old_file))
        else:
            template.save()
            changes = {
                "kind": {"old": None, "new": kind},
                "original_name": {"old": None, "new": template.original_name},
            }
            record_event(actor=actor, instance=template, action=Action.CREATED, changes=changes)
    return template


def template_reset(*, actor, template: ReportTemplate) -> None:
    """Go back to the built-in template: the upload is deleted, and the history says so."""
    with transaction.atomic():
        stored = template.file.name
        record_deletion(actor=actor, instance=template, fields=("kind", "original_name"))
        template.delete()
        transaction.on_commit(lambda: private_storage.delete(stored))


# Consultation: a written draft shared with institutions until a deadline; their comments, resolved by the
# secretariat.


def draft_share(*, actor, draft: ReportDraft, institutions, deadline, expected_version: int | None = None) -> dict:
    """Share a written draft with institutions until `deadline` (or change with whom, or until when); the
    members of each newly added institution are notified."""
    if draft.state != DraftState.DONE:
        raise ValidationError(_("Only a written draft can be shared."))
    if deadline < timezone.localdate():
        raise ValidationError(_("The deadline for comments has passed already."))
    before = set(draft.shared_with.values_list("pk", flat=True))
    with transaction.atomic():
        changes = save_tracked(
            instance=draft,
            actor=actor,
            fields={"shared_with": list(institutions), "consultation_deadline": deadline},
            expected_version=expected_version,
        )
        added = [institution.pk for institution in institutions if institution.pk not in before]
        members = Membership.objects.active().filter(institution_id__in=added).select_related("user")
        notify(
            recipients=[membership.user for membership in members],
            kind=NotificationKind.CONSULTATION,
            actor=actor,
            target_label=draft.title,
            target_url=draft.get_absolute_url(),
            excerpt=_("Comments by %(date)s.") % {"date": date_format(deadline)},
        )
    return changes


def _section_label(comment: DraftComment) -> str:
    return comment.section or _("Whole draft")


def draft_comment_add(*, actor, draft: ReportDraft, section: str, text: str, institution=None) -> DraftComment:
    """A comment on one section of a draft (blank: the whole draft), in the draft's history; the secretariat
    member who asked for the draft is notified."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the comment."))
    if section and section not in draft.outline:
        raise ValidationError(_("The draft has no section “%(section)s”.") % {"section": section})
    with transaction.atomic():
        comment = DraftComment(draft=draft, section=section, author=actor, institution=institution, text=text)
        comment.full_clean()
        comment.save()
        line = f"{_section_label(comment)}: {text}"
        if institution is not None:
            line = f"{institution} · {line}"
        record_event(
            actor=actor, instance=draft, action=Action.UPDATED, changes={"comments": {"added": [line], "removed": []}}
        )
        if draft.created_by_id and draft.created_by_id != actor.pk:
            notify(
                recipients=[draft.created_by],
                kind=NotificationKind.DRAFT_COMMENT,
                actor=actor,
                target_label=draft.title,
                target_url=comment.get_absolute_url(),
                excerpt=text,
            )
    return comment


def draft_comment_resolve(*, actor, comment: DraftComment, resolution: str = "") -> DraftComment:
    """Mark a comment as taken into account (or not, saying why), in the draft's history."""
    with transaction.atomic():
        comment = DraftComment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_resolved:
            raise ValidationError(_("This comment was resolved already."))
        comment.resolved_at, comment.resolved_by, comment.resolution = timezone.now(), actor, resolution.strip()
        comment.full_clean()
        comment.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        line = f"{_section_label(comment)}: {comment.text[:200]}"
        if comment.resolution:
            line += f" → {comment.resolution}"
        record_event(
            actor=actor,
            instance=comment.draft,
            action=Action.UPDATED,
            changes={"resolved comments": {"added": [line], "removed": []}},
        )
    return comment


def draft_delete(*, actor, draft: ReportDraft) -> None:
    """Delete a draft with its file and comments; the history keeps a "deleted" entry saying what it was."""
    with transaction.atomic():
        stored = draft.file.name
        comments = draft.comments.count()
        record_deletion(
            actor=actor,
            instance=draft,
            fields=("title", "report", "mechanism", "period_start", "period_end", "shared_with"),
            also={"comments": {"old": comments, "new": None}} if comments else None,
        )
        draft.delete()
        if stored:
            transaction.on_commit(lambda: private_storage.delete(stored))
