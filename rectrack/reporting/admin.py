from django.contrib import admin

from rectrack.audit.admin import HistoryAdmin
from rectrack.reporting.models import DraftComment, ReportDraft, ReportTemplate


@admin.register(ReportDraft)
class ReportDraftAdmin(HistoryAdmin):
    list_display = ["title", "report", "mechanism", "period_start", "period_end", "state", "created_by", "created_at"]
    list_filter = ["state", "report", "mechanism"]
    search_fields = ["title"]
    readonly_fields = ["state", "file", "error", "finished_at", "template_used", "outline", "language"]


@admin.register(ReportTemplate)
class ReportTemplateAdmin(HistoryAdmin):
    """Templates are uploaded and checked on Reporting › Report templates; here they are only read."""

    list_display = ["kind", "original_name", "created_by", "updated_at"]
    readonly_fields = ["kind", "file", "original_name"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DraftComment)
class DraftCommentAdmin(admin.ModelAdmin):
    list_display = ["draft", "section", "author", "institution", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    search_fields = ["text", "section"]
    readonly_fields = ["draft", "author", "institution", "created_at", "resolved_at", "resolved_by"]
