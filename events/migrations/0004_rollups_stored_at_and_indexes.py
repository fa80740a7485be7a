"""Events get their stored time next to the time they happened, and every index leads with
the organisation, then time (the single-column foreign key indexes go), so the table can
be partitioned by month later without changing a query.

Existing events were stored when they happened, as far as anyone knows: their
``stored_at`` is filled from ``timestamp``.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models


def stored_at_from_timestamp(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Every organisation's rows: the migration is platform work, not one tenant's.
        schema_editor.execute("SELECT set_config('app.rls_bypass', 'on', true)")
    schema_editor.execute("UPDATE analytics_learningevent SET stored_at = timestamp")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_nudge_clicked_verb"),
        ("organisations", "0005_rollups_event_retention"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="learningevent",
            name="event_org_id",
        ),
        migrations.RemoveIndex(
            model_name="learningevent",
            name="event_org_actor_verb",
        ),
        migrations.AddField(
            model_name="learningevent",
            name="stored_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(), editable=False
            ),
        ),
        migrations.RunPython(stored_at_from_timestamp, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="learningevent",
            name="actor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.membership",
            ),
        ),
        migrations.AlterField(
            model_name="learningevent",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="learningevent",
            index=models.Index(fields=["organisation", "stored_at", "id"], name="event_org_stored"),
        ),
        migrations.AddIndex(
            model_name="learningevent",
            index=models.Index(
                fields=["organisation", "timestamp", "actor", "verb"], name="event_org_time_actor"
            ),
        ),
    ]
