"""Writes for enrolments: who follows a trajectory, by when, with which buddy.

Enrolling is a batch (one member is a batch of one): the members are read in
one query, the due dates are counted once per batch on one work calendar, and
enrolments are written with ``bulk_create`` and ``ignore_conflicts`` and their
step rows with one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``, so enrolling
someone again is a no-op and a team of a thousand costs a handful of
statements, not thousands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import LearningEvent
from events.services import learning_event_record, learning_events_record_many
from microlearning.selectors.reach import units_completed
from organisations.models import Membership, Organisation, Team
from organisations.permissions import can_enrol, can_enrol_team, can_manage_enrolment
from organisations.selectors import team_subtree_ids
from organisations.services import audit_log_record
from organisations.workdays import WorkCalendar, local_date, work_calendar

from ..models import Enrolment, Step, StepProgress, Trajectory, TrajectoryVersion
from .progress import enrolment_move, enrolment_refresh_status, step_progress_done

ERROR_NOT_PUBLISHED = _("Only a published trajectory can be followed.")
ERROR_NO_SELF_ENROLMENT = _("This trajectory is not open for enrolling yourself.")
ERROR_MAY_NOT_ENROL = _("You may enrol only members of the teams you lead.")
ERROR_BUDDY_SELF = _("A buddy is someone else than the learner.")
ERROR_BUDDY_INACTIVE = _("Choose an active member of your organisation as the buddy.")
ERROR_BUDDY_CLOSED = _("A completed or withdrawn enrolment keeps the buddy it had.")
ERROR_TEAM_AND_MEMBER = _("Enrol a team or a member, not both.")


@dataclass
class EnrolmentBatch:
    """What one enrolling did: the new enrolments, the reopened ones, those that were there."""

    created: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)

    @property
    def enrolment_ids(self) -> list[int]:
        return [*self.created, *self.reopened, *self.existing]


def step_due_dates(
    *, steps: Iterable[Step], start: dt.date, calendar: WorkCalendar
) -> tuple[dict[int, dt.date | None], dt.date | None]:
    """Each step's due date from ``start``, and the last required one's (the enrolment's)."""
    due = {
        step.pk: None if step.due_offset_days is None else calendar.add(start, step.due_offset_days)
        for step in steps
    }
    required = [due[step.pk] for step in steps if step.required and due[step.pk] is not None]
    return due, max(required, default=None)


def _buddy_check(*, buddy: Membership | None, learner_ids: Iterable[int], organisation_id: int):
    """The buddy is an active member; a learner on their own is never their own buddy.

    In a batch of several (a team), the buddy may be one of them: they are enrolled
    too, without a buddy of their own (``enrolments_create``).
    """
    if buddy is None:
        return
    if buddy.organisation_id != organisation_id or not buddy.is_active:
        raise ValidationError({"buddy": ERROR_BUDDY_INACTIVE})
    if set(learner_ids) == {buddy.pk}:
        raise ValidationError({"buddy": ERROR_BUDDY_SELF})


def enrolments_create(
    *,
    trajectory: Trajectory,
    by: Membership,
    memberships: Iterable[Membership],
    buddy: Membership | None = None,
    at: dt.datetime | None = None,
) -> EnrolmentBatch:
    """Enrol members in the live version of ``trajectory``; already enrolled: a no-op.

    A withdrawn member enrolled again is reopened (their version and what they
    did stay). A unit they completed before counts at once. A buddy who is one
    of ``memberships`` is enrolled as well, without a buddy (never their own).
    The caller checks who may enrol whom (``enrolment_create`` and
    ``team_enrol`` do).
    """
    if trajectory.status != Trajectory.Status.PUBLISHED or trajectory.live_version_id is None:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    memberships = [m for m in memberships if m.is_active]
    _buddy_check(
        buddy=buddy,
        learner_ids=[m.pk for m in memberships],
        organisation_id=trajectory.organisation_id,
    )
    organisation: Organisation = trajectory.organisation
    at = at or timezone.now()
    version: TrajectoryVersion = trajectory.live_version
    steps = list(version.steps.order_by("position", "id"))
    start = local_date(organisation=organisation, moment=at)
    due, enrolment_due = step_due_dates(
        steps=steps, start=start, calendar=work_calendar(organisation=organisation, start=start)
    )
    batch = EnrolmentBatch()
    by_id = {m.pk: m for m in memberships}
    with transaction.atomic():
        existing = {
            row.membership_id: row
            for row in Enrolment.objects.filter(
                organisation=organisation, trajectory=trajectory, membership_id__in=list(by_id)
            )
        }
        for enrolment in existing.values():
            if enrolment.status == Enrolment.Status.WITHDRAWN:
                enrolment.organisation = organisation
                enrolment_move(enrolment=enrolment, status=Enrolment.Status.NOT_STARTED, at=at)
                enrolment_refresh_status(enrolment=enrolment, at=at)
                batch.reopened.append(enrolment.pk)
            else:
                batch.existing.append(enrolment.pk)
        new_ids = [pk for pk in by_id if pk not in existing]
        Enrolment.objects.bulk_create(
            [
                # Every column by its attname: no descriptor or default lookups per row.
                Enrolment(
                    organisation_id=organisation.pk,
                    trajectory_id=trajectory.pk,
                    version_id=version.pk,
                    membership_id=pk,
                    buddy_id=buddy.pk if buddy and buddy.pk != pk else None,
                    enrolled_by_id=by.pk,
                    status=Enrolment.Status.NOT_STARTED,
                    enrolled_at=at,
                    due_on=enrolment_due,
                    completed_at=None,
                    withdrawn_at=None,
                )
                for pk in new_ids
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
        # Rows this call wrote (a racing enrolment of the same member wrote its own).
        created = dict(
            Enrolment.objects.filter(
                organisation=organisation,
                trajectory=trajectory,
                membership_id__in=new_ids,
                enrolled_at=at,
                enrolled_by=by,
            ).values_list("id", "membership_id")
        )
        batch.created = list(created)
        step_dues = [(step.pk, due[step.pk]) for step in steps]
        _progress_rows_insert(
            organisation_id=organisation.pk, enrolment_ids=list(created), step_dues=step_dues, at=at
        )
        learning_events_record_many(
            events=[
                {
                    "actor": by_id[membership_id],
                    "verb": LearningEvent.Verb.ENROLLED,
                    "object_type": "trajectory",
                    "object_id": trajectory.pk,
                    "context": {
                        "version": version.pk,
                        "enrolment": enrolment_id,
                        "by": by.pk,
                    },
                    "timestamp": at,
                }
                for enrolment_id, membership_id in created.items()
            ]
            + [
                {
                    "actor": by_id[enrolment.membership_id],
                    "verb": LearningEvent.Verb.ENROLLED,
                    "object_type": "trajectory",
                    "object_id": trajectory.pk,
                    "context": {"version": enrolment.version_id, "enrolment": enrolment.pk},
                    "timestamp": at,
                }
                for enrolment in existing.values()
                if enrolment.pk in batch.reopened
            ]
        )
        _earlier_units_count(
            organisation=organisation,
            steps=steps,
            enrolment_ids=batch.created + batch.reopened,
            at=at,
        )
        if batch.created or batch.reopened:
            audit_log_record(
                actor=by,
                action="trajectory.enrolled",
                obj=trajectory,
                data={"created": len(batch.created), "reopened": len(batch.reopened)},
            )
    return batch


def _progress_rows_insert(
    *,
    organisation_id: int,
    enrolment_ids: list[int],
    step_dues: list[tuple[int, dt.date | None]],
    at: dt.datetime,
) -> None:
    """Every (enrolment, step) row in one INSERT ... SELECT, conflicts ignored.

    Not ``bulk_create``: for a team of a thousand in ten steps, building ten
    thousand model instances and a ten-thousand-row VALUES list costs several
    times what the database needs to write them; the server makes the rows from
    the two id lists instead. Same columns, same ``ON CONFLICT DO NOTHING``, and
    the tenant's row-level security applies as to any statement.
    """
    if not enrolment_ids or not step_dues:
        return
    if connection.vendor != "postgresql":  # the embedded SQLite of the one-command run
        StepProgress.objects.bulk_create(
            [
                StepProgress(
                    organisation_id=organisation_id,
                    enrolment_id=enrolment_id,
                    step_id=step_id,
                    status=StepProgress.Status.OPEN,
                    due_on=due_on,
                    updated_at=at,
                )
                for enrolment_id in enrolment_ids
                for step_id, due_on in step_dues
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        return
    table = connection.ops.quote_name(StepProgress._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table}
                    (organisation_id, enrolment_id, step_id, status, due_on, updated_at)
                SELECT %s, e.id, s.step_id, %s, s.due_on, %s
                FROM unnest(%s::bigint[]) AS e(id)
                CROSS JOIN unnest(%s::bigint[], %s::date[]) AS s(step_id, due_on)
                ON CONFLICT (enrolment_id, step_id) DO NOTHING""",  # noqa: S608 - table name only
            [
                organisation_id,
                StepProgress.Status.OPEN.value,
                at,
                enrolment_ids,
                [step_id for step_id, _due in step_dues],
                [due for _step_id, due in step_dues],
            ],
        )


def _earlier_units_count(
    *, organisation: Organisation, steps: list[Step], enrolment_ids: list[int], at: dt.datetime
) -> None:
    """Unit steps whose unit the learner completed before enrolling are done at enrolment."""
    unit_ids = {step.unit_id for step in steps if step.kind == Step.Kind.UNIT and step.unit_id}
    if not unit_ids or not enrolment_ids:
        return
    members = dict(
        Enrolment.objects.filter(pk__in=enrolment_ids).values_list("membership_id", "id")
    )
    completed = units_completed(
        organisation=organisation, unit_ids=unit_ids, membership_ids=list(members)
    )
    if not completed:
        return
    wanted = Q()
    for membership_id, done_units in completed.items():
        wanted |= Q(enrolment_id=members[membership_id], step__unit_id__in=done_units)
    rows = (
        StepProgress.objects.filter(organisation=organisation, step__kind=Step.Kind.UNIT)
        .filter(wanted)
        .exclude(status=StepProgress.Status.DONE)
        .select_related("enrolment__membership", "step")
        .order_by("step__position")
    )
    for progress in rows:
        _done_if_open(progress=progress, by=progress.enrolment.membership, at=at)


def _done_if_open(*, progress: StepProgress, by: Membership, at: dt.datetime | None = None):
    """Make it done unless it is locked (it is done when its unit is completed again)."""
    try:
        step_progress_done(progress=progress, by=by, at=at)
    except ValidationError:
        return False
    return True


def enrolment_create(
    *,
    trajectory: Trajectory,
    membership: Membership,
    by: Membership,
    buddy: Membership | None = None,
) -> Enrolment:
    """Enrol one member (themselves where the trajectory allows it); again is a no-op."""
    if trajectory.status != Trajectory.Status.PUBLISHED or trajectory.live_version_id is None:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    self_enrolment = trajectory.live_version.self_enrolment
    if not can_enrol(by, membership=membership, self_enrolment=self_enrolment):
        if by.pk == membership.pk:
            raise PermissionDenied(ERROR_NO_SELF_ENROLMENT)
        raise PermissionDenied(ERROR_MAY_NOT_ENROL)
    batch = enrolments_create(trajectory=trajectory, by=by, memberships=[membership], buddy=buddy)
    return Enrolment.objects.get(pk=batch.enrolment_ids[0])


def team_enrol(
    *,
    trajectory: Trajectory,
    team: Team,
    by: Membership,
    buddy: Membership | None = None,
    at: dt.datetime | None = None,
) -> EnrolmentBatch:
    """Enrol every active member of ``team`` and of the teams below it, in one batch.

    A ``buddy`` from the team is enrolled too (without a buddy of their own) and is
    the buddy of everyone else in the batch.
    """
    if team.organisation_id != trajectory.organisation_id:
        raise ValidationError(ERROR_MAY_NOT_ENROL)
    if not can_enrol_team(by, team_id=team.pk):
        raise PermissionDenied(ERROR_MAY_NOT_ENROL)
    team_ids = team_subtree_ids(organisation=trajectory.organisation, root_ids=[team.pk])
    members = Membership.objects.filter(
        organisation_id=trajectory.organisation_id, team_id__in=team_ids, is_active=True
    ).only("id", "organisation_id", "is_active", "team_id")
    return enrolments_create(
        trajectory=trajectory, by=by, memberships=list(members), buddy=buddy, at=at
    )


def enrolment_withdraw(*, enrolment: Enrolment, by: Membership) -> Enrolment:
    """Take a learner out of a trajectory; what they did stays. Withdrawn again: a no-op."""
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return enrolment
    if by.pk != enrolment.membership_id and not can_manage_enrolment(
        by, learner_team_id=enrolment.membership.team_id
    ):
        raise PermissionDenied
    with transaction.atomic():
        enrolment_move(enrolment=enrolment, status=Enrolment.Status.WITHDRAWN)
        learning_event_record(
            actor=enrolment.membership,
            verb=LearningEvent.Verb.WITHDRAWN,
            object_type="trajectory",
            object_id=enrolment.trajectory_id,
            context={"enrolment": enrolment.pk, "version": enrolment.version_id, "by": by.pk},
        )
        audit_log_record(
            actor=by,
            action="trajectory.withdrawn",
            obj=enrolment.trajectory,
            data={"enrolment": enrolment.pk},
        )
    return enrolment


def enrolment_buddy_set(
    *, enrolment: Enrolment, by: Membership, buddy: Membership | None
) -> Enrolment:
    """Give an open enrolment a buddy (a member of the organisation, not the learner), or none.

    The same buddy again is a no-op; a change is audited with the buddy it replaced.
    There is no learning-event verb for it: naming a buddy is no learning activity.
    """
    if not can_manage_enrolment(by, learner_team_id=enrolment.membership.team_id):
        raise PermissionDenied
    if enrolment.status not in Enrolment.OPEN:
        raise ValidationError(ERROR_BUDDY_CLOSED)
    _buddy_check(
        buddy=buddy,
        learner_ids=[enrolment.membership_id],
        organisation_id=enrolment.organisation_id,
    )
    previous = enrolment.buddy_id
    if previous == (buddy.pk if buddy else None):
        return enrolment
    enrolment.buddy = buddy
    enrolment.save(update_fields=["buddy"])
    audit_log_record(
        actor=by,
        action="trajectory.buddy_set",
        obj=enrolment.trajectory,
        data={
            "enrolment": enrolment.pk,
            "buddy": buddy.pk if buddy else None,
            "previous": previous,
        },
    )
    return enrolment


def enrolments_mark_overdue(*, organisation: Organisation, now: dt.datetime | None = None) -> int:
    """Daily: open enrolments past their due date become overdue, and back when it moved.

    One conditional UPDATE claims the rows (a second run finds none); the way
    back goes through ``enrolment_refresh_status``, few rows a day.
    """
    now = now or timezone.now()
    today = local_date(organisation=organisation, moment=now)
    may_become_overdue = [
        status
        for status in Enrolment.OPEN
        if Enrolment.Status.OVERDUE in Enrolment.TRANSITIONS[status]
    ]
    changed = Enrolment.objects.filter(
        organisation=organisation, status__in=may_become_overdue, due_on__lt=today
    ).update(status=Enrolment.Status.OVERDUE)
    back = Enrolment.objects.filter(
        organisation=organisation, status=Enrolment.Status.OVERDUE
    ).filter(Q(due_on__gte=today) | Q(due_on__isnull=True))
    for enrolment in back:
        enrolment.organisation = organisation
        enrolment_refresh_status(enrolment=enrolment, at=now)
        changed += 1
    return changed


def enrolments_move_on(
    *, trajectory: Trajectory, by: Membership, at: dt.datetime | None = None
) -> int:
    """Move open enrolments of older versions on to the live version, explicitly.

    Each step's progress row moves to the live step with the same key, so what
    was done (and any evidence on it) stays; steps the live version added open
    with due dates counted from the enrolment moment; steps it dropped go.
    Returns how many enrolments moved.
    """
    live = trajectory.live_version
    if trajectory.status != Trajectory.Status.PUBLISHED or live is None:
        raise ValidationError(ERROR_NOT_PUBLISHED)
    organisation = trajectory.organisation
    at = at or timezone.now()
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.filter(
                organisation=organisation, trajectory=trajectory, status__in=Enrolment.OPEN
            ).exclude(version=live)
        )
        if not enrolments:
            return 0
        steps = list(live.steps.order_by("position", "id"))
        by_key = {step.key: step for step in steps}
        starts = {
            e.pk: local_date(organisation=organisation, moment=e.enrolled_at) for e in enrolments
        }
        calendar = work_calendar(organisation=organisation, start=min(starts.values()))
        rows = list(
            StepProgress.objects.filter(
                organisation=organisation, enrolment__in=enrolments
            ).select_related("step")
        )
        keep: dict[int, list[StepProgress]] = {e.pk: [] for e in enrolments}
        drop: list[int] = []
        have: dict[int, set] = {e.pk: set() for e in enrolments}
        for row in rows:
            new_step = by_key.get(row.step.key)
            if new_step is None:
                drop.append(row.pk)
                continue
            row.step_id = new_step.pk
            keep[row.enrolment_id].append(row)
            have[row.enrolment_id].add(new_step.key)
        new_rows = []
        for enrolment in enrolments:
            due, enrolment_due = step_due_dates(
                steps=steps, start=starts[enrolment.pk], calendar=calendar
            )
            for row in keep[enrolment.pk]:
                row.due_on = due[row.step_id]
            new_rows.extend(
                StepProgress(
                    organisation=organisation,
                    enrolment=enrolment,
                    step=step,
                    due_on=due[step.pk],
                    updated_at=at,
                )
                for step in steps
                if step.key not in have[enrolment.pk]
            )
            enrolment.version = live
            enrolment.due_on = enrolment_due
        StepProgress.objects.filter(pk__in=drop).delete()
        StepProgress.objects.bulk_update(
            [row for rows_of in keep.values() for row in rows_of],
            ["step", "due_on"],
            batch_size=2000,
        )
        StepProgress.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=2000)
        Enrolment.objects.bulk_update(enrolments, ["version", "due_on"], batch_size=2000)
        for enrolment in enrolments:
            enrolment.organisation = organisation
            enrolment_refresh_status(enrolment=enrolment, at=at)
        audit_log_record(
            actor=by,
            action="trajectory.enrolments_moved_on",
            obj=trajectory,
            data={"version": live.number, "enrolments": len(enrolments)},
        )
    return len(enrolments)
