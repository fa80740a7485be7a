"""The tree of teams: read once, walked down and up, even when the data loops."""

import pytest

from organisations.selectors import team_ancestors, team_descendants, team_parents
from organisations.tenancy import organisation_scope
from tests.factories import TeamFactory

# top
# ├── middle
# │   └── bottom
# └── side
TREE = {1: None, 2: 1, 3: 2, 4: 1}


def test_team_parents_reads_the_organisations_tree_in_one_query(
    organisation, other_organisation, django_assert_num_queries
):
    top = TeamFactory(organisation=organisation)
    below = TeamFactory(organisation=organisation, parent=top)
    TeamFactory(organisation=other_organisation)

    with organisation_scope(organisation.pk), django_assert_num_queries(1):
        parents = team_parents(organisation=organisation)

    assert parents == {top.pk: None, below.pk: top.pk}


@pytest.mark.parametrize(
    ("roots", "expected"),
    [([1], {1, 2, 3, 4}), ([2], {2, 3}), ([3, 4], {3, 4}), ([], set()), ([99], {99})],
)
def test_team_descendants_are_the_roots_and_every_team_below(roots, expected):
    assert team_descendants(TREE, roots) == expected


@pytest.mark.parametrize(
    ("team_id", "expected"), [(3, [3, 2, 1]), (4, [4, 1]), (1, [1]), (None, [])]
)
def test_team_ancestors_are_the_team_and_every_team_above_nearest_first(team_id, expected):
    assert team_ancestors(TREE, team_id) == expected


def test_a_cycle_in_corrupt_data_ends_the_walks_instead_of_hanging():
    looped = {1: 3, 2: 1, 3: 2, 4: 1}

    assert team_descendants(looped, [2]) == {1, 2, 3, 4}
    assert team_ancestors(looped, 4) == [4, 1, 3, 2]
