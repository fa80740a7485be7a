"""Nudges in the Django admin, for platform staff doing support work.

Read-only: nudges are planned and delivered by the services, never edited by
hand (a changed status would break the once-per-channel promise). The admin
middleware runs staff requests inside an explicit, logged tenancy bypass.
"""

from django.contrib import admin

from .models import Nudge, NudgeRule


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "organisation",
        "member",
        "rule",
        "kind",
        "channel",
        "status",
        "due_at",
        "attempts",
        "sent_at",
        "read_at",
        "cancel_reason",
        "digest",
        "clicked_at",
    ]
    list_filter = ["status", "channel", "kind", "cancel_reason"]
    list_select_related = ["organisation", "member__user", "rule"]
    search_fields = ["key", "member__user__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    readonly_fields = [field.name for field in Nudge._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NudgeRule)
class NudgeRuleAdmin(admin.ModelAdmin):
    """Read-only here too: L&D authors change rules through the service, which audits."""

    list_display = ["id", "organisation", "kind", "delay_days", "is_active", "holdout_percent"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["organisation"]
    ordering = ["organisation", "kind", "id"]
    readonly_fields = [field.name for field in NudgeRule._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
