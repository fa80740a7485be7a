"""Writes for nudges: rules, planning, delivery (the outbox) and reading in the app.

One module per concern; the public names are re-exported here.
"""

from .delivery import (
    DELIVERY_BUSY,
    DELIVERY_MISSING,
    LEASE,
    MAX_DELIVERY_ATTEMPTS,
    SEND_BATCH,
    nudge_send,
    nudges_dispatch_due,
    nudges_send,
    nudges_sweep_expired,
    retry_delay,
)
from .finish_unit import finish_key
from .links import tracked_url
from .planning import nudges_create_missing, nudges_plan_due
from .reading import nudge_mark_read, nudges_mark_all_read
from .rules import nudge_rule_create, nudge_rule_default_ensure, nudge_rule_update
from .transitions import (
    IllegalTransition,
    nudge_transition,
    nudge_transition_allowed,
    nudges_transition,
)

__all__ = [
    "DELIVERY_BUSY",
    "DELIVERY_MISSING",
    "LEASE",
    "MAX_DELIVERY_ATTEMPTS",
    "SEND_BATCH",
    "IllegalTransition",
    "finish_key",
    "nudge_mark_read",
    "nudge_rule_create",
    "nudge_rule_default_ensure",
    "nudge_rule_update",
    "nudge_send",
    "nudge_transition",
    "nudge_transition_allowed",
    "nudges_create_missing",
    "nudges_dispatch_due",
    "nudges_mark_all_read",
    "nudges_plan_due",
    "nudges_send",
    "nudges_sweep_expired",
    "nudges_transition",
    "retry_delay",
    "tracked_url",
]
