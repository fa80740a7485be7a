"""Per-request tenancy and language.

``OrganisationMiddleware`` resolves ``/o/<slug>/`` and ``/api/v1/o/<slug>/`` to one
organisation and runs the rest of the request inside its scope: one transaction
holding the RLS setting and the django-scopes scope. It wraps the whole view, so
``ATOMIC_REQUESTS`` is off: it would only add a savepoint inside this transaction
(and a setting made in middleware outside the view's transaction has no effect).
Every page pays what happens here, so it is kept to three queries: the user (by
Django's session auth), the organisation found and entered in one statement, and
the membership with what the header needs of it.

``RequestInputMiddleware`` refuses malformed input (NUL characters, lone
surrogates, bodies over the upload limits) with 400 or 413 before any view sees it.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import transaction
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from .api_errors import MESSAGE_MALFORMED, input_problem_response, is_api_path, not_found_response
from .api_parsers import checked_json, is_json
from .input_checks import (
    MESSAGE_UNSAFE_TEXT,
    InputProblem,
    check_files,
    check_query_dict,
    problem_for_django_error,
    unsafe,
)
from .selectors import membership_for_request
from .tenancy import organisation_scope_for_slug, platform_bypass, user_scope


def _route(request) -> tuple[bool, str | None]:
    """Whether a route matches the path, and its organisation slug (None outside one)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False, None
    return True, match.kwargs.get("org_slug")


class OrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        user = request.user
        user_id = user.pk if user.is_authenticated else None
        found, slug = _route(request)

        if not found and is_api_path(request.path_info):
            # handler404 answers JSON only with DEBUG off; on, Django's HTML debug page
            # would. A missing slash is still redirected to the route (CommonMiddleware).
            return not_found_response()
        if slug is None:
            if request.path_info.startswith("/admin/") and user.is_authenticated and user.is_staff:
                scope = platform_bypass(
                    reason=f"admin {request.method} {request.path_info}", actor=user.email
                )
            else:
                scope = user_scope(user_id)
            with scope:
                return self._respond(request)

        with organisation_scope_for_slug(slug, user_id=user_id) as organisation:
            if organisation is not None:
                request.organisation = organisation
                if user_id is not None:
                    request.membership = membership_for_request(
                        organisation=organisation, user=user
                    )
                return self._respond(request)
        if is_api_path(request.path_info):
            return not_found_response()
        return render(
            request, "organisations/unknown_organisation.html", {"slug": slug}, status=404
        )

    def _respond(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            # Rolls back the request's transaction: whatever the view or the middleware
            # around it wrote, a failed request leaves no trace.
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


class RequestInputMiddleware:
    """Refuses malformed input before any view runs: 400 (413 for a body over the limits).

    Checks the path, the query string, form and multipart bodies (web and API) and
    JSON bodies with ``organisations.input_checks``, for every route, so a view that
    never reads its body cannot be handed one that breaks the database either. A JSON
    body is parsed here once; the API's parser reuses the result.
    """

    FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self.check(request)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as exc:
            return self.refuse(request, problem_for_django_error(exc))
        except MultiPartParserError:
            return self.refuse(request, InputProblem("parse_error", MESSAGE_MALFORMED))
        except InputProblem as problem:
            return self.refuse(request, problem)
        return self.get_response(request)

    def refuse(self, request, problem: InputProblem):
        if is_api_path(request.path_info):
            return input_problem_response(problem)
        return render(request, "400.html", {"message": problem.message}, status=problem.status)

    def check(self, request) -> None:
        if unsafe(request.path_info):
            raise InputProblem("unsafe_text", MESSAGE_UNSAFE_TEXT)
        check_query_dict(request.GET)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.method == "POST" and request.content_type in self.FORM_CONTENT_TYPES:
            check_query_dict(request.POST)
            check_files(request.FILES)
        elif is_json(request.content_type):
            body = request.body  # RequestDataTooBig over DATA_UPLOAD_MAX_MEMORY_SIZE
            if body:
                checked_json(request, body)
