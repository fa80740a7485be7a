"""Django admin for platform staff; the admin runs under an explicit, logged bypass."""

from django.contrib import admin

from .models import Assignment, Completion, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "updated_at", "published_at"]
    list_filter = ["status", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "author"]
    readonly_fields = ["created_at"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "organisation", "team", "member", "assigned_at"]
    list_filter = ["organisation"]
    list_select_related = ["unit", "organisation", "team", "member__user"]
    raw_id_fields = ["organisation", "unit", "team", "member", "assigned_by"]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ["unit", "member", "organisation", "completed_at"]
    list_filter = ["organisation"]
    list_select_related = ["unit", "organisation", "member__user"]
    raw_id_fields = ["organisation", "unit", "member"]
