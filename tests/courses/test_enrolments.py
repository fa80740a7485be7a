"""Enrolling: due dates in work days, no-op re-enrolment, teams with sub-teams, who may enrol."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses.models import Enrolment, Step, StepProgress
from courses.selectors.learning import buddy_steps_for
from courses.services import authoring, enrolments
from courses.services.progress import step_progress_done
from events.models import LearningEvent
from microlearning import services as unit_services
from organisations.models import OrganisationHoliday
from tests import factories
from tests.conftest import make_member
from tests.courses.factories import author_of, trajectory_with

pytestmark = pytest.mark.django_db


def test_due_dates_skip_weekends_public_and_own_holidays_across_a_clock_change(scoped):
    # Friday 23:30 UTC is Saturday 00:30 in Amsterdam: the enrolment starts on Saturday,
    # its day 0 is Monday 30 March (summer time since Sunday). Good Friday, Easter Monday
    # and a day the organisation adds are no work days.
    OrganisationHoliday.objects.create(organisation=scoped, date=dt.date(2026, 4, 8))
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL] * 4, offsets=[0, 3, 4, 5])
    learner = make_member(scoped)
    moment = dt.datetime(2026, 3, 27, 23, 30, tzinfo=dt.UTC)

    batch = enrolments.enrolments_create(
        trajectory=trajectory, by=learner, memberships=[learner], at=moment
    )

    enrolment = Enrolment.objects.get(pk=batch.created[0])
    due = list(enrolment.progress.order_by("step__position").values_list("due_on", flat=True))
    assert due == [
        dt.date(2026, 3, 30),
        dt.date(2026, 4, 2),
        dt.date(2026, 4, 7),
        dt.date(2026, 4, 9),
    ]
    assert enrolment.due_on == dt.date(2026, 4, 9)


def test_enrolling_again_is_a_no_op(scoped):
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL] * 3)
    learner = make_member(scoped)
    author = trajectory.created_by

    first = enrolments.enrolments_create(trajectory=trajectory, by=author, memberships=[learner])
    again = enrolments.enrolments_create(trajectory=trajectory, by=author, memberships=[learner])

    assert again.created == [] and again.existing == first.created
    assert Enrolment.objects.count() == 1 and StepProgress.objects.count() == 3
    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.ENROLLED).count() == 1


def test_a_team_enrolment_includes_the_sub_teams_and_skips_the_inactive(scoped):
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL] * 2)
    team = factories.TeamFactory(organisation=scoped)
    sub = factories.TeamFactory(organisation=scoped, parent=team)
    subsub = factories.TeamFactory(organisation=scoped, parent=sub)
    other = factories.TeamFactory(organisation=scoped)
    inside = [make_member(scoped, team=t) for t in (team, sub, subsub)]
    make_member(scoped, team=sub, is_active=False)
    make_member(scoped, team=other)

    batch = enrolments.team_enrol(trajectory=trajectory, team=team, by=trajectory.created_by)

    assert len(batch.created) == 3
    assert set(Enrolment.objects.values_list("membership_id", flat=True)) == {m.pk for m in inside}
    assert StepProgress.objects.count() == 6


def test_a_manager_enrols_only_members_of_their_teams(scoped):
    trajectory = trajectory_with(scoped)
    manager = make_member(scoped)
    team = factories.TeamFactory(organisation=scoped, manager=manager)
    sub = factories.TeamFactory(organisation=scoped, parent=team)
    theirs = make_member(scoped, team=sub)
    stranger = make_member(scoped, team=factories.TeamFactory(organisation=scoped))

    enrolments.enrolment_create(trajectory=trajectory, membership=theirs, by=manager)
    with pytest.raises(PermissionDenied):
        enrolments.enrolment_create(trajectory=trajectory, membership=stranger, by=manager)
    with pytest.raises(PermissionDenied):
        enrolments.team_enrol(trajectory=trajectory, team=stranger.team, by=manager)


def test_a_learner_enrols_themselves_only_where_the_trajectory_allows_it(scoped):
    closed = trajectory_with(scoped)
    open_one = trajectory_with(scoped, self_enrolment=True)
    learner = make_member(scoped)

    with pytest.raises(PermissionDenied):
        enrolments.enrolment_create(trajectory=closed, membership=learner, by=learner)
    enrolment = enrolments.enrolment_create(trajectory=open_one, membership=learner, by=learner)

    assert enrolment.membership == learner


def test_a_buddy_is_another_member_of_the_organisation(scoped, other_organisation):
    trajectory = trajectory_with(scoped)
    learner = make_member(scoped)
    outsider = make_member(other_organisation)

    with pytest.raises(ValidationError) as excinfo:
        enrolments.enrolments_create(
            trajectory=trajectory, by=learner, memberships=[learner], buddy=learner
        )
    assert "buddy" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        enrolments.enrolments_create(
            trajectory=trajectory, by=learner, memberships=[learner], buddy=outsider
        )
    assert not Enrolment.objects.exists()


def test_a_buddy_from_the_enrolled_team_is_enrolled_too_and_never_their_own_buddy(scoped):
    trajectory = trajectory_with(scoped, [Step.Kind.BUDDY])
    manager = make_member(scoped)
    team = factories.TeamFactory(organisation=scoped, manager=manager)
    learners = [make_member(scoped, team=team) for _ in range(2)]
    buddy = make_member(scoped, team=team)

    batch = enrolments.team_enrol(trajectory=trajectory, team=team, by=manager, buddy=buddy)

    assert len(batch.created) == 3
    assert dict(Enrolment.objects.values_list("membership_id", "buddy_id")) == {
        learners[0].pk: buddy.pk,
        learners[1].pk: buddy.pk,
        buddy.pk: None,
    }
    talks = buddy_steps_for(membership=buddy)
    assert {p.enrolment.membership_id for p in talks} == {m.pk for m in learners}


def test_a_team_of_only_the_buddy_is_refused(scoped):
    trajectory = trajectory_with(scoped, [Step.Kind.BUDDY])
    team = factories.TeamFactory(organisation=scoped)
    buddy = make_member(scoped, team=team)

    with pytest.raises(ValidationError) as excinfo:
        enrolments.team_enrol(
            trajectory=trajectory, team=team, by=trajectory.created_by, buddy=buddy
        )

    assert "buddy" in excinfo.value.message_dict
    assert not Enrolment.objects.exists()


def test_withdrawing_and_enrolling_again_reopens_the_enrolment_with_what_was_done(scoped):
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL] * 2)
    author = trajectory.created_by
    learner = make_member(scoped)
    enrolment = enrolments.enrolment_create(trajectory=trajectory, membership=learner, by=author)
    first = enrolment.progress.order_by("step__position").first()
    step_progress_done(progress=first, by=learner)

    enrolments.enrolment_withdraw(enrolment=enrolment, by=author)
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    enrolments.enrolment_create(trajectory=trajectory, membership=learner, by=author)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS
    assert enrolment.progress.filter(status=StepProgress.Status.DONE).count() == 1
    verbs = list(LearningEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs.count(LearningEvent.Verb.ENROLLED) == 2
    assert LearningEvent.Verb.WITHDRAWN in verbs


def test_a_unit_step_is_done_when_the_unit_is_completed(scoped):
    unit = factories.UnitFactory(organisation=scoped)
    trajectory = trajectory_with(scoped, [Step.Kind.UNIT, Step.Kind.EXTERNAL], unit=unit)
    learner = make_member(scoped)
    enrolment = enrolments.enrolment_create(
        trajectory=trajectory, membership=learner, by=trajectory.created_by
    )

    unit_services.unit_complete(unit=unit, membership=learner)

    progress = enrolment.progress.get(step__kind=Step.Kind.UNIT)
    assert progress.status == StepProgress.Status.DONE
    event = LearningEvent.objects.get(verb=LearningEvent.Verb.COMPLETED, object_type="step")
    assert event.context["category"] == "formal"
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS


def test_a_unit_completed_before_enrolling_counts_at_enrolment(scoped):
    unit = factories.UnitFactory(organisation=scoped)
    trajectory = trajectory_with(scoped, [Step.Kind.UNIT], unit=unit)
    learner = make_member(scoped)
    unit_services.unit_complete(unit=unit, membership=learner)

    enrolment = enrolments.enrolment_create(
        trajectory=trajectory, membership=learner, by=trajectory.created_by
    )

    enrolment.refresh_from_db()
    assert enrolment.progress.get().status == StepProgress.Status.DONE
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_open_enrolments_past_their_due_date_become_overdue_and_back(scoped):
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL], offsets=[1])
    learner = make_member(scoped)
    enrolment = enrolments.enrolment_create(
        trajectory=trajectory, membership=learner, by=trajectory.created_by
    )
    later = timezone.now() + dt.timedelta(days=10)

    assert enrolments.enrolments_mark_overdue(organisation=scoped, now=later) == 1
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.OVERDUE
    assert enrolments.enrolments_mark_overdue(organisation=scoped, now=later) == 0

    step_progress_done(progress=enrolment.progress.get(), by=learner)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_in_progress_enrolments_keep_their_version_until_moved_on_keeping_what_was_done(scoped):
    author = author_of(scoped)
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL] * 2, author=author)
    learner = make_member(scoped)
    enrolment = enrolments.enrolment_create(trajectory=trajectory, membership=learner, by=author)
    first, second = enrolment.progress.order_by("step__position")
    step_progress_done(progress=first, by=learner)
    old_version = enrolment.version_id

    authoring.step_remove(step=second.step, by=author)
    authoring.step_add(
        trajectory=trajectory, by=author, kind=Step.Kind.BUDDY, title="Buddy", due_offset_days=3
    )
    authoring.trajectory_publish(trajectory=trajectory, by=author)
    trajectory.refresh_from_db()
    enrolment.refresh_from_db()
    assert enrolment.version_id == old_version  # publishing moves nobody

    moved = enrolments.enrolments_move_on(trajectory=trajectory, by=author)

    assert moved == 1
    enrolment.refresh_from_db()
    assert enrolment.version_id == trajectory.live_version_id
    rows = {p.step.kind: p.status for p in enrolment.progress.select_related("step")}
    assert rows == {Step.Kind.EXTERNAL: "done", Step.Kind.BUDDY: "open"}
    assert all(p.step.version_id == trajectory.live_version_id for p in enrolment.progress.all())
    assert enrolment.due_on is not None
    assert enrolment.status == Enrolment.Status.IN_PROGRESS


def test_a_team_of_many_is_enrolled_in_a_fixed_number_of_queries(
    scoped, django_assert_max_num_queries
):
    trajectory = trajectory_with(scoped, [Step.Kind.EXTERNAL] * 5)
    team = factories.TeamFactory(organisation=scoped)
    for _ in range(30):
        make_member(scoped, team=team)

    with django_assert_max_num_queries(16):
        batch = enrolments.team_enrol(trajectory=trajectory, team=team, by=trajectory.created_by)

    assert len(batch.created) == 30 and StepProgress.objects.count() == 150
