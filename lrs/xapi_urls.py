"""The xAPI resources of an organisation's learning record store, under ``/xapi/o/<org_slug>/``."""

from django.urls import path

from . import api, documents_api

app_name = "xapi"

urlpatterns = [
    path("statements", api.statements, name="statements"),
    path("activities/state", documents_api.state, name="state"),
    path("activities/profile", documents_api.activity_profile, name="activity_profile"),
    path("agents/profile", documents_api.agent_profile, name="agent_profile"),
    path("activities", documents_api.activities, name="activities"),
    path("agents", documents_api.agents, name="agents"),
    path("about", documents_api.about, name="about"),
]
