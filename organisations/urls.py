"""Organisation administration and personal API tokens, under ``/o/<org_slug>/manage/``."""

from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/<int:member_id>/", views.member_edit, name="member_edit"),
    path("members/<int:member_id>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("members/<int:member_id>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/bulk/", views.invitation_bulk, name="invitation_bulk"),
    path(
        "invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/", views.team_edit, name="team_edit"),
    path("teams/<int:team_id>/delete/", views.team_delete, name="team_delete"),
    path("skills/", views.skill_list, name="skill_list"),
    path("skills/new/", views.skill_create, name="skill_create"),
    path("skills/<int:skill_id>/", views.skill_edit, name="skill_edit"),
    path("skills/<int:skill_id>/delete/", views.skill_delete, name="skill_delete"),
    path("work-processes/", views.work_process_list, name="work_process_list"),
    path("work-processes/new/", views.work_process_create, name="work_process_create"),
    path(
        "work-processes/<int:work_process_id>/",
        views.work_process_edit,
        name="work_process_edit",
    ),
    path(
        "work-processes/<int:work_process_id>/delete/",
        views.work_process_delete,
        name="work_process_delete",
    ),
    path("settings/", views.organisation_settings, name="organisation_settings"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
