"""Organisation admins manage the LRS clients, under ``/o/<org_slug>/manage/lrs/``."""

from django.urls import path

from . import views

app_name = "lrs"

urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path("clients/<int:client_id>/revoke/", views.client_revoke, name="client_revoke"),
]
