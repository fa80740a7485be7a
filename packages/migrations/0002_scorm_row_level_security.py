from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("packages", "0001_scorm_initial")]

    operations = [
        EnableTenantRLS("contentpackage"),
        EnableTenantRLS("packageattempt"),
    ]
