"""A team for the coaching view tests: one person in each situation that needs a conversation.

Built on the evidence tests' world (a team with its manager, a team above with its own
manager, a learner, a buddy and a colleague on a trajectory step signed off by the
manager). Call inside an organisation scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from courses.models import Enrolment, StepProgress
from courses.services.evidence import evidence_submit
from events.models import LearningEvent
from goals.models import Goal
from goals.services import check_in_create
from microlearning.models import Commitment
from organisations.models import Membership, Team
from tests.conftest import make_member
from tests.courses.evidence_factories import EvidenceWorld, evidence_world, pdf_file
from tests.factories import (
    LearningEventFactory,
    SkillFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
)
from tests.goals.factories import agreed_goal

DAY = dt.timedelta(days=1)


@dataclass
class CoachingWorld:
    evidence: EvidenceWorld
    manager: Membership  # of the team: the coach
    learner: Membership  # evidence waiting; a check-in due
    buddy: Membership  # a goal off track
    colleague: Membership  # a step overdue; two commitments "not yet"
    quiet: Membership  # no learning for weeks
    support: Team  # a team the coach does not manage
    outsider: Membership  # in Support
    check_in_goal: Goal
    off_track_goal: Goal


def member_named(organisation, team, first_name: str, **fields) -> Membership:
    return make_member(organisation, team=team, user=UserFactory(first_name=first_name), **fields)


def commitment(member: Membership, *, status: str = Commitment.Status.OPEN) -> Commitment:
    unit = UnitFactory(organisation=member.organisation)
    return Commitment.objects.create(
        organisation=member.organisation,
        member=member,
        unit=unit,
        version=unit.live_version,
        text="Use the checklist at every handover",
        due_on=timezone.localdate() + 7 * DAY,
        status=status,
        reported_at=timezone.now() if status != Commitment.Status.OPEN else None,
    )


def coaching_world(organisation) -> CoachingWorld:
    world = evidence_world(organisation)
    for person, name in ((world.learner, "Lena"), (world.buddy, "Bram"), (world.colleague, "Cas")):
        person.user.first_name = name
        person.user.save(update_fields=["first_name"])
    skill = SkillFactory(organisation=organisation)
    now = timezone.now()

    # Lena handed in evidence for the manager's sign-off; her goal's check-in is due.
    evidence_submit(
        progress=world.progress,
        membership=world.learner,
        text="I led it twice.",
        files=[pdf_file()],
    )
    check_in_goal = agreed_goal(world.learner, skill, world.manager, title="Chair the meeting")
    Goal.objects.filter(pk=check_in_goal.pk).update(check_in_due_at=now - DAY)

    # Bram checked in on his goal: it is not going well.
    off_track_goal = agreed_goal(world.buddy, skill, world.manager, title="Coach a newcomer")
    check_in_create(goal=off_track_goal, membership=world.buddy, progress=1, note="No time.")

    # Cas is behind on a step, and did not get round to applying two things.
    late = Enrolment.objects.create(
        organisation=organisation,
        trajectory=world.trajectory,
        version=world.enrolment.version,
        membership=world.colleague,
    )
    StepProgress.objects.create(
        organisation=organisation,
        enrolment=late,
        step=world.step,
        due_on=timezone.localdate() - 4 * DAY,
    )
    commitment(world.colleague, status=Commitment.Status.NOT_YET)
    commitment(world.colleague, status=Commitment.Status.NOT_YET)

    # Quinn joined a month ago and has learnt nothing since.
    quiet = member_named(organisation, world.team, "Quinn", created_at=now - 30 * DAY)

    support = TeamFactory(organisation=organisation, name="Support")
    outsider = member_named(organisation, support, "Olaf")
    return CoachingWorld(
        evidence=world,
        manager=world.manager,
        learner=world.learner,
        buddy=world.buddy,
        colleague=world.colleague,
        quiet=quiet,
        support=support,
        outsider=outsider,
        check_in_goal=check_in_goal,
        off_track_goal=off_track_goal,
    )


def learn(member: Membership, verb: str = LearningEvent.Verb.COMPLETED, *, days_ago: int = 0):
    return LearningEventFactory(actor=member, verb=verb, timestamp=timezone.now() - days_ago * DAY)
