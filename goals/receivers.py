"""What goals do when something happens elsewhere: a completed unit or step completes
the plan activities linked to it. Thin: the rule is in ``goals.services.plan``."""

from __future__ import annotations

from .services import activities_complete_linked


def complete_linked_activities(sender, event, **kwargs) -> None:
    activities_complete_linked(event=event)
