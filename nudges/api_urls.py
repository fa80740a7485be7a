from django.urls import path

from . import api

app_name = "nudges_api"

urlpatterns = [
    path("nudges/", api.NudgeListView.as_view(), name="nudges"),
    path("nudges/<int:nudge_id>/read/", api.NudgeReadView.as_view(), name="nudge_read"),
]
