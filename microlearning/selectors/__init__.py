"""Reads for microlearning, one module per concern; callers import them from here."""

from .units import (
    LearnerHome,
    LearnerUnit,
    assignments_reaching,
    completion_of,
    learner_home,
    published_units,
    team_ancestor_ids,
    teams_to_assign,
    unit_assignments,
    units_for_authoring,
    version_blocks,
)

__all__ = [
    "LearnerHome",
    "LearnerUnit",
    "assignments_reaching",
    "completion_of",
    "learner_home",
    "published_units",
    "team_ancestor_ids",
    "teams_to_assign",
    "unit_assignments",
    "units_for_authoring",
    "version_blocks",
]
