"""Reads for the weekly team digest: who in a manager's teams is stuck, overdue or inactive.

The planner asks for every manager of an organisation at once and stores each
manager's list in their nudge (what the e-mail shows); the digest page asks for
one manager and shows the same list as it is now. Both go through
``team_digests``, so they cannot disagree about who is mentioned, and both cost a
fixed number of queries however many managers, teams and people there are.

Stuck: evidence waiting for sign-off, or changes asked and not acted on, for
``stuck_days`` or more. Overdue: a trajectory step still to do after its due date.
Inactive: no learning event of their own for ``inactive_days`` (a member who
joined less than that ago is not inactive yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from courses.selectors.attention import (
    StepInNeed,
    changes_not_acted_on,
    evidence_waiting,
    open_step_of,
    steps_overdue,
)
from events.models import LearningEvent
from events.verbs import INACTIVE_DAYS, NOT_LEARNING
from organisations.models import Membership, Organisation, Team
from organisations.permissions import SIGN_OFF_MANAGER, managed_team_ids
from organisations.workdays import local_date

from .models import NudgeRule

# Without a number of days on the rule: a step is stuck after a week, the digest's own
# rhythm; a member is inactive after INACTIVE_DAYS, which events.verbs defines with the
# verbs that are NOT_LEARNING: the coaching view reads the same rule.
STUCK_DAYS = 7
# Steps listed per person and situation; the count says how many more there are.
STEPS_SHOWN = 3

STUCK, OVERDUE, INACTIVE = "stuck", "overdue", "inactive"
# People a digest's payload (and so its e-mail) lists; the counts cover everyone, the
# page lists everyone. A manager of hundreds reads the first ones and opens the page.
PEOPLE_KEPT = 50


@dataclass
class Digest:
    """One manager's digest: the people to mention, each a plain dict (see ``_person``),
    so the list a nudge stores in its payload and the live list read the same."""

    people: list[dict] = field(default_factory=list)
    team_names: list[str] = field(default_factory=list)

    def count(self, situation: str) -> int:
        return sum(1 for person in self.people if situation in person["situations"])

    @property
    def stuck_count(self) -> int:
        return self.count(STUCK)

    @property
    def overdue_count(self) -> int:
        return self.count(OVERDUE)

    @property
    def inactive_count(self) -> int:
        return self.count(INACTIVE)

    def as_payload(self) -> dict:
        return {
            "people": [
                {key: value for key, value in person.items() if key != "act_label"}
                for person in self.people[:PEOPLE_KEPT]
            ],
            "people_total": len(self.people),
            "team_names": self.team_names,
            "stuck_count": self.stuck_count,
            "overdue_count": self.overdue_count,
            "inactive_count": self.inactive_count,
        }

    @classmethod
    def from_payload(cls, payload: Mapping) -> Digest:
        return cls(people=list(payload.get("people", [])), team_names=payload.get("team_names", []))


def thresholds(*, delay_days: int | None) -> dict[str, int]:
    """A digest rule's number of days, when it has one, counts for stuck and inactive alike
    (a weekly rule's form has none: the defaults hold)."""
    if delay_days:
        return {"stuck_days": delay_days, "inactive_days": delay_days}
    return {}


def _days(since: dt.datetime | dt.date, today: dt.date) -> int:
    day = since.date() if isinstance(since, dt.datetime) else since
    return max((today - day).days, 0)


def _step(item: StepInNeed, today: dt.date) -> dict:
    since = item.since.date() if isinstance(item.since, dt.datetime) else item.since
    return {
        "step": item.step_title,
        "trajectory": item.trajectory_title,
        "since": since.isoformat(),
        "days": _days(item.since, today),
    }


def _inactive(
    *, organisation: Organisation, team_ids: set[int], since: dt.datetime
) -> list[tuple[int, int, str]]:
    """(member id, team id, name) of active members of the teams with no learning since.

    Two plain queries (who learnt since, from the ``event_org_time`` index; the teams'
    members) rather than one NOT EXISTS: without fresh statistics PostgreSQL runs that
    as a loop over members, ten seconds for 10,000 of them instead of ten milliseconds.
    """
    learnt = set(
        LearningEvent.objects.filter(organisation_id=organisation.pk, timestamp__gte=since)
        .exclude(verb__in=NOT_LEARNING)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    rows = Membership.objects.filter(
        organisation=organisation, is_active=True, team_id__in=team_ids, created_at__lte=since
    ).values_list("pk", "team_id", "user__first_name", "user__last_name", "user__email")
    return [
        (pk, team, f"{first} {last}".strip() or email)
        for pk, team, first, last, email in rows
        if pk not in learnt
    ]


SIGN_OFF, SEE_STEP, ENROL = "sign_off", "step", "enrol"


def _act(*, slug: str, person: dict, open_step: int | None) -> tuple[str, str]:
    """The one link to act on this person and what it does: the most pressing thing first."""
    if person["_sign"] is not None:
        return (
            reverse(
                "courses_evidence:submission",
                kwargs={"org_slug": slug, "submission_id": person["_sign"]},
            ),
            SIGN_OFF,
        )
    progress_id = person["_step"] or open_step
    if progress_id is not None:
        return (
            reverse("courses:step", kwargs={"org_slug": slug, "progress_id": progress_id}),
            SEE_STEP,
        )
    url = reverse("courses:enrolment_create", kwargs={"org_slug": slug})
    return f"{url}?member={person['member_id']}", ENROL


def act_label(person: Mapping) -> str:
    """The link's words in the active language (a payload keeps what, not the words: the
    planner runs in no one's language, the e-mail in the manager's)."""
    name = person["name"]
    if person["act"] == SIGN_OFF:
        return _("Sign off %(name)s’s evidence") % {"name": name}
    if person["act"] == SEE_STEP:
        return _("See where %(name)s stands") % {"name": name}
    return _("Enrol %(name)s") % {"name": name}


def team_digests(
    *,
    organisation: Organisation,
    managers: Mapping[int, set[int]],
    now: dt.datetime,
    stuck_days: int = STUCK_DAYS,
    inactive_days: int = INACTIVE_DAYS,
) -> dict[int, Digest]:
    """Each manager's digest: ``managers`` maps a manager's id to the teams they see.

    A manager is never mentioned in their own digest. A person in several
    situations appears once, with all of them. Managers with nobody to mention
    are left out.
    """
    team_ids = set().union(*managers.values()) if managers else set()
    if not team_ids:
        return {}
    today = local_date(organisation=organisation, moment=now)
    cutoff = now - dt.timedelta(days=stuck_days)
    rows = list(
        Team.objects.filter(organisation=organisation, pk__in=team_ids).values_list(
            "pk", "name", "parent_id"
        )
    )
    team_names = {pk: name for pk, name, _ in rows}
    parents = {pk: parent for pk, _, parent in rows}
    people: dict[int, dict] = {}

    def person(member_id: int, team_id: int | None, name: str) -> dict:
        if member_id not in people:
            people[member_id] = {
                "member_id": member_id,
                "name": name,
                "team": team_names.get(team_id, ""),
                "situations": [],
                "waiting": [],
                "changes": [],
                "overdue": [],
                "more": 0,
                "_team": team_id,
                "_sign": None,
                "_step": None,
            }
        return people[member_id]

    def add(item: StepInNeed, situation: str, listed: str) -> dict:
        entry = person(item.learner_id, item.learner_team_id, item.learner_name)
        if situation not in entry["situations"]:
            entry["situations"].append(situation)
        if len(entry[listed]) < STEPS_SHOWN:
            entry[listed].append(_step(item, today))
        else:
            entry["more"] += 1
        return entry

    for item in evidence_waiting(
        organisation_id=organisation.pk, submitted_before=cutoff, team_ids=team_ids
    ):
        entry = add(item, STUCK, "waiting")
        if item.sign_off == SIGN_OFF_MANAGER and entry["_sign"] is None:
            entry["_sign"] = item.submission_id
        entry["_step"] = entry["_step"] or item.progress_id
    for item in changes_not_acted_on(
        organisation_id=organisation.pk, decided_before=cutoff, team_ids=team_ids
    ):
        entry = add(item, STUCK, "changes")
        entry["_step"] = entry["_step"] or item.progress_id
    for item in steps_overdue(organisation_id=organisation.pk, today=today, team_ids=team_ids):
        entry = add(item, OVERDUE, "overdue")
        entry["_step"] = entry["_step"] or item.progress_id
    inactive = _inactive(
        organisation=organisation,
        team_ids=team_ids,
        since=now - dt.timedelta(days=inactive_days),
    )
    for member_id, team_id, name in inactive:
        person(member_id, team_id, name)["situations"].append(INACTIVE)
    open_steps = open_step_of(
        organisation_id=organisation.pk,
        learner_ids=[m for m, entry in people.items() if entry["_step"] is None],
    )
    for member_id, entry in people.items():
        entry["act_path"], entry["act"] = _act(
            slug=organisation.slug, person=entry, open_step=open_steps.get(member_id)
        )
        entry["act_label"] = act_label(entry)
    # Split by team once, so a thousand managers do not each walk everyone.
    by_team: dict[int | None, list[dict]] = {}
    for entry in people.values():
        public = {k: v for k, v in entry.items() if not k.startswith("_")}
        by_team.setdefault(entry["_team"], []).append(public)
    digests = {}
    for manager_id, teams in managers.items():
        mentioned = sorted(
            (p for t in teams for p in by_team.get(t, ()) if p["member_id"] != manager_id),
            key=lambda p: (p["team"].casefold(), p["name"].casefold(), p["member_id"]),
        )
        if mentioned:
            digests[manager_id] = Digest(
                people=mentioned,
                # The teams the manager leads, not every sub-team below them.
                team_names=sorted(
                    team_names[t] for t in teams if t in team_names and parents[t] not in teams
                ),
            )
    return digests


def team_digest_for(*, manager: Membership, now: dt.datetime) -> Digest:
    """The manager's digest as it is now, with the thresholds of the organisation's digest rule."""
    teams = managed_team_ids(manager)
    if not teams:
        return Digest()
    rule = (
        NudgeRule.objects.filter(
            organisation_id=manager.organisation_id, kind=NudgeRule.Kind.TEAM_DIGEST
        )
        .order_by("-is_active", "pk")
        .values_list("delay_days", flat=True)
        .first()
    )
    digests = team_digests(
        organisation=manager.organisation,
        managers={manager.pk: teams},
        now=now,
        **thresholds(delay_days=rule),
    )
    return digests.get(manager.pk) or Digest()
