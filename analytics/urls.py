from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.team_dashboard, name="team_dashboard"),
    path("coaching/", views.coaching, name="coaching"),
    path("coaching/members/<int:member_id>/", views.coaching_member, name="coaching_member"),
    path("report/", views.organisation_report, name="organisation_report"),
    path("report/csv/", views.organisation_report_csv, name="organisation_report_csv"),
]
