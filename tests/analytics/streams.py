"""Event streams for the rollup tests, and what they add up to, computed the plain way.

``expected_rollups`` aggregates the events directly from what the test knows about each
one (which unit, trajectory or goal it is about), not from the rollup's own key rules,
so the two can disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django_scopes import scopes_disabled
from hypothesis import strategies as st

from analytics.models import (
    GoalDailyCount,
    MemberState,
    TeamDailyCount,
    TrajectoryDailyCount,
    UnitDailyCount,
)
from events.models import LearningEvent
from events.services import learning_event_record
from events.verbs import Verb
from organisations.tenancy import platform_bypass

ANCHOR = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Spec:
    """One event: who, what about, when (hours before ANCHOR, so late ones come last)."""

    actor: int  # index into the test's members
    verb: str
    kind: str  # unit, block, commitment, trajectory, step, goal, check_in, nudge
    object_id: int
    parent: int | None  # the unit, trajectory or goal of a block, commitment, step, check-in
    hours_ago: int
    minutes: int | None = None
    status: str | None = None  # an ``applied`` report's status
    category: str | None = None  # a completion's object's 70:20:10 category
    counted: bool = False  # a completion another event already counts (``counted_as``)
    round: int | None = None  # a sign-off's round of evidence


def _spec(kind: str, verbs: list[str], parent: bool):
    return st.builds(
        Spec,
        actor=st.integers(0, 2),
        verb=st.sampled_from(verbs),
        kind=st.just(kind),
        object_id=st.integers(1, 3),
        parent=st.integers(1, 2) if parent else st.none(),
        # Often the same few hours: ties in time, across batches too, must break by id.
        hours_ago=st.one_of(st.integers(0, 3), st.integers(0, 24 * 20)),
        minutes=st.one_of(st.none(), st.integers(1, 10)),
        status=st.sampled_from(["applied", "not_yet", "not_relevant"]),
        category=st.sampled_from([None, "experience", "social", "formal"]),
        counted=st.booleans(),
        round=st.one_of(st.none(), st.integers(1, 3)),
    )


specs = st.one_of(
    _spec("unit", [Verb.VIEWED, Verb.COMPLETED], parent=False),
    _spec("block", [Verb.ANSWERED, Verb.REFLECTED], parent=True),
    _spec("commitment", [Verb.COMMITTED, Verb.APPLIED], parent=True),
    _spec("trajectory", [Verb.ENROLLED, Verb.WITHDRAWN], parent=False),
    _spec("step", [Verb.COMPLETED, Verb.SUBMITTED, Verb.APPROVED], parent=True),
    _spec("goal", [Verb.GOAL_AGREED, Verb.CHECKED_IN, Verb.GOAL_ACHIEVED], parent=False),
    _spec("check_in", [Verb.FEEDBACK_GIVEN], parent=True),
    _spec("nudge", [Verb.NUDGE_SENT, Verb.NUDGE_CLICKED], parent=False),
)
PARENT_KEY = {"block": "unit", "commitment": "unit", "step": "trajectory", "check_in": "goal_id"}


def record(spec: Spec, members: list) -> LearningEvent:
    """Write the event through the events service, as the apps do."""
    context: dict = {}
    result: dict = {}
    if spec.parent is not None:
        context[PARENT_KEY[spec.kind]] = spec.parent
    if spec.minutes is not None:
        context["minutes"] = spec.minutes
    if spec.verb == Verb.APPLIED:
        result = {"status": spec.status, "success": spec.status == "applied"}
    if spec.verb == Verb.COMPLETED and spec.counted:
        context["counted_as"] = f"unit:{spec.object_id}"
    if spec.verb == Verb.APPROVED and spec.round is not None:
        context["round"] = spec.round
    return learning_event_record(
        actor=members[spec.actor],
        verb=spec.verb,
        object_type=spec.kind,
        object_id=spec.object_id,
        result=result,
        context=context,
        object_category=spec.category,
        timestamp=ANCHOR - dt.timedelta(hours=spec.hours_ago),
    )


def _about(spec: Spec, kind: str, parent_kind: tuple[str, ...]) -> int | None:
    if spec.kind == kind:
        return spec.object_id
    if spec.kind in parent_kind:
        return spec.parent
    return None


def _detail(event: LearningEvent, spec: Spec) -> str:
    """What the rollups keep beside the verb, from what the test wrote."""
    if spec.verb == Verb.COMPLETED and not spec.counted:
        return event.context["category"]  # the events service always names one
    if spec.verb == Verb.APPLIED:
        return spec.status
    if spec.verb == Verb.APPROVED and spec.round == 1:
        return "first"
    return ""


PASSIVE = {"assigned", "enrolled", "withdrawn", "nudge_sent", "approved", "asked_changes"}


def expected_rollups(organisation, recorded: list[tuple[LearningEvent, Spec]], members) -> dict:
    team = {m.pk: m.team_id for m in members}
    zone = organisation.zone
    team_daily: Counter = Counter()
    units: Counter = Counter()
    trajectories: Counter = Counter()
    goals: Counter = Counter()
    state: dict = {}
    last: dict = {}
    for event, spec in recorded:
        member = event.actor_id
        day = event.timestamp.astimezone(zone).date()
        detail = _detail(event, spec)
        completes_unit = spec.kind == "unit" and spec.verb == Verb.COMPLETED and not spec.counted
        minutes = spec.minutes or 0 if completes_unit else 0
        team_daily[(member, team[member], day, spec.verb, detail, "count")] += 1
        team_daily[(member, team[member], day, spec.verb, detail, "minutes")] += minutes
        unit = _about(spec, "unit", ("block", "commitment"))
        if unit is not None:
            units[(unit, member, team[member], day, spec.verb, detail, "count")] += 1
            units[(unit, member, team[member], day, spec.verb, detail, "minutes")] += minutes
        trajectory = _about(spec, "trajectory", ("step",))
        if trajectory is not None:
            trajectories[(trajectory, member, team[member], day, spec.verb, detail)] += 1
        goal = _about(spec, "goal", ("check_in",))
        if goal is not None:
            goals[(goal, member, team[member], day, spec.verb, detail)] += 1
        counts = state.setdefault(member, Counter())
        counts["events"] += 1
        counts["minutes"] += minutes
        is_ = spec.verb
        counts["units_completed"] += is_ == "completed" and spec.kind == "unit"
        counts["steps_completed"] += is_ == "completed" and spec.kind == "step"
        counts["steps_submitted"] += is_ == "submitted"
        counts["steps_signed_off"] += is_ == "approved"
        counts["commitments_made"] += is_ == "committed"
        counts["commitments_applied"] += is_ == "applied" and spec.status == "applied"
        counts["commitments_not_yet"] += is_ == "applied" and spec.status == "not_yet"
        counts["commitments_closed"] += is_ == "applied" and spec.status != "not_yet"
        counts["goals_agreed"] += is_ == "goal_agreed"
        counts["goals_achieved"] += is_ == "goal_achieved"
        counts["check_ins"] += is_ == "checked_in"
        counts["nudges_sent"] += is_ == "nudge_sent"
        counts["nudges_acted"] += is_ in ("nudge_opened", "nudge_clicked")
        if is_ not in PASSIVE:
            key = (event.timestamp, event.pk)
            if member not in last or key > last[member][0]:
                last[member] = (key, (event.timestamp, is_, spec.kind, spec.object_id))
    member_state = {
        member: (
            team[member],
            dict(counts),
            last[member][1] if member in last else (None, "", "", None),
        )
        for member, counts in state.items()
    }
    return {
        "team_daily": {k: v for k, v in team_daily.items() if k[-1] == "count" or v},
        "units": {k: v for k, v in units.items() if k[-1] == "count" or v},
        "trajectories": dict(trajectories),
        "goals": dict(goals),
        "member_state": member_state,
    }


COUNT_COLUMNS = (
    "events",
    "minutes",
    "units_completed",
    "steps_completed",
    "steps_submitted",
    "steps_signed_off",
    "commitments_made",
    "commitments_applied",
    "commitments_not_yet",
    "commitments_closed",
    "goals_agreed",
    "goals_achieved",
    "check_ins",
    "nudges_sent",
    "nudges_acted",
)


def rollup_tables() -> dict:
    """Every rollup row of every organisation (RLS and scopes lifted: nothing is hidden)."""
    with platform_bypass(reason="rollup test", actor="tests"), scopes_disabled():
        units, team_daily = {}, {}
        for row in UnitDailyCount.objects.all():
            key = (row.unit_id, row.member_id, row.team_id, row.day, row.verb, row.detail)
            units[(*key, "count")] = row.count
            if row.minutes:
                units[(*key, "minutes")] = row.minutes
        for row in TeamDailyCount.objects.all():
            key = (row.member_id, row.team_id, row.day, row.verb, row.detail)
            team_daily[(*key, "count")] = row.count
            if row.minutes:
                team_daily[(*key, "minutes")] = row.minutes
        return {
            "team_daily": team_daily,
            "units": units,
            "trajectories": {
                (r.trajectory_id, r.member_id, r.team_id, r.day, r.verb, r.detail): r.count
                for r in TrajectoryDailyCount.objects.all()
            },
            "goals": {
                (r.goal_id, r.member_id, r.team_id, r.day, r.verb, r.detail): r.count
                for r in GoalDailyCount.objects.all()
            },
            "member_state": {
                r.member_id: (
                    r.team_id,
                    {c: getattr(r, c) for c in COUNT_COLUMNS if getattr(r, c)},
                    (
                        r.last_activity_at,
                        r.last_activity_verb,
                        r.last_activity_object_type,
                        r.last_activity_object_id,
                    ),
                )
                for r in MemberState.objects.all()
            },
        }


def without_zeros(expected: dict) -> dict:
    """Member state compared on its non-zero counts (a zero column reads the same as none)."""
    out = dict(expected)
    out["member_state"] = {
        m: (team, {k: v for k, v in counts.items() if v}, last)
        for m, (team, counts, last) in expected["member_state"].items()
    }
    return out
