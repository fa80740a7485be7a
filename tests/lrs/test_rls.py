"""Row-level security on the LRS tables: organisation A's scope never returns B's statements,
even through a query that forgets to filter on the organisation."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django_scopes import scopes_disabled

from lrs.models import LrsClient, Statement, StatementLink
from tests.lrs.conftest import Xapi, make_lrs_client, statement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security exists on PostgreSQL only"
    ),
]


def _as_app(organisation_id: int, query):
    """Run ``query`` with the setup bypass off and A's setting on, as requests do."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.rls_bypass', 'off', true)")
            cursor.execute(
                "SELECT set_config('app.organisation_id', %s, true)", [str(organisation_id)]
            )
        result = query()
        transaction.set_rollback(True)
    return result


def test_a_query_in_one_organisation_never_returns_anothers_statements(
    organisation, other_organisation
):
    for org in (organisation, other_organisation):
        client, secret = make_lrs_client(org)
        Xapi(org, client.key, secret).post([statement(), statement()])

    def unfiltered():
        with scopes_disabled():  # the application-level guard off: only RLS is left
            return (
                set(Statement.objects.values_list("organisation_id", flat=True)),
                set(StatementLink.objects.values_list("organisation_id", flat=True)),
                set(LrsClient.objects.values_list("organisation_id", flat=True)),
            )

    # Both organisations' rows are there (the setup bypass sees them all) ...
    both = {organisation.pk, other_organisation.pk}
    assert unfiltered() == (both,) * 3
    # ... yet each organisation's setting shows its own only.
    assert _as_app(organisation.pk, unfiltered) == ({organisation.pk},) * 3
    assert _as_app(other_organisation.pk, unfiltered) == ({other_organisation.pk},) * 3


def test_raw_sql_sees_only_the_scoped_organisation(organisation, other_organisation):
    for org in (organisation, other_organisation):
        client, secret = make_lrs_client(org)
        Xapi(org, client.key, secret).post(statement())

    def raw():
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT organisation_id FROM lrs_statement")
            return [row[0] for row in cursor.fetchall()]

    assert _as_app(organisation.pk, raw) == [organisation.pk]


def test_documents_of_one_organisation_stay_out_of_anothers(organisation, other_organisation):
    from lrs.models import Document

    for org in (organisation, other_organisation):
        client, secret = make_lrs_client(org)
        docs = Xapi(org, client.key, secret)
        response = docs.client.put(
            f"/xapi/o/{org.slug}/activities/profile?activityId=http://example.com/a&profileId=p",
            b"secret of " + org.slug.encode(),
            content_type="text/plain",
            headers=docs.headers(None, None),
        )
        assert response.status_code == 204

    def unfiltered():
        with scopes_disabled():
            return set(Document.objects.values_list("organisation_id", flat=True))

    assert unfiltered() == {organisation.pk, other_organisation.pk}
    assert _as_app(organisation.pk, unfiltered) == {organisation.pk}
    assert _as_app(other_organisation.pk, unfiltered) == {other_organisation.pk}


def test_the_same_document_address_in_two_organisations_is_two_documents(
    organisation, other_organisation
):
    """Each organisation's client reads its own organisation's document only, at one address."""
    readers = []
    for org in (organisation, other_organisation):
        client, secret = make_lrs_client(org)
        readers.append((org, Xapi(org, client.key, secret)))
    url = "/xapi/o/{}/activities/state?activityId=http://example.com/a&stateId=s&agent="
    agent = '{"mbox":"mailto:ann@example.com"}'
    for org, xapi in readers:
        xapi.client.put(
            url.format(org.slug) + agent,
            f'{{"org": "{org.slug}"}}',
            content_type="application/json",
            headers=xapi.headers(None, None),
        )
    for org, xapi in readers:
        response = xapi.get(url=url.format(org.slug) + agent)
        assert response.json() == {"org": org.slug}
    # A's client in B's store is unknown there.
    (_a, xapi_a), (b, _xapi_b) = readers
    assert xapi_a.get(url=url.format(b.slug) + agent).status_code == 401
