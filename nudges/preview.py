"""A rule's words as members will read them, in Dutch and English, with a real member's data.

The data comes from the rule's latest nudge when it has one; otherwise from the
author and the organisation's newest published unit. Placeholders a kind cannot
fill yet show their name in brackets.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from organisations.models import LANGUAGE_CHOICES, Membership

from .models import Nudge, NudgeRule
from .rules import KINDS, one_line, render
from .selectors import rule_preview_nudge
from .services import delivery
from .services.kinds import kind_module


@dataclass(frozen=True)
class Preview:
    language: str
    language_name: str
    member_name: str
    subject: str
    text: str


def _example_nudge(rule: NudgeRule, viewer: Membership) -> Nudge:
    nudge = rule_preview_nudge(rule=rule)
    if nudge is not None:
        nudge.rule = rule  # the words being edited, the data of that real nudge
        return nudge
    module = kind_module(rule.kind)
    if module is not None:
        return module.example(rule=rule, viewer=viewer)
    return Nudge(rule=rule, member=viewer, organisation_id=rule.organisation_id)


def _values(rule: NudgeRule, nudge: Nudge, language: str) -> dict[str, object]:
    values: dict[str, object] = {name: f"[{name}]" for name in KINDS[rule.kind].allowed}
    member = nudge.member
    values.update(first_name=member.user.first_name, organisation=member.organisation.name)
    if kind_module(rule.kind) is not None:
        with translation.override(language):
            values.update(delivery.nudge_message_values(nudge))
    return values


def nudge_rule_preview(*, rule: NudgeRule, viewer: Membership) -> list[Preview]:
    """The subject and text in each language, rendered for one member (the rule may be unsaved)."""
    nudge = _example_nudge(rule, viewer)
    previews = []
    for code, name in LANGUAGE_CHOICES:
        values = _values(rule, nudge, code)
        previews.append(
            Preview(
                language=code,
                language_name=str(name),
                member_name=nudge.member.display_name,
                subject=one_line(render(rule.subject_for(code), values)),
                text=render(rule.text_for(code), values),
            )
        )
    return previews
