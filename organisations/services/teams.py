"""Teams: a tree per organisation, each with an optional manager."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Membership, Team
from ..selectors import team_subtree_ids
from .audit import audit_log_record
from .checks import ERROR_OTHER_ORGANISATION, name_free_check

# Errors (module constants, so tests and pages share one wording)
ERROR_TEAM_CYCLE = _("A team cannot be placed under itself or under one of its own sub-teams.")
ERROR_MANAGER_NOT_ACTIVE = _("The manager must be an active member of this organisation.")
ERROR_TEAM_NOT_EMPTY = _(
    "Only an empty team can be deleted. Move its members and sub-teams elsewhere first."
)


def _team_placement_check(
    *, team: Team | None, by: Membership, parent: Team | None, manager: Membership | None
) -> None:
    organisation_id = by.organisation_id
    if parent is not None:
        if parent.organisation_id != organisation_id:
            raise ValidationError({"parent": ERROR_OTHER_ORGANISATION})
        if team is not None and team.pk is not None:
            below = team_subtree_ids(organisation=by.organisation, root_ids=[team.pk])
            if parent.pk in below:
                raise ValidationError({"parent": ERROR_TEAM_CYCLE})
    if manager is not None and (
        manager.organisation_id != organisation_id or not manager.is_active
    ):
        raise ValidationError({"manager": ERROR_MANAGER_NOT_ACTIVE})


def team_create(
    *, by: Membership, name: str, parent: Team | None = None, manager: Membership | None = None
) -> Team:
    _team_placement_check(team=None, by=by, parent=parent, manager=manager)
    name_free_check(Team, obj=None, by=by, name=name)
    team = Team(organisation_id=by.organisation_id, name=name, parent=parent, manager=manager)
    team.full_clean()
    team.save()
    audit_log_record(actor=by, action="team.created", obj=team, data={"name": name})
    return team


def team_update(
    *,
    team: Team,
    by: Membership,
    name: str,
    parent: Team | None,
    manager: Membership | None,
) -> Team:
    """Rename, move or change the manager; a team never ends up below itself."""
    _team_placement_check(team=team, by=by, parent=parent, manager=manager)
    name_free_check(Team, obj=team, by=by, name=name)
    team.name, team.parent, team.manager = name, parent, manager
    team.full_clean()
    team.save(update_fields=["name", "parent", "manager"])
    audit_log_record(
        actor=by,
        action="team.updated",
        obj=team,
        data={"name": name, "parent_id": team.parent_id, "manager_id": team.manager_id},
    )
    return team


def team_delete(*, team: Team, by: Membership) -> None:
    """Delete a team without members (active or not) and without sub-teams."""
    if team.members.exists() or team.children.exists():
        raise ValidationError(ERROR_TEAM_NOT_EMPTY)
    audit_log_record(actor=by, action="team.deleted", obj=team, data={"name": team.name})
    team.delete()
