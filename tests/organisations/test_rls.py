"""Row-level security: the database's own guard, asserted from the catalogue and raw SQL.

Tables are found from ``information_schema`` and ``pg_class``, so a new table
with an ``organisation_id`` column is covered without touching this file. The
test setup bypass (tests/conftest.py) is turned off inside each check, so what
runs here is exactly what the application role gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2.extras
import pytest
from django.db import DatabaseError, connection, transaction

from organisations.tenancy import organisation_scope
from tests.factories import MembershipFactory, UserFactory
from tests.isolation import World, build_two_worlds, tenant_models

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security exists on PostgreSQL only"
    ),
]

RLS_VIOLATION = "42501"  # insufficient_privilege: "new row violates row-level security policy"


def tenant_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname
            FROM information_schema.columns col
            JOIN pg_namespace n ON n.nspname = col.table_schema
            JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = col.table_name
            WHERE col.column_name = 'organisation_id'
              AND col.table_schema = current_schema()
              AND c.relkind IN ('r', 'p')
            ORDER BY 1
            """
        )
        return [name for (name,) in cursor.fetchall()]


def qn(table: str) -> str:
    return connection.ops.quote_name(table)


def setting(name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [name])
        return cursor.fetchone()[0]


@contextmanager
def rls_enforced(*, organisation_id: int | None = None, user_id: int | None = None):
    """A savepoint without the setup bypass, holding the given settings; rolled back after."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.rls_bypass', 'off', true)")
            if organisation_id is not None:
                cursor.execute(
                    "SELECT set_config('app.organisation_id', %s, true)", [str(organisation_id)]
                )
            if user_id is not None:
                cursor.execute("SELECT set_config('app.user_id', %s, true)", [str(user_id)])
        yield
        transaction.set_rollback(True)


@contextmanager
def expect_database_error() -> Iterator[list[DatabaseError]]:
    """Run one statement that should fail, in its own savepoint, and hand back the error."""
    caught: list[DatabaseError] = []
    try:
        with transaction.atomic():
            yield caught
    except DatabaseError as exc:
        caught.append(exc)


def pgcode(exc: DatabaseError) -> str | None:
    return getattr(exc.__cause__, "pgcode", None)


def count_rows(table: str, organisation_id: int | None = None) -> int:
    with connection.cursor() as cursor:
        if organisation_id is None:
            cursor.execute(f"SELECT count(*) FROM {qn(table)}")  # noqa: S608 - catalogue name
        else:
            cursor.execute(
                f"SELECT count(*) FROM {qn(table)} WHERE organisation_id = %s",  # noqa: S608
                [organisation_id],
            )
        return cursor.fetchone()[0]


def one_row(table: str, organisation_id: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {qn(table)} WHERE organisation_id = %s ORDER BY 1 LIMIT 1",  # noqa: S608
            [organisation_id],
        )
        names = [col.name for col in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def insert_row(table: str, row: dict) -> None:
    columns = [name for name in row if name != "id"]
    values = [
        psycopg2.extras.Json(row[name]) if isinstance(row[name], dict | list) else row[name]
        for name in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            values,
        )


@pytest.fixture
def worlds() -> tuple[World, World]:
    return build_two_worlds()


# --- The catalogue -----------------------------------------------------------------------


def test_every_tenant_table_has_row_security_enabled_and_forced():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(%s) AND relnamespace = current_schema()::regnamespace",
            [tenant_tables()],
        )
        rows = cursor.fetchall()

    # The catalogue finds at least every table of a Django tenant model (it may find more).
    assert {model._meta.db_table for model in tenant_models()} <= {name for name, *_ in rows}
    unprotected = [name for name, enabled, forced in rows if not (enabled and forced)]
    assert not unprotected, (
        f"tables with organisation_id but without ENABLE and FORCE ROW LEVEL SECURITY: "
        f"{unprotected}; add organisations.rls.EnableTenantRLS('<model>') to a migration"
    )


def test_every_tenant_table_has_a_policy_with_using_and_with_check():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, cmd, qual, with_check FROM pg_policies "
            "WHERE schemaname = current_schema() AND policyname = 'tenant_isolation'"
        )
        policies = {table: (cmd, qual, check) for table, cmd, qual, check in cursor.fetchall()}

    missing = []
    for table in tenant_tables():
        cmd, qual, check = policies.get(table, (None, None, None))
        complete = (
            cmd == "ALL"
            and qual
            and check
            and "app.organisation_id" in qual
            and "app.organisation_id" in check
        )
        if not complete:
            missing.append(f"{table}: cmd={cmd!r} using={qual!r} with_check={check!r}")
    assert not missing, "tenant tables without a complete tenant_isolation policy:\n" + "\n".join(
        missing
    )


def test_the_app_role_is_not_superuser_and_cannot_bypass_row_security():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        role, is_superuser, bypasses_rls = cursor.fetchone()

    assert not is_superuser, f"{role} is a superuser: superusers bypass even forced RLS"
    assert not bypasses_rls, f"{role} has BYPASSRLS"


def test_the_test_world_has_rows_of_both_organisations_in_every_tenant_table(worlds):
    a, b = worlds

    empty = [
        (table, org.slug)
        for table in tenant_tables()
        for org in (a.organisation, b.organisation)
        if count_rows(table, org.pk) == 0
    ]

    assert not empty, (
        f"no rows in {empty}: add the new tenant object to tests/isolation.py build_world, "
        "or RLS and the isolation walk cannot prove anything about it"
    )


# --- Raw SQL under the policies ----------------------------------------------------------------


def test_raw_sql_without_the_setting_sees_no_tenant_rows(worlds):
    with rls_enforced():
        assert setting("app.organisation_id") in (None, "")
        visible = {table: count_rows(table) for table in tenant_tables()}

    assert {table: n for table, n in visible.items() if n} == {}


def test_raw_sql_in_one_organisation_sees_none_of_the_others_rows(worlds):
    a, b = worlds
    own = {table: count_rows(table, a.organisation.pk) for table in tenant_tables()}

    with rls_enforced(organisation_id=a.organisation.pk):
        foreign = {table: count_rows(table, b.organisation.pk) for table in tenant_tables()}
        visible = {table: count_rows(table) for table in tenant_tables()}

    assert {table: n for table, n in foreign.items() if n} == {}
    assert visible == own  # the policy hides the other organisation, not one's own rows


@pytest.mark.parametrize("organisation", ["unset", "other"])
def test_updates_and_deletes_touch_no_foreign_rows(worlds, organisation):
    a, b = worlds
    current = None if organisation == "unset" else a.organisation.pk
    before = {table: count_rows(table, b.organisation.pk) for table in tenant_tables()}

    touched = {}
    for table in tenant_tables():
        with rls_enforced(organisation_id=current), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {qn(table)} SET organisation_id = organisation_id "  # noqa: S608
                "WHERE organisation_id = %s",
                [b.organisation.pk],
            )
            updated = cursor.rowcount
            cursor.execute(
                f"DELETE FROM {qn(table)} WHERE organisation_id = %s",  # noqa: S608
                [b.organisation.pk],
            )
            touched[table] = (updated, cursor.rowcount)

    assert {table: n for table, n in touched.items() if n != (0, 0)} == {}
    assert {table: count_rows(table, b.organisation.pk) for table in tenant_tables()} == before


@pytest.mark.parametrize("organisation", ["unset", "other"])
def test_inserting_a_row_for_another_organisation_fails(worlds, organisation):
    a, b = worlds
    current = None if organisation == "unset" else a.organisation.pk
    rows = {table: one_row(table, a.organisation.pk) for table in tenant_tables()}

    refused, own_refused = {}, []
    for table, row in rows.items():
        with rls_enforced(organisation_id=current):
            with expect_database_error() as errors:
                insert_row(table, {**row, "organisation_id": b.organisation.pk})
            refused[table] = pgcode(errors[0]) if errors else "inserted"
            if current is not None:
                # The same row for one's own organisation passes the policy (it may still
                # hit a unique constraint): the refusal above is the policy's doing.
                with expect_database_error() as errors:
                    insert_row(table, row)
                if errors and pgcode(errors[0]) == RLS_VIOLATION:
                    own_refused.append(table)

    assert {table: code for table, code in refused.items() if code != RLS_VIOLATION} == {}
    assert own_refused == []


def test_moving_a_row_into_another_organisation_fails(worlds):
    a, b = worlds

    outcome = {}
    for table in tenant_tables():
        row_id = one_row(table, a.organisation.pk)["id"]
        with (
            rls_enforced(organisation_id=a.organisation.pk),
            expect_database_error() as errors,
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"UPDATE {qn(table)} SET organisation_id = %s WHERE id = %s",  # noqa: S608
                [b.organisation.pk, row_id],
            )
        outcome[table] = pgcode(errors[0]) if errors else "moved"

    assert {table: code for table, code in outcome.items() if code != RLS_VIOLATION} == {}


def test_a_person_reads_their_own_memberships_in_every_organisation_and_no_others(worlds):
    a, b = worlds
    person = UserFactory(password=None)
    in_a = MembershipFactory(organisation=a.organisation, user=person)
    in_b = MembershipFactory(organisation=b.organisation, user=person)

    with rls_enforced(user_id=person.pk), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM organisations_membership")
        outside_any_organisation = {pk for (pk,) in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM organisations_team")
        teams_seen = cursor.fetchone()[0]
    with (
        rls_enforced(organisation_id=a.organisation.pk, user_id=person.pk),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT id FROM organisations_membership WHERE organisation_id = %s",
            [b.organisation.pk],
        )
        in_b_seen_from_a = {pk for (pk,) in cursor.fetchall()}
        # member_self is for reading only: the own row in B cannot be changed from A.
        cursor.execute(
            "UPDATE organisations_membership SET is_active = false WHERE organisation_id = %s",
            [b.organisation.pk],
        )
        updated_in_b = cursor.rowcount

    assert outside_any_organisation == {in_a.pk, in_b.pk}
    assert teams_seen == 0
    assert in_b_seen_from_a == {in_b.pk}
    assert updated_in_b == 0


def test_the_member_self_policy_is_for_reading_only():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cmd, qual FROM pg_policies WHERE policyname = 'member_self' "
            "AND tablename = 'organisations_membership'"
        )
        policies = cursor.fetchall()

    assert len(policies) == 1
    cmd, qual = policies[0]
    assert cmd == "SELECT"
    assert "app.user_id" in qual


# --- The setting dies with its transaction ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_organisation_setting_does_not_outlive_its_transaction(client):
    member = MembershipFactory(user=UserFactory(password=None))
    organisation = member.organisation

    with organisation_scope(organisation.pk, user_id=member.user_id):
        inside = setting("app.organisation_id"), setting("app.user_id")
    after_scope = setting("app.organisation_id"), setting("app.user_id")

    client.force_login(member.user)
    response = client.get(f"/o/{organisation.slug}/")
    after_request = setting("app.organisation_id"), setting("app.user_id")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.rls_bypass', 'off', true)")
        cursor.execute("SELECT count(*) FROM organisations_membership")
        members_seen_next = cursor.fetchone()[0]

    assert inside == (str(organisation.pk), str(member.user_id))
    assert after_scope == ("", "")
    assert response.status_code == 200
    assert after_request == ("", "")
    assert members_seen_next == 0
