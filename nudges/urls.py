from django.urls import path

from . import learner_views, views, views_delivery

app_name = "nudges"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:nudge_id>/open/", views.nudge_open, name="nudge_open"),
    path("<int:nudge_id>/read/", views.nudge_read, name="nudge_read"),
    path("read/", views.nudges_read_all, name="nudges_read_all"),
    path("team-digest/", views.team_digest, name="team_digest"),
    path("<int:nudge_id>/apply/", learner_views.apply_question, name="apply_question"),
    path("<int:nudge_id>/reflect/", learner_views.reflect_page, name="reflect"),
    path("answer/<str:token>/", learner_views.apply_answer, name="apply_answer"),
    path("preferences/", views_delivery.preferences_edit, name="preferences"),
    path("defaults/", views_delivery.defaults_edit, name="defaults"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/effect/", views.rule_effect, name="rule_effect"),
]
