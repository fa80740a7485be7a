import datetime as dt

import pytest
from django.utils import timezone

from microlearning import selectors
from microlearning.models import Unit
from organisations.tenancy import organisation_scope
from tests.factories import (
    AssignmentFactory,
    CompletionFactory,
    MembershipFactory,
    TeamFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_team_ancestor_ids_walks_up_the_tree(organisation):
    top = TeamFactory(organisation=organisation)
    middle = TeamFactory(organisation=organisation, parent=top)
    bottom = TeamFactory(organisation=organisation, parent=middle)
    TeamFactory(organisation=organisation, parent=top)  # a sibling is not an ancestor

    with organisation_scope(organisation.pk):
        ids = selectors.team_ancestor_ids(organisation=organisation, team_id=bottom.pk)

    assert ids == {top.pk, middle.pk, bottom.pk}


def test_learner_home_combines_member_and_team_assignments_once(organisation):
    team = TeamFactory(organisation=organisation)
    learner = MembershipFactory(organisation=organisation, team=team)
    unit = UnitFactory(organisation=organisation)
    earlier = timezone.now() - dt.timedelta(days=3)
    AssignmentFactory(unit=unit, team=team)
    AssignmentFactory(unit=unit, member=learner, assigned_at=earlier)
    only_mine = UnitFactory(organisation=organisation)
    AssignmentFactory(unit=only_mine, member=learner)
    draft = UnitFactory(organisation=organisation, status=Unit.Status.DRAFT)
    AssignmentFactory(unit=draft, team=team)
    someone_else = MembershipFactory(organisation=organisation)
    AssignmentFactory(unit=UnitFactory(organisation=organisation), member=someone_else)

    with organisation_scope(organisation.pk):
        home = selectors.learner_home(membership=learner)

    assert [item.unit for item in home.to_do] == [unit, only_mine]
    assert home.to_do[0].assigned_at == earlier


def test_learner_home_lists_completed_units_separately(organisation):
    team = TeamFactory(organisation=organisation)
    learner = MembershipFactory(organisation=organisation, team=team)
    done, open_unit = UnitFactory(organisation=organisation), UnitFactory(organisation=organisation)
    AssignmentFactory(unit=done, team=team)
    AssignmentFactory(unit=open_unit, team=team)
    CompletionFactory(unit=done, member=learner)

    with organisation_scope(organisation.pk):
        home = selectors.learner_home(membership=learner)

    assert [item.unit for item in home.to_do] == [open_unit]
    assert [item.unit for item in home.done] == [done]
    assert home.done[0].is_done and home.done[0].assigned_at is not None
