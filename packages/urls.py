from django.urls import path

from . import views

app_name = "packages"

urlpatterns = [
    path("authoring/packages/new/", views.package_upload, name="upload"),
    path("units/<int:unit_id>/blocks/<int:block_id>/play/", views.play, name="play"),
]
