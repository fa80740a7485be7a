"""Django admin for platform staff: rollups are for reading, never editing.

They are computed from the event log, so changing rows here would make figures
disagree with their source.
"""

from django.contrib import admin

from events.admin import ReadOnlyAdmin

from .models import RollupCheckpoint, TeamDailyCount


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
