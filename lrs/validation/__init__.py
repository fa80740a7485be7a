"""Strict validation of xAPI statements (xAPI 1.0.3 and 2.0, the LRS's side).

One function per object of the data model, each raising ``StatementInvalid`` with
the path of the offending property and what is wrong with it, so the 400 a client
gets names the problem (``statement.actor.mbox: must be a "mailto:" IRI ...``).
Unknown properties are refused at every level: the specification lets an LRS
reject them and a typo (``"regsitration"``) is better caught than stored.

Written from the specification's text (Data, section 2 of xAPI 1.0.3 and
IEEE 9274.1.1); the LRS sets ``stored`` and ``authority`` itself.
"""

from __future__ import annotations

from .activities import INTERACTION_TYPES, check_activity, check_verb
from .actors import IFI_KEYS, check_actor, check_agent, check_group
from .formats import (
    VOIDED_VERB,
    StatementInvalid,
    check_iri,
    check_language_tag,
    check_uuid,
    parse_timestamp,
)
from .statements import check_statement, check_statements, check_substatement

__all__ = [
    "IFI_KEYS",
    "INTERACTION_TYPES",
    "VOIDED_VERB",
    "StatementInvalid",
    "check_activity",
    "check_actor",
    "check_agent",
    "check_group",
    "check_iri",
    "check_language_tag",
    "check_statement",
    "check_statements",
    "check_substatement",
    "check_uuid",
    "check_verb",
    "parse_timestamp",
]
