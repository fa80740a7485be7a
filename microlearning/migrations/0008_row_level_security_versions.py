from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("microlearning", "0007_unit_body_moves_to_blocks")]

    operations = [
        EnableTenantRLS("unitversion"),
        EnableTenantRLS("unitversionskill"),
        EnableTenantRLS("unitversionworkprocess"),
        EnableTenantRLS("block"),
    ]
