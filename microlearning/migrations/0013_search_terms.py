"""The search vocabulary: words of live titles and summaries, per organisation, with RLS.

The backfill is PostgreSQL-only; 0014 fills the vocabulary on both backends.
"""

import django.db.models.deletion
from django.db import migrations, models

from organisations.rls import EnableTenantRLS

# The vocabulary typos are corrected against: the words (letters and digits, three or
# more) of titles and summaries. ``{versions}`` is a condition on ``uv``.
VOCABULARY_SQL = """
INSERT INTO microlearning_searchterm (organisation_id, term)
SELECT DISTINCT uv.organisation_id, word
FROM microlearning_unitversion AS uv,
     unnest(tsvector_to_array(to_tsvector('simple', concat_ws(' ', uv.title, uv.summary))))
         AS word
WHERE ({versions}) AND char_length(word) BETWEEN 3 AND 100
  AND word ~ '^[[:alpha:]][[:alnum:]]*$'
ON CONFLICT DO NOTHING
"""


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
