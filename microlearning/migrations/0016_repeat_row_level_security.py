from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("microlearning", "0015_repeat_review_cards")]

    operations = [EnableTenantRLS("reviewcard")]
