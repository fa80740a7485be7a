from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("lrs", "0001_lrs_initial")]

    operations = [
        EnableTenantRLS("lrsclient"),
        EnableTenantRLS("statement"),
        EnableTenantRLS("statementlink"),
    ]
