"""Every organisation gets the finish-a-unit rule that reproduces the reminder sent so far.

The texts are a frozen copy of ``nudges.rules.FINISH_UNIT_DEFAULT`` as it was when
this migration was written. Existing nudges belong to that rule; their planned
ones become due now, for the dispatcher.
"""

from django.db import migrations

FINISH_UNIT = {
    "subject_nl": "Herinnering: rond “{unit_title}” af",
    "subject_en": "Reminder: finish “{unit_title}”",
    "text_nl": (
        "Je hebt “{unit_title}” nog niet afgerond. Het kost maar een paar minuten: "
        "je kunt het nu doen, tussen twee taken door."
    ),
    "text_en": (
        "You have not finished “{unit_title}” yet. It takes only a few minutes: "
        "you can do it now, between two tasks."
    ),
}


def forwards(apps, schema_editor):
    from django.utils import timezone

    Organisation = apps.get_model("organisations", "Organisation")
    NudgeRule = apps.get_model("nudges", "NudgeRule")
    Nudge = apps.get_model("nudges", "Nudge")
    if schema_editor.connection.vendor == "postgresql":
        # Migrations run as the owner; say so to the tenant policies explicitly.
        schema_editor.execute("SELECT set_config('app.rls_bypass', 'on', true)")
    now = timezone.now()
    for organisation in Organisation.objects.all().iterator():
        rule = NudgeRule.objects.create(
            organisation_id=organisation.pk,
            kind="finish_unit",
            delay_days=organisation.nudge_after_days,
            holdout_percent=0,
            send_email=True,
            send_in_app=True,
            is_active=True,
            **FINISH_UNIT,
        )
        Nudge.objects.filter(organisation_id=organisation.pk).update(rule=rule)
    Nudge.objects.filter(status="planned").update(due_at=now)
    # Nothing was "sending" before the dispatcher; if a row is, the sweeper takes it back.
    Nudge.objects.filter(status="sending").update(lease_until=now)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SELECT set_config('app.rls_bypass', 'on', true)")
    apps.get_model("nudges", "Nudge").objects.update(rule=None)
    apps.get_model("nudges", "NudgeRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("nudges", "0004_rules_and_outbox")]

    operations = [migrations.RunPython(forwards, backwards)]
