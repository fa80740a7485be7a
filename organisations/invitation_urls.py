"""The invitation link, outside any organisation: the token names the organisation."""

from django.urls import path

from .views import accept

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", accept.invitation_accept, name="accept"),
]
