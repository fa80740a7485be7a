"""Strict validation of xAPI statements (xAPI 1.0.3 and 2.0, the LRS's side).

One function per object of the data model, each raising ``StatementInvalid`` with
the path of the offending property and what is wrong with it, so the 400 a client
gets names the problem (``statement.actor.mbox: must start with "mailto:"``).
Unknown properties are refused at every level: the specification lets an LRS
reject them and a typo (``"regsitration"``) is better caught than stored.

Written from the specification's text (Data, section 2 of xAPI 1.0.3 and
IEEE 9274.1.1); the LRS sets ``stored`` and ``authority`` itself.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
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
_MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
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
_VERSION = re.compile(r"^(1\.0(\.\d+)?|2\.0\.\d+)$")

INTERACTION_TYPES = {
    "true-false": set(),
    "choice": {"choices"},
    "fill-in": set(),
    "long-fill-in": set(),
    "matching": {"source", "target"},
    "performance": {"steps"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "numeric": set(),
    "other": set(),
}
COMPONENT_LISTS = {"choices", "scale", "source", "target", "steps"}


def _fail(path: str, problem: str):
    raise StatementInvalid(path, problem)


def check_object(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    return value


def check_keys(value: dict, path: str, *, allowed: set[str], required: set[str] = frozenset()):
    for key in value:
        if key not in allowed:
            _fail(f"{path}.{key}", "is not a property the specification allows here")
    for key in sorted(required):
        if key not in value:
            _fail(f"{path}.{key}", "is required")


def check_string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, "must be a string")
    return value


def check_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        _fail(path, "must be true or false")
    return value


def check_number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(path, "must be a number")
    return value


def check_iri(value: Any, path: str) -> str:
    check_string(value, path)
    if not _IRI.match(value):
        _fail(path, f"{value!r} is not an absolute IRI (a scheme such as http: is required)")
    return value


def check_uuid(value: Any, path: str) -> str:
    check_string(value, path)
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        _fail(path, f"{value!r} is not a UUID")
    if len(value) != 36 or str(parsed) != value.lower():
        _fail(path, f"{value!r} is not a UUID in its hyphenated form")
    return value


def check_language_tag(value: Any, path: str) -> str:
    check_string(value, path)
    if not _LANGTAG.match(value):
        _fail(path, f"{value!r} is not an RFC 5646 language tag")
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
        _fail(path, f"{value!r} is not an ISO 8601 duration (such as PT1H30M)")
    return value


def parse_timestamp(value: Any, path: str, *, require_zone: bool = False) -> dt.datetime:
    """An ISO 8601 timestamp as an aware datetime (UTC when it names no zone)."""
    check_string(value, path)
    match = _TIMESTAMP.match(value)
    if not match:
        _fail(path, f"{value!r} is not an ISO 8601 timestamp (such as 2024-05-01T09:30:00Z)")
    zone = match.group(8)
    if zone is None and require_zone:
        _fail(path, f"{value!r} has no time zone (Z or an offset is required)")
    if zone in ("-00", "-0000", "-00:00"):
        _fail(path, "the offset -00:00 is not allowed (use Z or +00:00)")
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
        _fail(path, f"{value!r} is not a date and time that exists")


def check_extensions(value: Any, path: str) -> dict:
    check_object(value, path)
    for key in value:
        check_iri(key, f"{path}[{key!r}]")
    return value


# --- Actors ------------------------------------------------------------------------------------

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def check_account(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"homePage", "name"}, required={"homePage", "name"})
    check_iri(value["homePage"], f"{path}.homePage")
    check_string(value["name"], f"{path}.name")
    return value


def _check_ifis(value: dict, path: str) -> int:
    """Check every inverse functional identifier present; return how many there are."""
    found = [key for key in IFI_KEYS if key in value]
    if len(found) > 1:
        _fail(path, f"has {' and '.join(found)}: only one inverse functional identifier")
    if "mbox" in value:
        mbox = check_string(value["mbox"], f"{path}.mbox")
        if not _MBOX.match(mbox):
            _fail(f"{path}.mbox", 'must be a "mailto:" IRI with an e-mail address')
    if "mbox_sha1sum" in value:
        check_string(value["mbox_sha1sum"], f"{path}.mbox_sha1sum")
        if not _SHA1.match(value["mbox_sha1sum"]):
            _fail(f"{path}.mbox_sha1sum", "must be 40 hexadecimal characters (a SHA-1)")
    if "openid" in value:
        check_iri(value["openid"], f"{path}.openid")
    if "account" in value:
        check_account(value["account"], f"{path}.account")
    return len(found)


def check_agent(value: Any, path: str, *, object_type_required: bool = False) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"objectType", "name", *IFI_KEYS})
    if object_type_required and "objectType" not in value:
        _fail(f"{path}.objectType", 'is required ("Agent")')
    if "objectType" in value and value["objectType"] != "Agent":
        _fail(f"{path}.objectType", 'must be "Agent"')
    if "name" in value:
        check_string(value["name"], f"{path}.name")
    if _check_ifis(value, path) != 1:
        _fail(path, "an Agent needs exactly one of mbox, mbox_sha1sum, openid, account")
    return value


def check_group(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"objectType", "name", "member", *IFI_KEYS})
    if value.get("objectType") != "Group":
        _fail(f"{path}.objectType", 'must be "Group"')
    if "name" in value:
        check_string(value["name"], f"{path}.name")
    identified = _check_ifis(value, path) == 1
    if "member" in value:
        members = value["member"]
        if not isinstance(members, list):
            _fail(f"{path}.member", "must be an array of Agents")
        for i, member in enumerate(members):
            check_object(member, f"{path}.member[{i}]")
            if member.get("objectType") == "Group":
                _fail(f"{path}.member[{i}]", "a Group's members are Agents, not Groups")
            check_agent(member, f"{path}.member[{i}]")
    if not identified and not value.get("member"):
        _fail(path, "an anonymous Group (no identifier) must list its members")
    return value


def check_actor(value: Any, path: str, *, object_type_required: bool = False) -> dict:
    check_object(value, path)
    if value.get("objectType") == "Group":
        return check_group(value, path)
    return check_agent(value, path, object_type_required=object_type_required)


# --- Verb and activities --------------------------------------------------------------------


def check_verb(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"id", "display"}, required={"id"})
    check_iri(value["id"], f"{path}.id")
    if "display" in value:
        check_language_map(value["display"], f"{path}.display")
    return value


def check_interaction_component(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"id", "description"}, required={"id"})
    if not check_string(value["id"], f"{path}.id").strip():
        _fail(f"{path}.id", "must not be empty")
    if "description" in value:
        check_language_map(value["description"], f"{path}.description")
    return value


def check_activity_definition(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(
        value,
        path,
        allowed={
            "name",
            "description",
            "type",
            "moreInfo",
            "extensions",
            "interactionType",
            "correctResponsesPattern",
            *COMPONENT_LISTS,
        },
    )
    for key in ("name", "description"):
        if key in value:
            check_language_map(value[key], f"{path}.{key}")
    for key in ("type", "moreInfo"):
        if key in value:
            check_iri(value[key], f"{path}.{key}")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")
    interaction = value.get("interactionType")
    components = {key for key in COMPONENT_LISTS if key in value}
    if interaction is None:
        if components or "correctResponsesPattern" in value:
            _fail(path, "interaction components need an interactionType")
        return value
    if interaction not in INTERACTION_TYPES:
        _fail(
            f"{path}.interactionType",
            f"{interaction!r} is not one of {', '.join(sorted(INTERACTION_TYPES))}",
        )
    for key in sorted(components - INTERACTION_TYPES[interaction]):
        _fail(f"{path}.{key}", f"is not a component of a {interaction!r} interaction")
    if "correctResponsesPattern" in value:
        patterns = value["correctResponsesPattern"]
        if not isinstance(patterns, list):
            _fail(f"{path}.correctResponsesPattern", "must be an array of strings")
        for i, pattern in enumerate(patterns):
            check_string(pattern, f"{path}.correctResponsesPattern[{i}]")
    for key in sorted(components):
        items = value[key]
        if not isinstance(items, list):
            _fail(f"{path}.{key}", "must be an array of interaction components")
        seen = set()
        for i, item in enumerate(items):
            check_interaction_component(item, f"{path}.{key}[{i}]")
            if item["id"] in seen:
                _fail(f"{path}.{key}[{i}].id", f"{item['id']!r} is used twice")
            seen.add(item["id"])
    return value


def check_activity(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"objectType", "id", "definition"}, required={"id"})
    if "objectType" in value and value["objectType"] != "Activity":
        _fail(f"{path}.objectType", 'must be "Activity"')
    check_iri(value["id"], f"{path}.id")
    if "definition" in value:
        check_activity_definition(value["definition"], f"{path}.definition")
    return value


def check_statement_ref(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"objectType", "id"}, required={"objectType", "id"})
    if value["objectType"] != "StatementRef":
        _fail(f"{path}.objectType", 'must be "StatementRef"')
    check_uuid(value["id"], f"{path}.id")
    return value


def check_object_of(value: Any, path: str, *, in_substatement: bool = False) -> dict:
    """A statement's object: Activity (the default), Agent, Group, StatementRef, SubStatement."""
    check_object(value, path)
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        return check_activity(value, path)
    if kind == "Agent":
        return check_agent(value, path)
    if kind == "Group":
        return check_group(value, path)
    if kind == "StatementRef":
        return check_statement_ref(value, path)
    if kind == "SubStatement":
        if in_substatement:
            _fail(f"{path}.objectType", "a SubStatement cannot contain another SubStatement")
        return check_substatement(value, path)
    _fail(
        f"{path}.objectType",
        f"{kind!r} is not one of Activity, Agent, Group, StatementRef, SubStatement",
    )


