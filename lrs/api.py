"""The xAPI statements resource, ``/xapi/o/<slug>/statements``: plain Django views.

xAPI clients authenticate with HTTP Basic (an LRS client's key and secret), not with
a session, so there is no CSRF here. The organisation middleware has opened the
URL's organisation (its transaction, scope and RLS setting) before this runs.
Order of checks: the alternate request syntax unwrapped (400 if broken), credentials
(401), the version header (400), the scope (403), then the request itself (400, 404,
409, 413). Statements arrive as application/json or, with attachments, as
multipart/mixed; ``attachments=true`` answers in multipart/mixed. CORS (preflight and
headers) is answered by django-cors-headers for every path under /xapi/ (settings).
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from organisations.api_errors import error_body
from organisations.input_checks import (
    MAX_JSON_DEPTH,
    MESSAGE_TOO_DEEP,
    MESSAGE_TOO_LARGE,
    InputProblem,
    check_document,
)

from . import alternate, multipart, selectors, services
from .models import LrsClient
from .statements import accepted_languages
from .validation import StatementInvalid, check_uuid

VERSION_HEADER = "X-Experience-API-Version"
CONSISTENT_HEADER = "X-Experience-API-Consistent-Through"
_ACCEPTED_VERSION = re.compile(r"^(1\.0(\.\d+)?|2\.0\.0)$")
REALM = 'Basic realm="Werkwijs xAPI"'
SINGLE_PARAMS = {"statementId", "voidedStatementId", "format", "attachments"}


def _answer(response: HttpResponse, version: str | None) -> HttpResponse:
    if version is not None:
        response[VERSION_HEADER] = "2.0.0" if version.startswith("2.") else "1.0.3"
    return response


def _error(status: int, code: str, message: str, version: str | None = None) -> HttpResponse:
    return _answer(JsonResponse(error_body(code, message), status=status), version)


def _unauthorised(message: str) -> HttpResponse:
    response = _error(401, "not_authenticated", message)
    response["WWW-Authenticate"] = REALM
    return response


def _client(request) -> LrsClient | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        key, sep, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if not sep:
        return None
    return selectors.lrs_client_for_credentials(
        organisation=request.organisation, key=key, secret=secret
    )


def _raw(request) -> bytes:
    """A multipart/mixed body, read up to the LRS's own limit (attachments are larger than
    the JSON Django's DATA_UPLOAD_MAX_MEMORY_SIZE is meant for)."""
    limit = settings.LRS_REQUEST_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    body = b"" if declared > limit else request.read(limit + 1)
    if declared > limit or len(body) > limit:
        raise InputProblem("too_large", MESSAGE_TOO_LARGE, status=413)
    return body


