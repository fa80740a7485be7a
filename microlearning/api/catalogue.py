"""API for finding units: the catalogue with search and filters, work process help, "For you".

Every member may call these; they show only published units of the URL's
organisation, in their live version, with whether the caller has done each.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.api_errors import READ_ERRORS, error_responses
from organisations.models import LANGUAGE_CHOICES, WorkProcess
from organisations.serializers import QuerySerializer

from ..models import Category
from ..selectors import catalogue as selectors
from ..services.search import MAX_QUERY_LENGTH

# Finding units is part of the units area of the API.
CATALOGUE_TAG = "units"

CATALOGUE_UNIT_EXAMPLE = {
    "id": 42,
    "title": "Een goede vergadering voorbereiden",
    "summary": "Agenda, doel en rollen in tien minuten.",
    "language": "nl",
    "estimated_minutes": 5,
    "category": "formal",
    "published_at": "2025-03-02T10:00:00+01:00",
    "done": False,
}


# --- Serializers ---------------------------------------------------------------------------


class CatalogueQuerySerializer(QuerySerializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        help_text=(
            "Search words. Each is a prefix (search as you type), stemmed in Dutch and "
            "English; a small typo in a title still matches."
        ),
    )
    skill = serializers.IntegerField(required=False, min_value=1, help_text="A skill id.")
    work_process = serializers.IntegerField(
        required=False, min_value=1, help_text="A work process id."
    )
    duration = serializers.ChoiceField(
        required=False,
        choices=[d.value for d in selectors.DURATIONS],
        help_text="short: up to 5 minutes, medium: 5 to 10, long: 10 to 15.",
    )
    language = serializers.ChoiceField(required=False, choices=LANGUAGE_CHOICES)
    category = serializers.ChoiceField(required=False, choices=Category.choices)
    sort = serializers.ChoiceField(
        required=False,
        choices=[value for value, _label in selectors.SORTS],
        help_text="Default: relevance when searching, else recently published.",
    )

    def filters(self) -> selectors.CatalogueFilters:
        data = self.validated_data
        return selectors.CatalogueFilters(
            q=(data.get("q") or "").strip(),
            skill_id=data.get("skill"),
            work_process_id=data.get("work_process"),
            duration=data.get("duration", ""),
            language=data.get("language", ""),
            category=data.get("category", ""),
            sort=data.get("sort", ""),
        )


class CatalogueUnitSerializer(serializers.Serializer):
    """A published unit as a learner finds it: its live version's details."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(source="live_version.summary", read_only=True)
    language = serializers.ChoiceField(
        source="live_version.language", choices=LANGUAGE_CHOICES, read_only=True
    )
    estimated_minutes = serializers.IntegerField(
        source="live_version.estimated_minutes", read_only=True
    )
    category = serializers.ChoiceField(
        source="live_version.category", choices=Category.choices, read_only=True
    )
    published_at = serializers.DateTimeField(read_only=True)
    done = serializers.BooleanField(
        source="is_done", read_only=True, help_text="Whether the caller completed it."
    )


class WorkProcessUnitSerializer(CatalogueUnitSerializer):
    has_checklist = serializers.BooleanField(
        read_only=True, help_text="It holds a checklist to work along with."
    )


class WorkProcessHelpSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="work_process.id", read_only=True)
    name = serializers.CharField(source="work_process.name", read_only=True)
    description = serializers.CharField(source="work_process.description", read_only=True)
    checklists = WorkProcessUnitSerializer(many=True, read_only=True)
    units = WorkProcessUnitSerializer(many=True, read_only=True)


class ForYouSerializer(serializers.Serializer):
    unit = CatalogueUnitSerializer(read_only=True)
    reason = serializers.ChoiceField(
        choices=list(selectors.FOR_YOU_REASONS),
        read_only=True,
        help_text=(
            "Why it is suggested: assigned (to the caller or their team), team (shares a skill "
            "or work process with the team's units), continue (started, not completed), "
            "viewed (recently opened)."
        ),
    )


# --- Views ---------------------------------------------------------------------------------


class CatalogueView(generics.ListAPIView):
    serializer_class = CatalogueUnitSerializer

    def get_queryset(self):
        query = CatalogueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.catalogue_units(
            membership=self.request.membership, filters=query.filters()
        )

    @extend_schema(
        tags=[CATALOGUE_TAG],
        summary="Catalogue and search",
        description=(
            "Published units of the organisation, filtered and paginated. With `q`: "
            "full-text matches first (by relevance), then titles close to a typo."
        ),
        parameters=[CatalogueQuerySerializer],
        responses={200: CatalogueUnitSerializer(many=True), **error_responses(400, 401, 404)},
        examples=[
            OpenApiExample(
                "Search result",
                response_only=True,
                value=[CATALOGUE_UNIT_EXAMPLE],
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class WorkProcessUnitsView(APIView):
    @extend_schema(
        tags=[CATALOGUE_TAG],
        summary="Help for a work process",
        description=(
            "The published units tagged with this work process: those with a checklist "
            "first, then the others, by title."
        ),
        responses={200: WorkProcessHelpSerializer, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "Help for a task",
                response_only=True,
                value={
                    "id": 7,
                    "name": "Vergaderen",
                    "description": "Overleg voorbereiden, leiden en vastleggen.",
                    "checklists": [{**CATALOGUE_UNIT_EXAMPLE, "has_checklist": True}],
                    "units": [],
                },
            )
        ],
    )
    def get(self, request, org_slug: str, work_process_id: int):
        work_process = get_object_or_404(
            WorkProcess.objects.filter(organisation=request.organisation), pk=work_process_id
        )
        help_ = selectors.work_process_help(
            membership=request.membership, work_process=work_process
        )
        return Response(WorkProcessHelpSerializer(help_).data)


class ForYouView(APIView):
    @extend_schema(
        tags=[CATALOGUE_TAG],
        summary="Suggested for the caller",
        description=(
            "Up to six published units not completed yet: assigned ones first, then units "
            "for the team's skills and work processes, then ones to continue, then recently "
            "viewed."
        ),
        responses={200: ForYouSerializer(many=True), **READ_ERRORS},
        examples=[
            OpenApiExample(
                "Suggestions",
                response_only=True,
                value=[{"unit": CATALOGUE_UNIT_EXAMPLE, "reason": "assigned"}],
            )
        ],
    )
    def get(self, request, org_slug: str):
        items = selectors.units_for_you(membership=request.membership, limit=6)
        return Response(ForYouSerializer(items, many=True).data)
