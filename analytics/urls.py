from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.team_dashboard, name="team_dashboard"),
    path("report/", views.organisation_report, name="organisation_report"),
    path("report/csv/", views.organisation_report_csv, name="organisation_report_csv"),
]
