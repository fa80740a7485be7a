"""Row-level security for tenant tables, created by migrations.

Each tenant app's migration ends with ``EnableTenantRLS("<model>")`` for every
tenant model; a test asserts from ``pg_class`` that no table with an
``organisation_id`` column was forgotten. On SQLite the operation does nothing:
there the application-level scope is the only guard.
"""

from django.db import migrations

# The bypass is what ``organisations.tenancy.platform_bypass`` sets for staff support
# work, logged. It does not weaken what RLS is here for (a forgotten filter returns
# nothing): code able to run arbitrary SQL as the app role could as well set
# app.organisation_id to any organisation; RLS is not a defence against that.
#
# NULLIF: once a custom setting has been used on a connection it reads as '' (not
# NULL) after the transaction, and ''::bigint would raise instead of matching nothing.
TENANT_PREDICATE = (
    "organisation_id = NULLIF(current_setting('app.organisation_id', true), '')::bigint"
    " OR current_setting('app.rls_bypass', true) = 'on'"
)


def enable_sql(table: str) -> str:
    return f"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS tenant_isolation ON {table};
        CREATE POLICY tenant_isolation ON {table}
            USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE});
    """


def disable_sql(table: str) -> str:
    return f"""
        DROP POLICY IF EXISTS tenant_isolation ON {table};
        ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
    """


class EnableTenantRLS(migrations.operations.base.Operation):
    """Enable and force row-level security on a tenant model's table (PostgreSQL only)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, extra_sql: str = "", extra_reverse_sql: str = ""):
        self.model_name = model_name
        self.extra_sql = extra_sql
        self.extra_reverse_sql = extra_reverse_sql

    def deconstruct(self):
        kwargs = {"model_name": self.model_name}
        if self.extra_sql:
            kwargs["extra_sql"] = self.extra_sql
        if self.extra_reverse_sql:
            kwargs["extra_reverse_sql"] = self.extra_reverse_sql
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(enable_sql(self._table(app_label, to_state)) + self.extra_sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            self.extra_reverse_sql + disable_sql(self._table(app_label, from_state))
        )

    def describe(self):
        return f"Enable row-level security on {self.model_name}"
