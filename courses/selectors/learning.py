"""Reads for learners: what is due first, a trajectory's steps, one step's page.

Each selector costs a fixed number of queries, whatever the number of steps or
enrolments: the enrolments, their steps' progress (with the steps), and the
versions' requirements are read once each, and locks are worked out in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from organisations.models import Membership, Organisation

from ..models import (
    BuddyConfirmation,
    Enrolment,
    Session,
    SessionSeat,
    Step,
    StepProgress,
    StepReflection,
    StepRequirement,
    Trajectory,
)
from .progress import step_locks

WAITING = (StepProgress.Status.SUBMITTED, StepProgress.Status.CHANGES_REQUESTED)


@dataclass
class StepRow:
    """One step as its learner sees it: where it stands, when it is due, what it waits for."""

    progress: StepProgress
    step: Step
    enrolment: Enrolment
    waits_for: list[Step] = field(default_factory=list)
    today: dt.date | None = None
    # A done session step: the session the learner attended (where the page asked for it).
    session: Session | None = None

    @property
    def status(self) -> str:
        return self.progress.status

    @property
    def is_done(self) -> bool:
        return self.progress.status == StepProgress.Status.DONE

    @property
    def is_locked(self) -> bool:
        return bool(self.waits_for) and not self.is_done

    @property
    def due_on(self) -> dt.date | None:
        return self.progress.due_on

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_done
            and self.due_on is not None
            and self.today is not None
            and self.due_on < self.today
        )

    @property
    def lock_reason(self) -> str:
        return ", ".join(step.title for step in self.waits_for)


@dataclass
class EnrolmentSummary:
    enrolment: Enrolment
    rows: list[StepRow]

    @property
    def done_count(self) -> int:
        return sum(1 for row in self.rows if row.is_done)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.rows)) if self.rows else 0

    @property
    def next_row(self) -> StepRow | None:
        return next((r for r in self.rows if not r.is_done and not r.is_locked), None)


@dataclass
class MyLearning:
    due: list[StepRow]
    waiting: list[StepRow]
    enrolments: list[EnrolmentSummary]
    completed: list[EnrolmentSummary]


def _rows_for(enrolments: list[Enrolment], *, today: dt.date) -> dict[int, list[StepRow]]:
    """Every step row of ``enrolments`` in trajectory order, locks worked out: two queries."""
    if not enrolments:
        return {}
    by_id = {e.pk: e for e in enrolments}
    organisation_id = enrolments[0].organisation_id
    progress = list(
        StepProgress.objects.filter(organisation_id=organisation_id, enrolment_id__in=list(by_id))
        .select_related("step")
        # The step's long texts are for its own page, not for lists of rows.
        .defer("step__instructions", "step__evidence_checklist", "step__url")
        .order_by("enrolment_id", "step__position", "step_id")
    )
    requirements = _requirements(organisation_id, {e.version_id for e in enrolments})
    rows: dict[int, list[StepRow]] = defaultdict(list)
    steps_of: dict[int, dict[int, Step]] = defaultdict(dict)
    done_of: dict[int, set[int]] = defaultdict(set)
    for p in progress:
        steps_of[p.enrolment_id][p.step_id] = p.step
        if p.status == StepProgress.Status.DONE:
            done_of[p.enrolment_id].add(p.step_id)
    for p in progress:
        enrolment = by_id[p.enrolment_id]
        p.enrolment = enrolment
        p.step.version_id = enrolment.version_id
        rows[p.enrolment_id].append(
            StepRow(progress=p, step=p.step, enrolment=enrolment, today=today)
        )
    for enrolment_id, enrolment_rows in rows.items():
        steps = steps_of[enrolment_id]
        wanted = {step_id: requirements[step_id] for step_id in steps if step_id in requirements}
        locks = step_locks(requirements=wanted, done_step_ids=done_of[enrolment_id])
        for row in enrolment_rows:
            row.waits_for = [steps[i] for i in locks.get(row.step.pk, []) if i in steps]
    return rows


@dataclass
class DueFirst:
    """The home's share of "My learning": the first steps to do and to wait for, counted."""

    due: list[StepRow]
    due_count: int
    waiting: list[StepRow]
    waiting_count: int
    has_open_enrolments: bool

    @property
    def more_due(self) -> int:
        return self.due_count - len(self.due)


