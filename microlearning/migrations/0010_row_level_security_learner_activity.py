from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("microlearning", "0009_learner_activity")]

    operations = [
        EnableTenantRLS("blockprogress"),
        EnableTenantRLS("questionanswer"),
        EnableTenantRLS("reflection"),
        EnableTenantRLS("commitment"),
        EnableTenantRLS("rating"),
    ]
