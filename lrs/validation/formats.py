"""Scalar formats of xAPI: IRIs, UUIDs, language tags and maps, durations, timestamps."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any


class StatementInvalid(ValueError):
    """A statement (or query parameter) that breaks a rule; the message names it."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"

# --- Scalar formats --------------------------------------------------------------------------

# An absolute IRI: a scheme, then no whitespace, no control characters, none of <>"{}|\^`.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")
# RFC 5646 language tags: langtag, private use and the grandfathered irregular ones.
_LANGTAG = re.compile(
    r"^(?:"
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language (with extlang)
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?"  # private use
    r"|x(?:-[A-Za-z0-9]{1,8})+"
    r"|en-GB-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)"
    r"|sgn-(?:BE-FR|BE-NL|CH-DE)"
    r")$"
)
# ISO 8601 durations: PnYnMnDTnHnMnS (the last unit may have a fraction) or PnW.
_DURATION = re.compile(
    r"^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?!$)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$"
    r"|^P\d+(?:\.\d+)?W$"
)
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
VERSION_PATTERN = re.compile(r"^(1\.0(\.\d+)?|2\.0\.\d+)$")


def fail(path: str, problem: str):
    raise StatementInvalid(path, problem)


def check_object(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        fail(path, "must be a JSON object")
    return value


def check_keys(value: dict, path: str, *, allowed: set[str], required: set[str] = frozenset()):
    for key in value:
        if key not in allowed:
            fail(f"{path}.{key}", "is not a property the specification allows here")
    for key in sorted(required):
        if key not in value:
            fail(f"{path}.{key}", "is required")


def check_string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        fail(path, "must be a string")
    return value


def check_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        fail(path, "must be true or false")
    return value


def check_number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(path, "must be a number")
    return value


def check_iri(value: Any, path: str) -> str:
    check_string(value, path)
    if not _IRI.match(value):
        fail(path, f"{value!r} is not an absolute IRI (a scheme such as http: is required)")
    return value


def check_uuid(value: Any, path: str) -> str:
    check_string(value, path)
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        fail(path, f"{value!r} is not a UUID")
    if len(value) != 36 or str(parsed) != value.lower():
        fail(path, f"{value!r} is not a UUID in its hyphenated form")
    return value


def check_language_tag(value: Any, path: str) -> str:
    check_string(value, path)
    if not _LANGTAG.match(value):
        fail(path, f"{value!r} is not an RFC 5646 language tag")
    return value


def check_language_map(value: Any, path: str) -> dict:
    check_object(value, path)
    for tag, text in value.items():
        check_language_tag(tag, f"{path}[{tag!r}]")
        check_string(text, f"{path}.{tag}")
    return value


def check_duration(value: Any, path: str) -> str:
    check_string(value, path)
    if not _DURATION.match(value):
        fail(path, f"{value!r} is not an ISO 8601 duration (such as PT1H30M)")
    return value


def parse_timestamp(value: Any, path: str, *, require_zone: bool = False) -> dt.datetime:
    """An ISO 8601 timestamp as an aware datetime (UTC when it names no zone)."""
    check_string(value, path)
    match = _TIMESTAMP.match(value)
    if not match:
        fail(path, f"{value!r} is not an ISO 8601 timestamp (such as 2024-05-01T09:30:00Z)")
    zone = match.group(8)
    if zone is None and require_zone:
        fail(path, f"{value!r} has no time zone (Z or an offset is required)")
    if zone in ("-00", "-0000", "-00:00"):
        fail(path, "the offset -00:00 is not allowed (use Z or +00:00)")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    micro = int((match.group(7) or ".0")[1:7].ljust(6, "0"))
    offset = dt.timedelta(0)
    if zone and zone not in ("Z", "z"):
        digits = zone[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        if zone[0] == "-":
            offset = -offset
    try:
        return dt.datetime(
            year, month, day, hour, minute, second, micro, tzinfo=dt.timezone(offset)
        )
    except ValueError:
        fail(path, f"{value!r} is not a date and time that exists")


def check_extensions(value: Any, path: str) -> dict:
    check_object(value, path)
    for key in value:
        check_iri(key, f"{path}[{key!r}]")
    return value
