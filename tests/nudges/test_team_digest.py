"""The weekly team digest: who in a manager's teams is stuck, overdue or inactive."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from courses.models import Enrolment, SignOffDecision, StepProgress
from events.models import LearningEvent
from nudges.digest import team_digests
from nudges.models import Nudge, NudgeRule
from nudges.services import team_digest
from nudges.services.team_digest import digest_week
from organisations.models import Membership
from organisations.permissions import managed_team_ids
from organisations.tenancy import organisation_scope
from tests import factories

from .manager_world import hand_in, manager_rule, manager_world, nudges_of, plan
from .test_manager_kinds import deliver
from .test_services import followed_links

pytestmark = pytest.mark.django_db

DAYS = dt.timedelta(days=1)


@pytest.fixture
def world(organisation):
    return manager_world(organisation)


@pytest.fixture
def rule(organisation, world):
    """A digest due today from midnight, in the organisation's time."""
    local = world.now.astimezone(organisation.zone)
    return manager_rule(organisation, NudgeRule.Kind.TEAM_DIGEST, weekday=local.weekday(), hour=0)


def learnt(member: Membership, *, at: dt.datetime) -> None:
    with scopes_disabled():
        factories.LearningEventFactory(actor=member, timestamp=at)


def everyone_learnt_lately(world) -> None:
    with scopes_disabled():
        for member in Membership.objects.filter(organisation=world.organisation):
            learnt(member, at=world.now - DAYS)


def digest_of(world, manager) -> dict:
    with organisation_scope(world.organisation.pk):
        digests = team_digests(
            organisation=world.organisation,
            managers={manager.pk: managed_team_ids(manager)},
            now=world.now,
        )
    digest = digests.get(manager.pk)
    return {p["name"]: p for p in digest.people} if digest else {}


# --- who is mentioned ---------------------------------------------------------------------


def test_evidence_waiting_a_week_makes_the_learner_stuck_with_a_link_to_sign_it_off(world):
    everyone_learnt_lately(world)
    submission = hand_in(world.progress, at=world.now - 8 * DAYS)

    people = digest_of(world, world.manager)

    anna = people["Anna de Vries"]
    assert anna["situations"] == ["stuck"]
    assert anna["waiting"][0]["step"] == "Lead the stand-up"
    assert anna["waiting"][0]["days"] == 8
    assert anna["act_path"] == reverse("courses_evidence:submission", args=["acme", submission.pk])


def test_changes_asked_and_not_acted_on_make_the_learner_stuck(world):
    everyone_learnt_lately(world)
    submission = hand_in(world.progress, at=world.now - 12 * DAYS)
    with scopes_disabled():
        SignOffDecision.objects.create(
            organisation=world.organisation,
            submission=submission,
            signer=world.manager,
            decision=SignOffDecision.Decision.CHANGES_REQUESTED,
            feedback="Add the agenda.",
            decided_at=world.now - 9 * DAYS,
        )
        StepProgress.objects.filter(pk=world.progress.pk).update(
            status=StepProgress.Status.CHANGES_REQUESTED
        )

    anna = digest_of(world, world.manager)["Anna de Vries"]

    assert anna["situations"] == ["stuck"]
    assert anna["changes"][0]["days"] == 9
    assert anna["act_path"] == reverse("courses:step", args=["acme", world.progress.pk])


def test_a_step_past_its_due_date_makes_the_learner_overdue(world):
    everyone_learnt_lately(world)
    with scopes_disabled():
        StepProgress.objects.filter(pk=world.progress.pk).update(
            due_on=timezone.localdate() - 3 * DAYS
        )

    anna = digest_of(world, world.manager)["Anna de Vries"]

    assert anna["situations"] == ["overdue"]
    assert anna["overdue"][0]["days"] == 3
    assert anna["act_path"] == reverse("courses:step", args=["acme", world.progress.pk])


def test_a_member_without_learning_for_two_weeks_is_inactive_the_others_are_not(world):
    everyone_learnt_lately(world)
    quiet = factories.MembershipFactory(
        organisation=world.organisation,
        team=world.evidence.team,
        user__first_name="Bram",
        user__last_name="Quiet",
        created_at=world.now - 60 * DAYS,
    )
    learnt(quiet, at=world.now - 15 * DAYS)
    with scopes_disabled():
        # A reminder sent to someone is no learning of theirs.
        factories.LearningEventFactory(
            actor=quiet, verb=LearningEvent.Verb.NUDGE_SENT, timestamp=world.now - DAYS
        )
    factories.MembershipFactory(
        organisation=world.organisation,
        team=world.evidence.team,
        user__first_name="Nina",
        user__last_name="New",
        created_at=world.now - 3 * DAYS,
    )

    people = digest_of(world, world.manager)

    assert set(people) == {"Bram Quiet"}
    assert people["Bram Quiet"]["situations"] == ["inactive"]
    # No open step of theirs to look at: the link offers to enrol them.
    assert people["Bram Quiet"]["act_path"] == (
        reverse("courses:enrolment_create", args=["acme"]) + f"?member={quiet.pk}"
    )


