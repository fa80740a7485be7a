"""The xAPI resources of an organisation's learning record store, under ``/xapi/o/<org_slug>/``."""

from django.urls import path

from . import api

app_name = "xapi"

urlpatterns = [
    path("statements", api.statements, name="statements"),
]
