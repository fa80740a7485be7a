"""Reads for learning goals: one module per concern, the public names re-exported here."""

from .goals import (
    CHECK_IN_EVERY_DAYS,
    GoalPage,
    goal_for,
    goal_page,
    goal_template_for,
    goal_templates,
    goals_of,
    next_check_in_on,
    open_goals_of,
    proficiency_levels,
    team_goal_statuses,
    team_goals,
)
from .ledger import (
    DEFAULT_LEDGER_DAYS,
    LEDGER_PERIODS,
    Ledger,
    LedgerPart,
    ledger_for_member,
    ledger_for_teams,
    target_mix,
    whole_percentages,
)
from .proficiency import FirstAndLatest, proficiency_first_and_latest, proficiency_history
from .recognition import (
    recognition_for,
    recognition_of,
    recognition_of_goal,
    recognitions_for,
)

__all__ = [
    "CHECK_IN_EVERY_DAYS",
    "DEFAULT_LEDGER_DAYS",
    "LEDGER_PERIODS",
    "FirstAndLatest",
    "GoalPage",
    "Ledger",
    "LedgerPart",
    "goal_for",
    "goal_page",
    "goal_template_for",
    "goal_templates",
    "goals_of",
    "ledger_for_member",
    "ledger_for_teams",
    "next_check_in_on",
    "open_goals_of",
    "proficiency_first_and_latest",
    "proficiency_history",
    "proficiency_levels",
    "recognition_for",
    "recognition_of",
    "recognition_of_goal",
    "recognitions_for",
    "target_mix",
    "team_goal_statuses",
    "team_goals",
    "whole_percentages",
]
