from django.contrib import admin

from rectrack.audit.admin import HistoryAdmin
from rectrack.taxonomy.models import Term, Vocabulary, label_key


class TermInline(admin.TabularInline):
    model = Term
    fk_name = "vocabulary"
    extra = 0
    fields = ["code", "label", "status", "maps_to", "position"]
    autocomplete_fields = ["maps_to"]
    show_change_link = True


@admin.register(Vocabulary)
class VocabularyAdmin(HistoryAdmin):
    list_display = ["name", "kind", "version", "is_current", "slug"]
    list_filter = ["kind", "is_current"]
    search_fields = ["name", "slug"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(HistoryAdmin):
    list_display = ["label", "code", "vocabulary", "status", "maps_to", "parent"]
    list_filter = ["vocabulary__kind", "vocabulary", "status"]
    search_fields = ["label", "code"]
    autocomplete_fields = ["parent", "maps_to"]

    def save_model(self, request, obj, form, change):
        obj.key = label_key(obj.label)
        super().save_model(request, obj, form, change)
