"""Django admin for platform staff: events and rollups are for reading, never editing.

The event log is append-only and the rollup is computed from it, so changing rows
here would make figures disagree with their source.
"""

from django.contrib import admin

from .models import LearningEvent, RollupCheckpoint, TeamDailyCount


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


@admin.register(TeamDailyCount)
class TeamDailyCountAdmin(ReadOnlyAdmin):
    list_display = ["day", "organisation", "team", "member", "verb", "count"]
    list_filter = ["verb", "organisation"]
    list_select_related = ["organisation", "team", "member__user"]
    show_full_result_count = False


@admin.register(RollupCheckpoint)
class RollupCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "name", "last_event_id", "updated_at"]
    list_select_related = ["organisation"]
