from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from rectrack.accounts.models import LoginFailure, TwoFactorDevice, User
from rectrack.institutions.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("RecTrack"), {"fields": ["role"]}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("RecTrack"), {"fields": ["email", "first_name", "last_name", "role"]}),
    )
    inlines = [MembershipInline]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Recent failed sign-ins; deleting a user name's rows lifts its pause."""

    list_display = ["username", "ip_address", "at"]
    list_filter = ["at"]
    search_fields = ["username", "ip_address"]
    readonly_fields = ["username", "ip_address", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Who has two-factor sign-in on; deleting a row turns it off for that user. The secret is never shown."""

    list_display = ["user", "confirmed_at"]
    fields = ["user", "confirmed_at"]
    readonly_fields = ["user", "confirmed_at"]

    def has_add_permission(self, request):
        return False
