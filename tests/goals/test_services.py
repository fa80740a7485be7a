"""Goal transitions, validation, who may do what, check-ins, proficiency, recognition."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events.models import LearningEvent
from goals import selectors, services
from goals.models import (
    CheckIn,
    Goal,
    GoalComment,
    Kudos,
    PlanActivity,
    ProficiencyRating,
    Recognition,
)
from tests.factories import MembershipFactory, OrganisationFactory, SkillFactory
from tests.goals.factories import agreed_goal, draft_goal, in_days

pytestmark = pytest.mark.django_db


def verbs_of(membership):
    return list(
        LearningEvent.objects.filter(actor=membership).order_by("id").values_list("verb", flat=True)
    )


class TestTransitions:
    def test_a_goal_goes_from_draft_through_proposed_and_agreed_to_closed(
        self, learner, manager, skill
    ):
        goal = draft_goal(learner, skill)
        assert goal.status == Goal.Status.DRAFT
        services.goal_propose(goal=goal, membership=learner)
        assert goal.status == Goal.Status.PROPOSED
        services.goal_agree(goal=goal, membership=manager, hours_per_week=3)
        goal.refresh_from_db()
        assert (goal.status, goal.agreed_by, float(goal.hours_per_week)) == ("agreed", manager, 3)
        services.goal_close(
            goal=goal, membership=learner, outcome=Goal.Outcome.ACHIEVED, self_rating=4
        )
        goal.refresh_from_db()
        assert (goal.status, goal.outcome, goal.final_self_rating) == ("closed", "achieved", 4)
        assert verbs_of(learner) == ["goal_proposed", "goal_achieved"]
        assert verbs_of(manager) == ["goal_agreed"]

    def test_the_same_status_again_is_a_no_op(self, learner, manager, skill):
        goal = agreed_goal(learner, skill, manager)
        services.goal_agree(goal=goal, membership=manager)
        assert verbs_of(manager) == ["goal_agreed"]

    def test_a_wrong_move_raises(self, learner, manager, skill):
        goal = draft_goal(learner, skill)
        with pytest.raises(ValidationError):
            services.goal_agree(goal=goal, membership=manager)
        goal = agreed_goal(learner, skill, manager, title="Second")
        with pytest.raises(ValidationError):
            services.goal_propose(goal=goal, membership=learner)

    def test_asking_for_changes_sends_it_back_to_draft_and_keeps_the_comment(
        self, learner, manager, skill
    ):
        goal = draft_goal(learner, skill)
        services.goal_propose(goal=goal, membership=learner, comment="Is this enough?")
        services.goal_ask_changes(goal=goal, membership=manager, comment="Aim for level 3 first.")
        goal.refresh_from_db()
        assert goal.status == Goal.Status.DRAFT
        services.goal_update(goal=goal, membership=learner, target_level=3)
        services.goal_propose(goal=goal, membership=learner)
        conversation = list(goal.comments.values_list("kind", "text"))
        assert conversation == [
            (GoalComment.Kind.PROPOSED, "Is this enough?"),
            (GoalComment.Kind.CHANGES_ASKED, "Aim for level 3 first."),
            (GoalComment.Kind.PROPOSED, ""),
        ]

    def test_asking_for_changes_needs_a_comment(self, learner, manager, skill):
        goal = draft_goal(learner, skill)
        services.goal_propose(goal=goal, membership=learner)
        with pytest.raises(ValidationError) as error:
            services.goal_ask_changes(goal=goal, membership=manager, comment="  ")
        assert "comment" in error.value.message_dict

    def test_a_goal_never_agreed_closes_only_as_dropped(self, learner, skill):
        goal = draft_goal(learner, skill)
        with pytest.raises(ValidationError):
            services.goal_close(goal=goal, membership=learner, outcome=Goal.Outcome.ACHIEVED)
        services.goal_close(goal=goal, membership=learner, outcome=Goal.Outcome.DROPPED)
        goal.refresh_from_db()
        assert (goal.status, goal.outcome) == ("closed", "dropped")
        assert verbs_of(learner) == ["goal_closed"]


class TestValidation:
    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"target_date": in_days(-1)}, "target_date"),
            ({"current_level": 0}, "current_level"),
            ({"target_level": 6}, "target_level"),
            ({"current_level": 4, "target_level": 3}, "target_level"),
        ],
    )
    def test_bad_input_is_a_field_error_and_nothing_is_saved(self, learner, skill, fields, field):
        with pytest.raises(ValidationError) as error:
            draft_goal(learner, skill, **fields)
        assert field in error.value.message_dict
        assert not Goal.objects.exists()
        assert not ProficiencyRating.objects.exists()

    def test_every_problem_is_reported_at_once(self, learner, skill):
        with pytest.raises(ValidationError) as error:
            draft_goal(learner, skill, target_date=in_days(-3), current_level=7, target_level=9)
        assert {"target_date", "current_level", "target_level"} <= set(error.value.message_dict)

    def test_an_update_with_bad_input_changes_nothing(self, learner, skill):
        goal = draft_goal(learner, skill)
        with pytest.raises(ValidationError):
            services.goal_update(goal=goal, membership=learner, title="New", target_level=1)
        goal = Goal.objects.get(pk=goal.pk)
        assert (goal.title, goal.target_level) == ("Run the weekly planning meeting", 4)

    def test_a_skill_of_another_organisation_is_refused(self, learner):
        foreign = SkillFactory(organisation=OrganisationFactory())
        with pytest.raises(ValidationError) as error:
            draft_goal(learner, foreign)
        assert "skill" in error.value.message_dict


class TestWhoMay:
    def test_the_manager_of_a_team_above_may_agree(self, learner, head, skill):
        goal = draft_goal(learner, skill)
        services.goal_propose(goal=goal, membership=learner)
        services.goal_agree(goal=goal, membership=head)
        assert goal.status == Goal.Status.AGREED

    def test_another_teams_manager_may_not_agree(self, learner, other_manager, skill):
        goal = draft_goal(learner, skill)
        services.goal_propose(goal=goal, membership=learner)
        with pytest.raises(PermissionDenied):
            services.goal_agree(goal=goal, membership=other_manager)
        with pytest.raises(PermissionDenied):
            services.goal_ask_changes(goal=goal, membership=other_manager, comment="No")

    def test_learners_cannot_agree_their_own_goal(self, learner, manager, skill):
        goal = draft_goal(learner, skill)
        services.goal_propose(goal=goal, membership=learner)
        with pytest.raises(PermissionDenied):
            services.goal_agree(goal=goal, membership=learner)

    def test_a_teammate_cannot_change_the_goal(self, learner, teammate, skill):
        goal = draft_goal(learner, skill)
        with pytest.raises(PermissionDenied):
            services.goal_update(goal=goal, membership=teammate, title="Mine")
        with pytest.raises(PermissionDenied):
            services.goal_propose(goal=goal, membership=teammate)


class TestCheckInsAndProficiency:
    def test_check_ins_rate_progress_and_the_manager_answers(self, learner, manager, skill):
        goal = agreed_goal(learner, skill, manager)
        check_in = services.check_in_create(
            goal=goal, membership=learner, progress=3, note="Led two meetings.", level=3
        )
        services.check_in_answer(
            check_in=check_in, membership=manager, rating=4, feedback="Good start.", level=3
        )
        check_in.refresh_from_db()
        assert (check_in.manager_rating, check_in.manager_feedback) == (4, "Good start.")
        assert "checked_in" in verbs_of(learner)
        assert "feedback_given" in verbs_of(manager)

    def test_a_check_in_needs_an_agreed_goal_and_a_rating_from_1_to_5(
        self, learner, manager, skill
    ):
        goal = draft_goal(learner, skill)
        with pytest.raises(ValidationError):
            services.check_in_create(goal=goal, membership=learner, progress=3)
        goal = agreed_goal(learner, skill, manager, title="Agreed")
        with pytest.raises(ValidationError) as error:
            services.check_in_create(goal=goal, membership=learner, progress=6)
        assert "progress" in error.value.message_dict
        assert not CheckIn.objects.exists()

    def test_first_and_latest_proficiency_per_member_and_skill(self, learner, manager, skill):
        goal = agreed_goal(learner, skill, manager)  # self-rated 2 when drafted
        services.check_in_create(goal=goal, membership=learner, progress=3, level=3)
        services.goal_close(goal=goal, membership=learner, outcome="achieved", self_rating=4)
        both = selectors.proficiency_first_and_latest(organisation=learner.organisation)
        mine = both[(learner.pk, skill.pk)]
        assert (mine.first, mine.latest, mine.change) == (2, 4, 2)
        services.goal_rate_final(goal=goal, membership=manager, rating=3)
        by_manager = selectors.proficiency_first_and_latest(
            organisation=learner.organisation, rated_by="manager"
        )
        assert by_manager[(learner.pk, skill.pk)].latest == 3


class TestRecognition:
    def test_nothing_is_shared_unless_the_learner_shares_it(self, learner, manager, skill):
        goal = agreed_goal(learner, skill, manager)
        services.goal_close(goal=goal, membership=learner, outcome="achieved")
        assert not Recognition.objects.exists()
        services.goal_share(goal=goal, membership=learner, message="Thanks all!")
        assert Recognition.objects.get().team_id == learner.team_id
        assert "shared" in verbs_of(learner)

    def test_only_an_achieved_goal_is_shared(self, learner, manager, skill):
        goal = agreed_goal(learner, skill, manager)
        with pytest.raises(ValidationError):
            services.goal_share(goal=goal, membership=learner)
        services.goal_close(goal=goal, membership=learner, outcome="partly")
        with pytest.raises(ValidationError):
            services.goal_share(goal=goal, membership=learner)

    def test_teammates_give_kudos_once_each(self, learner, teammate, manager, skill):
        goal = agreed_goal(learner, skill, manager)
        services.goal_close(goal=goal, membership=learner, outcome="achieved")
        recognition = services.goal_share(goal=goal, membership=learner)
        _kudos, created = services.kudos_give(recognition=recognition, membership=teammate)
        _again, created_again = services.kudos_give(recognition=recognition, membership=teammate)
        assert (created, created_again) == (True, False)
        assert Kudos.objects.count() == 1
        assert verbs_of(teammate) == ["kudos_given"]
        with pytest.raises(ValidationError):
            services.kudos_give(recognition=recognition, membership=learner)

    def test_someone_outside_the_team_cannot_give_kudos(
        self, learner, manager, skill, organisation
    ):
        goal = agreed_goal(learner, skill, manager)
        services.goal_close(goal=goal, membership=learner, outcome="achieved")
        recognition = services.goal_share(goal=goal, membership=learner)
        outsider = MembershipFactory(organisation=organisation)
        with pytest.raises(PermissionDenied):
            services.kudos_give(recognition=recognition, membership=outsider)

    def test_teammates_see_what_was_shared(self, learner, teammate, manager, skill):
        goal = agreed_goal(learner, skill, manager)
        services.goal_close(goal=goal, membership=learner, outcome="achieved")
        services.goal_share(goal=goal, membership=learner)
        seen = list(selectors.recognitions_for(membership=teammate))
        assert [r.title for r in seen] == [goal.title]
        assert list(selectors.recognitions_for(membership=manager))


class TestTemplates:
    def test_a_goal_from_a_template_gets_its_plan(self, learner, author, skill):
        template = services.goal_template_create(
            by=author,
            skill=skill,
            title="Plan like a pro",
            target_level=4,
            suggested_plan=(
                "experience: Lead the Monday stand-up\nsocial: Shadow Ann\nRead the guide"
            ),
        )
        goal = draft_goal(learner, skill, template=template)
        assert list(goal.activities.values_list("category", "title")) == [
            ("experience", "Lead the Monday stand-up"),
            ("social", "Shadow Ann"),
            ("experience", "Read the guide"),
        ]
        assert PlanActivity.objects.filter(goal=goal).count() == 3
