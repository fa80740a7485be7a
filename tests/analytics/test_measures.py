"""Each measure is defined once: a level, a name and definition, and its computation."""

import pytest
from django.utils import translation

from analytics.measures import MEASURES, Inputs, Level, measure, measures_of

INPUTS = Inputs(
    members=10,
    reach=7,
    views=30,
    completions=12,
    minutes=95,
    ratings=4,
    rating_sum=14,
    raters=3,
    commitments=6,
    applied=2,
    submitted=5,
    signed_off=4,
    signed_off_first=3,
    signed_off_people=4,
    nudges_sent=20,
    nudges_acted=5,
    nudged_people=9,
    goals_agreed=3,
    goals_achieved=1,
    proficiency_pairs=4,
    proficiency_people=3,
    proficiency_first_sum=8,
    proficiency_latest_sum=13,
    manager_ratings=5,
    manager_rating_sum=19,
    manager_rated_people=5,
    mix={"experience": 6, "social": 2, "formal": 2},
)


@pytest.mark.parametrize(
    ("key", "value", "people"),
    [
        ("reach", 7, 10),
        ("views", 30, 10),
        ("completions", 12, 10),
        ("minutes", 95, 10),
        ("ratings", 4, 10),
        ("rating_average", 3.5, 3),
        ("commitments_made", 6, 10),
        ("commitments_applied", 2, 10),
        ("steps_submitted", 5, 10),
        ("steps_signed_off", 4, 10),
        ("first_time_share", 0.75, 4),
        ("nudge_to_action", 0.25, 9),
        ("goals_agreed", 3, 10),
        ("goals_achieved", 1, 10),
        ("proficiency_before", 2.0, 3),
        ("proficiency_after", 3.25, 3),
        ("proficiency_change", 1.25, 3),
        ("manager_rating", 3.8, 5),
        ("mix_experience", 0.6, 10),
        ("mix_social", 0.2, 10),
        ("mix_formal", 0.2, 10),
    ],
)
def test_measure_is_computed_from_the_counted_inputs(key, value, people):
    item = measure(key)

    assert item.value(INPUTS) == pytest.approx(value)
    assert item.people(INPUTS) == people


def test_every_measure_is_tested_above():
    tested = {
        "reach", "views", "completions", "minutes", "ratings", "rating_average",
        "commitments_made", "commitments_applied", "steps_submitted", "steps_signed_off",
        "first_time_share", "nudge_to_action", "goals_agreed", "goals_achieved",
        "proficiency_before", "proficiency_after", "proficiency_change", "manager_rating",
        "mix_experience", "mix_social", "mix_formal",
    }  # fmt: skip
    assert {item.key for item in MEASURES} == tested


def test_a_share_or_average_of_nothing_is_no_figure_not_zero():
    empty = Inputs(members=10)

    assert measure("first_time_share").value(empty) is None
    assert measure("rating_average").value(empty) is None
    assert measure("nudge_to_action").value(empty) is None
    assert measure("mix_formal").value(empty) is None
    assert measure("proficiency_change").value(empty) is None


def test_inputs_of_teams_add_up_to_the_total():
    care = Inputs(members=3, reach=2, mix={"experience": 1, "social": 0, "formal": 1})
    desk = Inputs(
        members=4, reach=4, nudges_sent=None, mix={"experience": 2, "social": 1, "formal": 0}
    )

    total = care + desk

    assert (total.members, total.reach, total.nudges_sent) == (7, 6, None)
    assert total.mix == {"experience": 3, "social": 1, "formal": 1}


def test_every_level_has_measures_and_each_measure_reads_in_dutch_and_english():
    assert all(measures_of(level) for level in Level)
    for item in MEASURES:
        with translation.override("en"):
            english = (str(item.name), str(item.definition))
        with translation.override("nl"):
            dutch = (str(item.name), str(item.definition))
        assert all(english) and all(dutch)
        assert dutch != english, f"{item.key} has no Dutch translation"
