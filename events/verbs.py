"""The verb vocabulary of learning events: what each verb means in xAPI and in 70:20:10.

Every verb has its xAPI IRI (ADL's vocabulary where it has the verb, our own
otherwise) and the 70:20:10 category it implies. Adding a verb is one line in
``Verb``: its stored code, IRI, category and label.

Some verbs count where their object does: completing a unit is as formal, social
or experiential as the unit itself, and a unit's category lives in its version.
Those verbs carry ``FROM_OBJECT``; ``event_category`` applies the rule, so the
recorder passes the object's category and nobody has to remember it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """70:20:10: where the learning happens."""

    EXPERIENCE = "experience", _("Experience (on the job, 70)")
    SOCIAL = "social", _("Social (with colleagues, 20)")
    FORMAL = "formal", _("Formal (courses, 10)")


# ADL's vocabulary: the verbs every learning record store already knows.
ADL = "http://adlnet.gov/expapi/verbs/"
# Ours, for what ADL lacks. A fixed base, not SITE_URL: an IRI names a meaning and
# must be the same in every installation and stay the same when a site moves.
WERKWIJS = "https://werkwijs.nl/xapi/verbs/"


class FromObject:
    """The category of the event's object, with a default for an object without one."""

    def __init__(self, default: Category):
        self.default = default

    def __repr__(self) -> str:
        return f"FromObject({self.default.value!r})"


FROM_OBJECT_FORMAL = FromObject(Category.FORMAL)
FROM_OBJECT_EXPERIENCE = FromObject(Category.EXPERIENCE)
FROM_OBJECT_SOCIAL = FromObject(Category.SOCIAL)


class Verb(models.TextChoices):
    """What a learner did (or what was done for them). Stored as the short code.

    ``category`` is a ``Category``, a ``FromObject`` (the object's category decides),
    or None: the event is about learning but is no learning activity itself
    (an assignment, a reminder, a rating), so it counts in no part of the mix.
    """

    # code, xAPI IRI, 70:20:10 category, label
    VIEWED = "viewed", ADL + "experienced", FROM_OBJECT_FORMAL, _("viewed")
    COMPLETED = "completed", ADL + "completed", FROM_OBJECT_FORMAL, _("completed")
    ANSWERED = "answered", ADL + "answered", FROM_OBJECT_FORMAL, _("answered")
    # Reflecting on one's own work turns experience into learning, whatever prompted it.
    REFLECTED = "reflected", ADL + "commented", Category.EXPERIENCE, _("reflected")
    COMMITTED = "committed", WERKWIJS + "committed", Category.EXPERIENCE, _("committed to apply")
    APPLIED = "applied", WERKWIJS + "applied", Category.EXPERIENCE, _("applied")
    RATED = "rated", WERKWIJS + "rated", None, _("rated")
    ASSIGNED = "assigned", WERKWIJS + "assigned", None, _("assigned")
    NUDGE_SENT = "nudge_sent", WERKWIJS + "nudge-sent", None, _("nudge sent")
    NUDGE_OPENED = "nudge_opened", WERKWIJS + "nudge-opened", None, _("nudge opened")
    NUDGE_CLICKED = "nudge_clicked", WERKWIJS + "nudge-clicked", None, _("nudge clicked")
    # Trajectories: a step's category is its own (by kind, or the author's choice).
    ENROLLED = "enrolled", WERKWIJS + "enrolled", None, _("enrolled")
    WITHDRAWN = "withdrawn", WERKWIJS + "withdrawn", None, _("withdrawn")
    SUBMITTED = "submitted", WERKWIJS + "submitted", FROM_OBJECT_EXPERIENCE, _("submitted evidence")
    APPROVED = "approved", ADL + "approved", FROM_OBJECT_EXPERIENCE, _("approved")
    ASKED_CHANGES = "asked_changes", WERKWIJS + "asked-changes", None, _("asked for changes")
    ATTENDED = "attended", ADL + "attended", FROM_OBJECT_SOCIAL, _("attended")
    FEEDBACK_REQUESTED = (
        "feedback_requested",
        WERKWIJS + "feedback-requested",
        None,
        _("asked for feedback"),
    )
    FEEDBACK_GIVEN = (
        "feedback_given",
        WERKWIJS + "feedback-given",
        Category.SOCIAL,
        _("gave feedback"),
    )
    # Goals: agreeing and checking in steer learning; they are no learning activity.
    GOAL_PROPOSED = "goal_proposed", WERKWIJS + "goal-proposed", None, _("proposed a goal")
    GOAL_AGREED = "goal_agreed", WERKWIJS + "goal-agreed", None, _("agreed a goal")
    CHECKED_IN = "checked_in", WERKWIJS + "checked-in", None, _("checked in")
    GOAL_ACHIEVED = "goal_achieved", WERKWIJS + "goal-achieved", None, _("achieved a goal")
    GOAL_CLOSED = "goal_closed", WERKWIJS + "goal-closed", None, _("closed a goal")
    SHARED = "shared", ADL + "shared", None, _("shared")
    KUDOS_GIVEN = "kudos_given", WERKWIJS + "kudos-given", None, _("gave kudos")

    def __new__(cls, code: str, iri: str, category: Category | FromObject | None):
        member = str.__new__(cls, code)
        member._value_ = code
        member.iri = iri
        member.category = category
        return member


def event_category(*, verb: Verb | str, object_category: str | None = None) -> Category | None:
    """The 70:20:10 category an event counts under.

    A verb whose category comes from its object takes ``object_category`` (for a
    unit: its version's category) and its own default when the object has none;
    any other verb keeps its own, whatever the object.
    """
    category = Verb(verb).category
    if isinstance(category, FromObject):
        return Category(object_category) if object_category else category.default
    return category


# Events that happen *to* a member, or about nudges: they are no sign of learning. A member
# with none of the others for INACTIVE_DAYS is inactive (the digest and the coaching view).
NOT_LEARNING = (Verb.ASSIGNED, Verb.NUDGE_SENT, Verb.NUDGE_OPENED, Verb.NUDGE_CLICKED)
# One quiet week is a busy week, not a pattern.
INACTIVE_DAYS = 14
