"""API for the calling member, teams, members and personal API tokens."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .api_errors import READ_ERRORS, ROLE_READ_ERRORS, WRITE_ERRORS
from .models import ApiToken, Team
from .permissions import Action, can
from .serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    MemberSerializer,
    MeSerializer,
    TeamSerializer,
)

ERROR_NO_MEMBER_LIST = _("Only admins, L&D authors and managers can list members.")
ERROR_TOKEN_BY_TOKEN = _("Create new tokens while signed in, not with another token.")

# Who sees which members: authors need everyone to assign units to people; a
# manager's view stops at their own teams, like the web dashboard's.
MEMBER_VISIBILITY = (
    "Organisation admins see every member, active or not; L&D authors see every "
    "active member (they assign units to people); managers see the active members "
    "of the teams they lead and the teams below; anyone else gets 403."
)

ORGANISATION_TAG = "organisation"
TOKENS_TAG = "tokens"


class MeView(APIView):
    @extend_schema(
        tags=[ORGANISATION_TAG],
        summary="The calling member",
        responses={200: MeSerializer, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "A team manager",
                response_only=True,
                value={
                    "id": 12,
                    "name": "Sanne de Vries",
                    "email": "sanne@example.com",
                    "language": "nl",
                    "roles": ["learner", "manager"],
                    "team": {"id": 3, "name": "Customer service"},
                    "is_manager": True,
                    "organisation": {
                        "slug": "acme",
                        "name": "Acme",
                        "language": "nl",
                        "time_zone": "Europe/Amsterdam",
                    },
                },
            )
        ],
    )
    def get(self, request, org_slug: str):
        return Response(MeSerializer(request.membership).data)


@extend_schema(
    tags=[ORGANISATION_TAG],
    summary="Teams of the organisation",
    responses={200: TeamSerializer(many=True), **READ_ERRORS},
)
class TeamListView(generics.ListAPIView):
    """Every team, with its parent and manager: any member may see how the organisation is built."""

    serializer_class = TeamSerializer

    def get_queryset(self):
        return (
            Team.objects.filter(organisation=self.request.organisation)
            .select_related("manager__user")
            .order_by("name", "pk")
        )


@extend_schema(
    tags=[ORGANISATION_TAG],
    summary="Members the caller may see",
    description=MEMBER_VISIBILITY,
    responses={200: MemberSerializer(many=True), **ROLE_READ_ERRORS},
)
class MemberListView(generics.ListAPIView):
    serializer_class = MemberSerializer

    def get_queryset(self):
        membership, organisation = self.request.membership, self.request.organisation
        if can(membership, Action.ADMINISTER_ORGANISATION):
            members = selectors.organisation_members(organisation=organisation)
        elif can(membership, Action.AUTHOR_UNITS):
            members = selectors.organisation_members(organisation=organisation).filter(
                is_active=True
            )
        elif can(membership, Action.VIEW_TEAM_DASHBOARD):
            team_ids = set(
                selectors.teams_managed_by(membership=membership).values_list("id", flat=True)
            )
            members = selectors.members_of_teams(team_ids=team_ids)
        else:
            raise PermissionDenied(ERROR_NO_MEMBER_LIST)
        return members.order_by(*members.query.order_by, "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        context["manager_ids"] = set(
            Team.objects.filter(
                organisation=self.request.organisation, manager__isnull=False
            ).values_list("manager_id", flat=True)
        )
        return context


TOKEN_CREATED_EXAMPLE = {
    "id": 7,
    "name": "Reporting script",
    "prefix": "ww_AbC123",
    "created_at": "2025-03-01T09:30:00+01:00",
    "last_used_at": None,
    "revoked_at": None,
    "token": "ww_AbC123xYz-the-rest-of-the-secret",
}


class TokenListCreateView(generics.ListAPIView):
    """The caller's own API tokens, revoked ones included (with ``revoked_at``)."""

    serializer_class = ApiTokenSerializer
    required_action = Action.MANAGE_OWN_TOKENS

    def get_queryset(self):
        return ApiToken.objects.filter(
            organisation=self.request.organisation, membership=self.request.membership
        ).order_by("-created_at", "-pk")

    @extend_schema(
        tags=[TOKENS_TAG],
        summary="My API tokens",
        responses={200: ApiTokenSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TOKENS_TAG],
        summary="Create an API token",
        description=(
            "Returns the raw token once; only its hash is stored. Needs a signed-in "
            "session: a token cannot create further tokens."
        ),
        request=ApiTokenCreateSerializer,
        responses={201: ApiTokenCreatedSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample("Name the token", request_only=True, value={"name": "Reporting script"}),
            OpenApiExample("Created", response_only=True, value=TOKEN_CREATED_EXAMPLE),
        ],
    )
    def post(self, request, org_slug: str):
        if isinstance(request.auth, ApiToken):
            # A leaked token must not be able to outlive its own revocation.
            raise PermissionDenied(ERROR_TOKEN_BY_TOKEN)
        payload = ApiTokenCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        token, raw = services.api_token_create(
            membership=request.membership, name=payload.validated_data["name"]
        )
        token.token = raw
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    required_action = Action.MANAGE_OWN_TOKENS

    @extend_schema(
        tags=[TOKENS_TAG],
        summary="Revoke one of my API tokens",
        description="Revoking twice is fine. Another member's token is not found.",
        request=None,
        responses={204: OpenApiResponse(description="Revoked."), **READ_ERRORS},
    )
    def delete(self, request, org_slug: str, token_id: int):
        token = get_object_or_404(
            ApiToken.objects.filter(
                organisation=request.organisation, membership=request.membership
            ),
            pk=token_id,
        )
        services.api_token_revoke(token=token, by=request.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)
