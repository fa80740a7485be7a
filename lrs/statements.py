"""Pure functions on statement JSON: identifiers, what a statement mentions, output formats."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator

from .validation import IFI_KEYS


def agent_key(agent: dict) -> str:
    """The normalised inverse functional identifier of an Agent or identified Group.

    Two agents are the same when they share it, whatever else they say (their name):
    ``mbox:mailto:a@b.c``, ``account:<homePage>|<name>``. An anonymous group has none
    (``""``).
    """
    if "mbox" in agent:
        return "mbox:" + agent["mbox"].lower()
    if "mbox_sha1sum" in agent:
        return "mbox_sha1sum:" + agent["mbox_sha1sum"].lower()
    if "openid" in agent:
        return "openid:" + agent["openid"]
    if "account" in agent:
        account = agent["account"]
        return f"account:{account['homePage']}|{account['name']}"
    # An anonymous group: a digest of its members, so the column is never empty.
    members = sorted(agent_key(member) for member in agent.get("member", []))
    return "group:" + hashlib.sha256("\n".join(members).encode()).hexdigest()


def normalised(node):
    """A statement (or part of one) with the differences comparison must ignore taken out:
    the members of a group in one order, e-mail addresses in lowercase."""
    if isinstance(node, dict):
        out = {k: normalised(v) for k, v in node.items()}
        if isinstance(out.get("member"), list):
            out["member"] = sorted(out["member"], key=lambda m: json.dumps(m, sort_keys=True))
        if "mbox" in out and isinstance(out["mbox"], str):
            out["mbox"] = out["mbox"].lower()
        return out
    if isinstance(node, list):
        return [normalised(item) for item in node]
    return node


def _is_agent(value: dict) -> bool:
    return value.get("objectType") in ("Agent", "Group")


def _agents_of(agent: dict) -> Iterator[str]:
    yield agent_key(agent)
    for member in agent.get("member", []):
        yield agent_key(member)


def _context_activities(context: dict) -> Iterator[str]:
    for activities in context.get("contextActivities", {}).values():
        for activity in activities if isinstance(activities, list) else [activities]:
            yield activity["id"]


def related_agents(statement: dict) -> set[str]:
    """Every agent the statement names: actor, object, authority, context, sub-statement."""
    found = set(_agents_of(statement["actor"]))
    target = statement["object"]
    if _is_agent(target):
        found |= set(_agents_of(target))
    elif target.get("objectType") == "SubStatement":
        found |= related_agents(target)
    if "authority" in statement:
        found |= set(_agents_of(statement["authority"]))
    context = statement.get("context", {})
    for key in ("instructor", "team"):
        if key in context:
            found |= set(_agents_of(context[key]))
    for item in context.get("contextAgents", []):
        found.add(agent_key(item["agent"]))
    for item in context.get("contextGroups", []):
        found |= set(_agents_of(item["group"]))
    return found


def related_activities(statement: dict) -> set[str]:
    """Every activity the statement names: object, context activities, sub-statement's."""
    found = set(_context_activities(statement.get("context", {})))
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        found.add(target["id"])
    elif kind == "SubStatement":
        found |= related_activities(target)
    return found


def parse_agent_param(raw: str) -> dict:
    """The ``agent`` query parameter: a JSON Agent or identified Group."""
    from .validation import StatementInvalid, check_actor

    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise StatementInvalid("agent", "is not JSON") from exc
    check_actor(value, "agent")
    if not any(key in value for key in IFI_KEYS):
        raise StatementInvalid("agent", "needs an inverse functional identifier")
    return value


# --- Output formats -----------------------------------------------------------------------------


def _ids_actor(agent: dict) -> dict:
    out = {key: agent[key] for key in ("objectType", *IFI_KEYS) if key in agent}
    if agent.get("objectType") == "Group" and not any(key in agent for key in IFI_KEYS):
        out["member"] = [_ids_actor(member) for member in agent.get("member", [])]
    return out


def _ids_object(target: dict) -> dict:
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return (
            {"objectType": "Activity", "id": target["id"]}
            if "objectType" in target
            else {"id": target["id"]}
        )
    if kind in ("Agent", "Group"):
        return _ids_actor(target)
    if kind == "SubStatement":
        return _ids_core(target)
    return target


def _ids_core(statement: dict) -> dict:
    out = dict(statement)
    out["actor"] = _ids_actor(statement["actor"])
    out["object"] = _ids_object(statement["object"])
    if "authority" in statement:
        out["authority"] = _ids_actor(statement["authority"])
    context = statement.get("context")
    if context:
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _ids_actor(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                key: [{"id": a["id"]} for a in (acts if isinstance(acts, list) else [acts])]
                for key, acts in context["contextActivities"].items()
            }
        out["context"] = context
    return out


def ids_format(statement: dict) -> dict:
    """``format=ids``: agents, groups and activities by their identifiers only."""
    return _ids_core(statement)


def _pick_language(value: dict, languages: list[str]) -> dict:
    if not value:
        return value
    lowered = {tag.lower(): tag for tag in value}
    for wanted in languages:
        wanted = wanted.lower()
        if wanted in lowered:
            tag = lowered[wanted]
            return {tag: value[tag]}
        for low, tag in lowered.items():
            if low.split("-")[0] == wanted.split("-")[0]:
                return {tag: value[tag]}
    tag = next(iter(value))
    return {tag: value[tag]}


def _canonical(node, languages: list[str], *, language_keys: frozenset[str]):
    if isinstance(node, list):
        return [_canonical(item, languages, language_keys=language_keys) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in language_keys and isinstance(value, dict):
            out[key] = _pick_language(value, languages)
        elif key == "extensions":
            out[key] = value  # extension values are the provider's own: left as they are
        else:
            out[key] = _canonical(value, languages, language_keys=language_keys)
    return out


LANGUAGE_MAP_KEYS = frozenset({"display", "name", "description"})


def canonical_format(statement: dict, languages: list[str]) -> dict:
    """``format=canonical``: each language map reduced to the one language the caller prefers."""
    # Agent "name" is a plain string, not a language map: only dicts are reduced.
    return _canonical(copy.deepcopy(statement), languages, language_keys=LANGUAGE_MAP_KEYS)


def accepted_languages(header: str) -> list[str]:
    """Accept-Language, most wanted first."""
    ranked = []
    for i, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, i, tag.strip()))
    return [tag for _w, _i, tag in sorted(ranked)]
