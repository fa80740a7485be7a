"""A rule's words as members will read them, in Dutch and English, with a real member's data.

The data comes from the rule's latest nudge when it has one; otherwise from the
author and the organisation's newest published unit. Placeholders a kind cannot
fill yet show their name in brackets.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from microlearning.selectors.units import published_units
from organisations.models import LANGUAGE_CHOICES, Membership

from .models import Nudge, NudgeRule
from .rules import KINDS, one_line, render
from .selectors import rule_preview_nudge
from .services import delivery


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
    unit = published_units(organisation=viewer.organisation).order_by("-pk").first()
    return Nudge(rule=rule, member=viewer, organisation_id=rule.organisation_id, unit=unit)


def _values(rule: NudgeRule, nudge: Nudge) -> dict[str, object]:
    values: dict[str, object] = {name: f"[{name}]" for name in KINDS[rule.kind].allowed}
    member = nudge.member
    values.update(first_name=member.user.first_name, organisation=member.organisation.name)
    if rule.kind == NudgeRule.Kind.FINISH_UNIT and nudge.unit is None:
        values["unit_title"] = _("Example unit")  # an organisation without published units
    elif rule.kind in delivery.DELIVERABLE_KINDS:
        values.update(delivery.nudge_message_values(nudge))
    return values


def nudge_rule_preview(*, rule: NudgeRule, viewer: Membership) -> list[Preview]:
    """The subject and text in each language, rendered for one member (the rule may be unsaved)."""
    nudge = _example_nudge(rule, viewer)
    values = _values(rule, nudge)
    return [
        Preview(
            language=code,
            language_name=str(name),
            member_name=nudge.member.display_name,
            subject=one_line(render(rule.subject_for(code), values)),
            text=render(rule.text_for(code), values),
        )
        for code, name in LANGUAGE_CHOICES
    ]
