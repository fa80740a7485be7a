from django.urls import path

from . import api

app_name = "microlearning_api"

urlpatterns = [
    path("units/", api.UnitListCreateView.as_view(), name="units"),
    path("units/<int:unit_id>/", api.UnitDetailView.as_view(), name="unit"),
    path("units/<int:unit_id>/publish/", api.UnitPublishView.as_view(), name="unit_publish"),
    path("units/<int:unit_id>/archive/", api.UnitArchiveView.as_view(), name="unit_archive"),
    path("units/<int:unit_id>/assign/", api.UnitAssignView.as_view(), name="unit_assign"),
    path("units/<int:unit_id>/complete/", api.UnitCompleteView.as_view(), name="unit_complete"),
]
