"""LearningEvent moves here from analytics: the model only, its table stays as it is.

The table ``analytics_learningevent`` keeps its rows, indexes and row-level
security; this migration and analytics' 0006 change Django's idea of which app
owns it, and touch nothing in the database.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("analytics", "0005_learner_activity_verbs"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LearningEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "verb",
                            models.CharField(
                                choices=[
                                    ("viewed", "viewed"),
                                    ("completed", "completed"),
                                    ("answered", "answered"),
                                    ("reflected", "reflected"),
                                    ("committed", "committed to apply"),
                                    ("applied", "applied"),
                                    ("rated", "rated"),
                                    ("assigned", "assigned"),
                                    ("nudge_sent", "nudge sent"),
                                    ("nudge_opened", "nudge opened"),
                                ],
                                max_length=40,
                            ),
                        ),
                        ("object_type", models.CharField(max_length=40)),
                        ("object_id", models.BigIntegerField()),
                        ("result", models.JSONField(blank=True, default=dict)),
                        ("context", models.JSONField(blank=True, default=dict)),
                        ("timestamp", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="organisations.membership",
                            ),
                        ),
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
                        "db_table": "analytics_learningevent",
                        "indexes": [
                            models.Index(fields=["organisation", "id"], name="event_org_id"),
                            models.Index(
                                fields=["organisation", "timestamp"], name="event_org_time"
                            ),
                            models.Index(
                                fields=["organisation", "actor", "verb"],
                                name="event_org_actor_verb",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
