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
    AUTHOR_GOAL_TEMPLATES = "author_goal_templates"  # goal templates and proficiency levels
    SCHEDULE_SESSIONS = "schedule_sessions"  # plan, move and cancel a trajectory's sessions
    AUTHOR_NUDGE_RULES = "author_nudge_rules"  # which reminders go out, when, in which words


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
        case (
            Action.AUTHOR_UNITS
            | Action.AUTHOR_GOAL_TEMPLATES
            | Action.SCHEDULE_SESSIONS
            | Action.AUTHOR_TRAJECTORIES
            | Action.AUTHOR_NUDGE_RULES
        ):
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


# --- Evidence and sign-off of trajectory steps ---------------------------------------------
# Plain values come in (the rule, the learner, the buddy's id), so this module needs
# nothing from courses: it stays on the bottom floor.

SIGN_OFF_MANAGER = "manager"
SIGN_OFF_BUDDY = "buddy"
SIGN_OFF_ROLE = "role"


def roles_held(membership: Membership) -> set[str]:
    """The named roles a step may be signed off by that this member holds."""
    held = set()
    if membership.is_author:
        held.add("author")
    if membership.is_hr:
        held.add("hr")
    if membership.is_admin:
        held.add("admin")
    return held


# --- Learning goals ----------------------------------------------------------------------
# A goal belongs to its learner; the manager of the learner's team, or of any team
# above it, agrees it and answers its check-ins. Goals of another organisation never
# get here (they are loaded through the organisation: 404).


def managed_team_ids(membership: Membership) -> set[int]:
    """Ids of the teams this member manages, directly or through a team above (cached)."""
    cached = getattr(membership, "_managed_team_ids", None)
    if cached is None and getattr(membership, "manages_teams", None) is False:
        # The request's membership knows already (the middleware's EXISTS): no query.
        cached = membership._managed_team_ids = set()
    if cached is None:
        from .selectors import managed_team_id_set

        cached = managed_team_id_set(membership=membership)
        membership._managed_team_ids = cached
    return cached


def manages_member(membership: Membership, other: Membership) -> bool:
    """Whether ``membership`` is a manager of ``other`` (never of themselves)."""
    if membership.pk == other.pk or other.team_id is None or not membership.is_active:
        return False
    return other.team_id in managed_team_ids(membership)


def can_view_goal(membership: Membership, goal) -> bool:
    return goal.member_id == membership.pk or manages_member(membership, goal.member)


def can_edit_goal(membership: Membership, goal) -> bool:
    """The learner works on their own goal: its fields, plan, check-ins, closing, sharing."""
    return membership.is_active and goal.member_id == membership.pk


def can_manage_goal(membership: Membership, goal) -> bool:
    """The learner's manager agrees, asks for changes and answers check-ins."""
    return manages_member(membership, goal.member)


def can_see_recognition(membership: Membership, recognition) -> bool:
    """What a learner shared is seen by their team (as it was when shared) and its managers."""
    if not membership.is_active:
        return False
    if recognition.member_id == membership.pk:
        return True
    if recognition.team_id is None:
        return False
    return recognition.team_id == membership.team_id or recognition.team_id in managed_team_ids(
        membership
    )


def may_sign_off(
    membership: Membership | None,
    *,
    learner: Membership,
    buddy_id: int | None,
    rule: str,
    role: str = "",
) -> bool:
    """Whether ``membership`` may approve (or send back) ``learner``'s evidence.

    ``rule`` is the step's: manager (of the learner's team or any team above it),
    buddy (the enrolment's), role (anyone active holding it); nobody never needs
    a signer. The learner never signs their own evidence.
    """
    if membership is None or not membership.is_active:
        return False
    if membership.organisation_id != learner.organisation_id or membership.pk == learner.pk:
        return False
    if rule == SIGN_OFF_MANAGER:
        return learner.team_id is not None and learner.team_id in managed_team_ids(membership)
    if rule == SIGN_OFF_BUDDY:
        return buddy_id is not None and buddy_id == membership.pk
    if rule == SIGN_OFF_ROLE:
        return bool(role) and role in roles_held(membership)
    return False


def may_submit_evidence(membership: Membership | None, *, learner: Membership) -> bool:
    """Only the learner hands in their own evidence (and asks colleagues about it)."""
    return membership is not None and membership.is_active and membership.pk == learner.pk


def may_see_evidence(
    membership: Membership | None,
    *,
    learner: Membership,
    buddy_id: int | None,
    rule: str,
    role: str = "",
    asked_for_feedback: bool = False,
) -> bool:
    """The learner, whoever may sign it off, and a colleague asked for feedback on it."""
    if membership is None or not membership.is_active:
        return False
    if membership.organisation_id != learner.organisation_id:
        return False
    return (
        membership.pk == learner.pk
        or asked_for_feedback
        or may_sign_off(membership, learner=learner, buddy_id=buddy_id, rule=rule, role=role)
    )


def may_open_sign_off_queue(membership: Membership | None, *, is_buddy: bool) -> bool:
    """Whether the sign-off queue is a place for this member (for the header's link)."""
    if membership is None or not membership.is_active:
        return False
    return is_buddy or is_manager(membership) or bool(roles_held(membership))


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
    books_for_others: bool = False,
) -> bool:
    """Open a session's page and invitation: who runs it, who sits in it, who may book it
    (for themselves, or for someone enrolled they may book for: ``books_for_others``)."""
    if membership is None or not membership.is_active:
        return False
    return (
        is_participant
        or is_enrolled
        or books_for_others
        or can_run_session(membership, facilitator_id=facilitator_id)
    )


def session_booking_team_ids(membership: Membership | None) -> set[int] | None:
    """Whose seats ``membership`` books besides their own: ``None`` for everyone in the
    organisation (L&D), else the members of these teams (those they manage, sub-teams
    included; none for a learner). ``can_book_for`` and the web's person picker both
    ask here, so the two never disagree."""
    if membership is None or not membership.is_active:
        return set()
    if can(membership, Action.SCHEDULE_SESSIONS):
        return None
    return managed_team_ids(membership)


def can_book_for(
    membership: Membership | None, *, learner_id: int, learner_team_id: int | None
) -> bool:
    """Book (or give up) a session seat for a learner: themselves, L&D, or their manager."""
    if membership is None or not membership.is_active:
        return False
    if membership.pk == learner_id:
        return True
    team_ids = session_booking_team_ids(membership)
    return team_ids is None or (learner_team_id is not None and learner_team_id in team_ids)


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
