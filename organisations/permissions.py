"""The one place that answers "may this member do this (to this object)?".

Views, API classes and templates ask here; nothing else checks roles. Objects of
another organisation never reach these checks: access helpers load them through
the organisation, so they are simply not found (404).
"""

from __future__ import annotations

from enum import StrEnum

from .models import Membership


class Action(StrEnum):
    LEARN = "learn"  # every active member is a learner
    AUTHOR_UNITS = "author_units"
    VIEW_TEAM_DASHBOARD = "view_team_dashboard"
    VIEW_ORGANISATION_REPORTS = "view_organisation_reports"
    ADMINISTER_ORGANISATION = "administer_organisation"
    MANAGE_OWN_TOKENS = "manage_own_tokens"


def is_manager(membership: Membership) -> bool:
    cached = getattr(membership, "_is_manager", None)
    if cached is None:
        cached = membership.managed_teams.exists()
        membership._is_manager = cached
    return cached


def can(membership: Membership | None, action: Action | str) -> bool:
    if membership is None or not membership.is_active:
        return False
    match Action(action):
        case Action.LEARN | Action.MANAGE_OWN_TOKENS:
            return True
        case Action.AUTHOR_UNITS:
            return membership.is_author or membership.is_admin
        case Action.VIEW_TEAM_DASHBOARD:
            return is_manager(membership)
        case Action.VIEW_ORGANISATION_REPORTS:
            return membership.is_hr or membership.is_admin
        case Action.ADMINISTER_ORGANISATION:
            return membership.is_admin
    return False


def can_view_team(membership: Membership, team_id: int) -> bool:
    from .selectors import teams_managed_by

    return teams_managed_by(membership=membership).filter(id=team_id).exists()