def test_the_manager_above_sees_the_sub_team_another_teams_manager_does_not(world):
    everyone_learnt_lately(world)
    hand_in(world.progress, at=world.now - 8 * DAYS)

    assert "Anna de Vries" in digest_of(world, world.top_manager)
    assert digest_of(world, world.other_manager) == {}


def test_a_manager_is_not_mentioned_in_their_own_digest(world):
    # Nobody learnt anything: everyone is inactive, the manager too.
    people = digest_of(world, world.manager)

    assert world.manager.display_name not in people
    assert world.learner.display_name in people


# --- planning -----------------------------------------------------------------------------


def test_the_digest_is_planned_on_its_weekday_for_each_manager_with_someone_to_mention(world, rule):
    everyone_learnt_lately(world)
    hand_in(world.progress, at=world.now - 8 * DAYS)

    assert plan(rule, world.now) == 4  # the manager and the one above, two channels each

    nudges = nudges_of(rule)
    assert {n.member_id for n in nudges} == {world.manager.pk, world.top_manager.pk}
    year, week, _ = world.now.astimezone(world.organisation.zone).isocalendar()
    assert {n.occurrence for n in nudges} == {year * 100 + week}
    nudge = next(n for n in nudges if n.member_id == world.manager.pk)
    assert (nudge.subject_type, nudge.subject_id) == ("manager", world.manager.pk)
    assert nudge.payload["stuck_count"] == 1
    assert nudge.payload["team_names"] == ["Service desk"]
    assert [p["name"] for p in nudge.payload["people"]] == ["Anna de Vries"]


def test_a_manager_with_nobody_to_mention_gets_no_digest(world, rule):
    everyone_learnt_lately(world)

    assert plan(rule, world.now) == 0


def test_the_digest_waits_for_its_weekday_and_hour(world, organisation):
    everyone_learnt_lately(world)
    hand_in(world.progress, at=world.now - 8 * DAYS)
    local = world.now.astimezone(organisation.zone)
    other_day = manager_rule(
        organisation,
        NudgeRule.Kind.TEAM_DIGEST,
        weekday=(local.weekday() + 1) % 7,
    )
    later_today = manager_rule(
        organisation, NudgeRule.Kind.TEAM_DIGEST, weekday=local.weekday(), hour=23
    )

    assert plan(other_day, world.now) == 0
    if local.hour < 23:
        assert plan(later_today, world.now) == 0
    assert digest_week(rule=other_day, now=world.now + DAYS) is not None


def test_planning_the_digest_again_that_week_adds_nothing_the_next_week_plans_anew(world, rule):
    everyone_learnt_lately(world)
    hand_in(world.progress, at=world.now - 8 * DAYS)
    plan(rule, world.now)

    assert plan(rule, world.now + dt.timedelta(minutes=15)) == 0

    next_week = world.now + 7 * DAYS
    learnt_again = world.now + 6 * DAYS
    with scopes_disabled():
        for member in Membership.objects.filter(organisation=world.organisation):
            learnt(member, at=learnt_again)
    assert plan(rule, next_week) == 4
    assert len({n.occurrence for n in nudges_of(rule)}) == 2


def test_a_held_out_manager_gets_no_digest(world, rule, monkeypatch):
    everyone_learnt_lately(world)
    hand_in(world.progress, at=world.now - 8 * DAYS)
    monkeypatch.setattr(
        "nudges.services.team_digest.held_out",
        lambda *, rule_id, member_id, percent: member_id == world.top_manager.pk,
    )

    plan(rule, world.now)

    assert {n.member_id for n in nudges_of(rule)} == {world.manager.pk}


def test_a_digest_for_someone_who_manages_no_team_any_more_is_withdrawn(world, rule):
    everyone_learnt_lately(world)
    hand_in(world.progress, at=world.now - 8 * DAYS)
    plan(rule, world.now)
    nudge = next(n for n in nudges_of(rule) if n.member_id == world.manager.pk)
    with organisation_scope(world.organisation.pk):
        assert team_digest.cancel_reason(nudge) == ""

    with scopes_disabled():
        world.evidence.team.manager = None
        world.evidence.team.save(update_fields=["manager"])
    nudge = next(n for n in nudges_of(rule) if n.member_id == world.manager.pk)
    with organisation_scope(world.organisation.pk):
        assert team_digest.cancel_reason(nudge) == Nudge.CancelReason.WITHDRAWN


# --- the e-mail and the page --------------------------------------------------------------


def test_the_digest_email_lists_the_people_with_their_links(world, rule, settings):
    everyone_learnt_lately(world)
    submission = hand_in(world.progress, at=world.now - 8 * DAYS)
    plan(rule, world.now)
    email = next(
        n
        for n in nudges_of(rule)
        if n.member_id == world.manager.pk and n.channel == Nudge.Channel.EMAIL
    )

    assert deliver(email) == Nudge.Status.SENT

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    sign_off = reverse("courses_evidence:submission", args=["acme", submission.pk])
    digest = reverse("nudges:team_digest", args=["acme"])
    for body in (message.body, html):
        assert "Anna de Vries" in body
        assert {sign_off, digest} <= followed_links(body)
    assert "Lead the stand-up" in message.body


