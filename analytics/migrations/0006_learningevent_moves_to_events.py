"""LearningEvent now belongs to the events app; its table and rows stay where they are.

Only Django's state forgets the model here (events' 0001 adds it there). The
content type moves along, so staff permissions on the event log and the admin's
history of it keep pointing at the same rows.
"""

from django.db import migrations

MODEL = "learningevent"


def content_type_to(apps, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    # A fresh database has no content types yet (they are made after migrating);
    # one that has both keeps the one already there.
    if not ContentType.objects.filter(app_label=new, model=MODEL).exists():
        ContentType.objects.filter(app_label=old, model=MODEL).update(app_label=new)


def forwards(apps, schema_editor):
    content_type_to(apps, old="analytics", new="events")


def backwards(apps, schema_editor):
    content_type_to(apps, old="events", new="analytics")


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0005_learner_activity_verbs"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LearningEvent")],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
