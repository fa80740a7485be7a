from django.urls import path

from .views import authoring, learner

app_name = "microlearning"

urlpatterns = [
    path("", learner.home, name="home"),
    path("units/<int:unit_id>/", learner.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/complete/", learner.unit_complete, name="unit_complete"),
    path("authoring/units/", authoring.unit_list, name="unit_list"),
    path("authoring/units/new/", authoring.unit_create, name="unit_create"),
    path("authoring/units/<int:unit_id>/", authoring.unit_preview, name="unit_preview"),
    path("authoring/units/<int:unit_id>/edit/", authoring.unit_edit, name="unit_edit"),
    path("authoring/units/<int:unit_id>/publish/", authoring.unit_publish, name="unit_publish"),
    path("authoring/units/<int:unit_id>/archive/", authoring.unit_archive, name="unit_archive"),
    path("authoring/units/<int:unit_id>/assign/", authoring.unit_assign, name="unit_assign"),
]
