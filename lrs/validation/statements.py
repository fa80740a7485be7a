"""Statements and sub-statements: object types, result, context rules, attachments."""

from __future__ import annotations

import re
from typing import Any

from .activities import (
    check_activity,
    check_statement_ref,
    check_verb,
)
from .actors import check_actor, check_agent, check_group
from .formats import (
    VERSION_PATTERN,
    VOIDED_VERB,
    check_bool,
    check_duration,
    check_extensions,
    check_iri,
    check_keys,
    check_language_map,
    check_language_tag,
    check_number,
    check_object,
    check_string,
    check_uuid,
    fail,
    parse_timestamp,
)


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
            fail(f"{path}.objectType", "a SubStatement cannot contain another SubStatement")
        return check_substatement(value, path)
    fail(
        f"{path}.objectType",
        f"{kind!r} is not one of Activity, Agent, Group, StatementRef, SubStatement",
    )


def check_score(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"scaled", "raw", "min", "max"})
    for key in value:
        check_number(value[key], f"{path}.{key}")
    if "scaled" in value and not -1 <= value["scaled"] <= 1:
        fail(f"{path}.scaled", "must be between -1 and 1")
    low, high = value.get("min"), value.get("max")
    if low is not None and high is not None and low >= high:
        fail(f"{path}.max", "must be greater than min")
    if "raw" in value:
        if low is not None and value["raw"] < low:
            fail(f"{path}.raw", "must not be below min")
        if high is not None and value["raw"] > high:
            fail(f"{path}.raw", "must not be above max")
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
        fail(path, f"must be an array of {kind} objects")
    inner = "agent" if kind == "contextAgent" else "group"
    for i, item in enumerate(value):
        at = f"{path}[{i}]"
        check_object(item, at)
        check_keys(
            item, at, allowed={"objectType", inner, "relevantTypes"}, required={"objectType", inner}
        )
        if item["objectType"] != kind:
            fail(f"{at}.objectType", f'must be "{kind}"')
        if inner == "agent":
            check_agent(item["agent"], f"{at}.agent")
        else:
            check_group(item["group"], f"{at}.group")
        if "relevantTypes" in item:
            types = item["relevantTypes"]
            if not isinstance(types, list) or not types:
                fail(f"{at}.relevantTypes", "must be a non-empty array of IRIs")
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
                fail(f"{path}.{key}", "is allowed only when the object is an Activity")
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
        fail(f"{path}.length", "must be a whole number of octets")
    if not re.match(r"^[0-9a-fA-F]{56,128}$", check_string(value["sha2"], f"{path}.sha2")):
        fail(f"{path}.sha2", "must be a hexadecimal SHA-2 hash")
    if "fileUrl" in value:
        check_iri(value["fileUrl"], f"{path}.fileUrl")
    return value


def _check_attachments(value: Any, path: str) -> list:
    if not isinstance(value, list):
        fail(path, "must be an array of attachments")
    for i, attachment in enumerate(value):
        check_attachment(attachment, f"{path}[{i}]")
    return value


def _check_core(value: dict, path: str, *, version: str, in_substatement: bool) -> None:
    """What statements and sub-statements share: actor, verb, object, result, context, time."""
    check_actor(value["actor"], f"{path}.actor")
    verb = check_verb(value["verb"], f"{path}.verb")
    target = check_object_of(value["object"], f"{path}.object", in_substatement=in_substatement)
    if verb["id"] == VOIDED_VERB and target.get("objectType") != "StatementRef":
        fail(f"{path}.object", "a voiding statement's object must be a StatementRef")
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
    if "version" in value and not VERSION_PATTERN.match(
        check_string(value["version"], f"{path}.version")
    ):
        fail(f"{path}.version", f"{value['version']!r} is not a supported xAPI version")
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
        fail("statements", "must be a statement or a non-empty array of statements")
    ids = set()
    for i, statement in enumerate(value):
        check_statement(statement, version=version, path=f"statements[{i}]")
        if "id" in statement:
            if statement["id"].lower() in ids:
                fail(f"statements[{i}].id", "the same id appears twice in the batch")
            ids.add(statement["id"].lower())
    return value
