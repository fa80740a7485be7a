"""List endpoints cost a fixed number of queries, however many rows they return.

The numbers include the request's own bookkeeping: the token, the organisation found
and entered in one statement, the tenant transaction's savepoint and its settings
(remembered and restored because tests run inside an outer transaction).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from nudges.models import Nudge
from tests.api.support import make_token
from tests.factories import (
    AssignmentFactory,
    CompletionFactory,
    MembershipFactory,
    NudgeRuleFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def add_rows(acme) -> None:
    """One more of everything each list shows."""
    unit = UnitFactory(organisation=acme.organisation, author=acme.author)
    AssignmentFactory(unit=unit, team=acme.service)
    CompletionFactory(unit=unit, member=acme.learner)
    MembershipFactory(organisation=acme.organisation, team=acme.north)
    make_token(acme.learner)
    Nudge.objects.create(
        organisation=acme.organisation,
        rule=NudgeRuleFactory(organisation=acme.organisation),
        member=acme.learner,
        unit=unit,
        kind=Nudge.Kind.FINISH,
        channel=Nudge.Channel.IN_APP,
        key=f"finish:unit:{unit.pk}",
        status=Nudge.Status.SENT,
        sent_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("who", "name", "queries"),
    [
        ("learner", "organisations_api:me", 7),
        ("learner", "organisations_api:teams", 9),
        ("admin", "organisations_api:members", 10),
        ("author", "organisations_api:members", 10),
        ("manager", "organisations_api:members", 13),
        ("learner", "organisations_api:tokens", 9),
        ("learner", "microlearning_api:units", 10),
        ("author", "microlearning_api:units", 9),
        ("learner", "nudges_api:nudges", 9),
        ("manager", "analytics_api:team_dashboard", 17),
    ],
)
def test_list_endpoint_query_count_does_not_grow_with_rows(
    acme, as_member, api_url, who, name, queries
):
    client = as_member(getattr(acme, who))
    counts = []
    for _round in range(2):
        with scopes_disabled():
            add_rows(acme)
            add_rows(acme)
        with CaptureQueriesContext(connection) as context:
            response = client.get(api_url(name))
        assert response.status_code == 200
        counts.append(len(context.captured_queries))

    assert counts == [queries, queries]
