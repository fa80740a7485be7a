"""The Django admin, for platform staff doing support work across organisations.

The middleware runs every /admin/ request of a staff user inside
``platform_bypass`` (scoping and row-level security lifted, the use logged), so
the scoped managers work here. Organisation admins never come here: they manage
their organisation in the product's own pages.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditLog,
    Invitation,
    Membership,
    Organisation,
    Skill,
    Team,
    User,
    WorkProcess,
)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """E-mail is the login; there are no usernames."""

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        ),
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "team", "is_author", "is_hr", "is_admin", "is_active"]
    raw_id_fields = ["user", "team"]
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "time_zone", "created_at"]
    search_fields = ["name", "slug"]
    readonly_fields = ["created_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "organisation",
        "team",
        "is_author",
        "is_hr",
        "is_admin",
        "is_active",
        "created_at",
    ]
    list_filter = ["organisation", "is_active", "is_admin", "is_author", "is_hr"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organisation", "team"]
    # Raw ids: an organisation may have tens of thousands of members.
    raw_id_fields = ["user", "team"]
    readonly_fields = ["created_at"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "parent", "manager"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    list_select_related = ["organisation", "parent", "manager__user"]
    raw_id_fields = ["parent", "manager"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "team", "created_at", "accepted_at"]
    list_filter = ["organisation"]
    search_fields = ["email"]
    list_select_related = ["organisation", "team"]
    raw_id_fields = ["team", "invited_by", "accepted_by"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by"]


@admin.register(Skill, WorkProcess)
class NamedItemAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "description"]
    list_select_related = ["organisation"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """The audit trail is evidence: staff may read it, nobody edits or deletes it here."""

    list_display = ["created_at", "organisation", "actor", "action", "object_type", "object_id"]
    list_filter = ["organisation", "action"]
    search_fields = ["action", "object_type"]
    list_select_related = ["organisation", "actor__user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
