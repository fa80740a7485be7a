from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("microlearning", "0002_initial")]

    operations = [
        EnableTenantRLS("unit"),
        EnableTenantRLS("assignment"),
        EnableTenantRLS("completion"),
    ]
