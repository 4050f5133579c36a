from django.contrib import admin
from django.db import models

from rectrack.audit.admin import HistoryAdmin
from rectrack.recommendations.models import (
    Country,
    Document,
    Mechanism,
    Recommendation,
    RecommendationGroup,
    StatusChange,
    paragraph_sort_key,
)


@admin.register(Country)
class CountryAdmin(HistoryAdmin):
    list_display = ["name", "iso3"]
    search_fields = ["name", "iso3"]


@admin.register(Mechanism)
class MechanismAdmin(HistoryAdmin):
    list_display = ["acronym", "name", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["acronym", "name"]


@admin.register(Document)
class DocumentAdmin(HistoryAdmin):
    list_display = ["symbol", "mechanism", "country", "date", "upr_session", "upr_cycle"]
    list_filter = ["mechanism__kind", "upr_cycle"]
    search_fields = ["symbol", "title"]
    autocomplete_fields = ["mechanism", "country"]
    date_hierarchy = "date"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    list_display = ["__str__", "mechanism", "kind", "upr_position", "status", "issued_on"]
    list_filter = ["mechanism__kind", "kind", "upr_position", "status", "source"]
    search_fields = ["text", "paragraph", "document__symbol", "external_id"]
    autocomplete_fields = [
        "mechanism",
        "document",
        "recommending_states",
        "themes",
        "affected_persons",
        "sdgs",
        "clusters",
        "lead_institution",
        "supporting_institutions",
    ]
    list_select_related = ["document", "mechanism"]
    # The status changes only with a date and a justification, on the recommendation's page.
    readonly_fields = ["status"]
    show_full_result_count = False  # a COUNT(*) of 260,000 rows per page view is wasted work

    def save_model(self, request, obj, form, change):
        obj.paragraph_key = paragraph_sort_key(obj.paragraph)
        super().save_model(request, obj, form, change)


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """Read only: status changes are recorded on the recommendation's page, with their history."""

    list_display = ["recommendation", "status", "effective_on", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["recommendation__document", "created_by"]
    date_hierarchy = "effective_on"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecommendationGroup)
class RecommendationGroupAdmin(HistoryAdmin):
    list_display = ["title", "created_by", "created_at"]
    search_fields = ["title"]
