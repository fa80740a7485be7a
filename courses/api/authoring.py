"""API for L&D authors: trajectories, their steps, publishing and moving enrolments on."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import ROLE_READ_ERRORS, WRITE_ERRORS
from organisations.permissions import Action

from ..access import authored_step, authored_trajectory
from ..models import Trajectory
from ..selectors import authoring as selectors
from ..serializers.trajectories import (
    MoveOnSerializer,
    StepMoveSerializer,
    StepSerializer,
    StepUpdateSerializer,
    StepWriteSerializer,
    TrajectorySerializer,
    TrajectoryWriteSerializer,
)
from ..services import authoring as services
from ..services import enrolments as enrolment_services

TAG = "trajectories"


def _trajectory_response(request, trajectory_id: int, code=status.HTTP_200_OK) -> Response:
    return Response(
        TrajectorySerializer(authored_trajectory(request, trajectory_id)).data, status=code
    )


def _steps(trajectory: Trajectory):
    version = selectors.editing_version(trajectory=trajectory)
    steps = []
    for item in selectors.editor_steps(version=version):
        item.step.requires_list = item.requires
        item.step.skills_list = item.skills
        steps.append(item.step)
    return steps


def _step_response(request, trajectory: Trajectory, key, code=status.HTTP_200_OK) -> Response:
    trajectory.refresh_from_db()
    step = next(s for s in _steps(trajectory) if s.key == key)
    return Response(StepSerializer(step).data, status=code)


class TrajectoryListCreateView(generics.ListAPIView):
    serializer_class = TrajectorySerializer
    required_action = Action.AUTHOR_TRAJECTORIES

    def get_queryset(self):
        return selectors.trajectories_for_authoring(
            organisation=self.request.organisation
        ).select_related("live_version", "draft_version")

    @extend_schema(
        tags=[TAG],
        summary="Every trajectory of the organisation (authors)",
        responses={200: TrajectorySerializer(many=True), **ROLE_READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Create a draft trajectory (authors)",
        request=TrajectoryWriteSerializer,
        responses={201: TrajectorySerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "A new trajectory",
                request_only=True,
                value={"title": "Starting as a care worker", "audience": "New care workers"},
            )
        ],
    )
    def post(self, request, org_slug: str):
        payload = TrajectoryWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        trajectory = services.trajectory_create(by=request.membership, **payload.validated_data)
        return _trajectory_response(request, trajectory.pk, status.HTTP_201_CREATED)


class TrajectoryDetailView(APIView):
    required_action = Action.AUTHOR_TRAJECTORIES

    @extend_schema(
        tags=[TAG],
        summary="One trajectory (authors)",
        responses={200: TrajectorySerializer, **ROLE_READ_ERRORS},
    )
    def get(self, request, org_slug: str, trajectory_id: int):
        return _trajectory_response(request, trajectory_id)

    @extend_schema(
        tags=[TAG],
        summary="Change a trajectory's details (a published one gets a new draft)",
        request=TrajectoryWriteSerializer,
        responses={200: TrajectorySerializer, **WRITE_ERRORS},
    )
    def patch(self, request, org_slug: str, trajectory_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        version = selectors.editing_version(trajectory=trajectory)
        payload = TrajectoryWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        fields = {
            "title": version.title,
            "description": version.description,
            "audience": version.audience,
            "self_enrolment": version.self_enrolment,
            "cover_alt": version.cover_alt,
            **payload.validated_data,
        }
        services.trajectory_details_update(trajectory=trajectory, by=request.membership, **fields)
        return _trajectory_response(request, trajectory.pk)


class _TrajectoryActionView(APIView):
    required_action = Action.AUTHOR_TRAJECTORIES
    service = None

    def post(self, request, org_slug: str, trajectory_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        type(self).service(trajectory=trajectory, by=request.membership)
        return _trajectory_response(request, trajectory.pk)


@extend_schema(
    tags=[TAG],
    summary="Publish the draft (authors): new enrolments follow it",
    request=None,
    responses={200: TrajectorySerializer, **WRITE_ERRORS},
)
class TrajectoryPublishView(_TrajectoryActionView):
    service = services.trajectory_publish


@extend_schema(
    tags=[TAG],
    summary="Archive a trajectory (authors)",
    request=None,
    responses={200: TrajectorySerializer, **WRITE_ERRORS},
)
class TrajectoryArchiveView(_TrajectoryActionView):
    service = services.trajectory_archive


@extend_schema(
    tags=[TAG],
    summary="Restore an archived trajectory to a draft (authors)",
    request=None,
    responses={200: TrajectorySerializer, **WRITE_ERRORS},
)
class TrajectoryRestoreView(_TrajectoryActionView):
    service = services.trajectory_restore


class TrajectoryMoveOnView(APIView):
    required_action = Action.AUTHOR_TRAJECTORIES

    @extend_schema(
        tags=[TAG],
        summary="Move open enrolments on to the live version (authors)",
        description="Steps done stay done where the step still exists; new steps open.",
        request=None,
        responses={200: MoveOnSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, trajectory_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        moved = enrolment_services.enrolments_move_on(trajectory=trajectory, by=request.membership)
        return Response({"moved": moved})


class StepListView(APIView):
    required_action = Action.AUTHOR_TRAJECTORIES

    @extend_schema(
        tags=[TAG],
        summary="The steps of the version being edited (the draft, else the live one)",
        responses={200: StepSerializer(many=True), **ROLE_READ_ERRORS},
    )
    def get(self, request, org_slug: str, trajectory_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        return Response(StepSerializer(_steps(trajectory), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Add a step at the end of the draft (authors)",
        description="Checked for its kind: a unit step needs a published `unit_id`, an "
        "external one an https `url`, a session a `session_kind`; `requires` names earlier "
        "steps only. Errors come back per field; nothing is saved half-way.",
        request=StepWriteSerializer,
        responses={201: StepSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "An external module",
                request_only=True,
                value={
                    "kind": "external",
                    "title": "Hygiene basics (e-learning)",
                    "url": "https://example.org/hygiene",
                    "due_offset_days": 5,
                },
            )
        ],
    )
    def post(self, request, org_slug: str, trajectory_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        payload = StepWriteSerializer(
            data=request.data, context={"request": request, "trajectory": trajectory}
        )
        payload.is_valid(raise_exception=True)
        step = services.step_add(
            trajectory=trajectory, by=request.membership, **payload.validated_data
        )
        return _step_response(request, trajectory, step.key, status.HTTP_201_CREATED)


class StepDetailView(APIView):
    required_action = Action.AUTHOR_TRAJECTORIES

    @extend_schema(
        tags=[TAG], summary="One step", responses={200: StepSerializer, **ROLE_READ_ERRORS}
    )
    def get(self, request, org_slug: str, trajectory_id: int, step_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        step = authored_step(request, trajectory, step_id)
        return Response(StepSerializer(step).data)

    @extend_schema(
        tags=[TAG],
        summary="Change a step (of the draft; a published trajectory gets a draft first)",
        request=StepUpdateSerializer,
        responses={200: StepSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, org_slug: str, trajectory_id: int, step_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        step = authored_step(request, trajectory, step_id)
        payload = StepUpdateSerializer(
            data=request.data,
            partial=True,
            context={"request": request, "trajectory": trajectory},
        )
        payload.is_valid(raise_exception=True)
        step = services.step_update(step=step, by=request.membership, **payload.validated_data)
        return _step_response(request, trajectory, step.key)

    @extend_schema(
        tags=[TAG],
        summary="Remove a step from the draft",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request, org_slug: str, trajectory_id: int, step_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        step = authored_step(request, trajectory, step_id)
        services.step_remove(step=step, by=request.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepMoveView(APIView):
    required_action = Action.AUTHOR_TRAJECTORIES

    @extend_schema(
        tags=[TAG],
        summary="Move a step up or down",
        description="Refused (400) past a step it waits for.",
        request=StepMoveSerializer,
        responses={200: StepSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, trajectory_id: int, step_id: int):
        trajectory = authored_trajectory(request, trajectory_id)
        step = authored_step(request, trajectory, step_id)
        payload = StepMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        step = services.step_move(step=step, by=request.membership, **payload.validated_data)
        return _step_response(request, trajectory, step.key)
