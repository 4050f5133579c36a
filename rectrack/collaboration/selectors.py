"""Reads for the collaboration panels and the notifications page."""

from django.db.models import QuerySet

from rectrack.collaboration.models import Attachment, Comment, Notification


def attachments_for(activity, *, public_only: bool = False) -> QuerySet[Attachment]:
    attachments = activity.attachments.select_related("uploaded_by")
    return attachments.filter(is_public=True) if public_only else attachments


def comments_for(activity) -> QuerySet[Comment]:
    return activity.comments.select_related("author")


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor").order_by("-created_at", "-id")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
