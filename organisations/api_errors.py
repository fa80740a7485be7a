"""One error format for the whole API.

Every error body is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
``fields`` maps each invalid field to its messages; it is filled for 400 only
(errors that concern no single field are under ``non_field_errors``) and empty
otherwise. The shape is the same for errors raised by DRF, by Django (``Http404``,
``PermissionDenied``, a service's ``ValidationError``), for malformed JSON, for
input refused by ``organisations.input_checks`` (NUL characters, lone surrogates,
JSON nested too deeply: 400; a body over the upload limit: 413), for an unknown
organisation slug (see ``organisations.middleware``) and for unexpected
errors, so an API client never has to parse an HTML page.
"""

from __future__ import annotations

import logging

from django.core.exceptions import NON_FIELD_ERRORS, BadRequest, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .input_checks import InputProblem, problem_for_django_error

logger = logging.getLogger("werkwijs.api")

API_PATH_PREFIX = "/api/"
# The xAPI learning record store (lrs) answers in JSON too, never with an HTML page.
XAPI_PATH_PREFIX = "/xapi/"

MESSAGE_INVALID = _("The request contains invalid data.")
MESSAGE_MALFORMED = _("The request body could not be read.")
MESSAGE_NOT_FOUND = _("Not found.")
MESSAGE_SERVER_ERROR = _("Something went wrong on our side. Please try again later.")


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _messages(errors) -> list[str]:
    """Every message in DRF's nested errors, in order.

    DRF keys the errors of list items and nested objects by index or name
    (``{"selected": {"0": [...]}}``); the documented shape is one list of messages per
    field, so they are listed under the field they belong to.
    """
    if isinstance(errors, dict):
        return [message for inner in errors.values() for message in _messages(inner)]
    if isinstance(errors, list):
        return [message for inner in errors for message in _messages(inner)]
    return [str(errors)]


def _field_errors(detail) -> dict:
    fields = serializers.as_serializer_error(exceptions.ValidationError(detail))
    if NON_FIELD_ERRORS in fields:  # Django's model-level key, from full_clean()
        fields.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(
            fields.pop(NON_FIELD_ERRORS)
        )
    return {name: _messages(errors) for name, errors in fields.items()}


def input_problem_body(problem: InputProblem) -> dict:
    fields = {api_settings.NON_FIELD_ERRORS_KEY: [str(problem.message)]}
    return error_body(problem.code, problem.message, fields if problem.status == 400 else None)


def input_problem_response(problem: InputProblem) -> JsonResponse:
    """The answer to malformed input found before any view runs (the middleware)."""
    return JsonResponse(input_problem_body(problem), status=problem.status)


def exception_handler(exc, context):
    """DRF's handler, then every error rewritten into the one shape."""
    if isinstance(exc, SuspiciousOperation | BadRequest):
        # Django's refusals of a body (over DATA_UPLOAD_MAX_MEMORY_SIZE, too many
        # fields), raised while a parser reads it: the client's fault, not ours.
        exc = problem_for_django_error(exc) or InputProblem("bad_request", MESSAGE_MALFORMED)
    if isinstance(exc, InputProblem):
        return Response(input_problem_body(exc), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; to a client it is a 400 like any other.
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    response = drf_exception_handler(exc, context)
    if response is None:
        # Logged here because the response below keeps Django from logging it.
        view = context.get("view")
        logger.error("Unhandled error in %s", type(view).__name__, exc_info=exc)
        set_rollback()
        return Response(
            error_body("server_error", MESSAGE_SERVER_ERROR),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", MESSAGE_INVALID, _field_errors(exc.detail))
    elif isinstance(exc, exceptions.ParseError):
        # Malformed JSON: still a 400 with a message under the non-field key.
        response.data = error_body(
            "parse_error",
            MESSAGE_MALFORMED,
            {api_settings.NON_FIELD_ERRORS_KEY: [str(exc.detail)]},
        )
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(code, exc.detail if isinstance(exc.detail, str) else "")
    return response


def is_api_path(path: str) -> bool:
    return path.startswith((API_PATH_PREFIX, XAPI_PATH_PREFIX))


def not_found_response() -> JsonResponse:
    """The JSON 404 for requests that never reach a DRF view (unknown slug or path)."""
    return JsonResponse(error_body("not_found", MESSAGE_NOT_FOUND), status=404)


def handler404(request, exception):
    """``handler404`` for the root URLconf: JSON under /api/, the site's page elsewhere."""
    from django.views.defaults import page_not_found

    if is_api_path(request.path_info):
        return not_found_response()
    return page_not_found(request, exception)


def handler400(request, exception):
    """``handler400`` for the root URLconf: JSON under /api/, the site's page elsewhere.

    Django sends what it refuses itself here: a body over its upload limits (413
    then), too many fields, a malformed multipart body.
    """
    from django.shortcuts import render

    problem = problem_for_django_error(exception) or InputProblem("bad_request", MESSAGE_MALFORMED)
    if is_api_path(request.path_info):
        return input_problem_response(problem)
    return render(request, "400.html", {"message": problem.message}, status=problem.status)


def handler500(request):
    """``handler500`` for the root URLconf: JSON under /api/, the site's page elsewhere."""
    from django.views.defaults import server_error

    if is_api_path(request.path_info):
        return JsonResponse(error_body("server_error", MESSAGE_SERVER_ERROR), status=500)
    return server_error(request)


# --- OpenAPI ---------------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Machine-readable: invalid, parse_error, not_authenticated, "
        "authentication_failed, permission_denied, not_found, method_not_allowed, ..."
    )
    message = serializers.CharField(help_text="Human-readable, in the member's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per invalid field (400 only); non_field_errors for the rest.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


_ERROR_DESCRIPTIONS = {
    400: "Invalid data or malformed JSON (also: NUL characters, lone surrogates, JSON nested "
    "more than 64 levels), or input the operation's own rules refuse (its description says "
    "which); `fields` names what to fix. A body over the upload limit gets 413.",
    401: "No credentials, or an invalid, revoked or foreign token.",
    403: "A member without the role this needs (or a session request without CSRF token).",
    404: "Not found in this organisation, or the caller is not a member of it.",
}
_ERROR_EXAMPLES = {
    400: error_body("invalid", "The request contains invalid data.", {"title": ["Required."]}),
    401: error_body("authentication_failed", "Invalid or revoked token."),
    403: error_body("permission_denied", "You do not have permission to perform this action."),
    404: error_body("not_found", "Not found."),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Documented error responses for ``extend_schema(responses={..., **error_responses(...)})``."""
    return {
        code: OpenApiResponse(
            response=ErrorSerializer,
            description=_ERROR_DESCRIPTIONS[code],
            examples=[
                OpenApiExample(
                    f"error {code}",
                    value=_ERROR_EXAMPLES[code],
                    response_only=True,
                    status_codes=[code],
                )
            ],
        )
        for code in codes
    }


# Every organisation endpoint can answer 401 (no or bad credentials) and 404 (not a member).
READ_ERRORS = error_responses(401, 404)
ROLE_READ_ERRORS = error_responses(401, 403, 404)
WRITE_ERRORS = error_responses(400, 401, 403, 404)
