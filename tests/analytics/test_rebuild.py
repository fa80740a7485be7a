"""manage.py rebuild_rollups: the same numbers as the incremental runs, with a progress bar."""

import io

import pytest
from django.core.management import CommandError, call_command

from analytics import services
from analytics.models import EventRetention
from organisations.tenancy import organisation_scope
from tests.analytics.streams import Spec, record, rollup_tables
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _events(members, n: int = 24) -> None:
    kinds = [
        ("completed", "unit", None),
        ("answered", "block", 1),
        ("submitted", "step", 2),
        ("goal_agreed", "goal", None),
        ("viewed", "unit", None),
        ("nudge_sent", "nudge", None),
    ]
    for i in range(n):
        verb, kind, parent = kinds[i % len(kinds)]
        record(Spec(i % 3, verb, kind, i % 4 + 1, parent, (i * 37) % 500, minutes=i % 5), members)


@pytest.fixture
def members(people):
    return [people.alice, people.bob, people.carol]


def test_rebuild_gives_the_same_numbers_as_the_incremental_runs(organisation, members):
    with organisation_scope(organisation.pk):
        _events(members)
        while services.organisation_rollup(organisation=organisation, batch_size=5):
            pass
    incremental = rollup_tables()

    with organisation_scope(organisation.pk):
        folded = services.rollups_rebuild(organisation=organisation, batch_size=7)

    assert folded == 24
    assert rollup_tables() == incremental


def test_rebuild_repairs_rollups_that_went_wrong(organisation, members):
    from analytics.models import TeamDailyCount

    with organisation_scope(organisation.pk):
        _events(members)
        services.organisation_rollup(organisation=organisation)
    right = rollup_tables()
    with organisation_scope(organisation.pk):
        TeamDailyCount.objects.filter(organisation=organisation).update(count=99)

    call_command("rebuild_rollups", organisation=organisation.slug, stdout=io.StringIO())

    assert rollup_tables() == right


def test_rebuild_command_prints_a_progress_bar_and_leaves_other_organisations_alone(
    organisation, other_organisation, members
):
    stranger = MembershipFactory(organisation=other_organisation)
    with organisation_scope(other_organisation.pk):
        record(Spec(0, "completed", "unit", 1, None, 0), [stranger])
        services.organisation_rollup(organisation=other_organisation)
    with organisation_scope(organisation.pk):
        _events(members, n=10)
    before = rollup_tables()["member_state"][stranger.pk]
    out = io.StringIO()

    call_command("rebuild_rollups", organisation=organisation.slug, stdout=out)

    text = out.getvalue()
    assert "acme [" in text and "100% (10 of 10 events)" in text
    assert "acme: 10 events folded" in text
    assert "globex" not in text
    assert rollup_tables()["member_state"][stranger.pk] == before


def test_rebuild_is_refused_once_retention_deleted_raw_events(organisation, members):
    with organisation_scope(organisation.pk):
        _events(members, n=6)
        services.organisation_rollup(organisation=organisation)
        EventRetention.objects.create(organisation=organisation, deleted=3)
    before = rollup_tables()
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"by retention\): acme"):
        call_command(
            "rebuild_rollups", organisation=organisation.slug, stdout=io.StringIO(), stderr=err
        )

    assert "would lose the history" in err.getvalue()
    assert rollup_tables() == before


def test_rebuild_of_an_unknown_organisation_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No organisation with slug 'nope'"):
        call_command("rebuild_rollups", organisation="nope", stdout=io.StringIO())
