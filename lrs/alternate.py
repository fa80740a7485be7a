"""xAPI 1.0.3's Alternate Request Syntax (Communication 1.3), for clients that can only POST a form.

The request is a POST with the intended method in the ``method`` query parameter and
everything else in an ``application/x-www-form-urlencoded`` body: the headers the
specification lists, the content (``content``) and the query parameters. ``unwrap``
turns such a request, in place, into the one it stands for, so the resource's view
handles both alike. xAPI 2.0 (IEEE 9274.1.1) dropped this syntax, so a 2.0 request
that uses it is refused with 400.
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters

from .validation import StatementInvalid

FORM = "application/x-www-form-urlencoded"
# The form parameters read as headers (Communication 1.3), by lowercase name.
HEADER_FIELDS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": "CONTENT_LENGTH",
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
}
METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")


def is_alternate(request) -> bool:
    return request.method == "POST" and "method" in request.GET


def _field(form: QueryDict, header: str) -> str | None:
    for name in form:
        if name.lower() == header:
            return form[name]
    return None


def version_of(request) -> str | None:
    """The version the request asks for: its form's parameter, else its header."""
    if request.content_type == FORM:
        given = _field(request.POST, "x-experience-api-version")
        if given is not None:
            return given
    return request.headers.get("X-Experience-API-Version")


def unwrap(request) -> None:
    """Rewrite an alternate-syntax request into the request it stands for (StatementInvalid
    if it breaks the syntax's rules)."""
    if len(request.GET) > 1 or len(request.GET.getlist("method")) > 1:
        raise StatementInvalid(
            "query", "the alternate request syntax takes no query parameter but method"
        )
    if request.content_type != FORM:
        raise StatementInvalid(
            "Content-Type", f"the alternate request syntax sends a form ({FORM})"
        )
    version = version_of(request) or ""
    if version.startswith("2."):
        raise StatementInvalid(
            "method",
            "xAPI 2.0.0 has no alternate request syntax: send the request with its own "
            "method and headers (cross-origin requests are allowed)",
        )
    method = request.GET["method"].upper()
    if method not in METHODS:
        raise StatementInvalid("method", f"must be one of {', '.join(METHODS)}")

    form = request.POST
    content = form.get("content", "")
    params = QueryDict(mutable=True)
    headers = {}
    for name, values in form.lists():
        if name.lower() in HEADER_FIELDS:
            headers[HEADER_FIELDS[name.lower()]] = values[-1]
        elif name != "content":
            params.setlist(name, values)
    content_type = headers.pop("CONTENT_TYPE", "application/json" if content else "")
    media_type, content_params = parse_header_parameters(content_type)
    if media_type.startswith("multipart/"):
        raise StatementInvalid(
            "Content-Type",
            "attachments cannot be sent in the alternate request syntax: send multipart/mixed",
        )

    request.META.update(headers)
    request.META["CONTENT_TYPE"] = content_type
    request.method = method
    request.GET = params
    request.content_type, request.content_params = media_type, content_params
    # The specification: the content is read as UTF-8 text. Django keeps a read body in
    # ``_body``; the form was only the envelope, so its parsed fields go.
    request._body = content.encode("utf-8")
    request.META["CONTENT_LENGTH"] = str(len(request._body))
    request._post, request._files = QueryDict(), MultiValueDict()
    request.__dict__.pop("headers", None)  # HttpRequest.headers is cached from META
