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
    AUTHOR_TRAJECTORIES = "author_trajectories"
    # The enrolment overview and enrolling others: L&D, and managers for their teams.
    ENROL_OTHERS = "enrol_others"
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
        case Action.AUTHOR_UNITS | Action.AUTHOR_TRAJECTORIES:
            return membership.is_author or membership.is_admin
        case Action.ENROL_OTHERS:
            return membership.is_author or membership.is_admin or is_manager(membership)
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


def managed_team_ids(membership: Membership) -> set[int]:
    """The teams ``membership`` manages, sub-teams included (cached on the membership)."""
    cached = getattr(membership, "_managed_team_ids", None)
    if cached is None:
        from .selectors import teams_managed_by

        cached = set(teams_managed_by(membership=membership).values_list("id", flat=True))
        membership._managed_team_ids = cached
    return cached


def can_enrol(by: Membership, *, membership: Membership, self_enrolment: bool = False) -> bool:
    """L&D enrols anyone; a manager their teams' members; a learner themselves where allowed."""
    if not by.is_active or by.organisation_id != membership.organisation_id:
        return False
    if can(by, Action.AUTHOR_TRAJECTORIES):
        return True
    if by.pk == membership.pk:
        return self_enrolment or (
            membership.team_id is not None and membership.team_id in managed_team_ids(by)
        )
    return membership.team_id is not None and membership.team_id in managed_team_ids(by)


def can_enrol_team(by: Membership, *, team_id: int) -> bool:
    return can(by, Action.AUTHOR_TRAJECTORIES) or team_id in managed_team_ids(by)


def can_follow_enrolment(
    membership: Membership, *, learner_id: int, buddy_id: int | None, learner_team_id: int | None
) -> bool:
    """Who sees a learner's trajectory: the learner, their buddy, their managers, L&D."""
    if membership.pk == learner_id or (buddy_id is not None and membership.pk == buddy_id):
        return True
    return can_manage_enrolment(membership, learner_team_id=learner_team_id)


def can_manage_enrolment(membership: Membership, *, learner_team_id: int | None) -> bool:
    """Withdraw or give a buddy: L&D, or a manager of the learner's team (sub-teams included)."""
    if can(membership, Action.AUTHOR_TRAJECTORIES):
        return True
    return learner_team_id is not None and learner_team_id in managed_team_ids(membership)
