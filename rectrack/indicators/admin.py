from django.contrib import admin

from rectrack.audit.admin import HistoryAdmin
from rectrack.indicators import services
from rectrack.indicators.models import Indicator, Measurement


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["name", "kind", "unit", "responsible_institution", "target_value", "target_date"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["responsible_institution", "recommendations", "activities", "projects", "clusters"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    """Read and remove only: values are recorded on the indicator's page, with their history."""

    list_display = ["indicator", "measured_on", "breakdown", "value", "created_by"]
    list_select_related = ["indicator", "created_by"]
    search_fields = ["indicator__name", "breakdown", "source"]
    date_hierarchy = "measured_on"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj):
        services.measurement_remove(measurement=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for measurement in queryset.select_related("indicator"):
            services.measurement_remove(measurement=measurement, actor=request.user)
