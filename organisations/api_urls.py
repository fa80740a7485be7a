from django.urls import path

from . import api

app_name = "organisations_api"

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("teams/", api.TeamListView.as_view(), name="teams"),
    path("members/", api.MemberListView.as_view(), name="members"),
    path("tokens/", api.TokenListCreateView.as_view(), name="tokens"),
    path("tokens/<int:token_id>/", api.TokenDetailView.as_view(), name="token"),
]