def test_the_digest_words_count_the_people(world, rule):
    everyone_learnt_lately(world)
    hand_in(world.progress, at=world.now - 8 * DAYS)
    plan(rule, world.now)
    nudge = next(n for n in nudges_of(rule) if n.member_id == world.manager.pk)

    with organisation_scope(world.organisation.pk):
        values = team_digest.values(nudge)
        action = team_digest.action(nudge)

    assert values["team_name"] == "Service desk"
    assert (values["stuck_count"], values["overdue_count"], values["inactive_count"]) == (1, 0, 0)
    assert action.path == reverse("nudges:team_digest", args=["acme"])


def test_the_digest_page_shows_the_manager_the_list_as_it_is_now(client, world):
    everyone_learnt_lately(world)
    submission = hand_in(world.progress, at=world.now - 8 * DAYS)
    client.force_login(world.manager.user)

    response = client.get(reverse("nudges:team_digest", args=["acme"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Anna de Vries" in page
    assert reverse("courses_evidence:submission", args=["acme", submission.pk]) in page


def test_the_digest_page_is_for_managers_only(client, world):
    client.force_login(world.learner.user)

    assert client.get(reverse("nudges:team_digest", args=["acme"])).status_code == 403


def test_the_digest_page_of_another_organisation_is_not_found(client, world, other_organisation):
    outsider = factories.MembershipFactory(organisation=other_organisation)
    factories.TeamFactory(organisation=other_organisation, manager=outsider)
    client.force_login(outsider.user)

    assert client.get(reverse("nudges:team_digest", args=["acme"])).status_code == 404


def test_the_digest_page_reads_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.top_manager.user)
    url = reverse("nudges:team_digest", args=["acme"])
    client.get(url)  # warm the session and the caches
    for index in range(8):
        learner = factories.MembershipFactory(
            organisation=world.organisation,
            team=world.evidence.team,
            created_at=world.now - 60 * DAYS,
        )
        with scopes_disabled():
            progress = StepProgress.objects.create(
                organisation=world.organisation,
                enrolment=Enrolment.objects.create(
                    organisation=world.organisation,
                    trajectory=world.evidence.trajectory,
                    version=world.evidence.enrolment.version,
                    membership=learner,
                ),
                step=world.evidence.step,
                due_on=timezone.localdate() - (index + 1) * DAYS,
            )
        if index % 2:
            hand_in(progress, at=world.now - 9 * DAYS)

    # 19 today: the request's own (session, user, membership, RLS settings) and 13 for the
    # digest, whatever the number of people; a little room for the page header.
    with django_assert_max_num_queries(22):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count('class="button"') >= 9


def test_the_digest_email_speaks_the_managers_language(world, rule):
    everyone_learnt_lately(world)
    hand_in(world.progress, at=world.now - 8 * DAYS)
    with scopes_disabled():
        world.manager.user.language = "nl"
        world.manager.user.save(update_fields=["language"])
    plan(rule, world.now)
    email = next(
        n
        for n in nudges_of(rule)
        if n.member_id == world.manager.pk and n.channel == Nudge.Channel.EMAIL
    )

    deliver(email)

    (message,) = mail.outbox
    assert "Keur het bewijs van Anna de Vries goed" in message.body
    assert "wacht al 8 dagen op akkoord" in message.alternatives[0][0]


def test_on_another_day_the_digest_planner_reads_nothing(
    world, organisation, django_assert_num_queries
):
    local = world.now.astimezone(organisation.zone)
    rule = manager_rule(organisation, NudgeRule.Kind.TEAM_DIGEST, weekday=(local.weekday() + 3) % 7)
    rule.organisation = organisation

    with organisation_scope(organisation.pk), django_assert_num_queries(0):
        assert team_digest.plan(rule=rule, now=world.now) == 0


def test_the_enrol_link_of_an_inactive_person_chooses_them_in_the_form(client, world):
    client.force_login(world.manager.user)
    url = reverse("courses:enrolment_create", args=["acme"])

    page = client.get(f"{url}?member={world.learner.pk}").content.decode()

    assert f'<option value="{world.learner.pk}" selected>' in page


def test_a_long_digest_mails_the_first_people_and_counts_the_rest(world, rule, monkeypatch):
    monkeypatch.setattr("nudges.digest.PEOPLE_KEPT", 1)
    hand_in(world.progress, at=world.now - 8 * DAYS)  # nobody learnt lately: all inactive
    plan(rule, world.now)
    email = next(
        n
        for n in nudges_of(rule)
        if n.member_id == world.manager.pk and n.channel == Nudge.Channel.EMAIL
    )
    assert len(email.payload["people"]) == 1
    assert email.payload["inactive_count"] == email.payload["people_total"] == 3

    deliver(email)

    (message,) = mail.outbox
    assert "And 2 more people: see them all in your team digest." in message.body
