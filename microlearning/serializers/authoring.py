"""API shapes for authoring: a version's details and its content blocks.

The checks are the services' (``microlearning.blocks``); serializers only read
the request into Python and write models out.
"""

from __future__ import annotations

import json

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organisations.models import LANGUAGE_CHOICES, Skill, WorkProcess
from organisations.serializers import FlagField, OrganisationObjectField, TextField

from ..models import Block, Category, UnitVersion

# A file's URL, or null without a file.
NULLABLE_URL = serializers.URLField(allow_null=True)


def _file_url(request, name: str, object_id: int) -> str:
    path = reverse(f"microlearning:{name}", args=[request.organisation.slug, object_id])
    return request.build_absolute_uri(path)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": (
            "The kind's fields. text: {markdown}; video: {embed_url, caption} or a file; "
            "image: {alt, caption} and a file; checklist: {items: [str]}; question: "
            "{prompt, multiple, options: [{text, correct, feedback}], explanation}; "
            "reflection and apply: {prompt}. In a multipart request, a JSON string."
        ),
    }
)
class BlockDataField(serializers.Field):
    """A JSON object, or (in a multipart upload) the same object as a JSON string."""

    default_error_messages = {"invalid": "Expected a JSON object."}

    def to_internal_value(self, data):
        if isinstance(data, str | bytes):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


# Kept inline in the schema (wrapped, so it is not lifted into a named component):
# a shared "KindEnum" would collide with the nudges' "kind".
@extend_schema_field({"allOf": [{"type": "string", "enum": list(Block.Kind.values)}]})
class BlockKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Block.Kind.choices, **kwargs)


class BlockSerializer(serializers.ModelSerializer):
    kind = BlockKindField(read_only=True)
    data = BlockDataField()
    version = serializers.IntegerField(source="version.number", read_only=True)
    file_url = serializers.SerializerMethodField(
        help_text="The uploaded video or image, served through the organisation."
    )

    class Meta:
        model = Block
        fields = ["id", "version", "position", "kind", "required", "data", "file_url"]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URL)
    def get_file_url(self, block: Block) -> str | None:
        if not block.file:
            return None
        return _file_url(self.context["request"], "block_file", block.pk)


class BlockCreateSerializer(serializers.Serializer):
    kind = BlockKindField()
    required = FlagField(default=True)
    data = BlockDataField()
    file = serializers.FileField(
        required=False, help_text="Video (MP4, WebM) or image (PNG, JPEG, WebP, GIF): multipart."
    )


class BlockUpdateSerializer(serializers.Serializer):
    """The kind stays; ``data`` is the whole new content (without ``file`` the file stays)."""

    required = FlagField(required=False)
    data = BlockDataField()
    file = serializers.FileField(required=False)


class BlockMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class VersionSerializer(serializers.ModelSerializer):
    """The details of the version an author edits: the draft, or the live version."""

    skill_ids = serializers.PrimaryKeyRelatedField(source="skills", many=True, read_only=True)
    work_process_ids = serializers.PrimaryKeyRelatedField(
        source="work_processes", many=True, read_only=True
    )
    cover_image_url = serializers.SerializerMethodField()
    is_published = serializers.BooleanField(read_only=True)

    class Meta:
        model = UnitVersion
        fields = [
            "id",
            "number",
            "title",
            "summary",
            "language",
            "estimated_minutes",
            "category",
            "pass_mark",
            "cover_image_url",
            "cover_alt",
            "skill_ids",
            "work_process_ids",
            "is_published",
            "published_at",
        ]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URL)
    def get_cover_image_url(self, version: UnitVersion) -> str | None:
        if not version.cover_image:
            return None
        return _file_url(self.context["request"], "cover_image", version.pk)


class VersionWriteSerializer(serializers.Serializer):
    """Every field optional: what is left out keeps its current value."""

    title = TextField(max_length=200, required=False)
    summary = TextField(max_length=1000, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    estimated_minutes = serializers.IntegerField(min_value=2, max_value=15, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    pass_mark = serializers.IntegerField(min_value=0, max_value=100, required=False)
    cover_image = serializers.FileField(required=False, help_text="Multipart only.")
    remove_cover = FlagField(required=False, default=False)
    cover_alt = TextField(max_length=300, required=False, allow_blank=True)
    skill_ids = serializers.ListField(child=OrganisationObjectField(model=Skill), required=False)
    work_process_ids = serializers.ListField(
        child=OrganisationObjectField(model=WorkProcess), required=False
    )
