"""API for a learner doing a unit: its blocks with their progress, answers, reflections,
commitments and a rating.

Every member may call these, for published units of the URL's organisation and blocks
of their live version (anything else is 404). Whether a quiz option is right is never
sent: the server scores an answer and returns feedback for the options chosen.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import READ_ERRORS, WRITE_ERRORS

from .. import selectors, services
from ..access import live_block, published_unit
from ..models import Block, Commitment, Rating, Reflection, Unit
from ..selectors import learning as learning_selectors
from ..selectors.learning import LearnerBlock
from ..services import learning as learning_services

# Doing a unit is part of the units area of the API.
LEARNING_TAG = "units"

# --- Serializers ---------------------------------------------------------------------------


class OptionSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    text = serializers.CharField()
    chosen = serializers.BooleanField(help_text="Chosen in the caller's latest attempt.")
    feedback = serializers.CharField(
        help_text="Feedback for this option; only for options chosen in the latest attempt."
    )


class AnswerSerializer(serializers.Serializer):
    attempt = serializers.IntegerField()
    selected = serializers.ListField(child=serializers.IntegerField())
    correct = serializers.BooleanField()
    answered_at = serializers.DateTimeField()


class ReflectionSerializer(serializers.ModelSerializer):
    block_id = serializers.IntegerField(read_only=True)
    version_id = serializers.IntegerField(read_only=True)
    shared = serializers.BooleanField(source="shared_with_manager")

    class Meta:
        model = Reflection
        fields = ["block_id", "version_id", "text", "shared", "updated_at"]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="`open`, `applied`, `not_yet` or `not_relevant`."
    )
    unit_id = serializers.IntegerField(read_only=True)
    unit_title = serializers.CharField(source="unit.title", read_only=True)
    block_id = serializers.IntegerField(read_only=True, allow_null=True)
    version_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "unit_id",
            "unit_title",
            "block_id",
            "version_id",
            "text",
            "due_on",
            "status",
            "note",
            "created_at",
            "reported_at",
        ]
        read_only_fields = fields


class RatingSerializer(serializers.ModelSerializer):
    unit_id = serializers.IntegerField(read_only=True)
    version_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Rating
        fields = ["unit_id", "version_id", "score", "comment", "created_at"]
        read_only_fields = fields


class LearnerBlockSerializer(serializers.Serializer):
    """One block with what the caller did; fields that do not belong to a kind are null."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField(
        help_text="`text`, `video`, `image`, `checklist`, `question`, `reflection` or `apply`."
    )
    required = serializers.BooleanField()
    done = serializers.BooleanField()
    markdown = serializers.CharField(allow_null=True, help_text="Text blocks.")
    embed_url = serializers.CharField(allow_null=True, help_text="Embedded videos.")
    file_url = serializers.CharField(allow_null=True, help_text="Uploaded videos and images.")
    alt = serializers.CharField(allow_null=True, help_text="Images.")
    caption = serializers.CharField(allow_null=True)
    prompt = serializers.CharField(allow_null=True, help_text="Questions, reflections, apply.")
    multiple = serializers.BooleanField(allow_null=True, help_text="Questions: several right.")
    options = OptionSerializer(many=True, allow_null=True)
    attempts = serializers.IntegerField(allow_null=True)
    last_answer = AnswerSerializer(allow_null=True)
    explanation = serializers.CharField(allow_null=True, help_text="Only once answered.")
    items = serializers.ListField(child=serializers.CharField(), allow_null=True)
    ticked = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    reflection = ReflectionSerializer(allow_null=True)
    commitments = CommitmentSerializer(many=True, allow_null=True)


class LearnerUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    version_id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The live version's number.")
    pass_mark = serializers.IntegerField(help_text="% of questions to answer right.")
    score = serializers.FloatField(allow_null=True, help_text="% right in latest attempts.")
    completed_at = serializers.DateTimeField(allow_null=True)
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="What is left before completion."
    )
    blocks = LearnerBlockSerializer(many=True)
    rating = RatingSerializer(allow_null=True)


class ProgressWriteSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        required=False, help_text="Checklists: the step to tick (0-based). Omit for other kinds."
    )
    ticked = serializers.BooleanField(default=True, help_text="Checklists: false unticks.")


