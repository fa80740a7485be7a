"""Rules as data: validation by field, the holdout, the audience and the default rule."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from nudges import rules, services
from nudges.models import Nudge, NudgeRule
from organisations.models import AuditLog
from organisations.tenancy import organisation_scope
from tests import factories

from .conftest import NUDGE_AFTER_DAYS

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": NudgeRule.Kind.FINISH_UNIT,
    "delay_days": 2,
    **rules.FINISH_UNIT_DEFAULT,
}


def create(organisation, by=None, **fields):
    with organisation_scope(organisation.pk):
        return services.nudge_rule_create(organisation=organisation, by=by, **{**GOOD, **fields})


def field_errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- validation -----------------------------------------------------------------------


def test_a_valid_rule_is_saved_with_an_audit_row(organisation, member):
    rule = create(organisation, by=member, holdout_percent=20)

    with organisation_scope(organisation.pk):
        audit = AuditLog.objects.get(action="nudge_rule.created")
    assert (rule.kind, rule.delay_days, rule.holdout_percent) == ("finish_unit", 2, 20)
    assert (audit.actor_id, audit.object_id) == (member.pk, rule.pk)


def test_an_unknown_placeholder_is_an_error_of_that_field(organisation):
    with pytest.raises(ValidationError) as excinfo:
        create(organisation, text_en="Hello {first_name}, see {step_title} by {due}.")

    errors = field_errors(excinfo)
    assert set(errors) == {"text_en"}
    assert "{step_title}" in errors["text_en"][0]
    assert "{due}" in errors["text_en"][1]
    assert "{unit_title}" in errors["text_en"][0]  # what the kind does offer
    with organisation_scope(organisation.pk):
        assert not NudgeRule.objects.exists()


@pytest.mark.parametrize("field", rules.TEXT_FIELDS)
def test_an_empty_text_in_one_language_is_an_error_of_that_field(organisation, field):
    with pytest.raises(ValidationError) as excinfo:
        create(organisation, **{field: "   "})

    assert set(field_errors(excinfo)) == {field}


def test_a_stray_brace_is_an_error(organisation):
    with pytest.raises(ValidationError) as excinfo:
        create(organisation, subject_nl="Rond {unit_title af")

    assert set(field_errors(excinfo)) == {"subject_nl"}


def test_a_placeholder_of_another_kind_is_unknown_here(organisation):
    with pytest.raises(ValidationError) as excinfo:
        create(organisation, subject_en="Sign off {learner_name}")

    assert set(field_errors(excinfo)) == {"subject_en"}


def test_timing_channels_and_teams_are_checked_per_field(organisation):
    with pytest.raises(ValidationError) as no_delay:
        create(organisation, delay_days=None)
    with pytest.raises(ValidationError) as no_weekday:
        create(
            organisation,
            kind=NudgeRule.Kind.TEAM_DIGEST,
            delay_days=None,
            subject_nl="Je team {team_name}",
            subject_en="Your team {team_name}",
            text_nl="{stuck_count} zitten vast.",
            text_en="{stuck_count} are stuck.",
        )
    with pytest.raises(ValidationError) as no_channel:
        create(organisation, send_email=False, send_in_app=False)
    with pytest.raises(ValidationError) as no_teams:
        create(organisation, audience=NudgeRule.Audience.TEAMS)
    with pytest.raises(ValidationError) as too_many_held_out:
        create(organisation, holdout_percent=80)

    assert "delay_days" in field_errors(no_delay)
    assert "weekday" in field_errors(no_weekday)
    assert "send_email" in field_errors(no_channel)
    assert set(field_errors(no_teams)) == {"teams"}
    assert set(field_errors(too_many_held_out)) == {"holdout_percent"}


def test_teams_of_another_organisation_cannot_be_chosen(organisation, other_organisation):
    foreign = factories.TeamFactory(organisation=other_organisation)

    with pytest.raises(ValidationError) as excinfo:
        create(organisation, audience=NudgeRule.Audience.TEAMS, teams=[foreign])

    assert set(field_errors(excinfo)) == {"teams"}


def test_every_kind_declares_its_placeholders_and_category():
    assert set(rules.KINDS) == set(NudgeRule.Kind.values)
    for spec in rules.KINDS.values():
        assert spec.category in Nudge.Kind.values
        assert set(rules.COMMON_PLACEHOLDERS) <= set(spec.allowed)
    assert rules.text_errors(NudgeRule.Kind.FINISH_UNIT, rules.FINISH_UNIT_DEFAULT["text_nl"]) == []


def test_rendering_fills_the_placeholders_and_keeps_the_rest():
    text = "Hoi {first_name}, rond “{unit_title}” af: {unit_url}"

    assert rules.render(text, {"first_name": "Anna", "unit_title": "Q&A", "unit_url": "u"}) == (
        "Hoi Anna, rond “Q&A” af: u"
    )


def test_a_rule_change_is_validated_audited_and_keeps_its_kind(organisation, member):
    rule = create(organisation)

    with organisation_scope(organisation.pk):
        services.nudge_rule_update(rule=rule, by=member, delay_days=5, is_active=False)
        with pytest.raises(ValidationError):
            services.nudge_rule_update(rule=rule, by=member, text_nl="{nope}")
        with pytest.raises(TypeError):
            services.nudge_rule_update(rule=rule, by=member, kind=NudgeRule.Kind.APPLY)
        rule.refresh_from_db()
        audit = AuditLog.objects.get(action="nudge_rule.updated")
    assert (rule.delay_days, rule.is_active, rule.text_nl) == (
        5,
        False,
        rules.FINISH_UNIT_DEFAULT["text_nl"],
    )
    assert audit.data == {"changed": ["delay_days", "is_active"]}


# --- the holdout ----------------------------------------------------------------------


def test_the_holdout_is_stable_per_member_and_rule():
    first = [rules.held_out(rule_id=7, member_id=m, percent=10) for m in range(1, 2001)]
    again = [rules.held_out(rule_id=7, member_id=m, percent=10) for m in range(1, 2001)]
    other_rule = [rules.held_out(rule_id=8, member_id=m, percent=10) for m in range(1, 2001)]

    assert first == again
    assert first != other_rule  # each rule holds out its own members
    assert not any(rules.held_out(rule_id=7, member_id=m, percent=0) for m in range(1, 2001))


@pytest.mark.parametrize("percent", [5, 10, 25, 50])
def test_the_holdout_share_is_within_tolerance_over_10000_members(percent):
    members = range(1, 10_001)

    held = sum(rules.held_out(rule_id=42, member_id=m, percent=percent) for m in members)

    # five standard deviations of a binomial share over 10,000 members: at most ±2.5 points
    tolerance = 5 * (percent / 100 * (1 - percent / 100) / 10_000) ** 0.5
    assert abs(held / 10_000 - percent / 100) <= tolerance


def test_the_holdout_does_not_depend_on_the_process():
    # A fixed answer: a salted hash() would differ from one Python process to the next.
    assert [rules.held_out(rule_id=1, member_id=m, percent=50) for m in range(1, 11)] == [
        rules.held_out(rule_id=1, member_id=m, percent=50) for m in range(1, 11)
    ]
    import hashlib

    digest = hashlib.sha256(b"nudge-holdout:1:1").digest()
    assert rules.held_out(rule_id=1, member_id=1, percent=50) == (
        int.from_bytes(digest[:8], "big") % 10_000 < 5_000
    )


def test_the_planner_leaves_out_the_held_out_members(assigned):
    extra = [
        factories.MembershipFactory(
            organisation=assigned.organisation,
            team=assigned.team,
            created_at=assigned.now - dt.timedelta(days=30),
        )
        for _ in range(10)
    ]
    rule = create(assigned.organisation, delay_days=NUDGE_AFTER_DAYS, holdout_percent=50)
    members = [assigned.member, assigned.sub_member, *extra]

    with organisation_scope(assigned.organisation.pk):
        services.nudges_plan_due(organisation=assigned.organisation, now=assigned.now)
        nudged = set(Nudge.objects.filter(rule=rule).values_list("member_id", flat=True))

    expected = {
        m.pk for m in members if not rules.held_out(rule_id=rule.pk, member_id=m.pk, percent=50)
    }
    assert nudged == expected
    assert 0 < len(nudged) < len(members)


# --- the audience and the channels ----------------------------------------------------


def test_a_rule_for_chosen_teams_nudges_those_teams_and_their_sub_teams_only(assigned):
    outsider_team = factories.TeamFactory(organisation=assigned.organisation)
    outsider = factories.MembershipFactory(
        organisation=assigned.organisation,
        team=outsider_team,
        created_at=assigned.now - dt.timedelta(days=30),
    )
    factories.AssignmentFactory(
        unit=assigned.unit,
        team=outsider_team,
        assigned_at=assigned.now - dt.timedelta(days=NUDGE_AFTER_DAYS, hours=1),
    )
    rule = create(
        assigned.organisation,
        delay_days=NUDGE_AFTER_DAYS,
        audience=NudgeRule.Audience.TEAMS,
        teams=[assigned.team],
        send_email=False,
    )

    with organisation_scope(assigned.organisation.pk):
        services.nudges_plan_due(organisation=assigned.organisation, now=assigned.now)
        rows = set(Nudge.objects.values_list("member_id", "channel", "rule_id"))

    assert rows == {
        (assigned.member.pk, Nudge.Channel.IN_APP, rule.pk),
        (assigned.sub_member.pk, Nudge.Channel.IN_APP, rule.pk),
    }
    assert outsider.pk not in {member_id for member_id, _, _ in rows}


def test_an_inactive_rule_plans_nothing(assigned):
    rule = create(assigned.organisation, delay_days=NUDGE_AFTER_DAYS, is_active=False)

    with organisation_scope(assigned.organisation.pk):
        services.nudges_plan_due(organisation=assigned.organisation, now=assigned.now)
        assert not Nudge.objects.filter(rule=rule).exists()


# --- the rule every organisation starts with --------------------------------------------


def test_an_organisation_without_a_finish_rule_gets_the_default_once(organisation):
    organisation.nudge_after_days = 4
    organisation.save(update_fields=["nudge_after_days"])

    with organisation_scope(organisation.pk):
        (first,) = services.nudge_rule_default_ensure(organisation=organisation)
        made = (first.kind, first.delay_days, first.holdout_percent, first.is_active)
        channels = first.channels
        second = services.nudge_rule_default_ensure(organisation=organisation)
        services.nudge_rule_update(rule=first, by=None, is_active=False)
        third = services.nudge_rule_default_ensure(organisation=organisation)
        count = NudgeRule.objects.count()

    assert made == ("finish_unit", 4, 0, True)
    assert channels == [Nudge.Channel.EMAIL, Nudge.Channel.IN_APP]
    assert second == [] and third == []  # switched off stays off
    assert count == 1


def test_the_data_migration_gives_every_organisation_the_old_reminder_as_a_rule(
    organisation, other_organisation
):
    migration = importlib.import_module("nudges.migrations.0005_default_finish_unit_rules")
    old = factories.NudgeFactory(member=factories.MembershipFactory(organisation=organisation))
    other_organisation.nudge_after_days = 6
    other_organisation.save(update_fields=["nudge_after_days"])

    class Editor:
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    with scopes_disabled():  # as in a migration: historical models have no scoped manager
        migration.forwards(apps, Editor())

    with organisation_scope(organisation.pk):
        mine = NudgeRule.objects.filter(kind="finish_unit").exclude(pk=old.rule_id).get()
        old.refresh_from_db()
    with organisation_scope(other_organisation.pk):
        theirs = NudgeRule.objects.get()
    assert (mine.delay_days, theirs.delay_days) == (organisation.nudge_after_days, 6)
    assert old.rule_id == mine.pk
    for rule in (mine, theirs):
        rule.full_clean()  # the frozen texts are valid placeholders of the kind
        assert (rule.is_active, rule.holdout_percent) == (True, 0)
        assert rule.subject_en == rules.FINISH_UNIT_DEFAULT["subject_en"]
