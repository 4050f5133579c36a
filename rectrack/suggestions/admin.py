from django.contrib import admin

from rectrack.suggestions.models import LabelModel, SimilarityIndex, Suggestion


@admin.register(LabelModel)
class LabelModelAdmin(admin.ModelAdmin):
    """Trained on Settings › Suggestions or by manage.py train_suggestions; here they are only read."""

    list_display = ["created_at", "state", "requested_by", "finished_at"]
    readonly_fields = ["state", "requested_by", "started_at", "finished_at", "file_name", "figures", "message"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Decided on the recommendations' pages and Recommendations › Suggested labels (which write the history)."""

    list_display = ["recommendation", "term", "kind", "confidence", "state", "decided_by"]
    list_filter = ["state", "kind"]
    readonly_fields = ["recommendation", "term", "kind", "confidence", "model", "state", "decided_by", "decided_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SimilarityIndex)
class SimilarityIndexAdmin(admin.ModelAdmin):
    list_display = ["created_at", "state", "recommendations", "finished_at"]
    readonly_fields = ["state", "recommendations", "figures", "message", "file_name"]

    def has_add_permission(self, request) -> bool:
        return False