class ProgressSerializer(serializers.Serializer):
    block_id = serializers.IntegerField()
    done = serializers.BooleanField()
    ticked = serializers.ListField(child=serializers.IntegerField())
    unit_completed = serializers.BooleanField()


class AnswerWriteSerializer(serializers.Serializer):
    selected = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        help_text="Indexes of the chosen options; one for a single-choice question.",
    )


class AnswerResultSerializer(serializers.Serializer):
    attempt = serializers.IntegerField()
    correct = serializers.BooleanField()
    selected = serializers.ListField(child=serializers.IntegerField())
    feedback = OptionSerializer(many=True, help_text="The chosen options with their feedback.")
    explanation = serializers.CharField()
    unit_completed = serializers.BooleanField()


class ReflectionWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    shared = serializers.BooleanField(
        default=False, help_text="Share with my manager; private when false."
    )


class CommitmentWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, help_text="What I will apply.")
    due_on = serializers.DateField(help_text="By when; today or later.")


class CommitmentReportSerializer(serializers.Serializer):
    # Checked against the model's choices here; a plain string in the schema, where another
    # "status" enum would collide with the units' one (see ENUM_NAME_OVERRIDES).
    status = serializers.CharField(help_text="`applied`, `not_yet` or `not_relevant`.")

    def validate_status(self, value: str) -> str:
        if value not in Commitment.Status.values or value == Commitment.Status.OPEN:
            raise serializers.ValidationError(_("Choose applied, not yet or not relevant."))
        return value

    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RatingWriteSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- Building the learner's view -----------------------------------------------------------


def _file_url(request, block: Block) -> str | None:
    if not block.file:
        return None
    try:
        return reverse("microlearning:block_file", args=[request.organisation.slug, block.pk])
    except NoReverseMatch:  # the authoring side serves files; without that route, no URL
        return None


def _block_data(request, item: LearnerBlock) -> dict:
    block, data = item.block, item.block.data
    kind = block.kind
    is_question = kind == Block.Kind.QUESTION
    return {
        "id": block.pk,
        "position": block.position,
        "kind": kind,
        "required": block.required,
        "done": item.done,
        "markdown": data.get("markdown") if kind == Block.Kind.TEXT else None,
        "embed_url": data.get("embed_url") if kind == Block.Kind.VIDEO else None,
        "file_url": _file_url(request, block)
        if kind in (Block.Kind.VIDEO, Block.Kind.IMAGE)
        else None,
        "alt": data.get("alt") if kind == Block.Kind.IMAGE else None,
        "caption": data.get("caption") if kind in (Block.Kind.VIDEO, Block.Kind.IMAGE) else None,
        "prompt": data.get("prompt")
        if kind in (Block.Kind.QUESTION, Block.Kind.REFLECTION, Block.Kind.APPLY)
        else None,
        "multiple": bool(data.get("multiple")) if is_question else None,
        "options": [vars(o) for o in item.options] if is_question else None,
        "attempts": item.attempts if is_question else None,
        "last_answer": item.last_answer if is_question else None,
        "explanation": item.explanation if is_question else None,
        "items": list(data.get("items", [])) if kind == Block.Kind.CHECKLIST else None,
        "ticked": sorted(item.ticked) if kind == Block.Kind.CHECKLIST else None,
        "reflection": item.reflection if kind == Block.Kind.REFLECTION else None,
        "commitments": item.commitments if kind == Block.Kind.APPLY else None,
    }


def _completed(unit: Unit, request) -> bool:
    return selectors.completion_of(unit=unit, membership=request.membership) is not None