def steps_due_first(*, membership: Membership, today: dt.date, limit: int) -> DueFirst:
    """The first ``limit`` steps due (unlocked first) and waiting for sign-off, with counts.

    What ``my_learning`` orders, without building every row: the open enrolments' step
    progress is read as plain values, locked and sorted in Python, and only the rows
    shown are read as objects. Four queries at most, however many enrolments and steps.
    """
    organisation_id = membership.organisation_id
    # Every open enrolment has step rows, so these say whether there is one: no query of
    # the enrolments themselves (the rows shown bring their trajectory along).
    values = list(
        StepProgress.objects.filter(
            organisation_id=organisation_id,
            enrolment__membership=membership,
            enrolment__status__in=Enrolment.OPEN,
        )
        .values_list(
            "pk",
            "enrolment_id",
            "step_id",
            "status",
            "due_on",
            "step__position",
            "enrolment__version_id",
        )
        .order_by("enrolment_id", "step__position", "step_id")
    )
    if not values:
        return DueFirst(due=[], due_count=0, waiting=[], waiting_count=0, has_open_enrolments=False)
    requirements = _requirements(organisation_id, {row[-1] for row in values})
    done_of: dict[int, set[int]] = defaultdict(set)
    for _pk, enrolment_id, step_id, status, *_rest in values:
        if status == StepProgress.Status.DONE:
            done_of[enrolment_id].add(step_id)
    to_do, waiting, waits = [], [], {}
    for pk, enrolment_id, step_id, status, due_on, position, _version in values:
        if status == StepProgress.Status.SUBMITTED:
            waiting.append(pk)
        elif status in (StepProgress.Status.OPEN, StepProgress.Status.CHANGES_REQUESTED):
            done = done_of[enrolment_id]
            waits[pk] = [r for r in requirements.get(step_id, ()) if r not in done]
            to_do.append(
                (bool(waits[pk]), due_on is None, due_on or dt.date.max, enrolment_id, position, pk)
            )
    to_do.sort()
    due_ids = [key[-1] for key in to_do[:limit]]
    waiting_ids = waiting[:limit]
    shown = {
        p.pk: p
        for p in StepProgress.objects.filter(
            organisation_id=organisation_id, pk__in=due_ids + waiting_ids
        )
        .select_related("step", "enrolment__trajectory")
        .defer("step__instructions", "step__evidence_checklist", "step__url")
        # Picked by id below: the default order would join and sort for nothing.
        .order_by()
    }
    waited_for = {step_id for pk in due_ids for step_id in waits[pk]}
    titles = (
        {
            s.pk: s
            for s in Step.objects.filter(organisation_id=organisation_id, pk__in=waited_for).only(
                "title", "position"
            )
        }
        if waited_for
        else {}
    )

    def row(pk: int) -> StepRow:
        p = shown[pk]
        p.enrolment.membership = membership
        return StepRow(
            progress=p,
            step=p.step,
            enrolment=p.enrolment,
            waits_for=[titles[i] for i in waits.get(pk, ()) if i in titles],
            today=today,
        )

    return DueFirst(
        due=[row(pk) for pk in due_ids],
        due_count=len(to_do),
        waiting=[row(pk) for pk in waiting_ids],
        waiting_count=len(waiting),
        has_open_enrolments=True,
    )


@dataclass
class EnrolmentCount:
    """One trajectory on "My trajectories": the enrolment and how many of its steps are done."""

    enrolment: Enrolment
    done_count: int = 0
    step_count: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.step_count) if self.step_count else 0


