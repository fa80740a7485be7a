"""Two teams under one department, a learner with an on-the-job step, and the managers'
nudge rules: the world of the manager kinds' tests. Made with the ORM, unscoped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scopes_disabled

from courses.models import EvidenceSubmission, Step, StepProgress
from nudges.models import Nudge, NudgeRule
from nudges.rules import DEFAULT_RULES
from nudges.services.kinds import kind_module
from organisations.models import Membership, Organisation, Team
from organisations.tenancy import organisation_scope
from tests import factories
from tests.courses.evidence_factories import EvidenceWorld, evidence_world

LONG_AGO = dt.timedelta(days=60)


@dataclass
class ManagerWorld:
    organisation: Organisation
    evidence: EvidenceWorld
    other_team: Team
    other_manager: Membership
    other_learner: Membership
    now: dt.datetime

    @property
    def learner(self) -> Membership:
        return self.evidence.learner

    @property
    def manager(self) -> Membership:
        return self.evidence.manager

    @property
    def top_manager(self) -> Membership:
        return self.evidence.top_manager

    @property
    def progress(self) -> StepProgress:
        return self.evidence.progress


def manager_world(
    organisation: Organisation, *, sign_off: str = Step.SignOff.MANAGER
) -> ManagerWorld:
    with scopes_disabled():
        world = evidence_world(
            organisation, sign_off=sign_off, evidence_files=False, title="Lead the stand-up"
        )
        other_manager = factories.MembershipFactory(organisation=organisation)
        other_team = factories.TeamFactory(
            organisation=organisation, name="Warehouse", manager=other_manager
        )
        other_learner = factories.MembershipFactory(organisation=organisation, team=other_team)
        world.learner.user.first_name, world.learner.user.last_name = "Anna", "de Vries"
        world.learner.user.save(update_fields=["first_name", "last_name"])
        world.top_team.name, world.team.name = "Operations", "Service desk"
        world.top_team.save(update_fields=["name"])
        world.team.save(update_fields=["name"])
        # Everyone joined long ago, so nobody is "new" (not yet inactive) by accident.
        Membership.objects.filter(organisation=organisation).update(
            created_at=timezone.now() - LONG_AGO
        )
    return ManagerWorld(
        organisation=organisation,
        evidence=world,
        other_team=other_team,
        other_manager=other_manager,
        other_learner=other_learner,
        now=timezone.now(),
    )


def hand_in(progress: StepProgress, *, at: dt.datetime) -> EvidenceSubmission:
    """A round of evidence handed in at ``at``: the step waits for sign-off."""
    with scopes_disabled():
        number = EvidenceSubmission.objects.filter(progress=progress).count() + 1
        submission = EvidenceSubmission.objects.create(
            organisation_id=progress.organisation_id,
            progress=progress,
            number=number,
            text="I led it three times.",
            submitted_by=progress.enrolment.membership,
            submitted_at=at,
        )
        progress.status = StepProgress.Status.SUBMITTED
        progress.save(update_fields=["status"])
    return submission


def manager_rule(organisation: Organisation, kind: str, **fields) -> NudgeRule:
    words = {
        key: value
        for key, value in DEFAULT_RULES[kind].items()
        if key.startswith(("subject_", "text_"))
    }
    values = {"delay_days": 3, "holdout_percent": 0, "is_active": True, **words, **fields}
    if kind == NudgeRule.Kind.TEAM_DIGEST:
        values.setdefault("weekday", 0)
        values.setdefault("hour", 0)
        if "delay_days" not in fields:
            values["delay_days"] = None
    with scopes_disabled():
        return factories.NudgeRuleFactory(organisation=organisation, kind=kind, **values)


def plan(rule: NudgeRule, now: dt.datetime) -> int:
    with organisation_scope(rule.organisation_id):
        rule.organisation = Organisation.objects.get(pk=rule.organisation_id)
        return kind_module(rule.kind).plan(rule=rule, now=now)


def nudges_of(rule: NudgeRule) -> list[Nudge]:
    with scopes_disabled():
        return list(
            Nudge.objects.filter(rule=rule)
            .select_related("member__user", "member__organisation", "rule")
            .order_by("member_id", "key", "channel")
        )


def in_scope(organisation_id: int, function, *args, **kwargs):
    with organisation_scope(organisation_id):
        return function(*args, **kwargs)
