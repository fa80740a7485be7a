import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, TeamFactory


@pytest.fixture
def author(organisation):
    return MembershipFactory(organisation=organisation, is_author=True)


@pytest.fixture
def team(organisation):
    return TeamFactory(organisation=organisation, name="Sales")


@pytest.fixture
def sub_team(team):
    return TeamFactory(organisation=team.organisation, name="Sales North", parent=team)


@pytest.fixture
def learner(team):
    return MembershipFactory(organisation=team.organisation, team=team)


@pytest.fixture
def url(organisation):
    """``url("unit_detail", unit.pk)``: a microlearning URL inside the organisation."""

    def build(name: str, *args) -> str:
        return reverse(f"microlearning:{name}", args=[organisation.slug, *args])

    return build
