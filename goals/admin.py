"""Django admin for platform staff; the admin runs under an explicit, logged bypass."""

from django.contrib import admin

from .models import Goal, GoalTemplate, ProficiencyLevel, Recognition


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "member", "status", "outcome", "target_date"]
    list_filter = ["status", "outcome", "organisation"]
    list_select_related = ["organisation", "member__user"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "member", "skill", "template", "agreed_by"]
    readonly_fields = ["created_at"]


@admin.register(GoalTemplate)
class GoalTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "skill", "target_level", "is_active"]
    list_filter = ["is_active", "organisation"]
    list_select_related = ["organisation", "skill"]
    raw_id_fields = ["organisation", "skill", "created_by"]


@admin.register(ProficiencyLevel)
class ProficiencyLevelAdmin(admin.ModelAdmin):
    list_display = ["level", "name", "organisation"]
    list_filter = ["organisation"]
    raw_id_fields = ["organisation"]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "member", "object_type", "shared_at"]
    list_filter = ["object_type", "organisation"]
    list_select_related = ["organisation", "member__user"]
    raw_id_fields = ["organisation", "member", "team"]
