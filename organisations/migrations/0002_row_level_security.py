from django.db import migrations

from organisations.rls import EnableTenantRLS


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        EnableTenantRLS("team"),
        # A signed-in person may read their own memberships in every organisation
        # (the organisation switcher); writes still need the organisation setting.
        EnableTenantRLS(
            "membership",
            extra_sql="""
                CREATE POLICY member_self ON organisations_membership FOR SELECT
                    USING (user_id = NULLIF(current_setting('app.user_id', true), '')::bigint);
            """,
            extra_reverse_sql="DROP POLICY IF EXISTS member_self ON organisations_membership;",
        ),
        EnableTenantRLS("invitation"),
        EnableTenantRLS("skill"),
        EnableTenantRLS("workprocess"),
        EnableTenantRLS("apitoken"),
        EnableTenantRLS("auditlog"),
    ]
