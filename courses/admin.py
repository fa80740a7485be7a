"""Django admin for platform staff; the admin runs under an explicit, logged bypass."""

from django.contrib import admin

from .models import (
    BuddyConfirmation,
    Enrolment,
    Step,
    StepProgress,
    StepReflection,
    Trajectory,
    TrajectoryVersion,
)


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["position", "kind", "title", "due_offset_days", "required", "sign_off"]
    readonly_fields = fields
    can_delete = False


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "updated_at"]
    list_filter = ["status", "organisation"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "live_version", "draft_version", "created_by"]


@admin.register(TrajectoryVersion)
class TrajectoryVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "trajectory", "number", "published_at"]
    raw_id_fields = ["organisation", "trajectory", "created_by"]
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "position", "kind", "required"]
    list_filter = ["kind"]
    raw_id_fields = ["organisation", "version", "unit"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["membership", "trajectory", "status", "due_on", "enrolled_at"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "trajectory", "version", "membership", "buddy", "enrolled_by"]


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "step", "status", "due_on", "done_at"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "enrolment", "step", "done_by"]


@admin.register(StepReflection)
class StepReflectionAdmin(admin.ModelAdmin):
    # The answer is the learner's: the admin lists that there is one, not what it says.
    list_display = ["progress", "shared_with_manager", "updated_at"]
    exclude = ["text"]
    raw_id_fields = ["organisation", "progress"]


@admin.register(BuddyConfirmation)
class BuddyConfirmationAdmin(admin.ModelAdmin):
    list_display = ["progress", "membership", "confirmed_at"]
    raw_id_fields = ["organisation", "progress", "membership"]