@dataclass
class MyTrajectories:
    """The page "My trajectories": the first steps due (all counted), every step waiting."""

    due: list[StepRow]
    due_count: int
    waiting: list[StepRow]
    enrolments: list[EnrolmentCount]
    completed: list[EnrolmentCount]


def my_trajectories(*, membership: Membership, today: dt.date, limit: int) -> MyTrajectories:
    """What ``my_learning`` shows, with only the rows the page lists read as objects.

    The first ``limit`` steps due, every step waiting for sign-off and each open
    trajectory's count of steps done; the open enrolments' step rows are read as
    plain values, locked, counted and sorted in Python. Four queries at most,
    however many enrolments and steps (``my_learning`` built every row: 200 rows of
    ten trajectories cost more to turn into objects than the page to render).
    """
    organisation_id = membership.organisation_id
    enrolments = list(
        Enrolment.objects.filter(organisation_id=organisation_id, membership=membership)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("trajectory")
        .order_by("due_on", "id")
    )
    counts = {e.pk: EnrolmentCount(enrolment=e) for e in enrolments}
    open_ones = {e.pk: e for e in enrolments if e.status in Enrolment.OPEN}
    for enrolment in enrolments:
        enrolment.membership = membership
    values = (
        list(
            StepProgress.objects.filter(
                organisation_id=organisation_id, enrolment_id__in=list(open_ones)
            )
            .values_list(
                "pk", "enrolment_id", "step_id", "status", "due_on", "step__position", "step__title"
            )
            .order_by("enrolment_id", "step__position", "step_id")
        )
        if open_ones
        else []
    )
    requirements = (
        _requirements(organisation_id, {e.version_id for e in open_ones.values()}) if values else {}
    )
    done_of: dict[int, set[int]] = defaultdict(set)
    for _pk, enrolment_id, step_id, status, *_rest in values:
        counts[enrolment_id].step_count += 1
        if status == StepProgress.Status.DONE:
            done_of[enrolment_id].add(step_id)
            counts[enrolment_id].done_count += 1
    # Waiting rows in the order of the trajectories (soonest due first), then of their steps.
    place = {pk: n for n, pk in enumerate(open_ones)}
    to_do, waiting, waits = [], [], {}
    for pk, enrolment_id, step_id, status, due_on, position, _title in values:
        if status == StepProgress.Status.SUBMITTED:
            waiting.append((place[enrolment_id], position, pk))
        elif status in (StepProgress.Status.OPEN, StepProgress.Status.CHANGES_REQUESTED):
            done = done_of[enrolment_id]
            waits[pk] = [r for r in requirements.get(step_id, ()) if r not in done]
            to_do.append(
                (bool(waits[pk]), due_on is None, due_on or dt.date.max, enrolment_id, position, pk)
            )
    to_do.sort()
    waiting.sort()
    due_ids = [key[-1] for key in to_do[:limit]]
    waiting_ids = [key[-1] for key in waiting]
    # What a locked row waits for, named from the values: no query for the titles.
    waited_for = {step_id for pk in due_ids for step_id in waits[pk]}
    steps = {
        step_id: Step(pk=step_id, title=title, position=position)
        for _pk, _e, step_id, _s, _d, position, title in values
        if step_id in waited_for
    }
    rows = _shown_rows(
        organisation_id,
        due_ids=due_ids,
        waiting_ids=waiting_ids,
        waits=waits,
        enrolments=open_ones,
        today=today,
        steps=steps,
    )
    return MyTrajectories(
        due=[rows[pk] for pk in due_ids],
        due_count=len(to_do),
        waiting=[rows[pk] for pk in waiting_ids],
        enrolments=[counts[pk] for pk in open_ones],
        completed=[counts[e.pk] for e in enrolments if e.status == Enrolment.Status.COMPLETED],
    )


