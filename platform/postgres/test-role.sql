-- The role tests and benchmarks connect as: it owns its databases (so migrations
-- run), may create the test database, and is neither superuser nor BYPASSRLS, so
-- row-level security applies to it (tables are FORCE ROW LEVEL SECURITY).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'werkwijs') THEN
        CREATE ROLE werkwijs LOGIN PASSWORD 'werkwijs' CREATEDB NOSUPERUSER NOBYPASSRLS;
    ELSE
        ALTER ROLE werkwijs LOGIN PASSWORD 'werkwijs' CREATEDB NOSUPERUSER NOBYPASSRLS;
    END IF;
END
$$;
SELECT 'CREATE DATABASE werkwijs OWNER werkwijs'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'werkwijs')\gexec
