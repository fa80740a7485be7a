"""Search: a tsvector per version, its GIN index, a trigram index on titles, and a backfill.

The indexes and the extension are PostgreSQL-only and do nothing on SQLite (like
``organisations.rls.EnableTenantRLS``); there the search falls back to ``icontains``.
pg_trgm is a trusted extension: the database owner may create it without superuser.
"""

import django.contrib.postgres.search
from django.db import migrations

from microlearning.services.search import REFRESH_SQL

FORWARDS_SQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS unitversion_search_vector
    ON microlearning_unitversion USING gin (search_vector);
CREATE INDEX IF NOT EXISTS unitversion_title_trgm
    ON microlearning_unitversion USING gin (title gin_trgm_ops);
"""
BACKWARDS_SQL = """
DROP INDEX IF EXISTS unitversion_title_trgm;
DROP INDEX IF EXISTS unitversion_search_vector;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FORWARDS_SQL)
    # Migrations run as the owner, and RLS is forced on it too: this backfill
    # works across organisations on purpose (as 0006 does).
    schema_editor.execute("SELECT set_config('app.rls_bypass', 'on', true)")
    schema_editor.execute(REFRESH_SQL + " WHERE uv.published_at IS NOT NULL")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS_SQL)


class Migration(migrations.Migration):
    dependencies = [("microlearning", "0010_row_level_security_learner_activity")]

    operations = [
        migrations.AddField(
            model_name="unitversion",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
