"""What each kind of nudge rule is: its placeholders, its timing, its category; and the words.

The one place that says which placeholders a rule's subject and text may use.
A placeholder is a name in braces, ``{unit_title}``; a brace that is not part of
one, or a name the kind does not offer, is a field error. Rendering substitutes
plain values only (no template language), so an author's text can never run
code or reach data the kind does not hand it.

The held-out share is decided here too: a hash of (rule, member), so the same
member stays in or out of a rule's holdout on every run and every machine.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Nudge, NudgeRule

Kind = NudgeRule.Kind

# Every kind may greet the member and name the organisation.
COMMON_PLACEHOLDERS = ("first_name", "organisation")


@dataclass(frozen=True)
class KindSpec:
    placeholders: tuple[str, ...]
    category: str
    # Weekly kinds come on a weekday at an hour; the others a number of days after their event.
    weekly: bool = False

    @property
    def allowed(self) -> tuple[str, ...]:
        return COMMON_PLACEHOLDERS + self.placeholders


KINDS: dict[str, KindSpec] = {
    Kind.APPLY: KindSpec(("unit_title", "commitment", "answer_url"), Nudge.Kind.APPLY),
    Kind.REPEAT: KindSpec(("question_count", "refresher_url"), Nudge.Kind.REPEAT),
    Kind.FINISH_UNIT: KindSpec(("unit_title", "unit_url", "days"), Nudge.Kind.FINISH),
    Kind.FINISH_STEP: KindSpec(
        ("trajectory_title", "step_title", "due_date", "step_url"), Nudge.Kind.FINISH
    ),
    Kind.REFLECT: KindSpec(
        ("question", "step_title", "goal_title", "reflect_url"), Nudge.Kind.REFLECT
    ),
    Kind.CHECK_IN: KindSpec(("goal_title", "due_date", "check_in_url"), Nudge.Kind.CHECK_IN),
    Kind.MANAGER_SIGN_OFF: KindSpec(
        ("learner_name", "step_title", "sign_off_url"), Nudge.Kind.MANAGER
    ),
    Kind.MANAGER_AGREE: KindSpec(("learner_name", "goal_title", "goal_url"), Nudge.Kind.MANAGER),
    Kind.TEAM_DIGEST: KindSpec(
        ("team_name", "stuck_count", "overdue_count", "inactive_count", "digest_url"),
        Nudge.Kind.MANAGER,
        weekly=True,
    ),
    Kind.DIGEST: KindSpec(("count", "items", "inbox_url"), Nudge.Kind.DIGEST),
}

# Kinds an L&D author sees and tunes; the digest only carries the others.
AUTHORED_KINDS = [kind for kind in Kind if kind != Kind.DIGEST]

TEXT_FIELDS = ("subject_nl", "subject_en", "text_nl", "text_en")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

UNKNOWN_PLACEHOLDER = _("Unknown placeholder {%(name)s}. This kind of nudge offers: %(allowed)s.")
STRAY_BRACE = _("A brace { or } belongs around a placeholder name, like {first_name}.")
EMPTY_TEXT = _("Write this text in both languages.")
NEEDS_DELAY = _("Say after how many days this nudge comes.")
NEEDS_WEEKDAY = _("Choose the weekday this nudge comes on.")
NEEDS_CHANNEL = _("Choose at least one channel.")
UNKNOWN_KIND = _("Choose a kind of nudge.")


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def text_errors(kind: str, text: str) -> list[str]:
    """What is wrong with one subject or text of a rule of ``kind``: messages, empty if none."""
    spec = KINDS[kind]
    errors: list[str] = []
    for name in placeholders_in(text):
        if name not in spec.allowed:
            errors.append(
                UNKNOWN_PLACEHOLDER
                % {"name": name, "allowed": ", ".join(f"{{{a}}}" for a in spec.allowed)}
            )
    if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
        errors.append(str(STRAY_BRACE))
    return errors


def rule_errors(rule: NudgeRule) -> dict[str, list[str]]:
    """Field errors of a rule (the model's ``clean`` raises them; forms show them per field)."""
    if rule.kind not in KINDS:
        return {"kind": [str(UNKNOWN_KIND)]}
    errors: dict[str, list[str]] = {}
    for field in TEXT_FIELDS:
        value = getattr(rule, field) or ""
        if not value.strip():
            errors[field] = [str(EMPTY_TEXT)]
            continue
        problems = text_errors(rule.kind, value)
        if problems:
            errors[field] = problems
    if KINDS[rule.kind].weekly:
        if rule.weekday is None:
            errors["weekday"] = [str(NEEDS_WEEKDAY)]
    elif rule.delay_days is None:
        errors["delay_days"] = [str(NEEDS_DELAY)]
    if not (rule.send_email or rule.send_in_app):
        errors["send_email"] = [str(NEEDS_CHANNEL)]
    return errors


def render(text: str, values: Mapping[str, object]) -> str:
    """The text with each placeholder replaced by its value; plain text, so HTML escapes it."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), "")), text)


def one_line(text: str) -> str:
    """A header line must be one line, whatever an author or a unit title holds."""
    return " ".join(text.split())


def held_out(*, rule_id: int, member_id: int, percent: int) -> bool:
    """Whether the member is in the rule's holdout: stable, and ``percent`` % of members.

    SHA-256, not ``hash()``: Python salts string hashes per process, and the answer
    must be the same in every worker, every run and every analysis later.
    """
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"nudge-holdout:{rule_id}:{member_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000 < percent * 100


# --- the rule every organisation starts with ------------------------------------------

# The reminder Werkwijs sent before rules were data, word for word (the data migration
# 0004 holds a frozen copy of the same texts).
FINISH_UNIT_DEFAULT = {
    "subject_nl": "Herinnering: rond “{unit_title}” af",
    "subject_en": "Reminder: finish “{unit_title}”",
    "text_nl": (
        "Je hebt “{unit_title}” nog niet afgerond. Het kost maar een paar minuten: "
        "je kunt het nu doen, tussen twee taken door."
    ),
    "text_en": (
        "You have not finished “{unit_title}” yet. It takes only a few minutes: "
        "you can do it now, between two tasks."
    ),
}


# The rule each kind starts with in every organisation: its words and timing. A kind's
# defaults are switched off (L&D switches them on), except the finish-a-unit rule,
# which stands for the reminder every organisation always had (its delay is the
# organisation's ``nudge_after_days``).
DEFAULT_RULES: dict[str, dict] = {
    Kind.FINISH_UNIT: {**FINISH_UNIT_DEFAULT, "is_active": True, "holdout_percent": 0},
    # No plural in the words: the count stands apart, so "1" reads as well as "3".
    Kind.REPEAT: {
        "subject_nl": "Even herhalen: vragen die je eerder beantwoordde ({question_count})",
        "subject_en": "Time to repeat: questions you answered before ({question_count})",
        "text_nl": (
            "Vragen om te herhalen: {question_count}. Beantwoord ze nu, net voordat je ze "
            "zou vergeten: zo blijft het hangen. Het kost minder dan een minuut."
        ),
        "text_en": (
            "Questions to repeat: {question_count}. Answer them now, just before you would "
            "forget them: that is what makes them stick. It takes less than a minute."
        ),
        "delay_days": 0,
        "is_active": False,
    },
    Kind.MANAGER_SIGN_OFF: {
        "is_active": False,
        "delay_days": 3,
        "subject_nl": "{learner_name} wacht op je akkoord voor “{step_title}”",
        "subject_en": "{learner_name} is waiting for your sign-off of “{step_title}”",
        "text_nl": (
            "{learner_name} heeft bewijs ingeleverd voor “{step_title}” en wacht op je "
            "akkoord. Bekijk het en keur het goed, of vraag om aanpassingen: {sign_off_url}"
        ),
        "text_en": (
            "{learner_name} handed in evidence for “{step_title}” and is waiting for your "
            "sign-off. Look at it and approve it, or ask for changes: {sign_off_url}"
        ),
    },
    Kind.MANAGER_AGREE: {
        "is_active": False,
        "delay_days": 3,
        "subject_nl": "{learner_name} wacht op je akkoord voor het leerdoel “{goal_title}”",
        "subject_en": "{learner_name} is waiting for you to agree the goal “{goal_title}”",
        "text_nl": (
            "{learner_name} heeft je het leerdoel “{goal_title}” voorgesteld. Spreek het af, "
            "of vraag om aanpassingen: {goal_url}"
        ),
        "text_en": (
            "{learner_name} proposed the learning goal “{goal_title}” to you. Agree it, or "
            "ask for changes: {goal_url}"
        ),
    },
    Kind.TEAM_DIGEST: {
        "is_active": False,
        "weekday": NudgeRule.Weekday.MONDAY,
        "hour": 9,
        "subject_nl": "Je team deze week: wie kan je hulp gebruiken",
        "subject_en": "Your team this week: who could use your help",
        # Counts, not sentences around them: a placeholder cannot say "1 person" or "2 people".
        "text_nl": (
            "{team_name} deze week. Vast: {stuck_count}. Achter op schema: {overdue_count}. "
            "Een tijd niets geleerd: {inactive_count}. Bij ieder staat één link om in actie "
            "te komen."
        ),
        "text_en": (
            "{team_name} this week. Stuck: {stuck_count}. Overdue: {overdue_count}. "
            "Not learning lately: {inactive_count}. Each person has one link to act."
        ),
    },
    Kind.APPLY: {
        "is_active": False,
        "delay_days": 2,
        "subject_nl": "Is het gelukt: “{commitment}”?",
        "subject_en": "Did you manage: “{commitment}”?",
        "text_nl": (
            "Na “{unit_title}” nam je je voor: “{commitment}”. Heb je het toegepast? "
            "Eén klik is genoeg om het te laten weten."
        ),
        "text_en": (
            "After “{unit_title}” you committed to: “{commitment}”. Did you apply it? "
            "One click is enough to let us know."
        ),
    },
    Kind.FINISH_STEP: {
        "is_active": False,
        "delay_days": 3,
        "subject_nl": "“{step_title}” moet af op {due_date}",
        "subject_en": "“{step_title}” is due on {due_date}",
        "text_nl": (
            "De stap “{step_title}” van “{trajectory_title}” moet af op {due_date}. "
            "Plan er nu even tijd voor in."
        ),
        "text_en": (
            "The step “{step_title}” of “{trajectory_title}” is due on {due_date}. "
            "Make some time for it now."
        ),
    },
    Kind.REFLECT: {
        "is_active": False,
        "delay_days": 1,
        "subject_nl": "{question}",
        "subject_en": "{question}",
        "text_nl": (
            "Een paar zinnen zijn genoeg: wat je opschrijft, blijft beter hangen. "
            "Je antwoord is van jou, tenzij je het deelt met je leidinggevende."
        ),
        "text_en": (
            "A few lines are enough: what you write down sticks better. "
            "Your answer is yours unless you share it with your manager."
        ),
    },
    Kind.CHECK_IN: {
        "is_active": False,
        "delay_days": 0,
        "subject_nl": "Tijd voor een check-in: “{goal_title}”",
        "subject_en": "Time to check in: “{goal_title}”",
        "text_nl": (
            "Je volgende check-in over je doel “{goal_title}” was gepland op {due_date}. "
            "Laat je leidinggevende weten hoe het gaat."
        ),
        "text_en": (
            "Your next check-in on your goal “{goal_title}” was due on {due_date}. "
            "Let your manager know how it is going."
        ),
    },
}


# The digest's rule, made the first time a member passes their daily maximum (not with
# the defaults above: nobody authors it). Always on and never held out: switching it
# off would drop the reminders it carries.
DIGEST_RULE = {
    "subject_nl": "{count} herinneringen bij elkaar",
    "subject_en": "{count} reminders together",
    "text_nl": (
        "Er kwamen op een dag meer herinneringen dan je per dag wilt krijgen. "
        "Hier zijn ze bij elkaar:\n{items}"
    ),
    "text_en": (
        "More reminders came on one day than you want to get a day. "
        "Here they are together:\n{items}"
    ),
    "delay_days": 0,
    "is_active": True,
    "holdout_percent": 0,
}
