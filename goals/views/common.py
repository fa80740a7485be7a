"""What the goals views share."""

from __future__ import annotations

from .. import selectors


def ledger_days(request) -> int:
    """The ledger's period from ``?days=``: one of the offered periods, else the default."""
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        return selectors.DEFAULT_LEDGER_DAYS
    return days if days in selectors.LEDGER_PERIODS else selectors.DEFAULT_LEDGER_DAYS
