"""The measures of learning, in three levels, each defined once: usage, application, impact.

A measure has a key, a level, a name and a definition (translatable: Dutch and
English in ``locale/``), the source it is read from, and how it is computed from
the inputs a selector collected for a group of people (``Inputs``). Pages show
every figure with its definition; the HR report, its exports and the API all
compute a figure here, so a definition and its computation never drift apart.

Inputs are counted per group (a team, a week, the whole selection). Counts of
events and of distinct people are additive over teams because a member is in one
team, so the total of a selection is the sum of its teams' inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.verbs import Category, Verb


class Level(StrEnum):
    USAGE = "usage"
    APPLICATION = "application"
    IMPACT = "impact"

    @property
    def label(self) -> Promise:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.USAGE: _("Usage"),
    Level.APPLICATION: _("Application"),
    Level.IMPACT: _("Impact"),
}


class Source(StrEnum):
    # The daily rollups: events per member, day, verb and detail. Never the raw events,
    # which retention deletes (every figure must stay the same when it does).
    ROLLUP = "rollup"
    DOMAIN = "domain"  # the owning app's tables (goals, ratings, nudges), through its selectors


class Format(StrEnum):
    COUNT = "count"
    PERCENT = "percent"  # a share 0..1, shown as a whole percentage
    AVERAGE = "average"  # one decimal
    CHANGE = "change"  # one decimal with a sign


# The verbs by which a member shows they were learning: who counts as "reached".
# Being assigned or nudged is done to a member; it is no sign of use.
REACH_VERBS = (
    Verb.VIEWED,
    Verb.COMPLETED,
    Verb.ANSWERED,
    Verb.REFLECTED,
    Verb.COMMITTED,
    Verb.APPLIED,
    Verb.SUBMITTED,
    Verb.ATTENDED,
    Verb.FEEDBACK_GIVEN,
    Verb.CHECKED_IN,
)
MIX_CATEGORIES = (Category.EXPERIENCE, Category.SOCIAL, Category.FORMAL)


@dataclass
class Inputs:
    """What a selector counted for one group of people; every measure is computed from it.

    ``None`` means "not counted for this group" (the nudge figures exist for the
    organisation only), which the measure passes on as "no figure".
    """

    members: int = 0  # the people in the group (the selection's active members)
    reach: int = 0  # members with an event of REACH_VERBS in the period
    views: int = 0
    completions: int = 0
    minutes: int = 0
    ratings: int = 0
    rating_sum: int = 0
    raters: int = 0
    commitments: int = 0
    applied: int = 0
    submitted: int = 0
    signed_off: int = 0
    signed_off_first: int = 0
    signed_off_people: int = 0
    nudges_sent: int | None = None
    nudges_acted: int | None = None
    nudged_people: int | None = None
    goals_agreed: int = 0
    goals_achieved: int = 0
    proficiency_pairs: int = 0  # (member, skill) pairs rated at least twice
    proficiency_people: int = 0
    proficiency_first_sum: int = 0
    proficiency_latest_sum: int = 0
    manager_ratings: int = 0
    manager_rating_sum: int = 0
    manager_rated_people: int = 0
    mix: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MIX_CATEGORIES, 0))
    target: dict[str, int] = field(default_factory=dict)  # the organisation's target mix, %

    def __add__(self, other: Inputs) -> Inputs:
        total = Inputs(target=self.target or other.target)
        for item in fields(self):
            name = item.name
            if name == "target":
                continue
            mine, theirs = getattr(self, name), getattr(other, name)
            if name == "mix":
                value = {key: mine.get(key, 0) + theirs.get(key, 0) for key in MIX_CATEGORIES}
            elif mine is None or theirs is None:
                value = mine if theirs is None else theirs
            else:
                value = mine + theirs
            setattr(total, name, value)
        return total


def _ratio(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def _mix_share(category: Category) -> Callable[[Inputs], float | None]:
    def share(inputs: Inputs) -> float | None:
        return _ratio(inputs.mix.get(category, 0), sum(inputs.mix.values()))

    return share


@dataclass(frozen=True)
class Measure:
    key: str
    level: Level
    name: Promise
    definition: Promise
    source: Source
    compute: Callable[[Inputs], int | float | None]
    # How many people the figure is about: what k-anonymity counts (see suppression).
    people: Callable[[Inputs], int | None] = lambda inputs: inputs.members
    format: Format = Format.COUNT

    def value(self, inputs: Inputs) -> int | float | None:
        return self.compute(inputs)


MEASURES: tuple[Measure, ...] = (
    # --- usage ---------------------------------------------------------------------------
    Measure(
        "reach",
        Level.USAGE,
        _("Reach"),
        _(
            "Members who did anything to learn in the period (viewed, completed, answered, "
            "reflected, committed, applied, handed in evidence, attended, gave feedback or "
            "checked in), counted once each."
        ),
        Source.ROLLUP,
        lambda i: i.reach,
    ),
    Measure(
        "views",
        Level.USAGE,
        _("Views"),
        _("Times a unit or a step was opened in the period."),
        Source.ROLLUP,
        lambda i: i.views,
    ),
    Measure(
        "completions",
        Level.USAGE,
        _("Completions"),
        _("Units, steps and plan activities completed in the period."),
        Source.ROLLUP,
        lambda i: i.completions,
    ),
    Measure(
        "minutes",
        Level.USAGE,
        _("Minutes of learning"),
        _("The estimated minutes of everything completed in the period, added up."),
        Source.ROLLUP,
        lambda i: i.minutes,
    ),
    Measure(
        "ratings",
        Level.USAGE,
        _("Ratings"),
        _('Answers to "Was this useful?" given in the period.'),
        Source.DOMAIN,
        lambda i: i.ratings,
    ),
    Measure(
        "rating_average",
        Level.USAGE,
        _("Average rating"),
        _('The average answer to "Was this useful?" (1 to 5) given in the period.'),
        Source.DOMAIN,
        lambda i: _ratio(i.rating_sum, i.ratings),
        people=lambda i: i.raters,
        format=Format.AVERAGE,
    ),
    # --- application ---------------------------------------------------------------------
    Measure(
        "commitments_made",
        Level.APPLICATION,
        _("Commitments made"),
        _('Answers to "What will I apply?" given in the period.'),
        Source.ROLLUP,
        lambda i: i.commitments,
    ),
    Measure(
        "commitments_applied",
        Level.APPLICATION,
        _("Commitments applied"),
        _('Commitments reported as "applied" in the period ("not yet" does not count).'),
        Source.ROLLUP,
        lambda i: i.applied,
    ),
    Measure(
        "steps_submitted",
        Level.APPLICATION,
        _("On-the-job steps handed in"),
        _("Evidence of on-the-job steps handed in in the period, each round counted."),
        Source.ROLLUP,
        lambda i: i.submitted,
    ),
    Measure(
        "steps_signed_off",
        Level.APPLICATION,
        _("On-the-job steps signed off"),
        _("On-the-job steps whose evidence was approved in the period."),
        Source.ROLLUP,
        lambda i: i.signed_off,
    ),
    Measure(
        "first_time_share",
        Level.APPLICATION,
        _("Signed off first time"),
        _("Of the steps signed off in the period, the share approved on the first round."),
        Source.ROLLUP,
        lambda i: _ratio(i.signed_off_first, i.signed_off),
        people=lambda i: i.signed_off_people,
        format=Format.PERCENT,
    ),
    Measure(
        "nudge_to_action",
        Level.APPLICATION,
        _("Nudge to action"),
        _(
            "Of the nudges sent in the last 12 weeks by rules that ask for an action, the share "
            "after which the member did what it asked within 72 hours."
        ),
        Source.DOMAIN,
        lambda i: _ratio(i.nudges_acted, i.nudges_sent),
        people=lambda i: i.nudged_people,
        format=Format.PERCENT,
    ),
    # --- impact --------------------------------------------------------------------------
    Measure(
        "goals_agreed",
        Level.IMPACT,
        _("Goals agreed"),
        _("Learning goals a manager agreed in the period."),
        Source.DOMAIN,
        lambda i: i.goals_agreed,
    ),
    Measure(
        "goals_achieved",
        Level.IMPACT,
        _("Goals achieved"),
        _('Learning goals closed as "achieved" in the period.'),
        Source.DOMAIN,
        lambda i: i.goals_achieved,
    ),
    Measure(
        "proficiency_before",
        Level.IMPACT,
        _("Proficiency before"),
        _(
            "The average first rating (1 to 5) of a skill, over every member and skill rated "
            "at least twice by the end of the period."
        ),
        Source.DOMAIN,
        lambda i: _ratio(i.proficiency_first_sum, i.proficiency_pairs),
        people=lambda i: i.proficiency_people,
        format=Format.AVERAGE,
    ),
    Measure(
        "proficiency_after",
        Level.IMPACT,
        _("Proficiency after"),
        _("The average latest rating (1 to 5) of the same members and skills."),
        Source.DOMAIN,
        lambda i: _ratio(i.proficiency_latest_sum, i.proficiency_pairs),
        people=lambda i: i.proficiency_people,
        format=Format.AVERAGE,
    ),
    Measure(
        "proficiency_change",
        Level.IMPACT,
        _("Proficiency change"),
        _("Proficiency after minus proficiency before: levels gained, on average."),
        Source.DOMAIN,
        lambda i: _ratio(i.proficiency_latest_sum - i.proficiency_first_sum, i.proficiency_pairs),
        people=lambda i: i.proficiency_people,
        format=Format.CHANGE,
    ),
    Measure(
        "manager_rating",
        Level.IMPACT,
        _("Manager rating"),
        _("The average rating (1 to 5) managers gave goal check-ins answered in the period."),
        Source.DOMAIN,
        lambda i: _ratio(i.manager_rating_sum, i.manager_ratings),
        people=lambda i: i.manager_rated_people,
        format=Format.AVERAGE,
    ),
    Measure(
        "mix_experience",
        Level.IMPACT,
        _("Experience (70)"),
        _(
            "Share of the learning completed in the period that happened on the job; the "
            "organisation's target is shown beside it."
        ),
        Source.ROLLUP,
        _mix_share(Category.EXPERIENCE),
        format=Format.PERCENT,
    ),
    Measure(
        "mix_social",
        Level.IMPACT,
        _("Social (20)"),
        _("Share of the learning completed in the period that happened with colleagues."),
        Source.ROLLUP,
        _mix_share(Category.SOCIAL),
        format=Format.PERCENT,
    ),
    Measure(
        "mix_formal",
        Level.IMPACT,
        _("Formal (10)"),
        _("Share of the learning completed in the period that was a course or a unit."),
        Source.ROLLUP,
        _mix_share(Category.FORMAL),
        format=Format.PERCENT,
    ),
)

BY_KEY: dict[str, Measure] = {measure.key: measure for measure in MEASURES}
MIX_MEASURES = {
    Category.EXPERIENCE: "mix_experience",
    Category.SOCIAL: "mix_social",
    Category.FORMAL: "mix_formal",
}


def measure(key: str) -> Measure:
    return BY_KEY[key]


def measures_of(level: Level) -> list[Measure]:
    return [item for item in MEASURES if item.level == level]
