"""The xAPI resources beside statements, under ``/xapi/o/<slug>/``: plain Django views.

The document resources (``activities/state``, ``activities/profile``, ``agents/profile``),
``activities``, ``agents`` and ``about``. Authentication, the version header and the
order of the checks are those of the statements resource (lrs/api.py): credentials
(401), version (400), scope (403: reading needs a read scope, writing ``write``), then
the request (400, 404, 409, 412). ``about`` alone needs no credentials and accepts any
version header, as the specification asks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from organisations.api_errors import input_problem_response
from organisations.input_checks import problem_for_django_error

from . import documents
from .api import _ACCEPTED_VERSION, VERSION_HEADER, _answer, _client, _error, _unauthorised
from .models import LrsClient
from .statements import parse_agent_param
from .validation import StatementInvalid, check_agent, check_iri, check_uuid, parse_timestamp

SUPPORTED_VERSIONS = ["1.0.3", "2.0.0"]
READ_METHODS = ("GET", "HEAD")
WRITE_METHODS = ("PUT", "POST", "DELETE")

Handler = Callable[..., HttpResponse]


def _xapi(methods: tuple[str, ...]) -> Callable[[Handler], Callable]:
    """A view of an authenticated xAPI resource: the checks in their order, errors as JSON,
    and the version header on every answer."""

    def wrap(handler: Handler):
        @csrf_exempt
        def view(request, org_slug: str):
            response = _checked(request, handler, methods)
            if VERSION_HEADER not in response:
                response[VERSION_HEADER] = "1.0.3"
            return response

        view.__name__ = view.__qualname__ = handler.__name__
        view.__doc__ = handler.__doc__
        return view

    return wrap


def _checked(request, handler: Handler, methods: tuple[str, ...]) -> HttpResponse:
    client = _client(request)
    if client is None:
        return _unauthorised("Send the key and secret of an active LRS client (HTTP Basic).")
    version = request.headers.get(VERSION_HEADER)
    if version is None:
        return _error(400, "version_missing", f"The {VERSION_HEADER} header is required.")
    if not _ACCEPTED_VERSION.match(version):
        return _error(400, "version_unsupported", f"xAPI version {version!r} is not supported.")
    if request.method not in methods:
        response = _error(405, "method_not_allowed", f"Use {', '.join(methods)}.", version)
        response["Allow"] = ", ".join(methods)
        return response
    if request.method in READ_METHODS and not client.may_read:
        return _error(403, "forbidden", "This client may not read.", version)
    if request.method in WRITE_METHODS and not client.allows(LrsClient.Scope.WRITE):
        return _error(403, "forbidden", "This client may not write.", version)
    try:
        return _answer(handler(request, client), version)
    except StatementInvalid as problem:
        return _error(400, "invalid", str(problem), version)
    except documents.PreconditionFailed as failed:
        return _error(412, "precondition_failed", str(failed), version)
    except documents.DocumentConflict as conflict:
        return _error(409, "conflict", str(conflict), version)
    except RequestDataTooBig as exc:
        # A body of another type than JSON is read first here, not by the input middleware.
        return _answer(input_problem_response(problem_for_django_error(exc)), version)


# --- Parameters -----------------------------------------------------------------------------------


def _params(request, *, allowed: set[str], required: set[str], resource: str) -> dict[str, str]:
    params = {key: request.GET[key] for key in request.GET}
    for name in params:
        if name not in allowed:
            raise StatementInvalid(name, f"is not a parameter of the {resource} resource")
    for name in sorted(required - set(params)):
        raise StatementInvalid(name, "is required")
    if "activityId" in params:
        check_iri(params["activityId"], "activityId")
    if "registration" in params:
        check_uuid(params["registration"], "registration")
    for name in ("stateId", "profileId"):
        if name in params and not params[name]:
            raise StatementInvalid(name, "must not be empty")
    return params


def _agent(params: dict[str, str]) -> dict:
    """The ``agent`` parameter: an Agent (not a Group), as JSON."""
    agent = parse_agent_param(params["agent"])
    check_agent(agent, "agent")
    return agent


def _since(params: dict[str, str]):
    return parse_timestamp(params["since"], "since") if "since" in params else None


def _content(request) -> tuple[bytes, str]:
    try:
        body = request.body
    except RawPostDataException as exc:
        raise StatementInvalid("body", "could not be read as a document") from exc
    return body, request.headers.get("Content-Type", "") or documents.DEFAULT_CONTENT_TYPE


def _preconditions(request, *, header_required: bool) -> documents.Preconditions:
    return documents.Preconditions(
        if_match=request.headers.get("If-Match"),
        if_none_match=request.headers.get("If-None-Match"),
        header_required=header_required,
    )


def _etag(content: bytes) -> str:
    return f'"{documents.etag_of(content)}"'


# --- The document resources, one way for all three --------------------------------------------


@dataclass(frozen=True)
class _Target:
    place: documents.Place
    document_id: str | None  # None: the ids list (GET) or all of the place (state DELETE)
    params: dict[str, str]


def _document_response(request, client: LrsClient, target: _Target, *, profile: bool):
    organisation = request.organisation
    method = request.method
    if target.document_id is None:
        if method in READ_METHODS:
            ids, latest = documents.document_ids(
                organisation=organisation, place=target.place, since=_since(target.params)
            )
            response = JsonResponse(ids, safe=False)
            response["ETag"] = _etag(response.content)
            if latest is not None:
                response["Last-Modified"] = http_date(latest.timestamp())
            return response
        # DELETE without an id: the state resource's multiple DELETE (profiles need the id).
        documents.documents_delete(organisation=organisation, place=target.place)
        return HttpResponse(status=204)
    if "since" in target.params:
        raise StatementInvalid("since", "lists ids: it cannot be combined with a document id")
    if method in READ_METHODS:
        document = documents.document_get(
            organisation=organisation, place=target.place, document_id=target.document_id
        )
        if document is None:
            return _error(404, "not_found", "No document with that id here.")
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["ETag"] = f'"{document.etag}"'
        response["Last-Modified"] = http_date(document.updated.timestamp())
        return response
    if method == "DELETE":
        documents.document_delete(
            organisation=organisation,
            place=target.place,
            document_id=target.document_id,
            preconditions=_preconditions(request, header_required=False),
        )
        return HttpResponse(status=204)
    content, content_type = _content(request)
    documents.document_write(
        organisation=organisation,
        place=target.place,
        document_id=target.document_id,
        content=content,
        content_type=content_type,
        merge=method == "POST",
        # A PUT over an existing profile document needs If-Match or If-None-Match; the
        # state resource permits writes without (xAPI Communication 3.1).
        preconditions=_preconditions(request, header_required=profile and method == "PUT"),
        client=client,
    )
    return HttpResponse(status=204)


def _single_or_list(request, name: str) -> set[str]:
    """The document id is required, but for a GET (the ids list) and the state DELETE."""
    if request.method in READ_METHODS:
        return set()
    return set() if name == "stateId" and request.method == "DELETE" else {name}


DOCUMENT_METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")


@_xapi(DOCUMENT_METHODS)
def state(request, client: LrsClient) -> HttpResponse:
    """activities/state: documents of an activity, an agent and maybe a registration."""
    params = _params(
        request,
        allowed={"activityId", "agent", "registration", "stateId", "since"},
        required={"activityId", "agent"} | _single_or_list(request, "stateId"),
        resource="state",
    )
    if "since" in params and request.method not in READ_METHODS:
        raise StatementInvalid("since", "is a parameter of GET only")
    place = documents.state_place(
        activity_id=params["activityId"],
        agent=_agent(params),
        registration=params.get("registration"),
    )
    target = _Target(place=place, document_id=params.get("stateId"), params=params)
    return _document_response(request, client, target, profile=False)


@_xapi(DOCUMENT_METHODS)
def activity_profile(request, client: LrsClient) -> HttpResponse:
    """activities/profile: documents of an activity."""
    params = _params(
        request,
        allowed={"activityId", "profileId", "since"},
        required={"activityId"} | _single_or_list(request, "profileId"),
        resource="activity profile",
    )
    if "since" in params and request.method not in READ_METHODS:
        raise StatementInvalid("since", "is a parameter of GET only")
    place = documents.activity_profile_place(activity_id=params["activityId"])
    target = _Target(place=place, document_id=params.get("profileId"), params=params)
    return _document_response(request, client, target, profile=True)


@_xapi(DOCUMENT_METHODS)
def agent_profile(request, client: LrsClient) -> HttpResponse:
    """agents/profile: documents of an agent."""
    params = _params(
        request,
        allowed={"agent", "profileId", "since"},
        required={"agent"} | _single_or_list(request, "profileId"),
        resource="agent profile",
    )
    if "since" in params and request.method not in READ_METHODS:
        raise StatementInvalid("since", "is a parameter of GET only")
    place = documents.agent_profile_place(agent=_agent(params))
    target = _Target(place=place, document_id=params.get("profileId"), params=params)
    return _document_response(request, client, target, profile=True)


# --- Activities, agents, about ----------------------------------------------------------------


def _json_with_etag(body: dict) -> JsonResponse:
    response = JsonResponse(body)
    response["ETag"] = _etag(response.content)
    return response


@_xapi(READ_METHODS)
def activities(request, client: LrsClient) -> HttpResponse:
    """activities: the full Activity object, as the stored statements define it."""
    params = _params(
        request, allowed={"activityId"}, required={"activityId"}, resource="activities"
    )
    return _json_with_etag(
        documents.activity_object(client=client, activity_id=params["activityId"])
    )


@_xapi(READ_METHODS)
def agents(request, client: LrsClient) -> HttpResponse:
    """agents: the Person object of an agent."""
    params = _params(request, allowed={"agent"}, required={"agent"}, resource="agents")
    return _json_with_etag(documents.person_object(client=client, agent=_agent(params)))


@csrf_exempt
def about(request, org_slug: str) -> HttpResponse:
    """about: the versions this LRS speaks. No credentials needed, any version header."""
    version = request.headers.get(VERSION_HEADER, "")
    answered = version if _ACCEPTED_VERSION.match(version) else None
    if request.method not in READ_METHODS:
        response = _error(405, "method_not_allowed", "Use GET or HEAD.", answered)
        response["Allow"] = "GET, HEAD"
    else:
        response = _answer(JsonResponse({"version": SUPPORTED_VERSIONS}), answered)
        response["ETag"] = _etag(response.content)
    if VERSION_HEADER not in response:
        response[VERSION_HEADER] = "1.0.3"
    return response
