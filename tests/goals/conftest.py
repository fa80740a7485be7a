"""A team tree for goals: a department (head), a team in it (manager), a learner and a
teammate there, and another department with its own manager."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import MembershipFactory, SkillFactory, TeamFactory


@pytest.fixture(autouse=True)
def _unscoped():
    with scopes_disabled():
        yield


@pytest.fixture
def head(organisation):
    return MembershipFactory(organisation=organisation)


@pytest.fixture
def department(organisation, head):
    return TeamFactory(organisation=organisation, name="Operations", manager=head)


@pytest.fixture
def manager(organisation, department):
    manager = MembershipFactory(organisation=organisation)
    manager.team = department
    manager.save(update_fields=["team"])
    return manager


@pytest.fixture
def team(organisation, department, manager):
    return TeamFactory(
        organisation=organisation, name="Planning", parent=department, manager=manager
    )


@pytest.fixture
def learner(organisation, team):
    return MembershipFactory(organisation=organisation, team=team)


@pytest.fixture
def teammate(organisation, team):
    return MembershipFactory(organisation=organisation, team=team)


@pytest.fixture
def other_manager(organisation):
    other = MembershipFactory(organisation=organisation)
    TeamFactory(organisation=organisation, name="Sales", manager=other)
    return other


@pytest.fixture
def author(organisation):
    return MembershipFactory(organisation=organisation, is_author=True)


@pytest.fixture
def skill(organisation):
    return SkillFactory(organisation=organisation, name="Planning")


@pytest.fixture
def url(organisation):
    def build(name: str, *args) -> str:
        return reverse(f"goals:{name}", args=[organisation.slug, *args])

    return build


@pytest.fixture
def api_url(organisation):
    def build(name: str, *args) -> str:
        return reverse(f"goals_api:{name}", args=[organisation.slug, *args])

    return build
