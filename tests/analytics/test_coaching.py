"""The manager's coaching view: who needs a conversation, members, trends, filters, drill-down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics import services
from analytics.selectors import coaching as selectors
from courses.models import Enrolment, StepProgress
from events.models import LearningEvent
from events.verbs import Category
from microlearning.models import Commitment, Reflection
from organisations.tenancy import organisation_scope
from tests.analytics.coaching_world import coaching_world, commitment, learn, member_named
from tests.factories import (
    LearningEventFactory,
    MembershipFactory,
    SkillFactory,
    TeamFactory,
    UnitFactory,
)
from tests.goals.factories import agreed_goal

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def url(organisation, **query) -> str:
    base = reverse("analytics:coaching", args=[organisation.slug])
    if query:
        from django.utils.http import urlencode

        base += "?" + urlencode(query)
    return base


def member_url(organisation, member) -> str:
    return reverse("analytics:coaching_member", args=[organisation.slug, member.pk])


def rollup(organisation) -> None:
    with organisation_scope(organisation.pk):
        services.organisation_rollup(organisation=organisation, settle=dt.timedelta(0))


@pytest.fixture
def world(organisation):
    with organisation_scope(organisation.pk):
        return coaching_world(organisation)


def reasons_of(response) -> set[tuple[str, str]]:
    return {(need.member.user.first_name, need.reason) for need in response.context["view"].needs}


# --- Whom the manager sees ----------------------------------------------------------------


def test_manager_sees_only_own_teams_members(client, organisation, world):
    client.force_login(world.manager.user)

    response = client.get(url(organisation))

    names = {row.member.user.first_name for row in response.context["view"].members}
    assert names == {"Lena", "Bram", "Cas", "Quinn"}
    assert "Olaf" not in response.content.decode()


def test_manager_of_the_team_above_sees_the_sub_team_and_can_narrow_to_it(
    client, organisation, world
):
    top = world.evidence.top_manager
    client.force_login(top.user)

    everyone = client.get(url(organisation))
    sub_team = client.get(url(organisation, team=world.evidence.team.pk))

    all_names = {row.member.pk for row in everyone.context["view"].members}
    assert world.manager.pk in all_names and world.learner.pk in all_names
    sub_names = {row.member.pk for row in sub_team.context["view"].members}
    assert world.manager.pk not in sub_names
    assert sub_names == {world.learner.pk, world.buddy.pk, world.colleague.pk, world.quiet.pk}


def test_a_learner_who_manages_nothing_may_not_open_the_coaching_view(client, organisation, world):
    client.force_login(world.learner.user)

    assert client.get(url(organisation)).status_code == 403


# --- Filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, message",
    [
        ({"team": "not-a-number"}, "not one of the teams you coach"),
        ({"team": "99999999999999999999999"}, "not one of the teams you coach"),
        ({"trajectory": "0"}, "trajectory was not found"),
        ({"trajectory": "x"}, "trajectory was not found"),
        ({"weeks": "5"}, "Choose a period of 4, 12 or 26 weeks"),
        ({"weeks": "-12"}, "Choose a period of 4, 12 or 26 weeks"),
    ],
)
def test_bad_filter_values_give_a_clear_message_and_no_figures(
    client, organisation, world, query, message
):
    client.force_login(world.manager.user)

    response = client.get(url(organisation, **query))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["view"] is None
    assert "Lena" not in response.content.decode()


def test_a_team_the_manager_does_not_manage_is_refused(client, organisation, world):
    client.force_login(world.manager.user)

    response = client.get(url(organisation, team=world.support.pk))

    assert response.status_code == 400
    assert "not one of the teams you coach" in response.content.decode()
    assert "Olaf" not in response.content.decode()


def test_a_team_of_another_organisation_is_refused(client, organisation, other_organisation, world):
    with organisation_scope(other_organisation.pk):
        foreign = TeamFactory(organisation=other_organisation, name="Globex sales")
        MembershipFactory(organisation=other_organisation, team=foreign)
    client.force_login(world.manager.user)

    response = client.get(url(organisation, team=foreign.pk))

    assert response.status_code == 400
    assert "not one of the teams you coach" in response.content.decode()
    assert "Globex sales" not in response.content.decode()


def test_the_trajectory_filter_shows_only_members_on_it(client, organisation, world):
    client.force_login(world.manager.user)

    response = client.get(url(organisation, trajectory=world.evidence.trajectory.pk))

    names = {row.member.user.first_name for row in response.context["view"].members}
    assert names == {"Lena", "Cas"}


# --- Who needs a conversation ------------------------------------------------------------


def test_each_reason_for_a_conversation_appears_with_its_action(client, organisation, world):
    client.force_login(world.manager.user)

    response = client.get(url(organisation))

    assert reasons_of(response) == {
        ("Lena", selectors.SIGN_OFF),
        ("Lena", selectors.CHECK_IN_DUE),
        ("Bram", selectors.OFF_TRACK),
        ("Cas", selectors.OVERDUE),
        ("Cas", selectors.NOT_YET),
        ("Quinn", selectors.INACTIVE),
    }
    page = response.content.decode()
    slug = organisation.slug
    with organisation_scope(organisation.pk):
        submission = world.evidence.progress.evidence_rounds.get()
    assert reverse("courses_evidence:decide", args=[slug, submission.pk]) in page
    assert f"Approve {world.learner.display_name}’s evidence" in page
    overdue = next(n for n in response.context["view"].needs if n.reason == selectors.OVERDUE)
    assert reverse("courses:step", args=[slug, overdue.progress_id]) in page
    assert reverse("goals:goal_detail", args=[slug, world.check_in_goal.pk]) in page
    assert "Check in on the goal" in page
    assert reverse("goals:goal_detail", args=[slug, world.off_track_goal.pk]) in page
    assert "Talk about the goal" in page
    assert member_url(organisation, world.colleague) + "#commitments-heading" in page
    assert f"{reverse('courses:enrolment_create', args=[slug])}?member={world.quiet.pk}" in page
    # The most pressing first: evidence waiting for the manager.
    assert response.context["view"].needs[0].reason == selectors.SIGN_OFF


def test_one_not_yet_is_no_reason_yet_and_recent_learning_is_not_inactive(
    client, organisation, world
):
    with organisation_scope(organisation.pk):
        Commitment.objects.filter(member=world.colleague).first().delete()
        learn(world.quiet, days_ago=3)
    rollup(organisation)
    client.force_login(world.manager.user)

    reasons = reasons_of(client.get(url(organisation)))

    assert ("Cas", selectors.NOT_YET) not in reasons
    assert ("Quinn", selectors.INACTIVE) not in reasons


def test_approving_in_place_signs_off_and_the_item_disappears(client, organisation, world):
    with organisation_scope(organisation.pk):
        submission = world.evidence.progress.evidence_rounds.get()
    client.force_login(world.manager.user)
    coaching = url(organisation)

    response = client.post(
        reverse("courses_evidence:decide", args=[organisation.slug, submission.pk]),
        {"decision": "approve", "next_url": coaching},
    )

    assert response.status_code == 302
    assert response["Location"] == coaching
    with organisation_scope(organisation.pk):
        world.evidence.progress.refresh_from_db()
    assert world.evidence.progress.status == StepProgress.Status.DONE
    after = client.get(coaching)
    assert ("Lena", selectors.SIGN_OFF) not in reasons_of(after)
    assert f"Approved: {world.learner.display_name} is told." in after.content.decode()


def test_approving_twice_from_the_coaching_view_says_why_and_goes_back(client, organisation, world):
    with organisation_scope(organisation.pk):
        submission = world.evidence.progress.evidence_rounds.get()
    client.force_login(world.manager.user)
    decide = reverse("courses_evidence:decide", args=[organisation.slug, submission.pk])
    client.post(decide, {"decision": "approve", "next_url": url(organisation)})

    again = client.post(decide, {"decision": "approve", "next_url": url(organisation)})

    assert again.status_code == 302 and again["Location"] == url(organisation)


def test_a_next_url_outside_the_organisation_is_ignored(client, organisation, world):
    with organisation_scope(organisation.pk):
        submission = world.evidence.progress.evidence_rounds.get()
    client.force_login(world.manager.user)

    response = client.post(
        reverse("courses_evidence:decide", args=[organisation.slug, submission.pk]),
        {"decision": "approve", "next_url": "https://evil.example/o/acme/"},
    )

    assert "evil.example" not in response["Location"]


# --- Per member and trends -------------------------------------------------------------------


def test_a_completed_unit_of_on_the_job_learning_counts_as_experience_in_the_mix(
    client, organisation, world
):
    with organisation_scope(organisation.pk):
        # As microlearning records it: the unit version's category in the context.
        LearningEventFactory(actor=world.colleague, context={"category": "experience"})
        learn(world.colleague)  # a unit without a category: formal, the verb's default
    rollup(organisation)
    client.force_login(world.manager.user)

    response = client.get(url(organisation))

    rows = {row.member.user.first_name: row for row in response.context["view"].members}
    counts = rows["Cas"].mix.counts
    assert (counts[Category.EXPERIENCE], counts[Category.FORMAL]) == (1, 1)


def test_members_show_goals_steps_application_rate_last_activity_and_mix(
    client, organisation, world
):
    with organisation_scope(organisation.pk):
        commitment(world.colleague, status=Commitment.Status.APPLIED)
        commitment(world.colleague, status=Commitment.Status.OPEN)
        learn(world.colleague, days_ago=2)  # a unit: formal
        learn(world.colleague, LearningEvent.Verb.REFLECTED, days_ago=1)  # experience
        learn(world.colleague, LearningEvent.Verb.VIEWED, days_ago=1)  # part of a unit
        learn(world.colleague, LearningEvent.Verb.NUDGE_SENT)  # no learning
    rollup(organisation)
    client.force_login(world.manager.user)

    response = client.get(url(organisation))

    rows = {row.member.user.first_name: row for row in response.context["view"].members}
    cas = rows["Cas"]
    # 1 applied of 3 reported (two "not yet"); the open one is not reported yet.
    assert (cas.applied, cas.reported, cas.application_rate) == (1, 3, 33)
    assert cas.last_active == timezone.localdate() - DAY
    assert cas.mix.counts == {"experience": 1, "social": 0, "formal": 1}
    assert cas.mix.shares == {"experience": 50, "social": 0, "formal": 50}
    assert cas.enrolments[0].steps[0].overdue
    assert [goal.title for goal in rows["Lena"].goals] == ["Chair the meeting"]
    assert rows["Bram"].goals[0].off_track == "low"
    assert "33% (1 of 3 reported)" in response.content.decode()


def test_trend_counts_active_members_completions_and_sign_offs_per_week(
    client, organisation, world
):
    with organisation_scope(organisation.pk):
        learn(world.learner, days_ago=0)
        learn(world.buddy, days_ago=0)
        learn(world.buddy, LearningEvent.Verb.APPROVED, days_ago=0)
        learn(world.colleague, days_ago=14)
        learn(world.outsider, days_ago=0)  # not in the manager's teams
    rollup(organisation)
    client.force_login(world.manager.user)

    trend = client.get(url(organisation)).context["view"].trend

    assert len(trend) == 12
    assert (trend[-1].active_members, trend[-1].completions, trend[-1].signed_off) == (2, 2, 1)
    assert trend[-3].completions == 1
    assert sum(week.completions for week in trend) == 3


def test_trend_charts_have_a_table_alternative(client, organisation, world):
    client.force_login(world.manager.user)

    page = client.get(url(organisation, weeks=4)).content.decode()

    assert page.count('<svg class="chart"') == 3
    assert page.count("The figures per week") == 3
    assert "Steps signed off" in page


# --- The member page -----------------------------------------------------------------------


def test_member_page_shows_goals_steps_and_commitments(client, organisation, world):
    client.force_login(world.manager.user)

    response = client.get(member_url(organisation, world.colleague))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Use the checklist at every handover" in page
    assert "Lead the Monday stand-up" in page
    assert {need.reason for need in response.context["page"].needs} == {
        selectors.OVERDUE,
        selectors.NOT_YET,
    }


def test_member_page_of_somebody_outside_the_managers_teams_is_not_found(
    client, organisation, other_organisation, world
):
    with organisation_scope(other_organisation.pk):
        foreign = MembershipFactory(organisation=other_organisation)
    client.force_login(world.manager.user)

    assert client.get(member_url(organisation, world.outsider)).status_code == 404
    assert client.get(member_url(organisation, foreign)).status_code == 404
    assert client.get(member_url(organisation, world.manager)).status_code == 404


def test_private_reflections_never_appear(client, organisation, world):
    with organisation_scope(organisation.pk):
        unit = UnitFactory(organisation=organisation)
        Reflection.objects.create(
            organisation=organisation,
            member=world.learner,
            block=unit.live_version.blocks.first(),
            version=unit.live_version,
            text="PRIVATE-THOUGHT-ABOUT-MY-MANAGER",
        )
        from courses.models import StepReflection

        StepReflection.objects.create(
            organisation=organisation,
            progress=world.evidence.progress,
            text="PRIVATE-STEP-REFLECTION",
        )
        learn(world.learner, LearningEvent.Verb.REFLECTED)
    rollup(organisation)
    client.force_login(world.manager.user)

    for page in (url(organisation), member_url(organisation, world.learner)):
        body = client.get(page).content.decode()
        assert "PRIVATE-THOUGHT-ABOUT-MY-MANAGER" not in body
        assert "PRIVATE-STEP-REFLECTION" not in body


# --- Landing ------------------------------------------------------------------------------


def test_a_manager_lands_on_the_coaching_view_and_a_learner_on_my_learning(
    client, organisation, world
):
    client.force_login(world.manager.user)
    assert client.get("/")["Location"] == url(organisation)
    page = client.get(url(organisation)).content.decode()
    assert reverse("microlearning:home", args=[organisation.slug]) in page  # "My learning"

    client.force_login(world.learner.user)
    assert client.get("/")["Location"] == reverse("microlearning:home", args=[organisation.slug])


# --- Query counts ----------------------------------------------------------------------------


def _team_of(organisation, size: int):
    """A manager with ``size`` members, each with a goal, a trajectory step, commitments and
    learning on several days of the last weeks."""
    from tests.courses.evidence_factories import evidence_world

    world = evidence_world(organisation)
    skill = SkillFactory(organisation=organisation)
    for n in range(size):
        person = member_named(organisation, world.team, f"Member{n}")
        enrolment = Enrolment.objects.create(
            organisation=organisation,
            trajectory=world.trajectory,
            version=world.enrolment.version,
            membership=person,
        )
        StepProgress.objects.create(
            organisation=organisation,
            enrolment=enrolment,
            step=world.step,
            due_on=timezone.localdate() - DAY * (n % 3),
        )
        agreed_goal(person, skill, world.manager)
        commitment(person, status=Commitment.Status.NOT_YET)
        commitment(person, status=Commitment.Status.APPLIED)
        for days_ago in (0, 8, 30):
            learn(person, days_ago=days_ago)
    return world


def _queries(client, page: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    return len(captured)


def test_coaching_view_and_member_page_queries_do_not_grow_with_team_size_or_weeks(
    client, organisation, other_organisation
):
    with organisation_scope(organisation.pk):
        small = _team_of(organisation, 3)
    with organisation_scope(other_organisation.pk):
        large = _team_of(other_organisation, 30)
    rollup(organisation)
    rollup(other_organisation)

    counts = {}
    for name, world, org in (("small", small, organisation), ("large", large, other_organisation)):
        client.force_login(world.manager.user)
        counts[name] = (
            _queries(client, url(org, weeks=4)),
            _queries(client, url(org, weeks=26)),
            _queries(client, member_url(org, world.learner)),
        )

    assert counts["small"] == counts["large"]
    assert counts["small"][0] == counts["small"][1]
