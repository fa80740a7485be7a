"""Organisation administration, the member's account page and personal API tokens, under
``/o/<org_slug>/manage/``."""

from django.urls import path

from .views import account, catalogue, invitations, members, organisation, teams, tokens, workdays

app_name = "organisations"

urlpatterns = [
    path("members/", members.member_list, name="member_list"),
    path("members/<int:member_id>/", members.member_edit, name="member_edit"),
    path(
        "members/<int:member_id>/deactivate/", members.member_deactivate, name="member_deactivate"
    ),
    path(
        "members/<int:member_id>/reactivate/", members.member_reactivate, name="member_reactivate"
    ),
    path("invitations/", invitations.invitation_list, name="invitation_list"),
    path("invitations/new/", invitations.invitation_create, name="invitation_create"),
    path("invitations/bulk/", invitations.invitation_bulk, name="invitation_bulk"),
    path(
        "invitations/<int:invitation_id>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<int:team_id>/", teams.team_edit, name="team_edit"),
    path("teams/<int:team_id>/delete/", teams.team_delete, name="team_delete"),
    path("skills/", catalogue.skill_list, name="skill_list"),
    path("skills/new/", catalogue.skill_create, name="skill_create"),
    path("skills/<int:skill_id>/", catalogue.skill_edit, name="skill_edit"),
    path("skills/<int:skill_id>/delete/", catalogue.skill_delete, name="skill_delete"),
    path("work-processes/", catalogue.work_process_list, name="work_process_list"),
    path("work-processes/new/", catalogue.work_process_create, name="work_process_create"),
    path(
        "work-processes/<int:work_process_id>/",
        catalogue.work_process_edit,
        name="work_process_edit",
    ),
    path(
        "work-processes/<int:work_process_id>/delete/",
        catalogue.work_process_delete,
        name="work_process_delete",
    ),
    path("settings/", organisation.organisation_settings, name="organisation_settings"),
    path("work-days/", workdays.work_days, name="work_days"),
    path("work-days/<int:day_off_id>/delete/", workdays.day_off_delete, name="day_off_delete"),
    path(
        "settings/target_mix/",
        organisation.organisation_target_mix,
        name="organisation_target_mix",
    ),
    path(
        "settings/event_retention/",
        organisation.organisation_event_retention,
        name="organisation_event_retention",
    ),
    path("account/", account.account, name="account"),
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
]