def _body(request) -> tuple[object, dict[str, multipart.Attachment]]:
    """The statements of a PUT or POST and the attachments sent with them (by SHA-2)."""
    if request.content_type == "multipart/mixed":
        first, attachments = multipart.read(_raw(request), request.META.get("CONTENT_TYPE", ""))
    elif request.content_type == "application/json":
        first, attachments = request.body, {}
    else:
        raise StatementInvalid(
            "Content-Type",
            f"{request.content_type or 'none'!r} is not accepted: send application/json, "
            "or multipart/mixed for statements with attachments",
        )
    try:
        statements = json.loads(first or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise StatementInvalid("body", "is not JSON") from exc
    except RecursionError:
        # Deeper than Python's parser goes (a plain JSON body is refused so in middleware).
        raise InputProblem("too_deep", MESSAGE_TOO_DEEP % {"limit": MAX_JSON_DEPTH}) from None
    check_document(statements)  # NUL characters, lone surrogates, deep nesting: 400
    return statements, attachments


def _options() -> HttpResponse:
    # Preflights (with Access-Control-Request-Method) are answered by the CORS middleware.
    response = HttpResponse(status=200)
    response["Allow"] = "GET, HEAD, PUT, POST, OPTIONS"
    return response


@csrf_exempt
def statements(request, org_slug: str):
    response = _statements(request)
    if VERSION_HEADER not in response:
        # Every response names a version, also those refused before the request's was read.
        response[VERSION_HEADER] = "1.0.3"
    return response


def _statements(request) -> HttpResponse:
    if request.method == "OPTIONS":
        return _options()
    if alternate.is_alternate(request):
        try:
            alternate.unwrap(request)
        except StatementInvalid as problem:
            return _error(400, "invalid", str(problem), alternate.version_of(request))
    client = _client(request)
    if client is None:
        return _unauthorised("Send the key and secret of an active LRS client (HTTP Basic).")
    version = request.headers.get(VERSION_HEADER)
    if version is None:
        return _error(400, "version_missing", f"The {VERSION_HEADER} header is required.")
    if not _ACCEPTED_VERSION.match(version):
        return _error(400, "version_unsupported", f"xAPI version {version!r} is not supported.")
    try:
        if request.method in ("GET", "HEAD"):
            if not client.may_read:
                return _error(403, "forbidden", "This client may not read statements.", version)
            return _answer(_get(request, client), version)
        if request.method in ("PUT", "POST"):
            if not client.allows(LrsClient.Scope.WRITE):
                return _error(403, "forbidden", "This client may not write statements.", version)
            if request.method == "PUT":
                return _answer(_put(request, client, version), version)
            return _answer(_post(request, client, version), version)
    except StatementInvalid as problem:
        return _error(400, "invalid", str(problem), version)
    except InputProblem as problem:
        return _error(problem.status, problem.code, str(problem.message), version)
    except services.StatementConflict as conflict:
        return _error(409, "conflict", str(conflict), version)
    response = _error(405, "method_not_allowed", "Use GET, HEAD, PUT or POST.", version)
    response["Allow"] = "GET, HEAD, PUT, POST, OPTIONS"
    return response


def _put(request, client: LrsClient, version: str) -> HttpResponse:
    statement_id = request.GET.get("statementId")
    if statement_id is None:
        raise StatementInvalid("statementId", "is required for PUT")
    check_uuid(statement_id, "statementId")
    statements, attachments = _body(request)
    services.statements_store(
        client=client,
        statements=statements,
        version=version,
        statement_id=statement_id,
        attachments=attachments,
    )
    return HttpResponse(status=204)


def _post(request, client: LrsClient, version: str) -> HttpResponse:
    if request.GET:
        raise StatementInvalid(next(iter(request.GET)), "POST takes no query parameters")
    statements, attachments = _body(request)
    ids = services.statements_store(
        client=client, statements=statements, version=version, attachments=attachments
    )
    return JsonResponse(ids, safe=False, status=200)


def _result(body: dict, statements: list[dict], client: LrsClient, attachments: bool):
    """JSON, or with ``attachments=true`` multipart/mixed: the JSON, then the stored octets
    of every attachment the statements declare."""
    if not attachments:
        return JsonResponse(body)
    parts = selectors.attachments_of(client=client, statements=statements)
    content, boundary = multipart.build(json.dumps(body).encode(), parts)
    return HttpResponse(content, content_type=f'multipart/mixed; boundary="{boundary}"')


def _get(request, client: LrsClient) -> HttpResponse:
    params = {key: request.GET[key] for key in request.GET}
    languages = accepted_languages(request.headers.get("Accept-Language", ""))
    consistent = services.format_timestamp(timezone.now())
    if "statementId" in params or "voidedStatementId" in params:
        response = _get_one(params, client, languages)
    else:
        if "more" in params:
            if len(params) > 1:
                raise StatementInvalid("more", "takes no other parameters")
            page = selectors.statements_more(client=client, token=params["more"])
        else:
            query = selectors.parse_query(params)
            page = selectors.statements_query(client=client, query=query)
        found = [
            selectors.formatted(s, fmt=page.format, languages=languages) for s in page.statements
        ]
        body = {
            "statements": found,
            "more": f"{request.path}?more={page.more}" if page.more else "",
        }
        response = _result(body, found, client, page.attachments)
    response[CONSISTENT_HEADER] = consistent
    return response


def _get_one(params: dict, client: LrsClient, languages: list[str]) -> HttpResponse:
    for name in params:
        if name not in SINGLE_PARAMS:
            raise StatementInvalid(name, "cannot be combined with statementId/voidedStatementId")
    if "statementId" in params and "voidedStatementId" in params:
        raise StatementInvalid("statementId", "give statementId or voidedStatementId, not both")
    voided = "voidedStatementId" in params
    name = "voidedStatementId" if voided else "statementId"
    check_uuid(params[name], name)
    query = selectors.parse_query(
        {k: v for k, v in params.items() if k in ("format", "attachments")}
    )
    row = selectors.statement_by_id(client=client, statement_id=params[name], voided=voided)
    if row is None:
        return _error(404, "not_found", f"No statement with that {name}.")
    found = selectors.formatted(row.data, fmt=query.format, languages=languages)
    response = _result(found, [found], client, query.attachments)
    response["Last-Modified"] = http_date(row.stored.timestamp())
    return response
