"""API for microlearning units: learners find and complete them, authors write, publish and assign.

Learners list the published units assigned to them (directly, to their team or
to a team above it) and may open and complete any published unit; L&D authors
(and organisation admins) see every unit of the organisation.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from organisations.permissions import Action

from .. import selectors, services
from ..access import authored_unit, openable_units, opens_every_unit
from ..models import Unit
from ..serializers.units import (
    AssignmentSerializer,
    AssignSerializer,
    CompletionSerializer,
    UnitListQuerySerializer,
    UnitSerializer,
    UnitSummarySerializer,
    UnitWriteSerializer,
)
from .common import openable_unit, unit_response, with_completion

UNITS_TAG = "units"

UNIT_EXAMPLE = {
    "id": 42,
    "title": "Handling a complaint in five steps",
    "body": "Listen first. Then summarise what you heard...",
    "status": "published",
    "author": {"id": 5, "name": "Lotte Jansen"},
    "created_at": "2025-03-01T09:30:00+01:00",
    "updated_at": "2025-03-02T10:00:00+01:00",
    "published_at": "2025-03-02T10:00:00+01:00",
    "completed_at": None,
}


class UnitListCreateView(generics.ListAPIView):
    serializer_class = UnitSummarySerializer
    required_action = {"GET": Action.LEARN, "POST": Action.AUTHOR_UNITS}

    def get_queryset(self):
        request = self.request
        if opens_every_unit(request.membership):
            query = UnitListQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            units = selectors.units_for_authoring(
                organisation=request.organisation, status=query.validated_data.get("status")
            )
        else:
            # A selector for "the learner's units as a queryset" does not exist yet;
            # this composes what they may open with what reaches them, paginated in SQL.
            assigned = selectors.assignments_reaching(membership=request.membership)
            units = openable_units(membership=request.membership).filter(
                pk__in=assigned.values("unit_id")
            )
            units = units.order_by("-published_at", "-pk")
        return with_completion(units, request.membership)

    @extend_schema(
        tags=[UNITS_TAG],
        summary="Units for the caller",
        description=(
            "Learners: the published units assigned to them. "
            "Authors: every unit, optionally filtered by `status`."
        ),
        parameters=[UnitListQuerySerializer],
        responses={200: UnitSummarySerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[UNITS_TAG],
        summary="Create a draft unit (authors)",
        request=UnitWriteSerializer,
        responses={201: UnitSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "A new unit",
                request_only=True,
                value={"title": UNIT_EXAMPLE["title"], "body": UNIT_EXAMPLE["body"]},
            ),
            OpenApiExample(
                "Created as a draft",
                response_only=True,
                status_codes=["201"],
                value={**UNIT_EXAMPLE, "status": "draft", "published_at": None},
            ),
        ],
    )
    def post(self, request, org_slug: str):
        payload = UnitWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        unit = services.unit_create(by=request.membership, **payload.validated_data)
        return unit_response(request, unit.pk, status_code=status.HTTP_201_CREATED)


class UnitDetailView(APIView):
    required_action = {"GET": Action.LEARN, "PATCH": Action.AUTHOR_UNITS}

    @extend_schema(
        tags=[UNITS_TAG],
        summary="One unit",
        description="Learners find published units only; drafts and archived units are 404.",
        responses={200: UnitSerializer, **READ_ERRORS},
        examples=[OpenApiExample("A published unit", response_only=True, value=UNIT_EXAMPLE)],
    )
    def get(self, request, org_slug: str, unit_id: int):
        return unit_response(request, unit_id)

    @extend_schema(
        tags=[UNITS_TAG],
        summary="Change the title of a unit's draft (authors; a published unit gets a new draft)",
        request=UnitWriteSerializer(partial=True),
        responses={200: UnitSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("A new title", request_only=True, value={"title": "Complaints, shorter"})
        ],
    )
    def patch(self, request, org_slug: str, unit_id: int):
        unit = authored_unit(request, unit_id)
        payload = UnitWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        draft = unit.draft_version or unit.live_version
        title = payload.validated_data.get("title", draft.title)
        services.unit_update(unit=unit, by=request.membership, title=title)
        return unit_response(request, unit.pk)


class _UnitStatusView(APIView):
    required_action = Action.AUTHOR_UNITS
    target_status: Unit.Status

    def post(self, request, org_slug: str, unit_id: int):
        unit = authored_unit(request, unit_id)
        services.unit_set_status(unit=unit, by=request.membership, status=self.target_status)
        return unit_response(request, unit.pk)


@extend_schema(
    tags=[UNITS_TAG],
    summary="Publish a unit (authors)",
    description="Publishing a published unit changes nothing; an archived unit cannot be "
    "published (400).",
    request=None,
    responses={200: UnitSerializer, **WRITE_ERRORS},
)
class UnitPublishView(_UnitStatusView):
    target_status = Unit.Status.PUBLISHED


@extend_schema(
    tags=[UNITS_TAG],
    summary="Archive a unit (authors)",
    description="Archived units disappear for learners; their completions stay.",
    request=None,
    responses={200: UnitSerializer, **WRITE_ERRORS},
)
class UnitArchiveView(_UnitStatusView):
    target_status = Unit.Status.ARCHIVED


class UnitAssignView(APIView):
    required_action = Action.AUTHOR_UNITS

    @extend_schema(
        tags=[UNITS_TAG],
        summary="Assign a published unit to a team or a member (authors)",
        description=(
            "Give exactly one of `team_id` and `member_id`. A team assignment reaches "
            "everyone in the team and the teams below it, now and later. 201 for a new "
            "assignment, 200 when it existed already."
        ),
        request=AssignSerializer,
        responses={201: AssignmentSerializer, 200: AssignmentSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("To a team", request_only=True, value={"team_id": 3}),
            OpenApiExample("To one member", request_only=True, value={"member_id": 12}),
        ],
    )
    def post(self, request, org_slug: str, unit_id: int):
        unit = authored_unit(request, unit_id)
        payload = AssignSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        team = payload.validated_data.get("team_id")
        member = payload.validated_data.get("member_id")
        existed = selectors.unit_assignments(unit=unit).filter(team=team, member=member).exists()
        assignment = services.unit_assign(
            unit=unit, by=request.membership, team=team, membership=member
        )
        assignment = selectors.unit_assignments(unit=unit).get(pk=assignment.pk)
        return Response(
            AssignmentSerializer(assignment).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class UnitCompleteView(APIView):
    @extend_schema(
        tags=[UNITS_TAG],
        summary="Mark a unit complete for the caller",
        description="Idempotent: 201 the first time, 200 (with the first completion) after.",
        request=None,
        responses={201: CompletionSerializer, 200: CompletionSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, unit_id: int):
        unit = openable_unit(request, unit_id)
        existed = unit.completed_at is not None
        completion = services.unit_complete(unit=unit, membership=request.membership)
        return Response(
            CompletionSerializer(completion).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )
