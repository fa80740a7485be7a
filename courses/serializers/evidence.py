"""Shapes of evidence in the API: rounds with files, decisions and peer feedback; the queue."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from organisations.serializers import TextField

from ..services import evidence as services


class EvidenceFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = TextField(source="original_name")
    content_type = TextField()
    size = serializers.IntegerField(help_text="Bytes.")
    url = serializers.SerializerMethodField(help_text="Download (checks who asks).")

    def get_url(self, obj) -> str:
        slug = self.context["organisation_slug"]
        return reverse("courses_evidence:file", args=[slug, obj.pk])


class DecisionSerializer(serializers.Serializer):
    decision = TextField(help_text="`approved` or `changes_requested`.")
    feedback = TextField()
    signer_id = serializers.IntegerField(allow_null=True)
    signer_name = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField()

    def get_signer_name(self, obj) -> str:
        return obj.signer.display_name if obj.signer else ""


class PeerFeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    colleague_id = serializers.IntegerField()
    colleague_name = serializers.SerializerMethodField()
    message = TextField()
    answer = TextField()
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)

    def get_colleague_name(self, obj) -> str:
        return obj.colleague.display_name


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="submission.pk")
    number = serializers.IntegerField()
    text = TextField(source="submission.text")
    checklist_ticked = serializers.ListField(
        child=serializers.IntegerField(), source="submission.checklist_ticked"
    )
    submitted_at = serializers.DateTimeField(source="submission.submitted_at")
    files = EvidenceFileSerializer(many=True)
    decision = DecisionSerializer(allow_null=True)
    feedback = PeerFeedbackSerializer(many=True)


class EvidenceSerializer(serializers.Serializer):
    progress_id = serializers.IntegerField(source="progress.pk")
    step_id = serializers.IntegerField(source="progress.step_id")
    status = TextField(
        source="progress.status",
        help_text="`open`, `submitted`, `changes_requested` or `done`.",
    )
    sign_off = TextField(
        source="progress.step.sign_off", help_text="`nobody`, `manager`, `buddy` or `role`."
    )
    rounds = RoundSerializer(many=True)


class EvidenceWriteSerializer(serializers.Serializer):
    text = TextField(
        required=False, allow_blank=True, default="", max_length=services.TEXT_MAX_LENGTH
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="PDF, images, Office/OpenDocument or plain text, checked by content; "
        "the size and count limits are settings (EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES).",
    )
    checklist = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        default=list,
        help_text="Indexes (0-based) of the checklist items ticked; all are required.",
    )


class QueueItemSerializer(serializers.Serializer):
    submission_id = serializers.IntegerField()
    progress_id = serializers.IntegerField(source="progress.pk")
    round = serializers.IntegerField()
    waiting_since = serializers.DateTimeField()
    why = TextField(help_text="`manager`, `buddy` or `role`.")
    learner_id = serializers.IntegerField(source="learner.pk")
    learner_name = TextField(source="learner.display_name")
    trajectory_id = serializers.IntegerField(source="trajectory.pk")
    trajectory_title = TextField(source="trajectory.title")
    step_id = serializers.IntegerField(source="step.pk")
    step_title = TextField(source="step.title")


class DecisionWriteSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "changes"])
    feedback = TextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=services.FEEDBACK_MAX_LENGTH,
        help_text="Required when asking for changes.",
    )


class FeedbackAskSerializer(serializers.Serializer):
    colleague = serializers.IntegerField(help_text="Membership id of an active colleague.")
    message = TextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=services.PEER_FEEDBACK_MAX_LENGTH,
    )


class FeedbackAnswerSerializer(serializers.Serializer):
    answer = TextField(max_length=services.PEER_FEEDBACK_MAX_LENGTH)
