"""Agents and groups: exactly one inverse functional identifier, mbox as mailto:."""

from __future__ import annotations

import re
from typing import Any

from .formats import check_iri, check_keys, check_object, check_string, fail

_MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
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
        fail(path, f"has {' and '.join(found)}: only one inverse functional identifier")
    if "mbox" in value:
        mbox = check_string(value["mbox"], f"{path}.mbox")
        if not _MBOX.match(mbox):
            fail(f"{path}.mbox", 'must be a "mailto:" IRI with an e-mail address')
    if "mbox_sha1sum" in value:
        check_string(value["mbox_sha1sum"], f"{path}.mbox_sha1sum")
        if not _SHA1.match(value["mbox_sha1sum"]):
            fail(f"{path}.mbox_sha1sum", "must be 40 hexadecimal characters (a SHA-1)")
    if "openid" in value:
        check_iri(value["openid"], f"{path}.openid")
    if "account" in value:
        check_account(value["account"], f"{path}.account")
    return len(found)


def check_agent(value: Any, path: str, *, object_type_required: bool = False) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"objectType", "name", *IFI_KEYS})
    if object_type_required and "objectType" not in value:
        fail(f"{path}.objectType", 'is required ("Agent")')
    if "objectType" in value and value["objectType"] != "Agent":
        fail(f"{path}.objectType", 'must be "Agent"')
    if "name" in value:
        check_string(value["name"], f"{path}.name")
    if _check_ifis(value, path) != 1:
        fail(path, "an Agent needs exactly one of mbox, mbox_sha1sum, openid, account")
    return value


def check_group(value: Any, path: str) -> dict:
    check_object(value, path)
    check_keys(value, path, allowed={"objectType", "name", "member", *IFI_KEYS})
    if value.get("objectType") != "Group":
        fail(f"{path}.objectType", 'must be "Group"')
    if "name" in value:
        check_string(value["name"], f"{path}.name")
    identified = _check_ifis(value, path) == 1
    if "member" in value:
        members = value["member"]
        if not isinstance(members, list):
            fail(f"{path}.member", "must be an array of Agents")
        for i, member in enumerate(members):
            check_object(member, f"{path}.member[{i}]")
            if member.get("objectType") == "Group":
                fail(f"{path}.member[{i}]", "a Group's members are Agents, not Groups")
            check_agent(member, f"{path}.member[{i}]")
    if not identified and not value.get("member"):
        fail(path, "an anonymous Group (no identifier) must list its members")
    return value


def check_actor(value: Any, path: str, *, object_type_required: bool = False) -> dict:
    check_object(value, path)
    if value.get("objectType") == "Group":
        return check_group(value, path)
    return check_agent(value, path, object_type_required=object_type_required)
