from django.contrib import admin

from rectrack.audit.admin import HistoryAdmin
from rectrack.inquiries.models import Answer, InformationRequest, Recipient


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0
    readonly_fields = ["completed_at"]


@admin.register(InformationRequest)
class InformationRequestAdmin(HistoryAdmin):
    list_display = ["title", "deadline", "status", "created_by"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["recommendations", "activities"]
    inlines = [RecipientInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "recipient", "author", "answered_at"]
    raw_id_fields = ["recommendation", "activity", "recipient"]
    list_select_related = ["recipient__institution", "recipient__request", "author"]
