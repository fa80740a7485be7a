import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from microlearning.models import Unit
from microlearning.selectors import reach
from organisations.models import Membership
from organisations.tenancy import organisation_scope
from tests.factories import (
    AssignmentFactory,
    CompletionFactory,
    MembershipFactory,
    TeamFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


@pytest.fixture
def tree(organisation):
    """Care above Care North; a separate Office. Everyone joined ten days ago."""
    care = TeamFactory(organisation=organisation, name="Care")
    north = TeamFactory(organisation=organisation, name="Care North", parent=care)
    office = TeamFactory(organisation=organisation, name="Office")

    def member(team):
        return MembershipFactory(organisation=organisation, team=team, created_at=days_ago(10))

    return SimpleNamespace(
        care=care,
        north=north,
        office=office,
        ann=member(north),
        bob=member(office),
        cy=member(None),
    )


def reaching(organisation, memberships, **kwargs):
    with organisation_scope(organisation.pk):
        return reach.units_reaching(organisation=organisation, memberships=memberships, **kwargs)


def test_a_unit_reaches_a_member_directly_through_their_team_or_a_team_above(organisation, tree):
    direct, own_team, above, elsewhere = (UnitFactory(organisation=organisation) for _ in range(4))
    AssignmentFactory(unit=direct, member=tree.ann, assigned_at=days_ago(3))
    AssignmentFactory(unit=own_team, team=tree.north, assigned_at=days_ago(4))
    AssignmentFactory(unit=above, team=tree.care, assigned_at=days_ago(5))
    AssignmentFactory(unit=elsewhere, team=tree.office, assigned_at=days_ago(6))

    reached = reaching(organisation, [tree.ann, tree.bob, tree.cy])

    assert reached == {
        tree.ann.pk: {direct.pk: days_ago(3), own_team.pk: days_ago(4), above.pk: days_ago(5)},
        tree.bob.pk: {elsewhere.pk: days_ago(6)},
    }


def test_drafts_and_archived_units_reach_nobody(organisation, tree):
    for status in (Unit.Status.DRAFT, Unit.Status.ARCHIVED):
        unit = UnitFactory(organisation=organisation, status=status)
        AssignmentFactory(unit=unit, member=tree.ann)
        AssignmentFactory(unit=unit, team=tree.care)

    assert reaching(organisation, [tree.ann]) == {}
    with organisation_scope(organisation.pk):
        assert not reach.assignments_reaching(membership=tree.ann).exists()


def test_a_team_unit_reaches_a_newcomer_when_they_join(organisation, tree):
    unit = UnitFactory(organisation=organisation)
    AssignmentFactory(unit=unit, team=tree.care, assigned_at=days_ago(20))
    newcomer = MembershipFactory(organisation=organisation, team=tree.north, created_at=days_ago(1))

    reached = reaching(organisation, [tree.ann, newcomer])

    assert reached[tree.ann.pk] == {unit.pk: days_ago(10)}
    assert reached[newcomer.pk] == {unit.pk: days_ago(1)}


def test_the_earliest_of_several_assignments_of_one_unit_counts(organisation, tree):
    unit = UnitFactory(organisation=organisation)
    AssignmentFactory(unit=unit, team=tree.care, assigned_at=days_ago(2))
    AssignmentFactory(unit=unit, member=tree.ann, assigned_at=days_ago(7))

    assert reaching(organisation, [tree.ann]) == {tree.ann.pk: {unit.pk: days_ago(7)}}


def test_reached_by_leaves_out_what_reached_the_member_later(organisation, tree):
    old, new = UnitFactory(organisation=organisation), UnitFactory(organisation=organisation)
    AssignmentFactory(unit=old, team=tree.care, assigned_at=days_ago(20))
    AssignmentFactory(unit=new, member=tree.ann, assigned_at=days_ago(1))
    newcomer = MembershipFactory(organisation=organisation, team=tree.north, created_at=days_ago(1))

    reached = reaching(organisation, [tree.ann, newcomer], reached_by=days_ago(3))

    assert reached == {tree.ann.pk: {old.pk: days_ago(10)}}


def test_members_given_as_a_queryset_or_a_list_reach_the_same_units(organisation, tree):
    for team in (tree.care, tree.office):
        AssignmentFactory(unit=UnitFactory(organisation=organisation), team=team)
    AssignmentFactory(unit=UnitFactory(organisation=organisation), member=tree.cy)

    with organisation_scope(organisation.pk):
        everyone = Membership.objects.filter(organisation=organisation)
        as_queryset = reach.units_reaching(organisation=organisation, memberships=everyone)
        as_list = reach.units_reaching(organisation=organisation, memberships=list(everyone))

    assert as_queryset == as_list
    assert set(as_list) == {tree.ann.pk, tree.bob.pk, tree.cy.pk}


def test_reach_costs_the_same_queries_for_one_member_or_many(
    organisation, tree, django_assert_num_queries
):
    for _ in range(3):
        AssignmentFactory(unit=UnitFactory(organisation=organisation), team=tree.care)
        AssignmentFactory(unit=UnitFactory(organisation=organisation), member=tree.bob)
    members = [tree.ann, tree.bob, tree.cy]

    with organisation_scope(organisation.pk):
        with django_assert_num_queries(2):  # the team tree, the assignments
            reach.units_reaching(organisation=organisation, memberships=members)
        with django_assert_num_queries(3):  # and the members themselves
            reach.units_reaching(
                organisation=organisation,
                memberships=Membership.objects.filter(organisation=organisation),
            )


def test_assignments_reaching_one_member_match_the_many_member_answer(organisation, tree):
    for team in (tree.care, tree.north, tree.office):
        AssignmentFactory(unit=UnitFactory(organisation=organisation), team=team)
    AssignmentFactory(unit=UnitFactory(organisation=organisation), member=tree.ann)

    with organisation_scope(organisation.pk):
        one = set(reach.assignments_reaching(membership=tree.ann).values_list("unit_id", flat=True))
    assert one == set(reaching(organisation, [tree.ann])[tree.ann.pk])


def test_which_units_a_member_completed(organisation, tree):
    done, open_ = UnitFactory(organisation=organisation), UnitFactory(organisation=organisation)
    CompletionFactory(unit=done, member=tree.ann)
    CompletionFactory(unit=open_, member=tree.bob)

    with organisation_scope(organisation.pk):
        assert set(reach.completed_unit_ids(membership=tree.ann)) == {done.pk}
        assert reach.has_completed(membership=tree.ann, unit_id=done.pk)
        assert not reach.has_completed(membership=tree.ann, unit_id=open_.pk)
        assert list(
            reach.completions_of(membership=tree.ann).values_list("unit_id", flat=True)
        ) == [done.pk]


def test_units_completed_by_many_members_of_the_units_asked_about(organisation, tree):
    first, second, other = (UnitFactory(organisation=organisation) for _ in range(3))
    CompletionFactory(unit=first, member=tree.ann)
    CompletionFactory(unit=second, member=tree.ann)
    CompletionFactory(unit=first, member=tree.bob)
    CompletionFactory(unit=other, member=tree.cy)

    with organisation_scope(organisation.pk):
        everyone = reach.units_completed(organisation=organisation, unit_ids={first.pk, second.pk})
        only_ann = reach.units_completed(
            organisation=organisation, unit_ids={first.pk}, membership_ids=[tree.ann.pk]
        )

    assert everyone == {tree.ann.pk: {first.pk, second.pk}, tree.bob.pk: {first.pk}}
    assert only_ann == {tree.ann.pk: {first.pk}}