# --- Result, context, attachments ---------------------------------------------------------------


def check_score(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"scaled", "raw", "min", "max"})
    for key in value:
        check_number(value[key], f"{path}.{key}")
    if "scaled" in value and not -1 <= value["scaled"] <= 1:
        _fail(f"{path}.scaled", "must be between -1 and 1")
    low, high = value.get("min"), value.get("max")
    if low is not None and high is not None and low >= high:
        _fail(f"{path}.max", "must be greater than min")
    if "raw" in value:
        if low is not None and value["raw"] < low:
            _fail(f"{path}.raw", "must not be below min")
        if high is not None and value["raw"] > high:
            _fail(f"{path}.raw", "must not be above max")
    return value


def check_result(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(
        value,
        path,
        allowed={"score", "success", "completion", "response", "duration", "extensions"},
    )
    if "score" in value:
        check_score(value["score"], f"{path}.score")
    for key in ("success", "completion"):
        if key in value:
            check_bool(value[key], f"{path}.{key}")
    if "response" in value:
        check_string(value["response"], f"{path}.response")
    if "duration" in value:
        check_duration(value["duration"], f"{path}.duration")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")
    return value


def check_context_activities(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"parent", "grouping", "category", "other"})
    for key, activities in value.items():
        # A single activity object is allowed and read as a list of one.
        items = activities if isinstance(activities, list) else [activities]
        for i, activity in enumerate(items):
            check_activity(activity, f"{path}.{key}[{i}]")
    return value


