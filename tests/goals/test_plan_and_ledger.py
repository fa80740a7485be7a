"""The development plan completes itself from completions; the 70:20:10 ledger counts them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import LearningEvent
from events.services import learning_event_record
from goals import selectors, services
from goals.models import PlanActivity
from microlearning import services as microlearning_services
from tests.factories import MembershipFactory, UnitFactory
from tests.goals.factories import agreed_goal, draft_goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(organisation):
    return UnitFactory(organisation=organisation, title="Planning in ten minutes")


class TestLinkedActivities:
    def test_completing_the_unit_completes_the_linked_activity(self, learner, skill, unit):
        goal = draft_goal(learner, skill)
        activity = services.activity_add(
            goal=goal, membership=learner, category="formal", unit=unit
        )
        assert activity.status == PlanActivity.Status.PLANNED
        microlearning_services.unit_complete(unit=unit, membership=learner)
        activity.refresh_from_db()
        assert activity.status == PlanActivity.Status.DONE
        event = LearningEvent.objects.get(object_type="plan_activity", object_id=activity.pk)
        assert event.verb == "completed"
        assert event.context["category"] == "formal"
        assert event.context["counted_as"] == f"unit:{unit.pk}"

    def test_someone_elses_completion_leaves_the_activity_open(
        self, learner, teammate, skill, unit
    ):
        goal = draft_goal(learner, skill)
        activity = services.activity_add(
            goal=goal, membership=learner, category="formal", unit=unit
        )
        microlearning_services.unit_complete(unit=unit, membership=teammate)
        activity.refresh_from_db()
        assert activity.status == PlanActivity.Status.PLANNED

    def test_an_activity_linked_to_a_unit_already_completed_starts_done(self, learner, skill, unit):
        microlearning_services.unit_complete(unit=unit, membership=learner)
        goal = draft_goal(learner, skill)
        activity = services.activity_add(
            goal=goal, membership=learner, category="formal", unit=unit
        )
        assert activity.status == PlanActivity.Status.DONE

    def test_a_completed_step_event_completes_the_linked_step_activity(self, learner, skill):
        from tests.goals.courses_support import a_step

        step = a_step(learner.organisation, learner=learner)
        goal = draft_goal(learner, skill)
        activity = services.activity_add(
            goal=goal, membership=learner, category="experience", step=step
        )
        learning_event_record(
            actor=learner,
            verb="completed",
            object_type="step",
            object_id=step.pk,
            object_category="experience",
        )
        activity.refresh_from_db()
        assert activity.status == PlanActivity.Status.DONE

    def test_a_linked_activity_cannot_be_marked_done_by_hand(self, learner, skill, unit):
        goal = draft_goal(learner, skill)
        activity = services.activity_add(
            goal=goal, membership=learner, category="formal", unit=unit
        )
        with pytest.raises(ValidationError):
            services.activity_set_status(activity=activity, membership=learner, status="done")
        services.activity_set_status(activity=activity, membership=learner, status="doing")

    def test_a_free_form_activity_done_records_a_completed_event_with_its_category(
        self, learner, skill
    ):
        goal = draft_goal(learner, skill)
        activity = services.activity_add(
            goal=goal, membership=learner, category="social", title="Shadow Ann at intake"
        )
        services.activity_set_status(activity=activity, membership=learner, status="done")
        event = LearningEvent.objects.get(object_type="plan_activity")
        assert (event.verb, event.object_id, event.context["category"]) == (
            "completed",
            activity.pk,
            "social",
        )

    def test_an_activity_needs_a_description_or_a_link(self, learner, skill):
        goal = draft_goal(learner, skill)
        with pytest.raises(ValidationError) as error:
            services.activity_add(goal=goal, membership=learner, category="experience")
        assert "title" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.activity_add(goal=goal, membership=learner, category="work", title="x")
        assert "category" in error.value.message_dict
        assert not PlanActivity.objects.exists()


def _completed(membership, category, minutes=None, days_ago=1, object_type="unit"):
    context = {"minutes": minutes} if minutes is not None else {}
    return learning_event_record(
        actor=membership,
        verb="completed",
        object_type=object_type,
        object_id=1,
        context=context,
        object_category=category,
        timestamp=timezone.now() - dt.timedelta(days=days_ago),
    )


class TestLedger:
    def test_shares_for_a_known_set_of_activities(self, learner, skill):
        # 5 experience, 3 social, 2 formal in the period; one formal long ago; minutes where known.
        for minutes in (30, 30, None, None, 60):
            _completed(learner, "experience", minutes)
        for minutes in (20, 10, None):
            _completed(learner, "social", minutes)
        for minutes in (5, 5):
            _completed(learner, "formal", minutes)
        _completed(learner, "formal", 5, days_ago=200)
        ledger = selectors.ledger_for_member(membership=learner, days=90)
        figures = {p.category.value: (p.count, p.share, p.minutes, p.target) for p in ledger.parts}
        assert figures == {
            "experience": (5, 50, 120, 70),
            "social": (3, 30, 30, 20),
            "formal": (2, 20, 10, 10),
        }
        assert (ledger.count, ledger.minutes) == (10, 160)
        # 120/160 = 75%, 30/160 = 18.75%, 10/160 = 6.25%: whole numbers adding up to 100.
        assert [p.minutes_share for p in ledger.parts] == [75, 19, 6]

    def test_a_linked_activity_is_not_counted_twice(self, learner, skill, organisation):
        unit = UnitFactory(organisation=organisation)
        goal = draft_goal(learner, skill)
        services.activity_add(goal=goal, membership=learner, category="formal", unit=unit)
        microlearning_services.unit_complete(unit=unit, membership=learner)
        ledger = selectors.ledger_for_member(membership=learner)
        assert (ledger.count, ledger.part("formal").count) == (1, 1)

    def test_verbs_outside_the_mix_are_not_counted(self, learner, manager, skill):
        agreed_goal(learner, skill, manager)  # proposed, agreed: no learning activity
        assert selectors.ledger_for_member(membership=learner).is_empty

    def test_the_team_ledger_counts_sub_teams_and_not_other_teams(
        self, organisation, department, team, learner, other_manager
    ):
        _completed(learner, "experience")  # in Planning, below Operations
        in_department = MembershipFactory(organisation=organisation, team=department)
        _completed(in_department, "social")
        outsider = MembershipFactory(organisation=organisation)
        _completed(outsider, "formal")
        ledger = selectors.ledger_for_teams(organisation=organisation, team_ids=[department.pk])
        assert [p.count for p in ledger.parts] == [1, 1, 0]
        assert [p.share for p in ledger.parts] == [50, 50, 0]

    def test_the_team_ledger_is_two_queries(
        self, organisation, department, team, learner, django_assert_num_queries
    ):
        for n in range(5):
            member = MembershipFactory(organisation=organisation, team=team)
            _completed(member, ("experience", "social", "formal")[n % 3], minutes=n)
        with django_assert_num_queries(2):  # the team tree, the events
            selectors.ledger_for_teams(organisation=organisation, team_ids=[department.pk])

    def test_the_target_mix_is_the_organisations(self, learner, organisation):
        organisation.target_experience, organisation.target_social = 60, 30
        organisation.save()
        learner.organisation.refresh_from_db()
        ledger = selectors.ledger_for_member(membership=learner)
        assert [p.target for p in ledger.parts] == [60, 30, 10]

    def test_whole_percentages_add_up_to_100(self):
        from events.verbs import Category

        shares = selectors.whole_percentages(
            {Category.EXPERIENCE: 1, Category.SOCIAL: 1, Category.FORMAL: 1}
        )
        assert sum(shares.values()) == 100
