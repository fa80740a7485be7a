from django.urls import path

from . import api

app_name = "goals_api"

urlpatterns = [
    path("goals/", api.GoalListView.as_view(), name="goals"),
    path("goals/<int:goal_id>/", api.GoalDetailView.as_view(), name="goal"),
    path("goals/<int:goal_id>/propose/", api.GoalProposeView.as_view(), name="goal_propose"),
    path("goals/<int:goal_id>/agree/", api.GoalAgreeView.as_view(), name="goal_agree"),
    path(
        "goals/<int:goal_id>/ask_changes/",
        api.GoalAskChangesView.as_view(),
        name="goal_ask_changes",
    ),
    path("goals/<int:goal_id>/comments/", api.GoalCommentView.as_view(), name="goal_comments"),
    path("goals/<int:goal_id>/close/", api.GoalCloseView.as_view(), name="goal_close"),
    path("goals/<int:goal_id>/share/", api.GoalShareView.as_view(), name="goal_share"),
    path("goals/<int:goal_id>/activities/", api.ActivityListView.as_view(), name="activities"),
    path(
        "goals/<int:goal_id>/activities/<int:activity_id>/",
        api.ActivityDetailView.as_view(),
        name="activity",
    ),
    path("goals/<int:goal_id>/check_ins/", api.CheckInListView.as_view(), name="check_ins"),
    path(
        "goals/<int:goal_id>/check_ins/<int:check_in_id>/answer/",
        api.CheckInAnswerView.as_view(),
        name="check_in_answer",
    ),
    path("team_goals/", api.TeamGoalListView.as_view(), name="team_goals"),
    path("goal_templates/", api.GoalTemplateListView.as_view(), name="templates"),
    path(
        "goal_templates/<int:template_id>/",
        api.GoalTemplateDetailView.as_view(),
        name="template",
    ),
    path("ledger/", api.LedgerView.as_view(), name="ledger"),
    path("teams/<int:team_id>/ledger/", api.TeamLedgerView.as_view(), name="team_ledger"),
    path("recognitions/", api.RecognitionListView.as_view(), name="recognitions"),
    path(
        "recognitions/<int:recognition_id>/kudos/",
        api.KudosView.as_view(),
        name="kudos",
    ),
    path("proficiency/", api.ProficiencyView.as_view(), name="proficiency"),
]
