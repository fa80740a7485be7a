import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from analytics import services
from analytics.models import RollupCheckpoint, TeamDailyCount
from events.models import LearningEvent
from organisations.tenancy import organisation_scope
from tests.analytics.conftest import complete
from tests.factories import LearningEventFactory

pytestmark = pytest.mark.django_db


def counts() -> dict:
    with scopes_disabled():
        return {
            (row.member_id, row.team_id, row.day, row.verb): row.count
            for row in TeamDailyCount.objects.all()
        }


def rollup(organisation, **kwargs) -> int:
    with organisation_scope(organisation.pk):
        return services.team_daily_rollup(organisation=organisation, **kwargs)


def test_rollup_counts_events_per_member_day_and_verb_with_the_team(organisation, people):
    complete(people.alice)
    complete(people.alice, unit_id=2)
    complete(people.bob)
    LearningEventFactory(actor=people.bob, verb=LearningEvent.Verb.VIEWED)

    folded = rollup(organisation)

    assert folded == 4
    by_member = {(m, t, v): c for (m, t, _day, v), c in counts().items()}
    assert by_member == {
        (people.alice.pk, people.sales.pk, "completed"): 2,
        (people.bob.pk, people.north.pk, "completed"): 1,
        (people.bob.pk, people.north.pk, "viewed"): 1,
    }


def test_running_the_rollup_twice_changes_nothing(organisation, people):
    complete(people.alice)
    complete(people.bob)
    rollup(organisation)
    before = counts()

    folded = rollup(organisation)

    assert folded == 0
    assert counts() == before


def test_rollup_picks_up_new_events_incrementally(organisation, people):
    complete(people.alice)
    rollup(organisation)

    complete(people.alice, unit_id=2)
    complete(people.carol)
    folded = rollup(organisation)

    assert folded == 2
    totals = {(m, v): c for (m, _t, _d, v), c in counts().items()}
    assert totals == {(people.alice.pk, "completed"): 2, (people.carol.pk, "completed"): 1}


def test_rollup_in_small_batches_gives_the_same_counts(organisation, people):
    for n in range(5):
        complete(people.alice, unit_id=n, days_ago=n)

    runs = [rollup(organisation, batch_size=2) for _ in range(4)]

    assert runs == [2, 2, 1, 0]
    assert sum(counts().values()) == 5
    with scopes_disabled():
        checkpoint = RollupCheckpoint.objects.get(organisation=organisation)
        last = LearningEvent.objects.order_by("-id").first()
    assert checkpoint.last_event_id == last.pk


def test_rollup_of_one_organisation_leaves_the_other_alone(
    organisation, other_organisation, people
):
    from tests.factories import MembershipFactory

    complete(MembershipFactory(organisation=other_organisation))
    complete(people.alice)

    rollup(organisation)

    assert {member for (member, _t, _d, _v) in counts()} == {people.alice.pk}


def test_rollup_waits_for_young_events_so_a_late_commit_is_never_skipped(organisation, people):
    # Given an event still young (its neighbours may be in flight) before an old one
    young = complete(people.alice)
    old = complete(people.bob, days_ago=3)
    assert young.pk < old.pk
    settle = dt.timedelta(minutes=2)

    # When the rollup runs now, it stops at the young event and moves nothing
    assert rollup(organisation, settle=settle) == 0

    # Then, once the young event has settled, both are folded in, in id order
    later = timezone.now() + dt.timedelta(minutes=3)
    assert rollup(organisation, settle=settle, now=later) == 2
    with scopes_disabled():
        checkpoint = RollupCheckpoint.objects.get(organisation=organisation)
    assert checkpoint.last_event_id == old.pk