def _shown_rows(
    organisation_id: int,
    *,
    due_ids: list[int],
    waiting_ids: list[int],
    waits: dict[int, list[int]],
    enrolments: dict[int, Enrolment],
    today: dt.date,
    steps: dict[int, Step],
) -> dict[int, StepRow]:
    """The rows a page lists, as objects with their step, in one query; ``steps``: the
    steps the locked ones wait for, by id."""
    if not due_ids and not waiting_ids:
        return {}
    shown = (
        StepProgress.objects.filter(organisation_id=organisation_id, pk__in=due_ids + waiting_ids)
        .select_related("step")
        .defer("step__instructions", "step__evidence_checklist", "step__url")
        .order_by()
    )
    rows = {}
    for p in shown:
        enrolment = enrolments[p.enrolment_id]
        p.enrolment = enrolment
        rows[p.pk] = StepRow(
            progress=p,
            step=p.step,
            enrolment=enrolment,
            waits_for=[steps[i] for i in waits.get(p.pk, ()) if i in steps],
            today=today,
        )
    return rows


def _requirements(organisation_id: int, version_ids: set[int]) -> dict[int, list[int]]:
    """Step id → the steps it waits for, for every step of these versions: one query."""
    requirements: dict[int, list[int]] = defaultdict(list)
    for step_id, required_id in StepRequirement.objects.filter(
        organisation_id=organisation_id, step__version_id__in=version_ids
    ).values_list("step_id", "required_step_id"):
        requirements[step_id].append(required_id)
    return requirements


def _learner_enrolments(*, membership: Membership) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(organisation_id=membership.organisation_id, membership=membership)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("trajectory", "version", "buddy__user")
        .order_by("due_on", "id")
    )


def _due_key(row: StepRow):
    return (row.due_on is None, row.due_on or dt.date.max, row.enrolment.pk, row.step.position)


def my_learning(*, membership: Membership, today: dt.date) -> MyLearning:
    """What is due first across the learner's trajectories, what waits for sign-off, what is done.

    Three queries, however many enrolments and steps.
    """
    enrolments = list(_learner_enrolments(membership=membership))
    for enrolment in enrolments:
        enrolment.membership = membership
    rows = _rows_for(enrolments, today=today)
    summaries = [EnrolmentSummary(enrolment=e, rows=rows.get(e.pk, [])) for e in enrolments]
    open_summaries = [s for s in summaries if s.enrolment.status in Enrolment.OPEN]
    due = sorted(
        (
            row
            for s in open_summaries
            for row in s.rows
            if row.status in (StepProgress.Status.OPEN, StepProgress.Status.CHANGES_REQUESTED)
        ),
        key=lambda row: (row.is_locked, *_due_key(row)),
    )
    waiting = [
        row for s in open_summaries for row in s.rows if row.status == StepProgress.Status.SUBMITTED
    ]
    completed = [s for s in summaries if s.enrolment.status == Enrolment.Status.COMPLETED]
    return MyLearning(due=due, waiting=waiting, enrolments=open_summaries, completed=completed)


def learner_enrolment(*, membership: Membership, trajectory: Trajectory) -> Enrolment | None:
    return _learner_enrolments(membership=membership).filter(trajectory=trajectory).first()


def enrolment_summary(
    *, enrolment: Enrolment, today: dt.date, with_sessions: bool = False
) -> EnrolmentSummary:
    """A trajectory page: every step of the enrolment's version with status, lock, due date.

    ``with_sessions``: done session steps carry the session attended (one query more,
    only when there is such a step).
    """
    rows = _rows_for([enrolment], today=today).get(enrolment.pk, [])
    if with_sessions:
        _attended_sessions(enrolment=enrolment, rows=rows)
    return EnrolmentSummary(enrolment=enrolment, rows=rows)


def _attended_sessions(*, enrolment: Enrolment, rows: list[StepRow]) -> None:
    done = {row.step.key: row for row in rows if row.is_done and row.step.kind == Step.Kind.SESSION}
    if not done:
        return
    seats = (
        SessionSeat.objects.filter(
            organisation_id=enrolment.organisation_id,
            enrolment_id=enrolment.pk,
            attendance=SessionSeat.Attendance.ATTENDED,
            session__step_key__in=list(done),
        )
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )
    for seat in seats:  # the latest attended wins
        done[seat.session.step_key].session = seat.session


