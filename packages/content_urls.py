"""A package's files and its runtime endpoint, outside any organisation: the token names it."""

from django.urls import path

from . import views

app_name = "package_content"

urlpatterns = [
    path("c/<str:token>/runtime/commit/", views.commit, name="commit"),
    path("c/<str:token>/f/<path:path>", views.content_file, name="file"),
]
