from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("nudges", "0002_initial")]

    operations = [
        EnableTenantRLS("nudge"),
    ]
