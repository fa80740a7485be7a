"""An organisation with one member per role, a second organisation, and API clients for them.

Acme: "Service" (managed by ``manager``) with "Service North" below it; ``learner``
is in Service, ``north_learner`` in Service North, ``outsider`` in a team of its
own. Globex is the other organisation, with a unit, a team, a member and a token.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from microlearning.models import Unit
from organisations.models import ApiToken, Membership, Organisation, Team
from tests import factories
from tests.api.support import make_token


@dataclass
class Acme:
    organisation: Organisation
    service: Team
    north: Team
    elsewhere: Team
    manager: Membership
    learner: Membership
    north_learner: Membership
    outsider: Membership
    author: Membership
    hr: Membership
    admin: Membership


@dataclass
class Globex:
    organisation: Organisation
    team: Team
    member: Membership
    unit: Unit
    token: ApiToken
    raw_token: str


def member(organisation, **kwargs) -> Membership:
    return factories.MembershipFactory(organisation=organisation, **kwargs)


@pytest.fixture
def acme(organisation) -> Acme:
    manager = member(organisation, user__first_name="Maud", user__email="maud@acme.test")
    service = factories.TeamFactory(organisation=organisation, name="Service", manager=manager)
    north = factories.TeamFactory(organisation=organisation, name="Service North", parent=service)
    elsewhere = factories.TeamFactory(organisation=organisation, name="Warehouse")
    manager.team = service
    manager.save(update_fields=["team"])
    return Acme(
        organisation=organisation,
        service=service,
        north=north,
        elsewhere=elsewhere,
        manager=manager,
        learner=member(organisation, team=service, user__email="lena@acme.test"),
        north_learner=member(organisation, team=north, user__email="noor@acme.test"),
        outsider=member(organisation, team=elsewhere, user__email="olaf@acme.test"),
        author=member(organisation, is_author=True, user__email="anna@acme.test"),
        hr=member(organisation, is_hr=True, user__email="hugo@acme.test"),
        admin=member(organisation, is_admin=True, user__email="ada@acme.test"),
    )


@pytest.fixture
def globex(other_organisation) -> Globex:
    organisation = other_organisation
    team = factories.TeamFactory(organisation=organisation, name="Globex canary team")
    globex_member = member(organisation, team=team, is_author=True)
    unit = factories.UnitFactory(organisation=organisation, title="Globex canary unit")
    token, raw = make_token(globex_member)
    return Globex(organisation, team, globex_member, unit, token, raw)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def as_member(api_client):
    """``as_member(membership)``: an API client signed in (by session) as that member."""

    def sign_in(membership: Membership) -> APIClient:
        api_client.force_login(membership.user)
        return api_client

    return sign_in


@pytest.fixture
def with_token(api_client):
    """``with_token(raw)``: an API client sending ``Authorization: Bearer <raw>``."""

    def authorise(raw: str) -> APIClient:
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return api_client

    return authorise


@pytest.fixture
def api_url(organisation):
    """``api_url("microlearning_api:unit", unit.pk)``: an API URL inside Acme (or ``org=``)."""

    def build(name: str, *args, org: Organisation | None = None) -> str:
        return reverse(name, args=[(org or organisation).slug, *args])

    return build
