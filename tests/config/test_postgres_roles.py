"""The production role split, on the machine's PostgreSQL: the init script, then
migrations as the owner, then the app role may touch rows and nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import psycopg2
import pytest
from psycopg2 import errors, sql

from .conftest import ROOT

ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SUFFIX = os.getpid()
DATABASE = f"werkwijs_roles_{SUFFIX}"
OWNER, OWNER_PASSWORD = f"werkwijs_owner_{SUFFIX}", "owner-password"
APP, APP_PASSWORD = f"werkwijs_app_{SUFFIX}", "app-password"

pytestmark = pytest.mark.integration


def connect(url: str):
    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


def role_url(user: str, password: str) -> str:
    admin = psycopg2.extensions.parse_dsn(ADMIN_URL)
    host, port = admin.get("host", "127.0.0.1"), admin.get("port", "5432")
    return f"postgresql://{user}:{password}@{host}:{port}/{DATABASE}"


@pytest.fixture(scope="module")
def migrated_database():
    if shutil.which("psql") is None:
        pytest.skip("psql is missing")
    try:
        admin = connect(ADMIN_URL)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"no superuser connection to PostgreSQL: {exc}")
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    try:
        # given the init script, run the way the postgres image runs it
        admin_dsn = psycopg2.extensions.parse_dsn(ADMIN_URL)
        subprocess.run(
            ["bash", str(ROOT / "platform/postgres/init/01-roles.sh")],
            env={
                "PATH": os.environ["PATH"],
                "PGHOST": admin_dsn.get("host", "127.0.0.1"),
                "PGPORT": str(admin_dsn.get("port", "5432")),
                "POSTGRES_USER": admin_dsn.get("user", "postgres"),
                "POSTGRES_DB": DATABASE,
                "WERKWIJS_OWNER_USER": OWNER,
                "WERKWIJS_OWNER_PASSWORD": OWNER_PASSWORD,
                "WERKWIJS_APP_USER": APP,
                "WERKWIJS_APP_PASSWORD": APP_PASSWORD,
            },
            check=True,
            capture_output=True,
        )
        # and migrations applied as the owner role, as the compose migrate service does
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={
                "PATH": os.environ["PATH"],
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": role_url(OWNER, OWNER_PASSWORD),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stderr
        yield
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [DATABASE],
            )
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DATABASE)))
            for role in (APP, OWNER):
                cursor.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        admin.close()


@pytest.fixture
def app_cursor(migrated_database):
    connection = connect(role_url(APP, APP_PASSWORD))
    with connection.cursor() as cursor:
        yield cursor
    connection.close()


def test_neither_role_is_superuser_or_bypasses_rls(migrated_database):
    with connect(role_url(APP, APP_PASSWORD)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname IN (%s, %s)",
            [APP, OWNER],
        )
        rows = cursor.fetchall()

    assert sorted(rows) == sorted([(APP, False, False), (OWNER, False, False)])


def test_owner_owns_every_table_the_migrations_made(migrated_database):
    with connect(role_url(OWNER, OWNER_PASSWORD)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        owners = {row[0] for row in cursor.fetchall()}

    assert owners == {OWNER}


def test_app_role_reads_and_writes_rows(app_cursor):
    app_cursor.execute(
        "INSERT INTO django_content_type (app_label, model) VALUES ('roles', 'probe') RETURNING id"
    )
    (probe_id,) = app_cursor.fetchone()
    app_cursor.execute("UPDATE django_content_type SET model = 'probed' WHERE id = %s", [probe_id])
    app_cursor.execute("DELETE FROM django_content_type WHERE id = %s", [probe_id])

    assert app_cursor.rowcount == 1


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE intruder (id int)",
        "ALTER TABLE organisations_team DISABLE ROW LEVEL SECURITY",
        "DROP POLICY tenant_isolation ON organisations_team",
        "TRUNCATE django_content_type",
        "DROP TABLE django_session",
    ],
)
def test_app_role_cannot_change_the_schema(app_cursor, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        app_cursor.execute(statement)


def test_row_level_security_applies_to_the_app_role(app_cursor):
    # given an organisation with one team, written inside its own setting
    app_cursor.execute(
        "INSERT INTO organisations_organisation (slug, name, language, time_zone,"
        " nudge_after_days, created_at)"
        " VALUES ('roles-probe', 'Probe', 'nl', 'Europe/Amsterdam', 3, now()) RETURNING id"
    )
    (organisation_id,) = app_cursor.fetchone()
    app_cursor.execute("BEGIN")
    app_cursor.execute("SELECT set_config('app.organisation_id', %s, true)", [str(organisation_id)])
    app_cursor.execute(
        "INSERT INTO organisations_team (name, organisation_id) VALUES ('Probe team', %s)",
        [organisation_id],
    )
    app_cursor.execute("COMMIT")

    # when the app role reads without the setting, it sees no team
    app_cursor.execute("SELECT count(*) FROM organisations_team")
    assert app_cursor.fetchone() == (0,)
    # and it cannot write a row for the organisation without the setting
    with pytest.raises(errors.InsufficientPrivilege):
        app_cursor.execute(
            "INSERT INTO organisations_team (name, organisation_id) VALUES ('Sneaky', %s)",
            [organisation_id],
        )
