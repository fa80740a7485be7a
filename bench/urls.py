"""The site's URLs plus one minimal organisation page: what a request costs before its view
does any work (``bench_catalogue`` measures it)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def minimal(request, org_slug: str) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("o/<slug:org_slug>/bench/minimal/", minimal, name="bench_minimal"),
    *site_urlpatterns,
]
