"""The links in nudge e-mails, outside any organisation: the signed token names it."""

from django.urls import path

from . import views_delivery

app_name = "nudge_links"

urlpatterns = [
    path("u/<str:token>/", views_delivery.unsubscribe, name="unsubscribe"),
    path("n/c/<str:token>/", views_delivery.nudge_click, name="click"),
]
