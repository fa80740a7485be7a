"""Django admin for platform staff: the event log is for reading, never editing.

It is append-only and every rollup is computed from it, so changing a row here
would make figures disagree with their source.
"""

from django.contrib import admin

from .models import LearningEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LearningEvent)
class LearningEventAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "organisation", "actor", "verb", "object_type", "object_id"]
    list_filter = ["verb", "organisation"]
    list_select_related = ["organisation", "actor__user"]
    show_full_result_count = False  # counting millions of events on every page is slow
