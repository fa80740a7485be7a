from django.urls import path

from . import views, views_delivery

app_name = "nudges"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:nudge_id>/open/", views.nudge_open, name="nudge_open"),
    path("preferences/", views_delivery.preferences_edit, name="preferences"),
    path("defaults/", views_delivery.defaults_edit, name="defaults"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
]
