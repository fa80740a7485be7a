"""API for evidence on trajectory steps: hand in a round (multipart, with files), read the
rounds, the caller's sign-off queue, decide on a round, ask a colleague for feedback and
answer such a request.

Objects of another organisation are 404; own-organisation objects the caller may not
see or sign are 403; what the step asks for and a locked step are 400 with a message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import error_responses
from organisations.api_parsers import FormParser, JSONParser, MultiPartParser
from organisations.models import Membership
from organisations.permissions import may_see_evidence, may_submit_evidence
from organisations.selectors import active_members

from ..models import StepProgress
from ..selectors import evidence as selectors
from ..serializers.evidence import (
    DecisionSerializer,
    DecisionWriteSerializer,
    EvidenceSerializer,
    EvidenceWriteSerializer,
    FeedbackAnswerSerializer,
    FeedbackAskSerializer,
    PeerFeedbackSerializer,
    QueueItemSerializer,
)
from ..services import evidence as services

# Evidence is part of the trajectories area of the API.
TAG = "trajectories"
READ = error_responses(401, 403, 404)
WRITE = error_responses(400, 401, 403, 404)
PARSERS = [MultiPartParser, FormParser, JSONParser]


def _progress(request, progress_id: int) -> StepProgress:
    progress = get_object_or_404(
        selectors.progress_for_evidence(organisation_id=request.organisation.pk), pk=progress_id
    )
    enrolment, step = progress.enrolment, progress.step
    allowed = may_see_evidence(
        request.membership,
        learner=enrolment.membership,
        buddy_id=enrolment.buddy_id,
        rule=step.sign_off,
        role=step.sign_off_role,
    ) or selectors.is_asked_for_feedback(membership=request.membership, progress_id=progress.pk)
    if not allowed:
        raise PermissionDenied
    return progress


def _evidence_response(request, progress: StepProgress, code: int = status.HTTP_200_OK):
    payload = {"progress": progress, "rounds": selectors.evidence_rounds(progress=progress)}
    context = {"organisation_slug": request.organisation.slug}
    return Response(EvidenceSerializer(payload, context=context).data, status=code)


EXAMPLE_EVIDENCE = {
    "progress_id": 812,
    "step_id": 77,
    "status": "submitted",
    "sign_off": "manager",
    "rounds": [
        {
            "id": 31,
            "number": 1,
            "text": "I led the Monday stand-up and wrote down what I changed.",
            "checklist_ticked": [0, 1],
            "submitted_at": "2025-03-02T10:00:00+01:00",
            "files": [
                {
                    "id": 5,
                    "name": "stand-up-notes.pdf",
                    "content_type": "application/pdf",
                    "size": 48213,
                    "url": "/o/acme/evidence/files/5/",
                }
            ],
            "decision": None,
            "feedback": [],
        }
    ],
}


class EvidenceView(APIView):
    parser_classes = PARSERS

    @extend_schema(
        tags=[TAG],
        summary="A step's evidence: every round, its files, decision and peer feedback",
        description="For the learner, whoever signs the step off, and colleagues asked "
        "for feedback on it; anyone else in the organisation gets 403.",
        responses={200: EvidenceSerializer, **READ},
        examples=[OpenApiExample("Waiting for sign-off", value=EXAMPLE_EVIDENCE)],
    )
    def get(self, request, org_slug: str, progress_id: int):
        return _evidence_response(request, _progress(request, progress_id))

    @extend_schema(
        tags=[TAG],
        summary="Hand in a round of evidence (multipart, with files)",
        description=(
            "Only the learner. Send `text`, any number of `files` (up to the limit) and the "
            "`checklist` indexes ticked. A wrong file type, an oversize file, too many files, "
            "a missing account or an unticked item is 400 with the field's message, and "
            "nothing is saved; a locked step is 400 saying what it waits for. A step nobody "
            "signs off is done at once; others wait for their signer."
        ),
        request={"multipart/form-data": EvidenceWriteSerializer},
        responses={201: EvidenceSerializer, **WRITE},
    )
    def post(self, request, org_slug: str, progress_id: int):
        progress = _progress(request, progress_id)
        if not may_submit_evidence(request.membership, learner=progress.enrolment.membership):
            raise PermissionDenied(services.ERROR_NOT_YOURS)
        payload = EvidenceWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.evidence_submit(
            progress=progress,
            membership=request.membership,
            text=payload.validated_data["text"],
            files=payload.validated_data["files"],
            checklist_ticked=payload.validated_data["checklist"],
        )
        progress.refresh_from_db()
        return _evidence_response(request, progress, status.HTTP_201_CREATED)


class FeedbackAskView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Ask a colleague for feedback on the latest round",
        description="Only the learner; any active colleague but themselves. One open "
        "request per colleague and round.",
        request=FeedbackAskSerializer,
        responses={201: PeerFeedbackSerializer, **WRITE},
    )
    def post(self, request, org_slug: str, progress_id: int):
        progress = _progress(request, progress_id)
        payload = FeedbackAskSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        colleague = (
            active_members(organisation=request.organisation)
            .filter(pk=payload.validated_data["colleague"])
            .select_related("user")
            .first()
        )
        if colleague is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"colleague": services.ERROR_COLLEAGUE_INACTIVE})
        created = services.feedback_request_create(
            progress=progress,
            membership=request.membership,
            colleague=colleague,
            message=payload.validated_data["message"],
        )
        return Response(PeerFeedbackSerializer(created).data, status=status.HTTP_201_CREATED)


class SignOffQueueView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Everything waiting for the caller's sign-off, longest waiting first",
        description="As manager of their teams (sub-teams included), as buddy, and for a "
        "role they hold.",
        responses={200: QueueItemSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request, org_slug: str):
        items = selectors.sign_off_queue(membership=request.membership)
        return Response(QueueItemSerializer(items, many=True).data)


class DecisionView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Approve a round, or ask for changes with feedback",
        description="Only whoever signs the step off (never the learner): others in the "
        "organisation get 403. Approving makes the step done. A round not waiting for a "
        "decision, or changes without feedback, is 400.",
        request=DecisionWriteSerializer,
        responses={201: DecisionSerializer, **WRITE},
        examples=[
            OpenApiExample(
                "Ask for changes",
                request_only=True,
                value={"decision": "changes", "feedback": "Add the checklist you used."},
            )
        ],
    )
    def post(self, request, org_slug: str, submission_id: int):
        submission = selectors.submission_for(
            organisation_id=request.organisation.pk, submission_id=submission_id
        )
        if submission is None:
            raise Http404
        if not services.may_sign(membership=request.membership, progress=submission.progress):
            raise PermissionDenied(services.ERROR_MAY_NOT_SIGN)
        payload = DecisionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decision = services.sign_off_decide(
            submission=submission,
            signer=request.membership,
            approve=payload.validated_data["decision"] == "approve",
            feedback=payload.validated_data["feedback"],
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class FeedbackAnswerView(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Answer a colleague's request for feedback (a sentence or three)",
        description="Only the colleague asked; once.",
        request=FeedbackAnswerSerializer,
        responses={200: PeerFeedbackSerializer, **WRITE},
    )
    def post(self, request, org_slug: str, feedback_request_id: int):
        found = selectors.feedback_request_for(
            membership=request.membership, request_id=feedback_request_id
        )
        if found is None:
            raise Http404
        membership: Membership = request.membership
        if found.colleague_id != membership.pk:
            raise PermissionDenied
        payload = FeedbackAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answered = services.feedback_answer(
            request=found, membership=membership, answer=payload.validated_data["answer"]
        )
        return Response(PeerFeedbackSerializer(answered).data)
