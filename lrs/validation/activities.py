"""Verbs, activities and their definitions, interaction types and their components."""

from __future__ import annotations

from typing import Any

from .formats import (
    check_extensions,
    check_iri,
    check_keys,
    check_language_map,
    check_object,
    check_string,
    check_uuid,
    fail,
)

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
        fail(f"{path}.id", "must not be empty")
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
            fail(path, "interaction components need an interactionType")
        return value
    if interaction not in INTERACTION_TYPES:
        fail(
            f"{path}.interactionType",
            f"{interaction!r} is not one of {', '.join(sorted(INTERACTION_TYPES))}",
        )
    for key in sorted(components - INTERACTION_TYPES[interaction]):
        fail(f"{path}.{key}", f"is not a component of a {interaction!r} interaction")
    if "correctResponsesPattern" in value:
        patterns = value["correctResponsesPattern"]
        if not isinstance(patterns, list):
            fail(f"{path}.correctResponsesPattern", "must be an array of strings")
        for i, pattern in enumerate(patterns):
            check_string(pattern, f"{path}.correctResponsesPattern[{i}]")
    for key in sorted(components):
        items = value[key]
        if not isinstance(items, list):
            fail(f"{path}.{key}", "must be an array of interaction components")
        seen = set()
        for i, item in enumerate(items):
            check_interaction_component(item, f"{path}.{key}[{i}]")
            if item["id"] in seen:
                fail(f"{path}.{key}[{i}].id", f"{item['id']!r} is used twice")
            seen.add(item["id"])
    return value


def check_activity(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"objectType", "id", "definition"}, required={"id"})
    if "objectType" in value and value["objectType"] != "Activity":
        fail(f"{path}.objectType", 'must be "Activity"')
    check_iri(value["id"], f"{path}.id")
    if "definition" in value:
        check_activity_definition(value["definition"], f"{path}.definition")
    return value


def check_statement_ref(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"objectType", "id"}, required={"objectType", "id"})
    if value["objectType"] != "StatementRef":
        fail(f"{path}.objectType", 'must be "StatementRef"')
    check_uuid(value["id"], f"{path}.id")
    return value
