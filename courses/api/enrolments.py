"""API for enrolments (L&D and managers) and for the learner's own steps."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import (
    READ_ERRORS,
    WRITE_ERRORS,
    error_responses,
)
from organisations.permissions import Action
from organisations.workdays import local_date

from ..access import followed_progress, managed_enrolment
from ..selectors import enrolments as selectors
from ..selectors import learning as learning_selectors
from ..serializers.trajectories import (
    EnrolmentQuerySerializer,
    EnrolmentSerializer,
    EnrolResultSerializer,
    EnrolSerializer,
    MyLearningSerializer,
    StepProgressSerializer,
    StepReflectionWriteSerializer,
)
from ..services import enrolments as services
from ..services import learning as learning_services

TAG = "enrolments"
LEARNING_TAG = "my learning"


def _today(request):
    return local_date(organisation=request.organisation, moment=timezone.now())


class EnrolmentListCreateView(generics.ListAPIView):
    serializer_class = EnrolmentSerializer
    required_action = {"GET": Action.ENROL_OTHERS, "POST": Action.LEARN}

    def get_queryset(self):
        query = EnrolmentQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.enrolment_overview(
            membership=self.request.membership,
            today=_today(self.request),
            team_id=data.get("team"),
            status=data.get("status"),
            overdue=data.get("overdue", False),
            trajectory_id=data.get("trajectory"),
        )

    @extend_schema(
        tags=[TAG],
        summary="Enrolments the caller follows (L&D: all; managers: their teams, sub-teams too)",
        parameters=[EnrolmentQuerySerializer],
        responses={200: EnrolmentSerializer(many=True), **error_responses(400, 401, 403, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Enrol a member or a whole team (sub-teams included)",
        description=(
            "L&D enrols anyone, a manager the members of their teams, a learner themselves "
            "where the trajectory allows it (403 otherwise). Enrolling again is a no-op: the "
            "id comes back under `existing`. 201 when anyone was enrolled, else 200."
        ),
        request=EnrolSerializer,
        responses={201: EnrolResultSerializer, 200: EnrolResultSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("A team", request_only=True, value={"trajectory_id": 4, "team_id": 3}),
            OpenApiExample(
                "One member with a buddy",
                request_only=True,
                value={"trajectory_id": 4, "member_id": 12, "buddy_id": 7},
            ),
        ],
    )
    def post(self, request, org_slug: str):
        payload = EnrolSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        trajectory = get_object_or_404(
            learning_selectors.published_trajectories(organisation=request.organisation),
            pk=data["trajectory_id"],
        )
        buddy = data.get("buddy_id")
        if "team_id" in data:
            batch = services.team_enrol(
                trajectory=trajectory, team=data["team_id"], by=request.membership, buddy=buddy
            )
            body = {
                "created": batch.created,
                "reopened": batch.reopened,
                "existing": batch.existing,
            }
        else:
            membership = data["member_id"]
            before = set(
                membership.enrolments.filter(trajectory=trajectory)
                .exclude(status="withdrawn")
                .values_list("id", flat=True)
            )
            enrolment = services.enrolment_create(
                trajectory=trajectory, membership=membership, by=request.membership, buddy=buddy
            )
            body = {
                "created": [] if enrolment.pk in before else [enrolment.pk],
                "reopened": [],
                "existing": [enrolment.pk] if enrolment.pk in before else [],
            }
        code = (
            status.HTTP_201_CREATED if body["created"] or body["reopened"] else status.HTTP_200_OK
        )
        return Response(body, status=code)


class EnrolmentWithdrawView(APIView):
    required_action = Action.ENROL_OTHERS

    @extend_schema(
        tags=[TAG],
        summary="Withdraw an enrolment (L&D, the learner's managers); again is a no-op",
        request=None,
        responses={200: EnrolmentSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, enrolment_id: int):
        enrolment = managed_enrolment(request, enrolment_id)
        services.enrolment_withdraw(enrolment=enrolment, by=request.membership)
        return Response(EnrolmentSerializer(enrolment).data)


class MyLearningView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="The caller's trajectories: what is due first, waiting for sign-off, completed",
        responses={200: MyLearningSerializer, **READ_ERRORS},
    )
    def get(self, request, org_slug: str):
        learning = learning_selectors.my_learning(
            membership=request.membership, today=_today(request)
        )
        return Response(MyLearningSerializer(learning).data)


def _progress_response(progress) -> Response:
    progress.refresh_from_db()
    return Response(StepProgressSerializer(progress).data)


class StepDoneView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="Mark a step done (external modules; steps without evidence or signer)",
        description="A locked step is refused with 400 and what it waits for.",
        request=None,
        responses={200: StepProgressSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, progress_id: int):
        progress = followed_progress(request, progress_id)
        learning_services.step_mark_done(progress=progress, membership=request.membership)
        return _progress_response(progress)


class StepReflectionView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="Answer a reflection step (private unless shared with the manager)",
        request=StepReflectionWriteSerializer,
        responses={200: StepProgressSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, progress_id: int):
        progress = followed_progress(request, progress_id)
        payload = StepReflectionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        learning_services.step_reflection_save(
            progress=progress, membership=request.membership, **payload.validated_data
        )
        return _progress_response(progress)


class StepBuddyConfirmView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="Confirm a buddy conversation took place (learner or buddy)",
        description="Done when both have confirmed.",
        request=None,
        responses={200: StepProgressSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, progress_id: int):
        progress = followed_progress(request, progress_id)
        learning_services.buddy_confirm(progress=progress, membership=request.membership)
        return _progress_response(progress)
