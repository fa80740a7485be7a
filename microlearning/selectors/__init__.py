"""Reads for microlearning, one module per concern. The unit lifecycle (``units``) is
re-exported here for its many callers; the newer concerns are imported by module
(``from microlearning.selectors import catalogue``), which keeps this file from growing into
an index of everything."""

from .reach import assignments_reaching, team_ancestor_ids
from .units import (
    LearnerHome,
    LearnerUnit,
    completion_of,
    learner_home,
    published_units,
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