EXAMPLE_UNIT = {
    "id": 42,
    "title": "Handling a complaint in five steps",
    "summary": "Listen, summarise, act.",
    "version_id": 57,
    "version": 2,
    "pass_mark": 50,
    "score": None,
    "completed_at": None,
    "missing": ["1 required part still open."],
    "rating": None,
    "blocks": [
        {
            "id": 301,
            "position": 1,
            "kind": "question",
            "required": True,
            "done": False,
            "markdown": None,
            "embed_url": None,
            "file_url": None,
            "alt": None,
            "caption": None,
            "prompt": "What do you do first?",
            "multiple": False,
            "options": [
                {"index": 0, "text": "Listen", "chosen": False, "feedback": ""},
                {"index": 1, "text": "Explain the policy", "chosen": False, "feedback": ""},
            ],
            "attempts": 0,
            "last_answer": None,
            "explanation": "",
            "items": None,
            "ticked": None,
            "reflection": None,
            "commitments": None,
        }
    ],
}
EXAMPLE_COMMITMENT = {
    "id": 9,
    "unit_id": 42,
    "unit_title": "Handling a complaint in five steps",
    "block_id": 305,
    "version_id": 57,
    "text": "Summarise every complaint before I answer it.",
    "due_on": "2025-03-14",
    "status": "open",
    "note": "",
    "created_at": "2025-03-02T10:00:00+01:00",
    "reported_at": None,
}


# --- Views ---------------------------------------------------------------------------------


class LearnerUnitView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="A published unit with its blocks and the caller's progress",
        description="Opening it records a `viewed` event. Right answers are never included.",
        responses={200: LearnerUnitSerializer, **READ_ERRORS},
        examples=[OpenApiExample("A unit with a question", value=EXAMPLE_UNIT)],
    )
    def get(self, request, org_slug: str, unit_id: int):
        unit = published_unit(request, unit_id)
        services.unit_open(unit=unit, membership=request.membership)
        page = learning_selectors.unit_page(unit=unit, membership=request.membership)
        version = page.version
        payload = {
            "id": unit.pk,
            "title": unit.title,
            "summary": version.summary if version else "",
            "version_id": version.pk if version else None,
            "version": version.number if version else None,
            "pass_mark": version.pass_mark if version else 0,
            "score": page.score,
            "completed_at": page.completion.completed_at if page.completion else None,
            "missing": page.missing,
            "blocks": [_block_data(request, item) for item in page.blocks],
            "rating": page.rating,
        }
        return Response(LearnerUnitSerializer(payload).data)


class BlockProgressView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="Mark a reading block done, or tick a checklist step",
        description=(
            "Text, video and image blocks: send an empty body. Checklists: send `item` "
            "(and `ticked: false` to untick). Doing the last required block completes the unit."
        ),
        request=ProgressWriteSerializer,
        responses={200: ProgressSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Tick step 2", request_only=True, value={"item": 1, "ticked": True}),
            OpenApiExample(
                "Saved",
                response_only=True,
                value={"block_id": 302, "done": False, "ticked": [0, 1], "unit_completed": False},
            ),
        ],
    )
    def post(self, request, org_slug: str, unit_id: int, block_id: int):
        unit, block = live_block(request, unit_id, block_id)
        payload = ProgressWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if block.kind == Block.Kind.CHECKLIST:
            progress = learning_services.checklist_tick(
                block=block,
                membership=request.membership,
                item=payload.validated_data.get("item", -1),
                ticked=payload.validated_data["ticked"],
            )
        else:
            progress = learning_services.block_done(block=block, membership=request.membership)
        return Response(
            ProgressSerializer(
                {
                    "block_id": block.pk,
                    "done": progress.done_at is not None,
                    "ticked": progress.state.get("ticked", []),
                    "unit_completed": _completed(unit, request),
                }
            ).data
        )


class AnswerView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="Answer a quiz question (scored on the server; retries allowed)",
        description=(
            "Each call is a new attempt. The response says whether it was right, with "
            "feedback for the chosen options and the explanation."
        ),
        request=AnswerWriteSerializer,
        responses={201: AnswerResultSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Choose option 0", request_only=True, value={"selected": [0]}),
            OpenApiExample(
                "Right on the second try",
                response_only=True,
                status_codes=["201"],
                value={
                    "attempt": 2,
                    "correct": True,
                    "selected": [0],
                    "feedback": [
                        {"index": 0, "text": "Listen", "chosen": True, "feedback": "Yes: first."}
                    ],
                    "explanation": "People calm down once they feel heard.",
                    "unit_completed": False,
                },
            ),
        ],
    )
    def post(self, request, org_slug: str, unit_id: int, block_id: int):
        unit, block = live_block(request, unit_id, block_id)
        payload = AnswerWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answer = learning_services.question_answer(
            block=block, membership=request.membership, selected=payload.validated_data["selected"]
        )
        item = LearnerBlock(block=block, answers=[answer])
        result = {
            "attempt": answer.attempt,
            "correct": answer.correct,
            "selected": answer.selected,
            "feedback": [vars(o) for o in item.options if o.chosen],
            "explanation": item.explanation,
            "unit_completed": _completed(unit, request),
        }
        return Response(AnswerResultSerializer(result).data, status=status.HTTP_201_CREATED)


