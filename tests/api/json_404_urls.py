"""The root URLconf with the API's 404 handler wired in, as config/urls.py should have it."""

from config.urls import urlpatterns  # noqa: F401

handler404 = "organisations.api_errors.handler404"
