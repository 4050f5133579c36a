from django.contrib import admin

from rectrack.audit.admin import HistoryAdmin
from rectrack.institutions.models import Institution, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Institution)
class InstitutionAdmin(HistoryAdmin):
    list_display = ["name", "acronym", "kind", "level", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "institution", "kind", "start_date", "end_date"]
    list_filter = ["kind", "institution"]
    search_fields = ["user__username", "user__last_name", "institution__name"]
    autocomplete_fields = ["user", "institution"]