def step_row(*, progress: StepProgress, today: dt.date) -> StepRow:
    """One step's page: the row with its locks (the enrolment's rows read once)."""
    summary = enrolment_summary(enrolment=progress.enrolment, today=today)
    for row in summary.rows:
        if row.progress.pk == progress.pk:
            return row
    raise StepProgress.DoesNotExist  # pragma: no cover - the row is the enrolment's


def reflection_of(*, progress: StepProgress) -> StepReflection | None:
    return StepReflection.objects.filter(progress=progress).first()


def buddy_confirmed_by(*, progress: StepProgress) -> set[int]:
    return set(
        BuddyConfirmation.objects.filter(progress=progress).values_list("membership_id", flat=True)
    )


def buddy_steps_for(*, membership: Membership) -> QuerySet[StepProgress]:
    """Buddy conversations where ``membership`` is the buddy and has still to confirm."""
    return (
        StepProgress.objects.filter(
            organisation_id=membership.organisation_id,
            enrolment__buddy=membership,
            enrolment__status__in=Enrolment.OPEN,
            step__kind=Step.Kind.BUDDY,
        )
        .exclude(status=StepProgress.Status.DONE)
        .exclude(
            Exists(BuddyConfirmation.objects.filter(progress=OuterRef("pk"), membership=membership))
        )
        .select_related("step", "enrolment__trajectory", "enrolment__membership__user")
        .order_by("due_on", "id")
    )


def trajectory_catalogue(*, membership: Membership) -> QuerySet[Trajectory]:
    """Published trajectories a learner may see: those open to enrol in and their own."""
    mine = Enrolment.objects.filter(
        organisation_id=membership.organisation_id, membership=membership, trajectory=OuterRef("pk")
    )
    return (
        Trajectory.objects.filter(
            organisation_id=membership.organisation_id, status=Trajectory.Status.PUBLISHED
        )
        .annotate(enrolled=Exists(mine.exclude(status=Enrolment.Status.WITHDRAWN)))
        .filter(Q(live_version__self_enrolment=True) | Q(enrolled=True))
        .select_related("live_version")
        .order_by("title", "id")
    )


def steps_for_learner(*, membership: Membership) -> list[Step]:
    """The steps of the learner's own trajectories, to link a goal's plan activity to.

    Only enrolments that are not withdrawn, each in the version it follows; ordered by
    trajectory (as the learner's version names it) and then by position. One query:
    each step comes with its ``version`` (its ``title`` is the trajectory's).
    """
    versions = (
        Enrolment.objects.filter(organisation_id=membership.organisation_id, membership=membership)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values("version_id")
    )
    return list(
        Step.objects.filter(organisation_id=membership.organisation_id, version_id__in=versions)
        .select_related("version")
        # Titles are what a choice shows; the long texts stay in the database.
        .defer("instructions", "evidence_checklist", "url", "version__description")
        .order_by("version__title", "version__trajectory_id", "position", "id")
    )


def is_learner_step(*, membership: Membership, step: Step) -> bool:
    """Whether ``step`` is in the version of one of the learner's enrolments (not withdrawn)."""
    return (
        Enrolment.objects.filter(
            organisation_id=membership.organisation_id,
            membership=membership,
            version_id=step.version_id,
        )
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .exists()
    )


def step_for(*, organisation_id: int, step_id: int) -> Step | None:
    """A step of any trajectory of the organisation by id (another organisation's: None)."""
    return Step.objects.filter(organisation_id=organisation_id, pk=step_id).first()


def published_trajectories(*, organisation: Organisation) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(
        organisation=organisation, status=Trajectory.Status.PUBLISHED
    ).select_related("live_version")
