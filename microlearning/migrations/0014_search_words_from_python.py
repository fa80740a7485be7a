"""Search words made in Python on both backends: SQLite gets an FTS5 table.

Both backends now index the same tokens (``microlearning.search_text``): normalised,
stemmed, with the parts of words. On PostgreSQL the vectors of published versions
are rebuilt and the vocabulary is refilled without diacritics; on SQLite the FTS5
table is created and filled (SQLite 3.34 or later ships FTS5 in Python's sqlite3).
"""

from django.db import migrations

from microlearning.services.search import FTS_CREATE_SQL, FTS_TABLE, search_index_write

PUBLISHED_VERSIONS = "SELECT id FROM microlearning_unitversion WHERE published_at IS NOT NULL"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            # Migrations run as the owner, and RLS is forced on it too: this backfill
            # works across organisations on purpose (as 0006, 0011 and 0013 do).
            cursor.execute("SELECT set_config('app.rls_bypass', 'on', true)")
            cursor.execute("DELETE FROM microlearning_searchterm")
        else:
            cursor.execute(FTS_CREATE_SQL)
        cursor.execute(PUBLISHED_VERSIONS + " ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
        search_index_write(cursor, vendor, ids)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("microlearning", "0013_search_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
