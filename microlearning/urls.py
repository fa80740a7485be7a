from django.urls import path

from . import views

app_name = "microlearning"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/complete/", views.unit_complete, name="unit_complete"),
    path("authoring/units/", views.unit_list, name="unit_list"),
    path("authoring/units/new/", views.unit_create, name="unit_create"),
    path("authoring/units/<int:unit_id>/", views.unit_preview, name="unit_preview"),
    path("authoring/units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("authoring/units/<int:unit_id>/publish/", views.unit_publish, name="unit_publish"),
    path("authoring/units/<int:unit_id>/archive/", views.unit_archive, name="unit_archive"),
    path("authoring/units/<int:unit_id>/assign/", views.unit_assign, name="unit_assign"),
]
