from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("analytics", "0007_rollups_tables")]

    operations = [
        EnableTenantRLS("unitdailycount"),
        EnableTenantRLS("trajectorydailycount"),
        EnableTenantRLS("goaldailycount"),
        EnableTenantRLS("memberstate"),
        EnableTenantRLS("eventretention"),
    ]
