from django.contrib import admin

from rectrack.audit.admin import HistoryAdmin
from rectrack.reporting.models import ReportDraft


@admin.register(ReportDraft)
class ReportDraftAdmin(HistoryAdmin):
    list_display = ["title", "mechanism", "period_start", "period_end", "state", "created_by", "created_at"]
    list_filter = ["state", "mechanism"]
    search_fields = ["title"]
    readonly_fields = ["state", "file", "error", "finished_at"]
