"""Demo: the manager persona's team gives the coaching view real people to talk to.

Besides the evidence waiting and the overdue steps the trajectories bring, one
teammate's goal is off track (a low check-in), one's check-in is due, one reported
two commitments "not yet", one applied one, and one has not learnt for three weeks.
Made through the services where they exist; runs once (a second run finds the goals).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import F

from events.models import LearningEvent
from events.services import learning_event_record
from goals import services as goals
from goals.models import Goal
from microlearning.models import Commitment, Completion, Unit
from microlearning.services.learning import commitment_report
from organisations.models import Membership, Organisation, Skill
from organisations.selectors import managed_team_id_set

TEXT = {
    "nl": {
        "off_track": ("Zelfstandig de medicatieronde lopen", "Minder afhankelijk van collega's."),
        "check_in": ("Overdracht volgens SBAR", "Geen informatie kwijt bij de wissel."),
        "note": "Weinig tijd gehad door ziekte in het team.",
        "apply": "De checklist gebruiken bij elke overdracht",
    },
    "en": {
        "off_track": ("Run the medication round on my own", "Less dependent on colleagues."),
        "check_in": ("Hand over using SBAR", "Nothing lost at the change of shift."),
        "note": "Little time: half the team was off sick.",
        "apply": "Use the checklist at every handover",
    },
}
QUIET_DAYS = 21


def coaching_seed(
    *,
    organisation: Organisation,
    members: dict[str, Membership],
    manager_email: str,
    skip: set[str],
    now: dt.datetime,
    created: Counter[str],
) -> None:
    manager = members.get(manager_email)
    if manager is None:
        return
    teams = managed_team_id_set(membership=manager)
    team = [
        members[email]
        for email in sorted(members)
        if members[email].team_id in teams and email != manager_email and email not in skip
    ]
    text = TEXT.get(organisation.language, TEXT["en"])
    if Goal.objects.filter(organisation=organisation, title=text["off_track"][0]).exists():
        return  # seeded before
    # People without goals of their own yet: the goals seed gave some teammates theirs.
    with_goals = set(
        Goal.objects.filter(organisation=organisation).values_list("member_id", flat=True)
    )
    free = [member for member in team if member.pk not in with_goals]
    if len(free) < 5:
        return
    skill = Skill.objects.filter(organisation=organisation).order_by("pk").first()
    units = list(
        Unit.objects.filter(organisation=organisation, status=Unit.Status.PUBLISHED).order_by(
            "title"
        )[:3]
    )
    if skill is None or len(units) < 3:
        return
    today = now.astimezone(organisation.zone).date()

    def agreed(member: Membership, key: str) -> Goal:
        title, why = text[key]
        goal = goals.goal_create(
            membership=member,
            title=title,
            why=why,
            skill=skill,
            current_level=2,
            target_level=3,
            target_date=today + dt.timedelta(days=60),
            hours_per_week=1,
        )
        goals.goal_propose(goal=goal, membership=member)
        goals.goal_agree(goal=goal, membership=manager)
        created[Goal._meta.label] += 1
        return goal

    off_track, due, not_yet, applied, quiet = free[:5]
    goal = agreed(off_track, "off_track")
    goals.check_in_create(goal=goal, membership=off_track, progress=2, note=text["note"])
    goal = agreed(due, "check_in")
    # Agreed three weeks ago and not checked in since: the check-in is due.
    Goal.objects.filter(pk=goal.pk).update(
        agreed_at=now - dt.timedelta(days=21), check_in_due_at=now - dt.timedelta(days=7)
    )
    for member, statuses in ((not_yet, ["not_yet", "not_yet"]), (applied, ["applied"])):
        for unit, status in zip(units, statuses, strict=False):
            commitment = Commitment.objects.create(
                organisation=organisation,
                member=member,
                unit=unit,
                version_id=unit.live_version_id,
                text=text["apply"],
                due_on=today - dt.timedelta(days=3),
                created_at=now - dt.timedelta(days=10),
            )
            # Made ten days ago: the event a learner's "What will I apply?" answer records.
            learning_event_record(
                actor=member,
                verb=LearningEvent.Verb.COMMITTED,
                object_type="commitment",
                object_id=commitment.pk,
                result={"due_on": commitment.due_on.isoformat()},
                context={"version": unit.live_version_id, "unit": unit.pk},
                timestamp=commitment.created_at,
            )
            commitment_report(commitment=commitment, by=member, status=status)
            created[Commitment._meta.label] += 1
    # Nothing learnt for three weeks: their history moves back (it is the demo's own).
    back = dt.timedelta(days=QUIET_DAYS)
    LearningEvent.objects.filter(organisation=organisation, actor=quiet).update(
        timestamp=F("timestamp") - back
    )
    Completion.objects.filter(organisation=organisation, member=quiet).update(
        completed_at=F("completed_at") - back
    )
