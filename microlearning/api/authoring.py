"""API for authors: a unit's draft details, its content blocks, duplicating a unit.

Every change goes to the unit's draft (a published unit gets a new draft first);
publishing and archiving are in ``microlearning.api.units``. Validation errors are 400
in the API's one error shape, with the messages under the field they concern.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import WRITE_ERRORS, error_responses
from organisations.api_parsers import JSONParser, MultiPartParser
from organisations.permissions import Action

from ..access import authored_block, authored_unit
from ..models import Block, Unit
from ..selectors import authoring as authoring_selectors
from ..serializers.authoring import (
    BlockCreateSerializer,
    BlockMoveSerializer,
    BlockSerializer,
    BlockUpdateSerializer,
    VersionSerializer,
    VersionWriteSerializer,
)
from ..serializers.units import UnitSerializer
from ..services import blocks as block_services
from ..services import units as unit_services
from .common import unit_response
from .units import UNIT_EXAMPLE, UNITS_TAG

BLOCKS_TAG = UNITS_TAG
AUTHOR_READ_ERRORS = error_responses(401, 403, 404)

BLOCK_EXAMPLE = {
    "id": 311,
    "version": 2,
    "position": 3,
    "kind": "question",
    "required": True,
    "data": {
        "prompt": "What do you do first when a customer complains?",
        "multiple": False,
        "options": [
            {"text": "Listen and let them finish", "correct": True, "feedback": "Yes."},
            {"text": "Explain the policy", "correct": False, "feedback": "Not yet."},
        ],
        "explanation": "Someone who feels heard calms down.",
    },
    "file_url": None,
}
VERSION_EXAMPLE = {
    "id": 57,
    "number": 2,
    "title": "Handling a complaint in five steps",
    "summary": "What to say, and in which order.",
    "language": "en",
    "estimated_minutes": 5,
    "category": "experience",
    "pass_mark": 80,
    "cover_image_url": None,
    "cover_alt": "",
    "skill_ids": [3],
    "work_process_ids": [8],
    "is_published": False,
    "published_at": None,
}
INVALID_BLOCK_EXAMPLE = OpenApiExample(
    "An image without a description",
    response_only=True,
    status_codes=["400"],
    value={
        "error": {
            "code": "invalid",
            "message": "The request contains invalid data.",
            "fields": {"alt": ["Describe the image for people who cannot see it."]},
        }
    },
)
# Multipart for the files; a URL-encoded form cannot carry one.
PARSERS = [JSONParser, MultiPartParser]


def _version_response(request, unit: Unit) -> Response:
    unit.refresh_from_db()
    version = authoring_selectors.editing_version(unit=unit)
    return Response(VersionSerializer(version, context={"request": request}).data)


def _block_response(request, block: Block, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(BlockSerializer(block, context={"request": request}).data, status=status_code)


class UnitVersionView(APIView):
    required_action = Action.AUTHOR_UNITS
    parser_classes = PARSERS

    @extend_schema(
        tags=[UNITS_TAG],
        summary="The details of the version an author edits (authors)",
        description="The open draft, or the live version while there is none.",
        responses={200: VersionSerializer, **AUTHOR_READ_ERRORS},
        examples=[OpenApiExample("A draft", response_only=True, value=VERSION_EXAMPLE)],
    )
    def get(self, request, org_slug: str, unit_id: int):
        return _version_response(request, authored_unit(request, unit_id))

    @extend_schema(
        tags=[UNITS_TAG],
        summary="Change the draft's details (authors; a published unit gets a new draft)",
        description="Fields left out keep their value. A cover image needs `cover_alt`; "
        "skills and work processes are ids of this organisation.",
        request=VersionWriteSerializer,
        responses={200: VersionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Shorter, for on the job",
                request_only=True,
                value={"estimated_minutes": 3, "category": "experience", "work_process_ids": [8]},
            ),
            OpenApiExample("The draft", response_only=True, value=VERSION_EXAMPLE),
        ],
    )
    def patch(self, request, org_slug: str, unit_id: int):
        unit = authored_unit(request, unit_id)
        payload = VersionWriteSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        given = payload.validated_data
        current = authoring_selectors.editing_version(unit=unit)
        unit_services.version_details_update(
            unit=unit,
            by=request.membership,
            title=given.get("title", current.title),
            summary=given.get("summary", current.summary),
            language=given.get("language", current.language),
            estimated_minutes=given.get("estimated_minutes", current.estimated_minutes),
            category=given.get("category", current.category),
            pass_mark=given.get("pass_mark", current.pass_mark),
            cover_image=given.get("cover_image"),
            remove_cover=given.get("remove_cover", False),
            cover_alt=given.get("cover_alt", current.cover_alt),
            skills=given.get("skill_ids", current.skills.all()),
            work_processes=given.get("work_process_ids", current.work_processes.all()),
        )
        return _version_response(request, unit)


class BlockListView(APIView):
    required_action = Action.AUTHOR_UNITS
    parser_classes = PARSERS

    @extend_schema(
        tags=[BLOCKS_TAG],
        summary="The blocks of the version an author edits, in order (authors)",
        responses={200: BlockSerializer(many=True), **AUTHOR_READ_ERRORS},
        examples=[OpenApiExample("Blocks", response_only=True, value=[BLOCK_EXAMPLE])],
    )
    def get(self, request, org_slug: str, unit_id: int):
        unit = authored_unit(request, unit_id)
        blocks = authoring_selectors.editor_blocks(
            version=authoring_selectors.editing_version(unit=unit)
        )
        return Response(BlockSerializer(blocks, many=True, context={"request": request}).data)

    @extend_schema(
        tags=[BLOCKS_TAG],
        summary="Add a block at the end of the draft (authors)",
        description="JSON, or multipart with `data` as a JSON string and a `file` "
        "(video or image).",
        request=BlockCreateSerializer,
        responses={201: BlockSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "A checklist",
                request_only=True,
                value={"kind": "checklist", "data": {"items": ["Open the till", "Count"]}},
            ),
            OpenApiExample(
                "A YouTube video",
                request_only=True,
                value={"kind": "video", "data": {"embed_url": "https://youtu.be/dQw4w9WgXcQ"}},
            ),
            OpenApiExample("The new block", response_only=True, value=BLOCK_EXAMPLE),
            INVALID_BLOCK_EXAMPLE,
        ],
    )
    def post(self, request, org_slug: str, unit_id: int):
        unit = authored_unit(request, unit_id)
        payload = BlockCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        block = block_services.block_add(
            unit=unit,
            kind=payload.validated_data["kind"],
            data=payload.validated_data["data"],
            file=payload.validated_data.get("file"),
            required=payload.validated_data["required"],
            by=request.membership,
        )
        return _block_response(request, block, status.HTTP_201_CREATED)


class BlockDetailView(APIView):
    required_action = Action.AUTHOR_UNITS
    parser_classes = PARSERS

    @extend_schema(
        tags=[BLOCKS_TAG],
        summary="One block (authors)",
        responses={200: BlockSerializer, **AUTHOR_READ_ERRORS},
        examples=[OpenApiExample("A question", response_only=True, value=BLOCK_EXAMPLE)],
    )
    def get(self, request, org_slug: str, unit_id: int, block_id: int):
        return _block_response(
            request, authored_block(request, authored_unit(request, unit_id), block_id)
        )

    @extend_schema(
        tags=[BLOCKS_TAG],
        summary="Change a block (authors; a block of the live version changes in a new draft)",
        description="`data` is the whole new content of the block. The response is the "
        "draft's block, whose id differs when a new draft was started.",
        request=BlockUpdateSerializer,
        responses={200: BlockSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "New text",
                request_only=True,
                value={"data": {"markdown": "Listen first. **Then** summarise."}},
            ),
            OpenApiExample("The changed block", response_only=True, value=BLOCK_EXAMPLE),
            INVALID_BLOCK_EXAMPLE,
        ],
    )
    def patch(self, request, org_slug: str, unit_id: int, block_id: int):
        block = authored_block(request, authored_unit(request, unit_id), block_id)
        payload = BlockUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        block = block_services.block_update(
            block=block,
            data=payload.validated_data["data"],
            file=payload.validated_data.get("file"),
            required=payload.validated_data.get("required"),
            by=request.membership,
        )
        return _block_response(request, block)

    @extend_schema(
        tags=[BLOCKS_TAG],
        summary="Remove a block from the draft (authors)",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request, org_slug: str, unit_id: int, block_id: int):
        block = authored_block(request, authored_unit(request, unit_id), block_id)
        block_services.block_remove(block=block, by=request.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockMoveView(APIView):
    required_action = Action.AUTHOR_UNITS

    @extend_schema(
        tags=[BLOCKS_TAG],
        summary="Move a block up or down one place (authors)",
        description="At the top or the bottom nothing changes.",
        request=BlockMoveSerializer,
        responses={200: BlockSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Up", request_only=True, value={"direction": "up"}),
            OpenApiExample("The moved block", response_only=True, value=BLOCK_EXAMPLE),
        ],
    )
    def post(self, request, org_slug: str, unit_id: int, block_id: int):
        block = authored_block(request, authored_unit(request, unit_id), block_id)
        payload = BlockMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        block = block_services.block_move(
            block=block, direction=payload.validated_data["direction"], by=request.membership
        )
        return _block_response(request, block)


class UnitDuplicateView(APIView):
    required_action = Action.AUTHOR_UNITS

    @extend_schema(
        tags=[UNITS_TAG],
        summary="Duplicate a unit into a new draft (authors)",
        description="The copy has the content of the draft (or the live version), "
        "titled “(copy)”; assignments, completions and ratings stay with the original.",
        request=None,
        responses={201: UnitSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "The copy",
                response_only=True,
                status_codes=["201"],
                value={
                    **UNIT_EXAMPLE,
                    "id": 43,
                    "title": f"{UNIT_EXAMPLE['title']} (copy)",
                    "status": "draft",
                    "published_at": None,
                },
            )
        ],
    )
    def post(self, request, org_slug: str, unit_id: int):
        copy = unit_services.unit_duplicate(
            unit=authored_unit(request, unit_id), by=request.membership
        )
        return unit_response(request, copy.pk, status_code=status.HTTP_201_CREATED)
