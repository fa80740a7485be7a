"""Give every existing unit a first version whose text block is its old body."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Migrations run as the owner, and RLS is forced on it too: this one
        # migration works across organisations on purpose.
        schema_editor.execute("SELECT set_config('app.rls_bypass', 'on', true)")
    Unit = apps.get_model("microlearning", "Unit")
    UnitVersion = apps.get_model("microlearning", "UnitVersion")
    Block = apps.get_model("microlearning", "Block")
    Completion = apps.get_model("microlearning", "Completion")
    for unit in Unit._base_manager.select_related("organisation").iterator():
        published = unit.status != "draft" and unit.published_at is not None
        version = UnitVersion._base_manager.create(
            organisation_id=unit.organisation_id,
            unit=unit,
            number=1,
            title=unit.title,
            language=unit.organisation.language,
            created_by_id=unit.author_id,
            created_at=unit.created_at,
            published_at=unit.published_at if published else None,
        )
        if unit.body:
            Block._base_manager.create(
                organisation_id=unit.organisation_id,
                version=version,
                position=1,
                kind="text",
                data={"markdown": unit.body},
            )
        if published:
            unit.live_version = version
        else:
            unit.draft_version = version
        unit.save(update_fields=["live_version", "draft_version"])
        Completion._base_manager.filter(unit=unit).update(version=version)


class Migration(migrations.Migration):
    dependencies = [("microlearning", "0005_unit_versions_and_blocks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
