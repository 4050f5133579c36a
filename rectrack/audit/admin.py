from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F

from rectrack.audit.models import Action, AuditEvent
from rectrack.audit.services import diff, record_event, snapshot


class HistoryAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions are written to the history.

    Changes made in the administration site appear in an object's updates like
    any other, and bump its version so that open edit forms elsewhere see the
    conflict.
    """

    def _tracked(self, form) -> list[str]:
        names = []
        for name in form.fields:
            try:
                self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            names.append(name)
        return names

    def save_model(self, request, obj, form, change):
        self._history_before = snapshot(type(obj).objects.get(pk=obj.pk), self._tracked(form)) if change else {}
        if change and hasattr(obj, "version"):
            type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
            obj.version = type(obj).objects.values_list("version", flat=True).get(pk=obj.pk)
        if not change and hasattr(obj, "created_by_id") and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        after = snapshot(form.instance, self._tracked(form))
        changes = diff(getattr(self, "_history_before", {}), after)
        if changes or not change:
            record_event(
                actor=request.user,
                instance=form.instance,
                action=Action.UPDATED if change else Action.CREATED,
                changes=changes,
            )

    def delete_model(self, request, obj):
        record_event(actor=request.user, instance=obj, action=Action.DELETED)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_event(actor=request.user, instance=obj, action=Action.DELETED)
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
