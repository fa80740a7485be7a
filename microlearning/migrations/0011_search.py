"""Search: a tsvector per version, its GIN index, a trigram index on titles, and a backfill.

The indexes and the extension are PostgreSQL-only and do nothing on SQLite (like
``organisations.rls.EnableTenantRLS``); 0014 gives SQLite its own index.
pg_trgm is a trusted extension: the database owner may create it without superuser.
"""

import django.contrib.postgres.search
from django.db import migrations

# The search vectors as PostgreSQL built them then; 0014 rebuilds them from Python's words.
LANGUAGE_CONFIGS = {"nl": "dutch", "en": "english"}


def _config_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in LANGUAGE_CONFIGS.items())
    return f"(CASE {column} {cases} ELSE 'simple' END)::regconfig"


_CONFIG = _config_sql("uv.language")
_BLOCK_TEXT = """concat_ws(' ',
    b.data ->> 'markdown', b.data ->> 'prompt', b.data ->> 'caption', b.data ->> 'alt',
    b.data ->> 'explanation',
    (SELECT string_agg(item, ' ') FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(b.data -> 'items') = 'array' THEN b.data -> 'items'
        ELSE '[]'::jsonb END) AS item))"""

# Table names are written out: this runs on the tables as they are then.
# Only the constants above are formatted in; ids go in as parameters.
REFRESH_SQL = f"""
UPDATE microlearning_unitversion AS uv SET search_vector =
    setweight(to_tsvector({_CONFIG}, coalesce(uv.title, '')), 'A')
    || setweight(to_tsvector({_CONFIG}, coalesce(uv.summary, '')), 'B')
    || setweight(to_tsvector({_CONFIG}, coalesce((
        SELECT string_agg(s.name, ' ') FROM microlearning_unitversionskill AS vs
        JOIN organisations_skill AS s ON s.id = vs.skill_id
        WHERE vs.version_id = uv.id), '')), 'B')
    || setweight(to_tsvector({_CONFIG}, coalesce((
        SELECT string_agg(w.name, ' ') FROM microlearning_unitversionworkprocess AS vw
        JOIN organisations_workprocess AS w ON w.id = vw.work_process_id
        WHERE vw.version_id = uv.id), '')), 'B')
    || setweight(to_tsvector({_CONFIG}, coalesce((
        SELECT string_agg({_BLOCK_TEXT}, ' ' ORDER BY b.position, b.id)
        FROM microlearning_block AS b WHERE b.version_id = uv.id), '')), 'C')
"""  # noqa: S608

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
