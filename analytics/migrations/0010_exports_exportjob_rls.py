from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("analytics", "0009_exports_exportjob")]

    operations = [EnableTenantRLS("exportjob")]
