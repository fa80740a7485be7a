"""Writes for learning goals: one module per concern, the public names re-exported here."""

from .check_ins import check_in_answer, check_in_create
from .goals import (
    goal_agree,
    goal_ask_changes,
    goal_close,
    goal_comment,
    goal_create,
    goal_delete,
    goal_propose,
    goal_rate_final,
    goal_update,
    plan_lines,
)
from .plan import activities_complete_linked, activity_add, activity_remove, activity_set_status
from .proficiency import proficiency_levels_save, proficiency_rate
from .recognition import evidence_share, goal_share, kudos_give, recognition_share
from .templates import goal_template_create, goal_template_update

__all__ = [
    "activities_complete_linked",
    "activity_add",
    "activity_remove",
    "activity_set_status",
    "check_in_answer",
    "check_in_create",
    "goal_agree",
    "goal_ask_changes",
    "goal_close",
    "goal_comment",
    "goal_create",
    "goal_delete",
    "goal_propose",
    "goal_rate_final",
    "evidence_share",
    "goal_share",
    "goal_template_create",
    "goal_template_update",
    "goal_update",
    "kudos_give",
    "plan_lines",
    "proficiency_levels_save",
    "proficiency_rate",
    "recognition_share",
]
