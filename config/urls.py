from django.contrib import admin
from django.urls import include, path

from organisations.api_schema import DocsView, SchemaView
from organisations.views import home as organisation_views
from organisations.views import signin

# Every route inside an organisation carries <org_slug>; the tenancy middleware
# resolves it. Routes outside are listed in tests/test_tenant_isolation.py.
organisation_web = [
    path("", include("microlearning.urls")),
    path("", include("courses.urls")),
    path("manage/", include("organisations.urls")),
    path("dashboard/", include("analytics.urls")),
    path("nudges/", include("nudges.urls")),
    path("goals/", include("goals.urls")),
    path("manage/lrs/", include("lrs.urls")),
    path("", include("packages.urls")),
    path("", include("courses.urls_evidence")),
    path("", include("courses.urls_sessions")),
]

organisation_api = [
    path("", include("organisations.api_urls")),
    path("", include("microlearning.api_urls")),
    path("", include("courses.api_urls")),
    path("", include("analytics.api_urls")),
    path("", include("nudges.api_urls")),
    path("", include("goals.api_urls")),
    path("", include("courses.api_urls_evidence")),
    path("", include("courses.api_urls_sessions")),
]

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("health/", organisation_views.health, name="health"),
    path("i18n/setlang/", organisation_views.set_language, name="set_language"),
    # allauth's sign-in, answering a refusal by the rate limits with 429 (same URL and name).
    path("accounts/login/", signin.login, name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("invitations/", include("organisations.invitation_urls")),
    # Unsubscribe and tracked clicks from nudge e-mails: a signed token, no organisation id.
    path("", include("nudges.link_urls")),
    # SCORM content, sandboxed: a signed per-attempt token, no session (packages.views).
    path("", include("packages.content_urls")),
    path("admin/", admin.site.urls),
    path("o/<slug:org_slug>/", include(organisation_web)),
    path("api/v1/o/<slug:org_slug>/", include(organisation_api)),
    # The organisation's xAPI learning record store (HTTP Basic with an LRS client's key).
    path("xapi/o/<slug:org_slug>/", include("lrs.xapi_urls")),
    path("api/v1/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/v1/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]

# JSON errors under /api/, the friendly pages elsewhere.
handler400 = "organisations.api_errors.handler400"
handler404 = "organisations.api_errors.handler404"
handler500 = "organisations.api_errors.handler500"
# Not Django's: allauth looks it up here for every used-up rate limit.
handler429 = "organisations.views.signin.handler429"
