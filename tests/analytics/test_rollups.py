"""The rollups: incremental folds equal a direct aggregation of the events, whatever the
order they arrive in, the batches they are folded in and how late they come."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import selectors, services
from analytics.models import MemberState, RollupCheckpoint
from events.models import LearningEvent
from organisations.tenancy import organisation_scope, platform_bypass
from tests.analytics.streams import Spec, expected_rollups, record, rollup_tables, specs
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def rollup(organisation, **kwargs) -> int:
    with organisation_scope(organisation.pk):
        return services.organisation_rollup(organisation=organisation, **kwargs)


@pytest.fixture
def members(people):
    return [people.alice, people.bob, people.carol]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stream=st.lists(specs, min_size=1, max_size=20), data=st.data())
def test_incremental_rollups_equal_a_direct_aggregation_whatever_the_order_batching_and_lateness(
    organisation, other_organisation, members, stream, data
):
    stranger = MembershipFactory(organisation=other_organisation)
    with transaction.atomic():
        recorded = []
        for spec in stream:
            # Arrival order is the list's; when each event happened is random, so many
            # arrive after later-dated ones were already folded in (late events).
            with organisation_scope(organisation.pk):
                recorded.append((record(spec, members), spec))
            if data.draw(st.booleans(), label="another organisation's event"):
                with organisation_scope(other_organisation.pk):
                    record(Spec(0, "completed", "unit", 1, None, 0), [stranger])
            if data.draw(st.booleans(), label="rollup now"):
                rollup(organisation, batch_size=data.draw(st.integers(1, 4), label="batch"))
        while rollup(organisation, batch_size=data.draw(st.integers(1, 6), label="batch")):
            pass

        assert rollup_tables() == _without_zeros(expected_rollups(organisation, recorded, members))
        transaction.set_rollback(True)


def _without_zeros(expected: dict) -> dict:
    out = dict(expected)
    out["member_state"] = {
        m: (team, {k: v for k, v in counts.items() if v}, last)
        for m, (team, counts, last) in expected["member_state"].items()
    }
    return out


def _stream(members) -> list:
    kinds = [
        Spec(0, "completed", "unit", 1, None, 5, minutes=7),
        Spec(1, "answered", "block", 4, 1, 30),
        Spec(0, "committed", "commitment", 9, 2, 50),
        Spec(0, "applied", "commitment", 9, 2, 1, status="not_yet"),
        Spec(2, "enrolled", "trajectory", 3, None, 100),
        Spec(2, "submitted", "step", 8, 3, 90),
        Spec(2, "approved", "step", 8, 3, 2),
        Spec(1, "goal_agreed", "goal", 5, None, 300),
        Spec(1, "feedback_given", "check_in", 6, 5, 3),
        Spec(1, "nudge_sent", "nudge", 2, None, 0),
    ]
    return [(record(spec, members), spec) for spec in kinds]


def test_running_the_rollup_again_changes_nothing(organisation, members):
    with organisation_scope(organisation.pk):
        _stream(members)
    while rollup(organisation, batch_size=3):
        pass
    before = rollup_tables()

    assert rollup(organisation) == 0
    assert rollup_tables() == before


def test_all_checkpoints_move_together_to_the_last_event(organisation, members):
    with organisation_scope(organisation.pk):
        recorded = _stream(members)

    assert rollup(organisation) == len(recorded)

    with organisation_scope(organisation.pk):
        checkpoints = dict(
            RollupCheckpoint.objects.filter(organisation=organisation).values_list(
                "name", "last_event_id"
            )
        )
    assert checkpoints == dict.fromkeys(services.ROLLUP_NAMES, recorded[-1][0].pk)
    assert set(services.ROLLUP_NAMES) == set(selectors.ROLLUP_NAMES)


def test_a_rollup_added_later_catches_up_on_its_own(organisation, members):
    # Given the team rollup ran alone (as before the other rollups existed)
    with organisation_scope(organisation.pk):
        recorded = _stream(members)
    assert services_team_only(organisation) == len(recorded)
    with organisation_scope(organisation.pk):
        more = record(Spec(0, "viewed", "unit", 1, None, 0), members)

    # When the full rollup runs, the new rollups read from 0, the team rollup goes on
    rollup(organisation)

    tables = rollup_tables()
    assert tables == _without_zeros(
        expected_rollups(
            organisation, [*recorded, (more, Spec(0, "viewed", "unit", 1, None, 0))], members
        )
    )


def services_team_only(organisation) -> int:
    with organisation_scope(organisation.pk):
        return services.team_daily_rollup(organisation=organisation)


def test_an_event_stored_late_is_folded_into_the_day_it_happened(organisation, members):
    with organisation_scope(organisation.pk):
        record(Spec(0, "completed", "unit", 1, None, 0), members)
    rollup(organisation)
    # An event that happened 10 days ago, synced only now
    with organisation_scope(organisation.pk):
        late = record(Spec(0, "completed", "unit", 1, None, 240), members)
    assert late.stored_at > late.timestamp

    assert rollup(organisation) == 1

    days = {key[2] for key in rollup_tables()["team_daily"]}
    assert late.timestamp.astimezone(organisation.zone).date() in days


def test_the_stored_time_is_set_by_the_database_at_insert(organisation, members):
    before = timezone.now()
    with organisation_scope(organisation.pk):
        event = record(Spec(0, "viewed", "unit", 1, None, 24), members)
        event.refresh_from_db()
    assert event.stored_at >= before - dt.timedelta(seconds=5)
    assert event.timestamp < event.stored_at


def test_member_state_keeps_the_latest_activity_and_skips_what_was_done_to_the_member(
    organisation, members
):
    with organisation_scope(organisation.pk):
        record(Spec(0, "viewed", "unit", 2, None, 10), members)
        record(Spec(0, "completed", "unit", 1, None, 48, minutes=5), members)  # earlier
        record(Spec(0, "nudge_sent", "nudge", 4, None, 0), members)  # later, but passive
        record(Spec(0, "committed", "commitment", 7, 1, 20), members)
        record(Spec(0, "applied", "commitment", 7, 1, 5, status="not_yet"), members)
    rollup(organisation, batch_size=2)
    rollup(organisation, batch_size=2)
    rollup(organisation, batch_size=2)

    with organisation_scope(organisation.pk):
        state = selectors.member_state(membership=members[0])
    assert (state.last_activity_verb, state.last_activity_object_type) == ("applied", "commitment")
    assert state.events == 5
    assert (state.units_completed, state.minutes, state.nudges_sent) == (1, 5, 1)
    assert (state.commitments_made, state.commitments_not_yet, state.commitments_open) == (1, 1, 1)


def test_member_states_of_a_team_cost_one_query_whatever_its_size(
    organisation, members, django_assert_num_queries
):
    with organisation_scope(organisation.pk):
        for n in range(3):
            record(Spec(n, "viewed", "unit", 1, None, 1), members)
    rollup(organisation)
    with organisation_scope(organisation.pk), django_assert_num_queries(1):
        states = selectors.member_states(organisation=organisation, members=members)
    assert set(states) == {m.pk for m in members}


def test_another_organisations_events_are_never_counted(organisation, other_organisation, members):
    stranger = MembershipFactory(organisation=other_organisation)
    with organisation_scope(other_organisation.pk):
        record(Spec(0, "completed", "unit", 1, None, 0), [stranger])
    with organisation_scope(organisation.pk):
        record(Spec(0, "completed", "unit", 1, None, 0), members)

    rollup(organisation)

    tables = rollup_tables()
    assert {key[0] for key in tables["team_daily"]} == {members[0].pk}
    assert set(tables["member_state"]) == {members[0].pk}
    with platform_bypass(reason="test", actor="tests"):
        assert not MemberState.objects.filter(organisation=other_organisation).exists()
        assert LearningEvent.objects.filter(organisation=other_organisation).count() == 1


def test_a_tie_in_time_goes_to_the_later_event_also_across_batches(organisation, members):
    with organisation_scope(organisation.pk):
        record(Spec(0, "viewed", "unit", 1, None, 2), members)
    rollup(organisation)
    with organisation_scope(organisation.pk):
        same_time = record(Spec(0, "reflected", "block", 5, 1, 2), members)
    rollup(organisation)

    with organisation_scope(organisation.pk):
        state = selectors.member_state(membership=members[0])
    assert state.last_activity_at == same_time.timestamp
    assert (state.last_activity_verb, state.last_activity_object_id) == ("reflected", 5)
