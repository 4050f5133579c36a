from django.contrib import admin

from rectrack.collaboration.models import Attachment, Comment, Digest, Notification


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "activity", "size", "is_public", "uploaded_by", "uploaded_at"]
    list_filter = ["is_public"]
    search_fields = ["name", "activity__title"]
    # The file itself is downloaded from the activity's page, after a permission check.
    exclude = ["file", "storage_name"]
    readonly_fields = ["activity", "name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    list_select_related = ["activity", "uploaded_by"]

    def has_add_permission(self, request) -> bool:
        return False  # through the activity's page, which checks the file


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "activity", "author", "created_at"]
    search_fields = ["body", "activity__title"]
    readonly_fields = ["activity", "author", "mentions", "created_at"]
    list_select_related = ["activity", "author"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "target_label", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    readonly_fields = ["recipient", "actor", "created_at"]
    list_select_related = ["recipient"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "day", "items", "sent_at"]
    readonly_fields = ["recipient", "day", "items", "sent_at"]
    list_select_related = ["recipient"]
