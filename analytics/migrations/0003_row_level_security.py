from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_initial")]

    operations = [
        EnableTenantRLS("learningevent"),
        EnableTenantRLS("teamdailycount"),
        EnableTenantRLS("rollupcheckpoint"),
    ]
