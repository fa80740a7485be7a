"""API representations of in-app nudges. Shapes only: rules live in services and selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from microlearning.serializers.units import UnitRefSerializer
from organisations.serializers import QuerySerializer

from .models import Nudge


class NudgeSerializer(serializers.ModelSerializer):
    message = serializers.SerializerMethodField(help_text="The reminder, in the member's language.")
    unit = UnitRefSerializer(read_only=True, allow_null=True)
    unit_completed = serializers.BooleanField(
        read_only=True, help_text="The unit was completed since: the reminder has done its job."
    )

    class Meta:
        model = Nudge
        fields = ["id", "kind", "message", "unit", "unit_completed", "sent_at", "read_at"]
        read_only_fields = fields

    def get_message(self, nudge: Nudge) -> str:
        if nudge.unit is None:
            return str(Nudge.Kind(nudge.kind).label)
        return _("Finish “%(title)s”") % {"title": nudge.unit.title}


class NudgeListQuerySerializer(QuerySerializer):
    unread = serializers.BooleanField(
        required=False, default=None, allow_null=True, help_text="true: only unread nudges."
    )
