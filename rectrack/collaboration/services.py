"""Every write to attachments, comments and notifications goes through here."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rectrack.audit.services import save_tracked
from rectrack.collaboration.files import check_upload
from rectrack.collaboration.mentions import find_mentions
from rectrack.collaboration.models import Attachment, Comment, Notification, NotificationKind
from rectrack.planning.models import Activity

COMMENT_MAX_LENGTH = 5000


def _actor(user):
    return user if user is not None and user.pk else None


@transaction.atomic
def attachment_add(
    *, activity: Activity, actor, upload: UploadedFile, description: str = "", is_public: bool = False
) -> Attachment:
    """Keep a file with an activity, after checking its size, type and content (ValidationError otherwise)."""
    checked = check_upload(upload)
    attachment = Attachment(
        activity=activity,
        storage_name=checked.storage_name,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description.strip(),
        is_public=is_public,
        uploaded_by=_actor(actor),
    )
    attachment.file.save(checked.storage_name, upload, save=False)
    # The file is written before the row: if anything below fails, it is removed again.
    try:
        attachment.save()
        save_tracked(
            instance=activity, actor=actor, fields={}, also={"attachments": {"added": [checked.name], "removed": []}}
        )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    """Remove an attachment and its file; the activity's history records it."""
    activity, name, stored = attachment.activity, attachment.name, attachment.file.name
    attachment.delete()
    save_tracked(instance=activity, actor=actor, fields={}, also={"attachments": {"added": [], "removed": [name]}})
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def attachment_set_public(*, attachment: Attachment, actor, is_public: bool) -> None:
    """Show an attachment on the public portal with its (published) activity, or stop showing it."""
    if attachment.is_public == is_public:
        return
    attachment.is_public = is_public
    attachment.save(update_fields=["is_public"])
    key = "public attachments"
    change = {"added": [attachment.name], "removed": []} if is_public else {"added": [], "removed": [attachment.name]}
    save_tracked(instance=attachment.activity, actor=actor, fields={}, also={key: change})


@transaction.atomic
def comment_add(*, activity: Activity, actor, body: str) -> Comment:
    """Comment on an activity; each person @mentioned is notified (ValidationError for an unknown handle)."""
    text = body.strip()
    if not text:
        raise ValidationError({"body": _("Write the comment.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": _("A comment may be at most %(limit)d characters long.") % {"limit": COMMENT_MAX_LENGTH}}
        )
    mentioned = find_mentions(text)
    comment = Comment.objects.create(activity=activity, body=text, author=_actor(actor))
    comment.mentions.set(mentioned)
    excerpt = text if len(text) <= 200 else text[:199] + "…"
    save_tracked(instance=activity, actor=actor, fields={}, also={"comments": {"added": [excerpt], "removed": []}})
    notify(
        recipients=[user for user in mentioned if user != actor],
        kind=NotificationKind.MENTION,
        actor=actor,
        target_label=activity.title,
        target_url=reverse("planning:activity_detail", args=[activity.pk]) + f"#comment-{comment.pk}",
        excerpt=excerpt,
    )
    return comment


def notify(*, recipients: Iterable, kind: str, actor, target_label: str, target_url: str, excerpt: str = "") -> int:
    """Leave a notification for each recipient (shown in the app and in their next digest)."""
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            actor=_actor(actor),
            target_label=target_label[:300],
            target_url=target_url[:300],
            excerpt=excerpt[:300],
        )
        for user in {user.pk: user for user in recipients if user is not None and user.is_active}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read: the given ones, or all of them."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
