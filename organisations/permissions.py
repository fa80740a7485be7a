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
    SCHEDULE_SESSIONS = "schedule_sessions"  # plan, move and cancel a trajectory's sessions


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
        case Action.AUTHOR_UNITS | Action.SCHEDULE_SESSIONS:
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


# --- group sessions: plain values in, so this module needs nothing from courses ---


def can_run_session(membership: Membership | None, *, facilitator_id: int | None) -> bool:
    """Mark attendance and see the participant list: the facilitator, or L&D."""
    if membership is None or not membership.is_active:
        return False
    return membership.pk == facilitator_id or can(membership, Action.SCHEDULE_SESSIONS)


def can_view_session(
    membership: Membership | None,
    *,
    facilitator_id: int | None,
    is_participant: bool,
    is_enrolled: bool,
) -> bool:
    """Open a session's page and invitation: who runs it, who sits in it, who may book it."""
    if membership is None or not membership.is_active:
        return False
    return (
        is_participant or is_enrolled or can_run_session(membership, facilitator_id=facilitator_id)
    )


def can_book_for(
    membership: Membership | None, *, learner_id: int, learner_team_id: int | None
) -> bool:
    """Book (or give up) a session seat for a learner: themselves, L&D, or their manager."""
    if membership is None or not membership.is_active:
        return False
    if membership.pk == learner_id or can(membership, Action.SCHEDULE_SESSIONS):
        return True
    return learner_team_id is not None and can_view_team(membership, learner_team_id)
