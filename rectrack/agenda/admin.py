from django.contrib import admin

from rectrack.agenda.models import CalendarFeed, Event
from rectrack.audit.admin import HistoryAdmin


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "audience", "mechanism"]
    list_filter = ["kind", "audience"]
    search_fields = ["title", "description", "location"]
    autocomplete_fields = ["mechanism", "institutions"]
    date_hierarchy = "starts_on"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Feeds are created by their owners (the address is shown to them once); here they can only be removed."""

    list_display = ["user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    readonly_fields = ["user", "created_at", "last_used_at"]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