def _check_context_members(value: Any, path: str, *, kind: str) -> list:
    if not isinstance(value, list):
        _fail(path, f"must be an array of {kind} objects")
    inner = "agent" if kind == "contextAgent" else "group"
    for i, item in enumerate(value):
        at = f"{path}[{i}]"
        check_object(item, at)
        check_keys(
            item, at, allowed={"objectType", inner, "relevantTypes"}, required={"objectType", inner}
        )
        if item["objectType"] != kind:
            _fail(f"{at}.objectType", f'must be "{kind}"')
        if inner == "agent":
            check_agent(item["agent"], f"{at}.agent")
        else:
            check_group(item["group"], f"{at}.group")
        if "relevantTypes" in item:
            types = item["relevantTypes"]
            if not isinstance(types, list) or not types:
                _fail(f"{at}.relevantTypes", "must be a non-empty array of IRIs")
            for j, iri in enumerate(types):
                check_iri(iri, f"{at}.relevantTypes[{j}]")
    return value


def check_context(value: Any, path: str, *, object_is_activity: bool, version: str) -> dict:
    check_object(value, path)
    allowed = {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
    if version.startswith("2."):
        allowed |= {"contextAgents", "contextGroups"}
    check_keys(value, path, allowed=allowed)
    if "registration" in value:
        check_uuid(value["registration"], f"{path}.registration")
    if "instructor" in value:
        check_actor(value["instructor"], f"{path}.instructor")
    if "team" in value:
        check_group(value["team"], f"{path}.team")
    if "contextActivities" in value:
        check_context_activities(value["contextActivities"], f"{path}.contextActivities")
    for key in ("revision", "platform"):
        if key in value:
            check_string(value[key], f"{path}.{key}")
            if not object_is_activity:
                _fail(f"{path}.{key}", "is allowed only when the object is an Activity")
    if "language" in value:
        check_language_tag(value["language"], f"{path}.language")
    if "statement" in value:
        check_statement_ref(value["statement"], f"{path}.statement")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")
    if "contextAgents" in value:
        _check_context_members(value["contextAgents"], f"{path}.contextAgents", kind="contextAgent")
    if "contextGroups" in value:
        _check_context_members(value["contextGroups"], f"{path}.contextGroups", kind="contextGroup")
    return value


def check_attachment(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(
        value,
        path,
        allowed={"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"},
        required={"usageType", "display", "contentType", "length", "sha2"},
    )
    check_iri(value["usageType"], f"{path}.usageType")
    check_language_map(value["display"], f"{path}.display")
    if "description" in value:
        check_language_map(value["description"], f"{path}.description")
    check_string(value["contentType"], f"{path}.contentType")
    length = value["length"]
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        _fail(f"{path}.length", "must be a whole number of octets")
    if not re.match(r"^[0-9a-fA-F]{56,128}$", check_string(value["sha2"], f"{path}.sha2")):
        _fail(f"{path}.sha2", "must be a hexadecimal SHA-2 hash")
    if "fileUrl" in value:
        check_iri(value["fileUrl"], f"{path}.fileUrl")
    return value


def _check_attachments(value: Any, path: str) -> list:
    if not isinstance(value, list):
        _fail(path, "must be an array of attachments")
    for i, attachment in enumerate(value):
        check_attachment(attachment, f"{path}[{i}]")
    return value


# --- Statements ----------------------------------------------------------------------------------


def _check_core(value: dict, path: str, *, version: str, in_substatement: bool) -> None:
    """What statements and sub-statements share: actor, verb, object, result, context, time."""
    check_actor(value["actor"], f"{path}.actor")
    verb = check_verb(value["verb"], f"{path}.verb")
    target = check_object_of(value["object"], f"{path}.object", in_substatement=in_substatement)
    if verb["id"] == VOIDED_VERB and target.get("objectType") != "StatementRef":
        _fail(f"{path}.object", "a voiding statement's object must be a StatementRef")
    if "result" in value:
        check_result(value["result"], f"{path}.result")
    if "context" in value:
        check_context(
            value["context"],
            f"{path}.context",
            object_is_activity=target.get("objectType", "Activity") == "Activity",
            version=version,
        )
    if "timestamp" in value:
        parse_timestamp(value["timestamp"], f"{path}.timestamp", require_zone=version >= "2")
    if "attachments" in value:
        _check_attachments(value["attachments"], f"{path}.attachments")


def check_substatement(value: Any, path: str, *, version: str = "1.0.3") -> dict:
    check_object(value, path)
    check_keys(
        value,
        path,
        allowed={
            "objectType",
            "actor",
            "verb",
            "object",
            "result",
            "context",
            "timestamp",
            "attachments",
        },
        required={"objectType", "actor", "verb", "object"},
    )
    _check_core(value, path, version=version, in_substatement=True)
    return value


STATEMENT_PROPERTIES = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}


def check_statement(value: Any, *, version: str, path: str = "statement") -> dict:
    """Check one statement as a client sends it; returns it unchanged."""
    check_object(value, path)
    check_keys(value, path, allowed=STATEMENT_PROPERTIES, required={"actor", "verb", "object"})
    if "id" in value:
        check_uuid(value["id"], f"{path}.id")
    if "version" in value and not _VERSION.match(check_string(value["version"], f"{path}.version")):
        _fail(f"{path}.version", f"{value['version']!r} is not a supported xAPI version")
    if "stored" in value:
        parse_timestamp(value["stored"], f"{path}.stored")
    if "authority" in value:
        # Checked although it is replaced: a malformed statement is refused whole.
        check_actor(value["authority"], f"{path}.authority")
    _check_core(value, path, version=version, in_substatement=False)
    return value


def check_statements(value: Any, *, version: str) -> list[dict]:
    """A POST body: one statement or an array of them."""
    if isinstance(value, dict):
        return [check_statement(value, version=version)]
    if not isinstance(value, list) or not value:
        _fail("statements", "must be a statement or a non-empty array of statements")
    ids = set()
    for i, statement in enumerate(value):
        check_statement(statement, version=version, path=f"statements[{i}]")
        if "id" in statement:
            if statement["id"].lower() in ids:
                _fail(f"statements[{i}].id", "the same id appears twice in the batch")
            ids.add(statement["id"].lower())
    return value


# Named so tests can list every checker once.
CHECKERS: dict[str, Callable] = {
    "statement": check_statement,
    "substatement": check_substatement,
    "agent": check_agent,
    "group": check_group,
    "verb": check_verb,
    "activity": check_activity,
    "activity_definition": check_activity_definition,
    "score": check_score,
    "result": check_result,
    "context": check_context,
    "attachment": check_attachment,
}
