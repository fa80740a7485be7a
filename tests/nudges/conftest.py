"""A team tree with a unit assigned to the top team, long enough ago to be due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from microlearning.models import Unit
from organisations.models import Membership, Organisation, Team
from tests import factories

NUDGE_AFTER_DAYS = 3


@dataclass
class Assigned:
    organisation: Organisation
    team: Team
    sub_team: Team
    unit: Unit
    member: Membership
    sub_member: Membership
    now: dt.datetime


@pytest.fixture
def assigned(organisation) -> Assigned:
    organisation.nudge_after_days = NUDGE_AFTER_DAYS
    organisation.save(update_fields=["nudge_after_days"])
    now = timezone.now()
    team = factories.TeamFactory(organisation=organisation, name="Service desk")
    sub_team = factories.TeamFactory(organisation=organisation, name="Night shift", parent=team)
    member = factories.MembershipFactory(
        organisation=organisation,
        team=team,
        user__first_name="Anna",
        user__language="nl",
        created_at=now - dt.timedelta(days=30),
    )
    sub_member = factories.MembershipFactory(
        organisation=organisation,
        team=sub_team,
        user__first_name="Ben",
        user__language="en",
        created_at=now - dt.timedelta(days=30),
    )
    unit = factories.UnitFactory(organisation=organisation, title="Handling a complaint")
    factories.AssignmentFactory(
        unit=unit, team=team, assigned_at=now - dt.timedelta(days=NUDGE_AFTER_DAYS, hours=1)
    )
    return Assigned(organisation, team, sub_team, unit, member, sub_member, now)
