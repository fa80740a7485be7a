"""Per-request tenancy and language.

``OrganisationMiddleware`` resolves ``/o/<slug>/`` and ``/api/v1/o/<slug>/`` to one
organisation and runs the rest of the request inside ``organisation_scope``: one
transaction holding the RLS setting and the django-scopes scope. It wraps the
whole view, which ``ATOMIC_REQUESTS`` alone would not (a setting made in
middleware outside the view's transaction has no effect).
"""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from .api_errors import is_api_path, not_found_response
from .models import Membership, Organisation
from .tenancy import organisation_scope, platform_bypass, user_scope


def _org_slug(request) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.kwargs.get("org_slug")


class OrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        user = request.user
        user_id = user.pk if user.is_authenticated else None
        slug = _org_slug(request)

        if slug is None:
            if request.path_info.startswith("/admin/") and user.is_authenticated and user.is_staff:
                scope = platform_bypass(
                    reason=f"admin {request.method} {request.path_info}", actor=user.email
                )
            else:
                scope = user_scope(user_id)
            with scope:
                return self._respond(request)

        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            if is_api_path(request.path_info):
                return not_found_response()
            return render(
                request, "organisations/unknown_organisation.html", {"slug": slug}, status=404
            )
        with organisation_scope(organisation.pk, user_id=user_id):
            request.organisation = organisation
            if user_id is not None:
                request.membership = (
                    Membership.objects.filter(user_id=user_id, is_active=True)
                    .select_related("user", "team")
                    .first()
                )
                if request.membership is not None:
                    request.membership.organisation = organisation
            return self._respond(request)

    def _respond(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            # The view's own savepoint rolled back already; this also drops anything
            # written by middleware around it, so a failed request leaves no trace.
            transaction.set_rollback(True)
        return response


class MemberLanguageMiddleware:
    """Language: member preference, then organisation default, then the switch cookie, then
    the browser. Time zone: the organisation's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        user = request.user
        if user.is_authenticated and user.language:
            language = user.language
        elif request.organisation is not None:
            language = request.organisation.language
        if language is None:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        # Dates and times on the page read in the organisation's own time zone.
        if request.organisation is not None:
            timezone.activate(request.organisation.zone)
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch = response.headers.get("Vary", "")
        if "Accept-Language" not in patch:
            response.headers["Vary"] = (patch + ", Accept-Language").lstrip(", ")
        translation.deactivate()
        timezone.deactivate()
        return response
