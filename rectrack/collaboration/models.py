"""Working together on an activity: attachments, comments with @mentions, and notifications."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files no web server serves: only `collaboration.views` hands them out, after a permission check.

    The folder is read from settings.PRIVATE_FILES_ROOT at each use; files have no URL.
    """

    @property
    def base_location(self):
        return str(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL: they are served by a view that checks permissions.")


private_storage = PrivateStorage()


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never carries the uploaded name: a random name, the checked extension.
    return f"attachments/{instance.storage_name}"


class Attachment(models.Model):
    """A file kept with an activity (evidence, a report, minutes), in private storage."""

    activity = models.ForeignKey(
        "planning.Activity", verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=_attachment_path, max_length=200)
    storage_name = models.CharField(max_length=80, editable=False)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, editable=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_public = models.BooleanField(
        _("on the public portal"),
        default=False,
        help_text=_("Shown with the activity on the public portal, when the activity is published."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    """A remark on an activity, addressed to people by @mention."""

    activity = models.ForeignKey(
        "planning.Activity", verbose_name=_("activity"), on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentions"), blank=True, related_name="mentioned_in"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mention")
    REQUEST = "request", _("Information request")
    ANSWER = "answer", _("Answer to a request")
    HANDOVER = "handover", _("Handover")
    CONSULTATION = "consultation", _("Report draft for consultation")
    DRAFT_COMMENT = "draft_comment", _("Comment on a report draft")


class Notification(models.Model):
    """Something a person should look at: shown in the app, and in the next daily e-mail digest."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_label = models.CharField(_("about"), max_length=300)
    target_url = models.CharField(max_length=300)
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target_label}"


class Digest(models.Model):
    """One daily e-mail of reminders sent to one person: at most one per person per day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    items = models.PositiveIntegerField(_("items"), default=0)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        ordering = ["-day", "recipient_id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_person_per_day")]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.day}"
