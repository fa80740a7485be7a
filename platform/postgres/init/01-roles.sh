#!/bin/bash
# Runs once, as the superuser, when the postgres container first creates its data
# directory (docker-entrypoint-initdb.d). Two roles, neither superuser nor BYPASSRLS:
#   owner  owns the database and every table: runs migrations (the `migrate` service)
#   app    what web, worker and beat connect as: data only (SELECT, INSERT, UPDATE,
#          DELETE), never DDL, and row-level security always applies to it
# Table privileges reach the app through default privileges that the owner grants,
# so every table a later migration creates is covered without another step.
set -euo pipefail

: "${POSTGRES_DB:?}" "${WERKWIJS_OWNER_USER:?}" "${WERKWIJS_OWNER_PASSWORD:?}"
: "${WERKWIJS_APP_USER:?}" "${WERKWIJS_APP_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" \
    -v owner="$WERKWIJS_OWNER_USER" -v owner_password="$WERKWIJS_OWNER_PASSWORD" \
    -v app="$WERKWIJS_APP_USER" -v app_password="$WERKWIJS_APP_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password'
    NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT;

-- The owner of the database owns schema public too (pg_database_owner, PostgreSQL 15).
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

SET ROLE :"owner";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
-- Tables that already exist (an init run against a migrated database).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
RESET ROLE;
SQL