class ReflectionView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="Write or rewrite the caller's reflection (saving again replaces it)",
        description="Private unless `shared` is true: then the learner's manager may read it.",
        request=ReflectionWriteSerializer,
        responses={200: ReflectionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Shared with my manager",
                request_only=True,
                value={"text": "I interrupt too soon.", "shared": True},
            )
        ],
    )
    def post(self, request, org_slug: str, unit_id: int, block_id: int):
        _unit, block = live_block(request, unit_id, block_id)
        payload = ReflectionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        reflection = learning_services.reflection_save(
            block=block,
            membership=request.membership,
            text=payload.validated_data["text"],
            shared=payload.validated_data["shared"],
        )
        return Response(ReflectionSerializer(reflection).data)


class CommitmentCreateView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="Commit to apply something at work, by a date",
        request=CommitmentWriteSerializer,
        responses={201: CommitmentSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "A commitment",
                request_only=True,
                value={"text": EXAMPLE_COMMITMENT["text"], "due_on": "2025-03-14"},
            ),
            OpenApiExample(
                "Created", response_only=True, status_codes=["201"], value=EXAMPLE_COMMITMENT
            ),
        ],
    )
    def post(self, request, org_slug: str, unit_id: int, block_id: int):
        _unit, block = live_block(request, unit_id, block_id)
        payload = CommitmentWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        commitment = learning_services.commitment_create(
            block=block, membership=request.membership, **payload.validated_data
        )
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)


class CommitmentListView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="The caller's commitments still to report on (open or not yet)",
        responses={200: CommitmentSerializer(many=True), **READ_ERRORS},
        examples=[OpenApiExample("Open commitments", value=[EXAMPLE_COMMITMENT])],
    )
    def get(self, request, org_slug: str):
        commitments = learning_selectors.open_commitments(membership=request.membership)
        return Response(CommitmentSerializer(commitments, many=True).data)


class CommitmentReportView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary="Report how applying went: applied, not yet, or not relevant",
        description="Reporting the same status again changes nothing; a closed one cannot move.",
        request=CommitmentReportSerializer,
        responses={200: CommitmentSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Applied",
                request_only=True,
                value={"status": "applied", "note": "Two calls went much better."},
            ),
            OpenApiExample(
                "Reported",
                response_only=True,
                value={
                    **EXAMPLE_COMMITMENT,
                    "status": "applied",
                    "note": "Two calls went much better.",
                    "reported_at": "2025-03-12T16:00:00+01:00",
                },
            ),
        ],
    )
    def post(self, request, org_slug: str, commitment_id: int):
        commitment = get_object_or_404(
            learning_selectors.learner_commitments(membership=request.membership),
            pk=commitment_id,
        )
        payload = CommitmentReportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        commitment = learning_services.commitment_report(
            commitment=commitment, by=request.membership, **payload.validated_data
        )
        return Response(CommitmentSerializer(commitment).data)


class RatingView(APIView):
    @extend_schema(
        tags=[LEARNING_TAG],
        summary='"Was this useful?": rate a unit 1 to 5 (rating again replaces it)',
        request=RatingWriteSerializer,
        responses={200: RatingSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Useful", request_only=True, value={"score": 5, "comment": "Used it today."}
            )
        ],
    )
    def post(self, request, org_slug: str, unit_id: int):
        unit = published_unit(request, unit_id)
        payload = RatingWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rating = learning_services.rating_save(
            unit=unit, membership=request.membership, **payload.validated_data
        )
        return Response(RatingSerializer(rating).data)
