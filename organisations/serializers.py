"""API representations of members, teams and tokens. Shapes only: rules live in services."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import ApiToken, Membership, Organisation, Team
from .permissions import is_manager

ROLE_CHOICES = ["learner", "manager", "author", "hr", "admin"]


def membership_roles(membership: Membership, *, manager: bool) -> list[str]:
    """Every member is a learner; the flags (and leading a team) add roles."""
    flags = [
        ("learner", True),
        ("manager", manager),
        ("author", membership.is_author),
        ("hr", membership.is_hr),
        ("admin", membership.is_admin),
    ]
    return [role for role, held in flags if held]


class TextField(serializers.CharField):
    """A string, and only a string: a JSON number (``"comment": 0``) is refused, not made text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class FlagField(serializers.BooleanField):
    """``true`` or ``false``, and nothing else: ``0``, ``1`` or ``"yes"`` are refused.

    A multipart form (the views that take files) has only text: there the text
    ``true`` or ``false``.
    """

    def to_internal_value(self, data):
        # DRF gives a form's missing checkbox as False itself.
        in_form = isinstance(self.root.initial_data, QueryDict)
        if not isinstance(data, bool) and not (in_form and data in {"true", "false"}):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


class QuerySerializer(serializers.Serializer):
    """Query parameters: an empty value (``?sort=``) is a 400, not the same as leaving it out.

    DRF reads form-like input as HTML forms do, where an empty optional field means "not
    given"; for a query that would silently ignore a mistyped filter.
    """

    def to_internal_value(self, data):
        blank = {
            name: [serializers.CharField.default_error_messages["blank"]]
            for name, field in self.fields.items()
            if data.get(name) == "" and not getattr(field, "allow_blank", False)
        }
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "language", "time_zone"]
        read_only_fields = fields


class TeamRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]
        read_only_fields = fields


class MemberRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "name"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    """The calling member: who they are here and what they may do."""

    name = serializers.CharField(source="display_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    language = serializers.CharField(
        read_only=True, help_text="The member's language, else the organisation's."
    )
    team = TeamRefSerializer(read_only=True, allow_null=True)
    is_manager = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "language", "roles", "team", "is_manager", "organisation"]
        read_only_fields = fields

    def get_is_manager(self, membership: Membership) -> bool:
        return is_manager(membership)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ROLE_CHOICES)))
    def get_roles(self, membership: Membership) -> list[str]:
        return membership_roles(membership, manager=is_manager(membership))


class TeamSerializer(serializers.ModelSerializer):
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    manager = MemberRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["id", "name", "parent_id", "manager"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "team", "roles", "is_active"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ROLE_CHOICES)))
    def get_roles(self, membership: Membership) -> list[str]:
        # Who manages a team comes from the list view's one query, not one per row.
        managers = self.context.get("manager_ids", set())
        return membership_roles(membership, manager=membership.pk in managers)


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = TextField(
        max_length=100, help_text="What the token is for, e.g. the script that uses it."
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="The raw token. Shown only now: store it safely."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


@extend_schema_field({"type": "integer", "nullable": True})
class OrganisationObjectField(serializers.PrimaryKeyRelatedField):
    """The id of an object of the request's organisation; any other id is simply not found.

    The queryset is built per request: tenant managers refuse a query outside a scope,
    and starting from the organisation keeps foreign ids out even without one.
    """

    default_error_messages = {
        "does_not_exist": _("Not found in this organisation."),
        "incorrect_type": _("Expected a number."),
    }

    def __init__(self, *, model, active_only: bool = False, **kwargs):
        self.model = model
        self.active_only = active_only
        super().__init__(**kwargs)

    def get_queryset(self):
        objects = self.model.objects.filter(organisation=self.context["request"].organisation)
        return objects.filter(is_active=True) if self.active_only else objects
