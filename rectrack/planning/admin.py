from django.contrib import admin

from rectrack.audit.admin import HistoryAdmin
from rectrack.planning.models import Activity, ProgressNote, Project


@admin.register(Project)
class ProjectAdmin(HistoryAdmin):
    list_display = ["name", "status", "lead_institution", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["lead_institution", "recommendations"]


@admin.register(Activity)
class ActivityAdmin(HistoryAdmin):
    list_display = ["title", "status", "lead_institution", "deadline", "budget_amount", "budget_currency"]
    list_filter = ["status", "lead_institution"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["lead_institution", "implementing_partners", "recommendations", "projects"]
    date_hierarchy = "deadline"


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    """Read only: notes are written on the activity's page, sanitised, with their history."""

    list_display = ["activity", "created_by", "created_at"]
    list_select_related = ["activity", "created_by"]
    search_fields = ["body", "activity__title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
