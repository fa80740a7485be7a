from django.urls import path

from . import views

app_name = "nudges"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:nudge_id>/open/", views.nudge_open, name="nudge_open"),
]
