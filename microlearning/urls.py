from django.urls import path

from . import views

app_name = "microlearning"

urlpatterns = [
    path("", views.home, name="home"),
]
