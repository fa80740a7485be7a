"""Which module handles each kind of nudge rule: the one table to extend with a new kind.

A kind module answers, for its rules and their nudges:

``plan(*, rule, now) -> int``
    Create the nudges now due (through ``planning.nudges_create_missing``); how many are new.
``cancel_reason(nudge) -> str``
    Why the nudge has no purpose any more (a ``Nudge.CancelReason``), or "".
``values(nudge) -> dict``
    What the kind's placeholders (``nudges.rules.KINDS``) stand for in this nudge.
``action(nudge) -> Action``
    The one thing the nudge asks the member to do: a label and a path on this site.
``reason(nudge) -> str``
    Why the member gets this, in the active language (the e-mail's footer).
``example(*, rule, viewer) -> Nudge``
    An unsaved nudge with real data of the organisation, to preview a rule that
    has no nudge yet.
``ACTED_VERBS``
    The learning events that mean the member did what the nudge asked.

Optional:

``cancel_reasons(nudges) -> dict[int, str]``
    ``cancel_reason`` for a sender's batch at once (``{nudge id: reason}``, the nudges
    that keep their purpose left out), so a batch costs a few queries, not some per nudge.
``ACTS_FOR_OTHERS = True``
    The member's acting is recorded as someone else's event naming them as its
    context's ``by`` (a manager's sign-off).
``email_context(nudge) -> dict`` with ``EMAIL_HTML`` / ``EMAIL_TEXT``
    Templates included in the e-mail's body (one-click answers, a digest's list).

A kind without a module can be authored but plans nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from types import ModuleType

from django.conf import settings

from ..models import NudgeRule

Kind = NudgeRule.Kind

MODULES: dict[str, str] = {
    Kind.FINISH_UNIT: "nudges.services.finish_unit",
    Kind.REPEAT: "nudges.services.repeat",
    Kind.MANAGER_SIGN_OFF: "nudges.services.manager_sign_off",
    Kind.MANAGER_AGREE: "nudges.services.manager_agree",
    Kind.TEAM_DIGEST: "nudges.services.team_digest",
    Kind.APPLY: "nudges.services.apply",
    Kind.FINISH_STEP: "nudges.services.finish_step",
    Kind.REFLECT: "nudges.services.reflect",
    Kind.CHECK_IN: "nudges.services.check_in",
    Kind.DIGEST: "nudges.services.digest",
}


@dataclass(frozen=True)
class Action:
    label: str
    path: str


@cache
def kind_module(kind: str) -> ModuleType | None:
    """The module handling ``kind``, or None while the kind has none."""
    name = MODULES.get(kind)
    return import_module(name) if name else None


def handled_kinds() -> list[str]:
    return list(MODULES)


def absolute(path: str) -> str:
    """A path on this site as the address a mail client can open."""
    return settings.SITE_URL + path
