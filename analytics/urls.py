from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.team_dashboard, name="team_dashboard"),
    path("coaching/", views.coaching, name="coaching"),
    path("coaching/members/<int:member_id>/", views.coaching_member, name="coaching_member"),
    path("report/", views.organisation_report, name="organisation_report"),
    path("report/csv/", views.organisation_report_csv, name="organisation_report_csv"),
    path("hr/", views.hr_overview, name="hr_overview"),
    path("hr/impact/", views.hr_impact, name="hr_impact"),
    path("hr/impact/csv/", views.hr_impact_csv, name="hr_impact_csv"),
    path("report/exports/", views.export_start, name="export_start"),
    path("report/exports/<int:export_id>/", views.export_detail, name="export_detail"),
    path("report/exports/<int:export_id>/status/", views.export_status, name="export_status"),
    path("report/exports/download/<str:token>/", views.export_download, name="export_download"),
]
