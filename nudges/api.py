"""API for the calling member's in-app nudges (reminders)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import READ_ERRORS, error_responses

from . import selectors, services
from .serializers import NudgeListQuerySerializer, NudgeSerializer

NUDGES_TAG = "nudges"

NUDGE_EXAMPLE = {
    "id": 31,
    "kind": "finish",
    "message": "Finish “Handling a complaint in five steps”",
    "unit": {"id": 42, "title": "Handling a complaint in five steps"},
    "unit_completed": False,
    "sent_at": "2025-03-05T09:00:00+01:00",
    "read_at": None,
}


def _my_nudges(request):
    return selectors.inapp_nudges_for_member(membership=request.membership).filter(
        organisation=request.organisation
    )


class NudgeListView(generics.ListAPIView):
    """The in-app nudges the caller received, newest first."""

    serializer_class = NudgeSerializer

    def get_queryset(self):
        query = NudgeListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        nudges = _my_nudges(self.request)
        if query.validated_data.get("unread"):
            nudges = nudges.filter(read_at__isnull=True)
        return nudges

    @extend_schema(
        tags=[NUDGES_TAG],
        summary="My in-app nudges",
        parameters=[NudgeListQuerySerializer],
        responses={200: NudgeSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NudgeReadView(APIView):
    @extend_schema(
        tags=[NUDGES_TAG],
        summary="Mark one of my nudges read",
        description="Marking it read again changes nothing. Another member's nudge is not found.",
        request=None,
        responses={200: NudgeSerializer, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "Read",
                response_only=True,
                value={**NUDGE_EXAMPLE, "read_at": "2025-03-05T09:12:00+01:00"},
            )
        ],
    )
    def post(self, request, org_slug: str, nudge_id: int):
        nudge = get_object_or_404(_my_nudges(request), pk=nudge_id)
        services.nudge_mark_read(nudge=nudge)
        return Response(NudgeSerializer(nudge).data)
