"""Writes for analytics: the rollups, their rebuild, and event retention.

``from analytics import services; services.organisation_rollup(...)``: the public names
are re-exported here, one module per concern.
"""

from ..selectors import TEAM_DAILY_ROLLUP
from .rebuild import REBUILD_BATCH_SIZE, RebuildRefused, rollups_rebuild
from .retention import (
    RETENTION_BATCH_SIZE,
    event_retention_apply,
    event_retention_cutoff,
    months_before,
)
from .rollups import (
    MEMBER_COUNTS,
    PASSIVE_VERBS,
    ROLLUP_BATCH_SIZE,
    ROLLUP_NAMES,
    ROLLUPS,
    organisation_rollup,
    team_daily_rollup,
)

__all__ = [
    "MEMBER_COUNTS",
    "PASSIVE_VERBS",
    "REBUILD_BATCH_SIZE",
    "RETENTION_BATCH_SIZE",
    "ROLLUPS",
    "ROLLUP_BATCH_SIZE",
    "ROLLUP_NAMES",
    "TEAM_DAILY_ROLLUP",
    "RebuildRefused",
    "event_retention_apply",
    "event_retention_cutoff",
    "months_before",
    "organisation_rollup",
    "rollups_rebuild",
    "team_daily_rollup",
]
