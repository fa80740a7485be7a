"""The demo organisations have goals in every state, and a rerun adds none."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from demo.demo import demo_seed
from goals.models import CheckIn, Goal, GoalTemplate, Kudos, Recognition

pytestmark = pytest.mark.django_db


def quiet(_message: str) -> None:
    pass


def test_every_demo_organisation_has_goals_in_every_state():
    demo_seed(log=quiet)
    with scopes_disabled():
        for slug in ("horizon", "northwind"):
            goals = Goal.objects.filter(organisation__slug=slug)
            assert set(goals.values_list("status", flat=True)) == set(Goal.Status.values), slug
            assert set(goals.exclude(outcome="").values_list("outcome", flat=True)) == set(
                Goal.Outcome.values
            )
            assert CheckIn.objects.filter(goal__organisation__slug=slug).exists()
            assert GoalTemplate.objects.filter(organisation__slug=slug).exists()
            assert Kudos.objects.filter(recognition__organisation__slug=slug).exists()
        counts = (Goal.objects.count(), Recognition.objects.count())
    demo_seed(log=quiet)
    with scopes_disabled():
        assert (Goal.objects.count(), Recognition.objects.count()) == counts
