"""Malformed input is refused at the door, in one place, with 400 (or 413), never 500.

PostgreSQL stores neither NUL characters nor lone surrogates (UTF-16 halves that
are not valid Unicode text): a query holding one fails, and a request that got
that far answered 500. They arrive through JSON escapes (``"a\\u0000b"``,
``"a\\udfffb"``), percent-encoded query strings and form fields (``%00``), and
file names. JSON nested deeper than anything the API uses is refused too: it only
costs recursion (Python's parser raises ``RecursionError`` long before it ends).

Two places apply these checks:

- ``organisations.middleware.RequestInputMiddleware``: the path, the query string
  and, for the web, form and multipart bodies (field names, values, file names),
  plus bodies over Django's upload limits. The API answers in its one error format
  (``organisations.api_errors``), the web with a friendly page.
- ``organisations.api_parsers``: the API's request bodies (JSON, form, multipart),
  so every DRF view gets them checked without doing anything.
"""

from __future__ import annotations

import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext_lazy as _

# Deeper JSON is refused. The API's deepest documents (a block's data: a quiz with
# its questions and options) are a handful of levels; 64 leaves ample room.
MAX_JSON_DEPTH = 64

UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")

MESSAGE_UNSAFE_TEXT = _(
    "The request contains characters that cannot be stored "
    "(a NUL character or an invalid Unicode surrogate)."
)
MESSAGE_TOO_DEEP = _("The request is nested too deeply (at most %(limit)d levels).")
MESSAGE_TOO_LARGE = _("The request is too large.")
MESSAGE_TOO_MANY_FIELDS = _("The request has too many fields or files.")


class InputProblem(Exception):
    """What is wrong with a request's input; ``status`` is what the answer says."""

    def __init__(self, code: str, message, status: int = 400):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.status = status


def unsafe(text: str) -> bool:
    return UNSAFE_TEXT.search(text) is not None


def check_document(data, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise ``InputProblem`` for unsafe text (keys and values) or nesting beyond ``max_depth``.

    Walks with its own stack, so a deep document cannot exhaust Python's.
    """
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if unsafe(value):
                raise InputProblem("unsafe_text", MESSAGE_UNSAFE_TEXT)
        elif isinstance(value, dict | list):
            if depth > max_depth:
                raise InputProblem("too_deep", MESSAGE_TOO_DEEP % {"limit": max_depth})
            if isinstance(value, dict):
                for key, item in value.items():
                    stack.append((key, depth))
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)


def check_query_dict(data) -> None:
    """Names and values of a ``QueryDict`` (query string or form body)."""
    for key, values in data.lists():
        if unsafe(key) or any(isinstance(v, str) and unsafe(v) for v in values):
            raise InputProblem("unsafe_text", MESSAGE_UNSAFE_TEXT)


def check_files(files) -> None:
    """Field names and file names of uploaded files."""
    for key, uploads in files.lists():
        if unsafe(key) or any(unsafe(upload.name or "") for upload in uploads):
            raise InputProblem("unsafe_text", MESSAGE_UNSAFE_TEXT)


def problem_for_django_error(exc: Exception) -> InputProblem | None:
    """Django's own refusals of a body (its upload limits) as an ``InputProblem``."""
    if isinstance(exc, RequestDataTooBig):
        return InputProblem("too_large", MESSAGE_TOO_LARGE, status=413)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return InputProblem("too_many_fields", MESSAGE_TOO_MANY_FIELDS)
    return None
