"""The search vocabulary: words of live titles and summaries, per organisation, with RLS.

The backfill is PostgreSQL-only (on SQLite the search does not correct typos).
"""

import django.db.models.deletion
from django.db import migrations, models

from microlearning.services.search import VOCABULARY_SQL
from organisations.rls import EnableTenantRLS


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Migrations run as the owner, and RLS is forced on it too: this backfill
    # works across organisations on purpose (as 0006 and 0011 do).
    schema_editor.execute("SELECT set_config('app.rls_bypass', 'on', true)")
    schema_editor.execute(
        VOCABULARY_SQL.format(
            versions="uv.id IN (SELECT live_version_id FROM microlearning_unit"
            " WHERE live_version_id IS NOT NULL)"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("microlearning", "0012_catalogue_indexes"),
        ("organisations", "0002_row_level_security"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=100)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "term"), name="searchterm_unique"
                    )
                ],
            },
        ),
        EnableTenantRLS("searchterm"),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
