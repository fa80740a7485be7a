"""The HR report's figures on a small dataset whose every figure is known."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from analytics import services
from analytics.selectors import organisation_today
from analytics.selectors.report import ReportFilters, hr_report, report_filters_parse
from courses.models import Enrolment, Trajectory, TrajectoryVersion
from events.models import LearningEvent
from goals.models import CheckIn, Goal, ProficiencyRating
from microlearning.models import Rating
from organisations.tenancy import organisation_scope
from tests.factories import (
    LearningEventFactory,
    MembershipFactory,
    SkillFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
V = LearningEvent.Verb


def event(actor, verb, *, days_ago=0, **fields):
    return LearningEventFactory(
        actor=actor, verb=verb, timestamp=timezone.now() - dt.timedelta(days=days_ago), **fields
    )


@pytest.fixture
def world(organisation):
    """Ann and Ben in Care, Cas in Desk; a trajectory Ben is enrolled in; one skill."""
    care = TeamFactory(organisation=organisation, name="Care")
    desk = TeamFactory(organisation=organisation, name="Desk")

    def member(team, name):
        return MembershipFactory(
            organisation=organisation, team=team, user=UserFactory(first_name=name)
        )

    ann, ben, cas = member(care, "Ann"), member(care, "Ben"), member(desk, "Cas")
    trajectory = Trajectory.objects.create(organisation=organisation, title="Onboarding")
    version = TrajectoryVersion.objects.create(
        organisation=organisation, trajectory=trajectory, number=1, title="Onboarding"
    )
    Enrolment.objects.create(
        organisation=organisation, trajectory=trajectory, version=version, membership=ben
    )
    skill = SkillFactory(organisation=organisation, name="Lifting")
    steps = {"trajectory": trajectory.pk}

    # Usage: Ann views twice and completes twice (5 + 10 minutes), Ben views once and
    # completes once, Cas completes twice, once as part of a plan activity (counted_as).
    event(ann, V.VIEWED)
    event(ann, V.VIEWED)
    event(ann, V.VIEWED, days_ago=100)  # before the period
    event(ann, V.COMPLETED, context={"category": "formal", "minutes": 5})
    event(ann, V.COMPLETED, context={"category": "experience", "minutes": 10})
    event(ben, V.VIEWED)
    event(ben, V.COMPLETED, context={"category": "experience"})
    event(cas, V.COMPLETED, context={"category": "social", "minutes": 3})
    event(cas, V.COMPLETED, context={"category": "formal", "minutes": 7, "counted_as": 1})
    event(cas, V.NUDGE_SENT, object_type="nudge")  # being nudged is no use
    # Application: Ann commits and reports "applied" once, "not yet" once.
    event(ann, V.COMMITTED, object_type="commitment")
    # (The report as microlearning's commitment_report records it.)
    applied, not_yet = ({"status": s, "success": s == "applied"} for s in ("applied", "not_yet"))
    event(ann, V.APPLIED, object_type="commitment", result=applied)
    event(ann, V.APPLIED, object_type="commitment", result=not_yet)
    # Ben hands in two steps: one signed off first time, one on the second round.
    event(ben, V.SUBMITTED, object_type="step", context={**steps, "round": 1})
    event(ben, V.APPROVED, object_type="step", context={**steps, "round": 1})
    event(ben, V.SUBMITTED, object_type="step", object_id=2, context={**steps, "round": 2})
    event(ben, V.APPROVED, object_type="step", object_id=2, context={**steps, "round": 2})
    with organisation_scope(organisation.pk):
        services.organisation_rollup(organisation=organisation)

    unit = UnitFactory(organisation=organisation)
    for who, score in ((ann, 4), (cas, 2)):
        Rating.objects.create(
            organisation=organisation, member=who, unit=unit, version=unit.live_version, score=score
        )
    # Impact: Ann's goal agreed now, Ben's achieved now (agreed long ago).
    now = timezone.now()
    goal_fields = {
        "organisation": organisation,
        "skill": skill,
        "title": "Lift safely",
        "current_level": 1,
        "target_level": 3,
        "target_date": (now + dt.timedelta(days=30)).date(),
    }
    ann_goal = Goal.objects.create(member=ann, status="agreed", agreed_at=now, **goal_fields)
    ben_goal = Goal.objects.create(
        member=ben,
        status="closed",
        outcome="achieved",
        agreed_at=now - dt.timedelta(days=200),
        closed_at=now,
        **goal_fields,
    )
    for goal, rating in ((ann_goal, 4), (ben_goal, 2)):
        CheckIn.objects.create(
            organisation=organisation, goal=goal, progress=3, manager_rating=rating, answered_at=now
        )
    # Proficiency: Ann 2 -> 4, Cas 1 -> 2, Ben rated once (no before/after).
    for who, levels in ((ann, (2, 4)), (cas, (1, 2)), (ben, (3,))):
        for days, level in zip((20, 1), levels, strict=False):
            ProficiencyRating.objects.create(
                organisation=organisation,
                member=who,
                skill=skill,
                level=level,
                rated_by="self",
                rated_at=now - dt.timedelta(days=days),
            )
    return SimpleNamespace(
        care=care, desk=desk, ann=ann, ben=ben, cas=cas, trajectory=trajectory, skill=skill
    )


def _report(organisation, **filters):
    with organisation_scope(organisation.pk):
        today = organisation_today(organisation=organisation)
        return hr_report(
            organisation=organisation, filters=ReportFilters(weeks=4, end=today, **filters)
        )


def _figures(report, section_key: str) -> dict:
    return {row.key: row.cells[0].value for row in report.section(section_key).rows}


def test_every_measure_of_the_report_on_a_known_dataset(organisation, world):
    report = _report(organisation)

    usage, application, impact = (
        _figures(report, key) for key in ("usage", "application", "impact")
    )
    assert usage == {
        "reach": 3,
        "views": 3,
        "completions": 5,
        "minutes": 18,
        "ratings": 2,
        "rating_average": 3.0,
    }
    assert application == {
        "commitments_made": 1,
        "commitments_applied": 1,
        "steps_submitted": 2,
        "steps_signed_off": 2,
        "first_time_share": 0.5,
        "nudge_to_action": None,  # no rule asks for an action here
    }
    assert impact == {
        "goals_agreed": 1,
        "goals_achieved": 1,
        "proficiency_before": 1.5,
        "proficiency_after": 3.0,
        "proficiency_change": 1.5,
        "manager_rating": 3.0,
    }
    mix = {row.key: (row.cells[0].value, row.cells[1].value) for row in report.section("mix").rows}
    assert mix == {
        "mix_experience": (0.5, 0.7),
        "mix_social": (0.25, 0.2),
        "mix_formal": (0.25, 0.1),
    }
    assert report.people == 3


def test_the_team_breakdown_adds_up_to_the_total(organisation, world):
    teams = _report(organisation).section("teams")
    columns = [column.key for column in teams.columns]
    by_team = {
        row.key: dict(zip(columns, (c.value for c in row.cells), strict=True)) for row in teams.rows
    }

    care, desk, total = by_team[str(world.care.pk)], by_team[str(world.desk.pk)], by_team["total"]
    assert (care["members"], care["reach"], care["completions"], care["minutes"]) == (2, 2, 3, 15)
    assert (desk["members"], desk["reach"], desk["completions"], desk["minutes"]) == (1, 1, 2, 3)
    assert (total["members"], total["completions"], total["steps_signed_off"]) == (3, 5, 2)
    assert care["proficiency_change"] == 2.0 and desk["proficiency_change"] == 1.0
    # A cell's people is what suppression counts: the team's members, or who was rated.
    care_row = next(row for row in teams.rows if row.key == str(world.care.pk))
    assert care_row.cells[0].people == 2


def test_proficiency_before_and_after_per_skill(organisation, world):
    skills = _report(organisation).section("skills")

    (row,) = skills.rows
    assert row.label == "Lifting"
    assert [cell.value for cell in row.cells] == [2, 1.5, 3.0, 1.5]


def test_a_trajectory_narrows_the_people_and_the_steps(organisation, world):
    report = _report(organisation, trajectory=world.trajectory)

    assert report.people == 1
    assert _figures(report, "application")["steps_signed_off"] == 2
    (row,) = report.section("trajectories").rows
    assert [cell.value for cell in row.cells] == [1, 0, 2, 2, 0.5]


def test_a_team_narrows_the_people_to_that_team(organisation, world):
    report = _report(organisation, team=world.desk)

    assert report.people == 1
    assert _figures(report, "usage")["completions"] == 2
    assert [row.key for row in report.section("teams").groups] == [str(world.desk.pk)]


def test_the_weekly_trend_adds_up_to_the_period(organisation, world):
    trend = _report(organisation).section("trend")

    completions = [row.cells[2].value for row in trend.groups]
    assert len(completions) == 4 and sum(completions) == 5
    assert trend.total.cells[2].value == 5


# --- Filters ---------------------------------------------------------------------------


def _parse(organisation, params):
    with organisation_scope(organisation.pk):
        return report_filters_parse(
            organisation=organisation, params=params, today=dt.date(2026, 11, 26)
        )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"colour": "red"}, "There is no filter called “colour”."),
        ({"weeks": "5"}, "Choose a period of 4, 12, 26 or 52 weeks."),
        ({"weeks": "many"}, "Choose a period of 4, 12, 26 or 52 weeks."),
        ({"end": "2026-11-27"}, "The period cannot end in the future: choose today or earlier."),
        ({"end": "yesterday"}, "The end of the period must be a date (year-month-day)."),
        ({"team": "abc"}, "That team is not one of this organisation's teams."),
        ({"trajectory": "999999"}, "That trajectory is not one of this organisation's."),
        ({"skill": "-1"}, "That skill is not one of this organisation's skills."),
    ],
)
def test_a_wrong_filter_gives_a_message_and_no_filters(organisation, params, message):
    filters, errors = _parse(organisation, params)

    assert filters is None and errors == [message]


def test_another_organisations_team_is_refused_like_one_that_does_not_exist(
    organisation, other_organisation
):
    foreign = TeamFactory(organisation=other_organisation)

    filters, errors = _parse(organisation, {"team": str(foreign.pk)})

    assert filters is None and errors == ["That team is not one of this organisation's teams."]


def test_good_filters_are_parsed(organisation):
    team = TeamFactory(organisation=organisation)

    filters, errors = _parse(
        organisation, {"weeks": "4", "end": "2026-11-26", "team": str(team.pk)}
    )

    assert errors == []
    assert (filters.weeks, filters.team, filters.start) == (4, team, dt.date(2026, 11, 2))
