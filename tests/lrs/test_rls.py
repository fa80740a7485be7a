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
