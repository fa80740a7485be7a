"""The API's request parsers: DRF's, with ``organisations.input_checks`` applied to what they read.

JSON is the default for every DRF view (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``);
views that take files add the form parsers. So a view gets NUL characters, lone
surrogates and over-deep JSON refused with 400 in the API's error format without
doing anything. ``RequestInputMiddleware`` runs
the same JSON check on every body before the view (also for views that never read
theirs); the parser then reuses that document instead of parsing it again. Bodies over Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` raise ``RequestDataTooBig`` while being read; the
API's exception handler answers that with 413.
"""

from __future__ import annotations

import io

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .input_checks import (
    MAX_JSON_DEPTH,
    MESSAGE_TOO_DEEP,
    InputProblem,
    check_document,
    check_files,
    check_query_dict,
)

# Where RequestInputMiddleware leaves the document it parsed and checked.
CHECKED_JSON_ATTRIBUTE = "_checked_json"


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        django_request = getattr(request, "_request", None)
        if hasattr(django_request, CHECKED_JSON_ATTRIBUTE):
            return getattr(django_request, CHECKED_JSON_ATTRIBUTE)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Deeper than Python's own limit: refused before our walk could count it.
            raise InputProblem("too_deep", MESSAGE_TOO_DEEP % {"limit": MAX_JSON_DEPTH}) from None
        check_document(data)
        return data


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def checked_json(request, body: bytes) -> None:
    """Parse and check a JSON body for the middleware; remembered for the API's parser.

    Malformed JSON is left alone here: the view answers it as it always has (the
    API with its parse_error), and a view that ignores its body is not troubled.
    """
    context = {"encoding": request.encoding or "utf-8"}
    try:
        data = JSONParser().parse(io.BytesIO(body), request.content_type, context)
    except ParseError:
        return
    setattr(request, CHECKED_JSON_ATTRIBUTE, data)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_query_dict(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        check_query_dict(result.data)
        check_files(result.files)
        return result
