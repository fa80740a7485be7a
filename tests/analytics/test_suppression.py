"""k-anonymity: no figure about fewer than 5 people, and none that subtraction gives away."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.reporting import DASH, Cell, Column, Report, Row, Section
from analytics.suppression import COMPLEMENTARY, MIN_PEOPLE, SMALL_GROUP, suppress


def _section(groups: list[tuple[int, int]], *, partition: bool = True, total: bool = True):
    """A one-column section: (people, value) per group, and their sum as the total row."""
    rows = [
        Row(label=f"g{i}", key=f"g{i}", cells=[Cell(value=value, people=people)])
        for i, (people, value) in enumerate(groups)
    ]
    if total:
        rows.append(
            Row(
                label="total",
                key="total",
                is_total=True,
                cells=[
                    Cell(
                        value=sum(value for _p, value in groups),
                        people=sum(people for people, _v in groups),
                    )
                ],
            )
        )
    return Section(
        key="s", title="S", columns=[Column(key="c", label="C")], rows=rows, partition=partition
    )


def _report(*sections: Section) -> Report:
    return Report(
        title="R", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31), sections=list(sections)
    )


def _shown(groups, **kwargs) -> list[str]:
    section = suppress(_report(_section(groups, **kwargs))).sections[0]
    return [row.cells[0].text for row in section.rows]


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        # Everyone in groups of 5 or more: everything shows.
        ([(5, 10), (8, 3)], ["10", "3", "13"]),
        # One small group: it is hidden, and so is the next smallest, or total minus the
        # other group would give it back.
        ([(3, 7), (8, 3), (20, 9)], [DASH, DASH, "9", "19"]),
        # Two small groups that together cover 5 people: the total may stay.
        ([(3, 7), (2, 1), (20, 9)], [DASH, DASH, "9", "17"]),
        # Two small groups covering only 4: one more group has to go.
        ([(2, 7), (2, 1), (6, 4), (20, 9)], [DASH, DASH, DASH, "9", "21"]),
        # A small group and nothing else to hide with it: the total goes.
        ([(3, 7), (0, 0)], [DASH, "0", DASH]),
        # A group of nobody reveals nobody: it shows, and needs no partner.
        ([(0, 0), (6, 2)], ["0", "2", "2"]),
        # Every group small, the total large enough: the total shows.
        ([(3, 1), (3, 2)], [DASH, DASH, "3"]),
    ],
)
def test_small_groups_and_what_subtraction_would_reveal_are_hidden(groups, expected):
    assert _shown(groups) == expected


def test_without_a_partition_only_the_small_groups_are_hidden():
    # Skills or trajectories: a member counts in several rows, nothing to subtract.
    assert _shown([(3, 7), (8, 3)], partition=False, total=False) == [DASH, "3"]


def test_a_hidden_cell_has_no_value_and_says_why():
    section = suppress(_report(_section([(3, 7), (8, 3), (20, 9)]))).sections[0]

    first, second = section.rows[0].cells[0], section.rows[1].cells[0]
    assert (first.value, first.suppressed, first.reason) == (None, True, SMALL_GROUP)
    assert (second.value, second.suppressed, second.reason) == (None, True, COMPLEMENTARY)


def test_a_cell_about_nobody_in_particular_is_never_hidden():
    target = Section(
        key="mix",
        title="Mix",
        columns=[Column(key="target", label="Target")],
        rows=[Row(label="a", cells=[Cell(value=0.7)])],
    )
    assert suppress(_report(target)).sections[0].rows[0].cells[0].text != DASH


def test_suppressing_twice_changes_nothing():
    once = suppress(_report(_section([(3, 7), (8, 3), (20, 9)])))
    assert suppress(once) == once


groups_strategy = st.lists(
    st.tuples(st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=50)),
    min_size=1,
    max_size=8,
)


# A busy machine (CI shares its cores) is no reason to fail: the inputs are small.
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(groups_strategy)
def test_no_group_of_fewer_than_five_can_be_read_or_worked_out(groups):
    section = suppress(_report(_section(groups))).sections[0]
    cells = [row.cells[0] for row in section.groups]
    total = section.total.cells[0]

    for (people, value), cell in zip(groups, cells, strict=True):
        # Read directly: every shown group is about nobody or about 5 people or more.
        if not cell.suppressed:
            assert people == 0 or people >= MIN_PEOPLE
            assert cell.value == value
    # Worked out: with the total shown, total minus the shown groups is the sum of the
    # hidden ones, which must cover 5 people or more (or nobody).
    if not total.suppressed:
        hidden_people = sum(
            p for (p, _v), cell in zip(groups, cells, strict=True) if cell.suppressed
        )
        assert hidden_people == 0 or hidden_people >= MIN_PEOPLE
    # Nothing is hidden that did not need to be: a large total shows unless groups cannot
    # cover the hidden ones.
    if total.suppressed:
        assert total.people < MIN_PEOPLE or not any(
            not cell.suppressed and (cell.people or 0) > 0 for cell in cells
        )
