"""What the goals views share."""

from __future__ import annotations

from organisations.models import Membership

from .. import selectors


def ledger_days(request) -> int:
    """The ledger's period from ``?days=``: one of the offered periods, else the default."""
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        return selectors.DEFAULT_LEDGER_DAYS
    return days if days in selectors.LEDGER_PERIODS else selectors.DEFAULT_LEDGER_DAYS


def learner_steps(membership: Membership):
    """Steps of the learner's trajectories to link a plan activity to, or None without any."""
    try:
        from courses.selectors import steps_for_learner
    except ImportError:  # courses offers no such selector (yet): no step links on the page
        return None
    return steps_for_learner(membership=membership)
