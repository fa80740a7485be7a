from django.urls import path

from .views import authoring, learner, manager, recognition

app_name = "goals"

urlpatterns = [
    path("", learner.goal_list, name="goal_list"),
    path("new/", learner.goal_create, name="goal_create"),
    path("team/", manager.team_goals, name="team_goals"),
    path("templates/", authoring.template_list, name="template_list"),
    path("templates/new/", authoring.template_create, name="template_create"),
    path("templates/<int:template_id>/", authoring.template_edit, name="template_edit"),
    path("proficiency/", authoring.proficiency_levels, name="proficiency_levels"),
    path("share/steps/<int:progress_id>/", learner.evidence_share, name="evidence_share"),
    path(
        "recognitions/<int:recognition_id>/kudos/",
        recognition.kudos_give,
        name="kudos_give",
    ),
    path("<int:goal_id>/", learner.goal_detail, name="goal_detail"),
    path("<int:goal_id>/edit/", learner.goal_edit, name="goal_edit"),
    path("<int:goal_id>/delete/", learner.goal_delete, name="goal_delete"),
    path("<int:goal_id>/propose/", learner.goal_propose, name="goal_propose"),
    path("<int:goal_id>/agree/", learner.goal_agree, name="goal_agree"),
    path("<int:goal_id>/ask_changes/", learner.goal_ask_changes, name="goal_ask_changes"),
    path("<int:goal_id>/comment/", learner.goal_comment, name="goal_comment"),
    path("<int:goal_id>/close/", learner.goal_close, name="goal_close"),
    path("<int:goal_id>/share/", learner.goal_share, name="goal_share"),
    path("<int:goal_id>/activities/", learner.activity_add, name="activity_add"),
    path(
        "<int:goal_id>/activities/<int:activity_id>/status/",
        learner.activity_status,
        name="activity_status",
    ),
    path(
        "<int:goal_id>/activities/<int:activity_id>/remove/",
        learner.activity_remove,
        name="activity_remove",
    ),
    path("<int:goal_id>/check_ins/", learner.check_in_create, name="check_in_create"),
    path(
        "<int:goal_id>/check_ins/<int:check_in_id>/answer/",
        learner.check_in_answer,
        name="check_in_answer",
    ),
]
