"""API for learning goals: the learner's goals with their plan and check-ins, the manager's
agreement and feedback, L&D's goal templates, the 70:20:10 ledger, recognition and kudos.

Learners act on their own goals; the manager of the learner's team (or of a team above
it) agrees, asks for changes and answers check-ins; another member of the organisation
gets 403 and another organisation's ids are 404, as everywhere in the API.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from microlearning.selectors import published_units
from organisations.api_errors import READ_ERRORS, ROLE_READ_ERRORS, WRITE_ERRORS, error_responses
from organisations.models import Team
from organisations.permissions import (
    Action,
    can,
    can_edit_goal,
    can_see_recognition,
    can_view_team,
)
from organisations.selectors import organisation_skills

from . import selectors, services
from .access import goal_activity, goal_check_in, organisation_step, visible_goal
from .models import Goal
from .serializers import (
    ActivityStatusSerializer,
    ActivityWriteSerializer,
    AgreeSerializer,
    AskChangesSerializer,
    CheckInAnswerSerializer,
    CheckInSerializer,
    CheckInWriteSerializer,
    CloseSerializer,
    CommentSerializer,
    CommentWriteSerializer,
    GoalSerializer,
    GoalSummarySerializer,
    GoalTemplateSerializer,
    GoalWriteSerializer,
    KudosSerializer,
    LedgerQuerySerializer,
    LedgerSerializer,
    PlanActivitySerializer,
    ProficiencyRatingSerializer,
    RecognitionSerializer,
    ShareSerializer,
)

GOALS_TAG = "goals"
LEDGER_ERRORS = error_responses(400, 401, 404)
ERROR_UNKNOWN_SKILL = _("Choose a skill of this organisation.")

GOAL_EXAMPLE = {
    "title": "Run the weekly planning meeting",
    "why": "The team waits for me to learn it.",
    "skill_id": 3,
    "current_level": 2,
    "target_level": 4,
    "target_date": "2026-06-30",
    "hours_per_week": "2.0",
}


def _skill(request, skill_id: int | None):
    skill = organisation_skills(organisation=request.organisation).filter(pk=skill_id).first()
    if skill is None:
        raise ValidationError({"skill_id": [ERROR_UNKNOWN_SKILL]})
    return skill


def goal_response(
    request, goal: Goal, *, status_code: int = status.HTTP_200_OK, reload: bool = True
) -> Response:
    """The goal with its plan, check-ins and conversation: a fixed number of queries."""
    if reload:  # after a change: as it is now, with who agreed it
        goal = visible_goal(request, goal.pk)
    page = selectors.goal_page(goal=goal)
    goal.page_activities = page.activities
    goal.page_check_ins = page.check_ins
    goal.page_comments = page.comments
    goal.next_check_in = page.next_check_in
    goal.activity_count = len(page.activities)
    goal.activities_done = sum(1 for a in page.activities if a.status == "done")
    return Response(GoalSerializer(goal).data, status=status_code)


class GoalListView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="My goals",
        responses={200: GoalSummarySerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, org_slug: str):
        goals = selectors.goals_of(membership=request.membership).select_related("member__user")
        return Response(GoalSummarySerializer(goals, many=True).data)

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Draft a goal",
        description=(
            "A target date in the past, a level outside 1-5 or a target below the current "
            "level is a 400 with field errors, and nothing is saved. With `template_id` the "
            "template's suggested activities become the plan."
        ),
        request=GoalWriteSerializer,
        responses={201: GoalSerializer, **WRITE_ERRORS},
        examples=[OpenApiExample("A goal", request_only=True, value=GOAL_EXAMPLE)],
    )
    def post(self, request, org_slug: str):
        payload = GoalWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        template_id = data.pop("template_id", None)
        template = None
        if template_id is not None:
            template = selectors.goal_template_for(
                organisation=request.organisation, template_id=template_id
            )
            if template is None:
                raise Http404
        skill = _skill(request, data.pop("skill_id"))
        goal = services.goal_create(
            membership=request.membership, skill=skill, template=template, **data
        )
        return goal_response(request, goal, status_code=status.HTTP_201_CREATED)


class GoalDetailView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="A goal with its plan, check-ins and conversation",
        description="The learner and their managers see it; other members get 403.",
        responses={200: GoalSerializer, **ROLE_READ_ERRORS},
    )
    def get(self, request, org_slug: str, goal_id: int):
        return goal_response(request, visible_goal(request, goal_id), reload=False)

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Change a draft goal (the learner)",
        request=GoalWriteSerializer(partial=True),
        responses={200: GoalSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = GoalWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("template_id", None)
        if "skill_id" in data:
            data["skill"] = _skill(request, data.pop("skill_id"))
        services.goal_update(goal=goal, membership=request.membership, **data)
        return goal_response(request, goal)

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Throw away a draft that was never proposed (the learner)",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        services.goal_delete(goal=goal, membership=request.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GoalProposeView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Propose the goal to the manager (the learner)",
        request=CommentWriteSerializer,
        responses={200: GoalSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = CommentWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.goal_propose(
            goal=goal, membership=request.membership, comment=payload.validated_data["comment"]
        )
        return goal_response(request, goal)


class GoalAgreeView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Agree the goal and the hours per week for it (the manager)",
        request=AgreeSerializer,
        responses={200: GoalSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = AgreeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.goal_agree(goal=goal, membership=request.membership, **payload.validated_data)
        return goal_response(request, goal)


class GoalAskChangesView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Ask for changes: the goal goes back to draft with the comment (the manager)",
        request=AskChangesSerializer,
        responses={200: GoalSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = AskChangesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.goal_ask_changes(
            goal=goal, membership=request.membership, comment=payload.validated_data["comment"]
        )
        return goal_response(request, goal)


class GoalCommentView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Add to the goal's conversation (the learner or their manager)",
        request=CommentWriteSerializer,
        responses={201: CommentSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = CommentWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.goal_comment(
            goal=goal, membership=request.membership, text=payload.validated_data["comment"]
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class GoalCloseView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Close the goal as achieved, partly achieved or dropped",
        description=(
            "The learner gives their own final rating, the manager theirs. A goal never "
            "agreed closes only as dropped."
        ),
        request=CloseSerializer,
        responses={200: GoalSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = CloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rating = payload.validated_data["rating"]
        own = can_edit_goal(request.membership, goal)
        services.goal_close(
            goal=goal,
            membership=request.membership,
            outcome=payload.validated_data["outcome"],
            self_rating=rating if own else None,
            manager_rating=None if own else rating,
        )
        return goal_response(request, goal)


class GoalShareView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Share an achieved goal with my team",
        description="Nothing is shared unless the learner asks for it here.",
        request=ShareSerializer,
        responses={201: RecognitionSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = ShareSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        recognition = services.goal_share(
            goal=goal, membership=request.membership, message=payload.validated_data["message"]
        )
        recognition.kudos_count = recognition.kudos.count()
        recognition.kudos_given = False
        return Response(RecognitionSerializer(recognition).data, status=status.HTTP_201_CREATED)


class ActivityListView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="The goal's development plan",
        responses={200: PlanActivitySerializer(many=True), **ROLE_READ_ERRORS},
    )
    def get(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        activities = goal.activities.select_related("unit", "step").order_by("position", "pk")
        return Response(PlanActivitySerializer(activities, many=True).data)

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Add an activity to the plan (the learner)",
        description=(
            "Tagged experience, social or formal; free-form (`title`), or linked to a published "
            "unit (`unit_id`) or a trajectory step (`step_id`), which completes it by itself. "
            "One linked to something already completed starts done."
        ),
        request=ActivityWriteSerializer,
        responses={201: PlanActivitySerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = ActivityWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = step = None
        if data["unit_id"] is not None:
            unit = (
                published_units(organisation=request.organisation)
                .filter(pk=data["unit_id"])
                .first()
            )
            if unit is None:
                raise Http404
        if data["step_id"] is not None:
            step = organisation_step(request, data["step_id"])
        activity = services.activity_add(
            goal=goal,
            membership=request.membership,
            category=data["category"],
            title=data["title"],
            unit=unit,
            step=step,
        )
        return Response(PlanActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Set an activity's status: planned, doing or done (the learner)",
        description="An activity linked to a unit or step is done when that is completed.",
        request=ActivityStatusSerializer,
        responses={200: PlanActivitySerializer, **WRITE_ERRORS},
    )
    def patch(self, request, org_slug: str, goal_id: int, activity_id: int):
        activity = goal_activity(request, goal_id, activity_id)
        payload = ActivityStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.activity_set_status(
            activity=activity,
            membership=request.membership,
            status=payload.validated_data["status"],
        )
        return Response(PlanActivitySerializer(activity).data)

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Remove an activity from the plan (the learner)",
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request, org_slug: str, goal_id: int, activity_id: int):
        activity = goal_activity(request, goal_id, activity_id)
        services.activity_remove(activity=activity, membership=request.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CheckInListView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="The goal's check-ins",
        responses={200: CheckInSerializer(many=True), **ROLE_READ_ERRORS},
    )
    def get(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        check_ins = goal.check_ins.select_related("manager__user").order_by("created_at", "pk")
        return Response(CheckInSerializer(check_ins, many=True).data)

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Check in on an agreed goal: progress 1-5 and what happened (the learner)",
        request=CheckInWriteSerializer,
        responses={201: CheckInSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int):
        goal = visible_goal(request, goal_id)
        payload = CheckInWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        check_in = services.check_in_create(
            goal=goal, membership=request.membership, **payload.validated_data
        )
        return Response(CheckInSerializer(check_in).data, status=status.HTTP_201_CREATED)


class CheckInAnswerView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Answer a check-in with a rating and feedback (the manager)",
        request=CheckInAnswerSerializer,
        responses={200: CheckInSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, goal_id: int, check_in_id: int):
        check_in = goal_check_in(request, goal_id, check_in_id)
        payload = CheckInAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.check_in_answer(
            check_in=check_in, membership=request.membership, **payload.validated_data
        )
        return Response(CheckInSerializer(check_in).data)


class TeamGoalListView(APIView):
    required_action = Action.VIEW_TEAM_DASHBOARD

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Open goals of my teams' members, proposals first (managers)",
        responses={200: GoalSummarySerializer(many=True), **ROLE_READ_ERRORS},
    )
    def get(self, request, org_slug: str):
        goals = selectors.team_goals(membership=request.membership)
        return Response(GoalSummarySerializer(goals, many=True).data)


class GoalTemplateListView(APIView):
    required_action = {"GET": Action.LEARN, "POST": Action.AUTHOR_GOAL_TEMPLATES}

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Goal templates (learners see the ones offered, L&D all)",
        responses={200: GoalTemplateSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, org_slug: str):
        templates = selectors.goal_templates(
            organisation=request.organisation,
            active_only=not can(request.membership, Action.AUTHOR_GOAL_TEMPLATES),
        )
        return Response(GoalTemplateSerializer(templates, many=True).data)

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Create a goal template for a skill (L&D)",
        request=GoalTemplateSerializer,
        responses={201: GoalTemplateSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str):
        payload = GoalTemplateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["skill"] = _skill(request, data.pop("skill_id"))
        template = services.goal_template_create(by=request.membership, **data)
        return Response(GoalTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class GoalTemplateDetailView(APIView):
    required_action = {"GET": Action.LEARN, "PATCH": Action.AUTHOR_GOAL_TEMPLATES}

    def _template(self, request, template_id: int):
        template = selectors.goal_template_for(
            organisation=request.organisation, template_id=template_id
        )
        if template is None:
            raise Http404
        return template

    @extend_schema(
        tags=[GOALS_TAG],
        summary="A goal template",
        responses={200: GoalTemplateSerializer, **READ_ERRORS},
    )
    def get(self, request, org_slug: str, template_id: int):
        return Response(GoalTemplateSerializer(self._template(request, template_id)).data)

    @extend_schema(
        tags=[GOALS_TAG],
        summary="Change a goal template (L&D)",
        request=GoalTemplateSerializer(partial=True),
        responses={200: GoalTemplateSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, org_slug: str, template_id: int):
        template = self._template(request, template_id)
        payload = GoalTemplateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        if "skill_id" in data:
            data["skill"] = _skill(request, data.pop("skill_id"))
        services.goal_template_update(template=template, by=request.membership, **data)
        return Response(GoalTemplateSerializer(template).data)


def _ledger_days(request) -> int:
    query = LedgerQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["days"]


class LedgerView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="My 70:20:10 ledger: where my completed learning happened",
        parameters=[LedgerQuerySerializer],
        responses={200: LedgerSerializer, **LEDGER_ERRORS},
    )
    def get(self, request, org_slug: str):
        ledger = selectors.ledger_for_member(
            membership=request.membership, days=_ledger_days(request)
        )
        return Response(LedgerSerializer(ledger).data)


class TeamLedgerView(APIView):
    required_action = Action.VIEW_TEAM_DASHBOARD

    @extend_schema(
        tags=[GOALS_TAG],
        summary="A team's 70:20:10 ledger, sub-teams included (its managers)",
        parameters=[LedgerQuerySerializer],
        responses={200: LedgerSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request, org_slug: str, team_id: int):
        if not Team.objects.filter(organisation=request.organisation, pk=team_id).exists():
            raise Http404
        if not can_view_team(request.membership, team_id):
            raise PermissionDenied
        ledger = selectors.ledger_for_teams(
            organisation=request.organisation, team_ids=[team_id], days=_ledger_days(request)
        )
        return Response(LedgerSerializer(ledger).data)


class RecognitionListView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="What my team shared lately, with kudos",
        responses={200: RecognitionSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, org_slug: str):
        recognitions = selectors.recognitions_for(membership=request.membership, limit=50)
        return Response(RecognitionSerializer(recognitions, many=True).data)


class KudosView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="Give kudos for a teammate's shared achievement (once; again is a no-op)",
        request=None,
        responses={201: KudosSerializer, 200: KudosSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org_slug: str, recognition_id: int):
        recognition = selectors.recognition_for(
            membership=request.membership, recognition_id=recognition_id
        )
        if recognition is None:
            raise Http404
        if not can_see_recognition(request.membership, recognition):
            raise PermissionDenied
        kudos, created = services.kudos_give(recognition=recognition, membership=request.membership)
        return Response(
            {"recognition_id": recognition.pk, "given_at": kudos.given_at, "created": created},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ProficiencyView(APIView):
    @extend_schema(
        tags=[GOALS_TAG],
        summary="My proficiency ratings per skill over time",
        responses={200: ProficiencyRatingSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, org_slug: str):
        ratings = selectors.proficiency_history(membership=request.membership)
        return Response(ProficiencyRatingSerializer(ratings, many=True).data)
