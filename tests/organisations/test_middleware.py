"""What every request to an organisation's pages costs and brings along."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_member
from tests.factories import OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _home(organisation):
    return reverse("microlearning:home", args=[organisation.slug])


def _statements(context) -> list[str]:
    return [query["sql"].split()[0].upper() for query in context.captured_queries]


def test_request_bookkeeping_is_the_user_the_organisation_and_the_membership(client, organisation):
    """Session (from the cache), user, organisation with its RLS settings, membership: no
    savepoint of ATOMIC_REQUESTS, no separate settings statement, no header lookups."""
    member = make_member(organisation)
    client.force_login(member.user)
    client.get(_home(organisation))  # the session is now in the cache

    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("microlearning:catalogue", args=[organisation.slug]))

    assert response.status_code == 200
    sql = [query["sql"] for query in context.captured_queries]
    assert not any("django_session" in statement for statement in sql)
    assert sum("organisations_membership" in s and "FROM" in s for s in sql) == 1
    assert not any(s.startswith('SELECT 1 AS "a" FROM "organisations_team"') for s in sql)
    # The outer test transaction makes one savepoint for the request's own transaction.
    assert _statements(context).count("SAVEPOINT") <= 1


def test_member_of_one_organisation_costs_no_switcher_query(client, organisation):
    member = make_member(organisation)
    client.force_login(member.user)

    response = client.get(_home(organisation))

    assert response.context["membership"].active_memberships == 1
    assert "Switch organisation" not in response.content.decode()


def test_member_of_two_organisations_gets_the_switcher(client, organisation):
    member = make_member(organisation)
    other = OrganisationFactory(name="Elsewhere Inc")
    make_member(other, user=member.user)
    client.force_login(member.user)

    response = client.get(_home(organisation))

    assert response.context["membership"].active_memberships == 2
    assert "Elsewhere Inc" in response.content.decode()


def test_manager_flag_comes_with_the_membership(client, organisation):
    manager = make_member(organisation)
    TeamFactory(organisation=organisation, manager=manager)
    client.force_login(manager.user)

    with CaptureQueriesContext(connection) as context:
        response = client.get(_home(organisation))

    assert response.context["membership"].manages_teams is True
    assert reverse("analytics:team_dashboard", args=[organisation.slug]) in (
        response.content.decode()
    )
    assert not any(
        q["sql"].startswith('SELECT 1 AS "a" FROM "organisations_team"')
        for q in context.captured_queries
    )


def test_unknown_organisation_gets_the_friendly_404(client):
    response = client.get("/o/nobody-has-this/")

    assert response.status_code == 404
    assert "organisations/unknown_organisation.html" in [t.name for t in response.templates]
