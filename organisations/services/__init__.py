"""Writes for organisations: audit trail, members, teams, invitations, tokens.

One module per concern; the public names are re-exported here, so callers say
``from organisations.services import team_create`` or ``services.team_create``.
"""

from .api_tokens import api_token_create, api_token_revoke
from .audit import audit_log_record
from .catalogue import (
    ERROR_IN_USE,
    skill_create,
    skill_delete,
    skill_update,
    work_process_create,
    work_process_delete,
    work_process_update,
)
from .checks import ERROR_NAME_TAKEN, ERROR_OTHER_ORGANISATION
from .invitations import (
    ADDRESS_SEPARATORS,
    BULK_INVITE_LIMIT,
    ERROR_ACCOUNT_EXISTS,
    ERROR_ALREADY_INVITED,
    ERROR_ALREADY_MEMBER,
    ERROR_INVITATION_ACCEPTED,
    ERROR_NO_ADDRESSES,
    ERROR_TOO_MANY_ADDRESSES,
    INVITATION_SALT,
    BulkInviteOutcome,
    BulkInviteResult,
    InvitationProblem,
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_addresses_parse,
    invitation_create,
    invitation_emails_send,
    invitation_resend,
    invitation_revoke,
    invitation_token,
    invitation_token_read,
    invitation_url,
    invitations_bulk_create,
)
from .members import (
    ERROR_LAST_ADMIN_DEACTIVATE,
    ERROR_LAST_ADMIN_DEMOTE,
    member_deactivate,
    member_reactivate,
    member_update,
)
from .organisation import ERROR_TIME_ZONE, organisation_update
from .outbox import enqueue_after_commit, outbox_claim, outbox_sweep
from .teams import (
    ERROR_MANAGER_NOT_ACTIVE,
    ERROR_TEAM_CYCLE,
    ERROR_TEAM_NOT_EMPTY,
    team_create,
    team_delete,
    team_update,
)

__all__ = [
    "ADDRESS_SEPARATORS",
    "BULK_INVITE_LIMIT",
    "ERROR_ACCOUNT_EXISTS",
    "ERROR_ALREADY_INVITED",
    "ERROR_ALREADY_MEMBER",
    "ERROR_INVITATION_ACCEPTED",
    "ERROR_IN_USE",
    "ERROR_LAST_ADMIN_DEACTIVATE",
    "ERROR_LAST_ADMIN_DEMOTE",
    "ERROR_MANAGER_NOT_ACTIVE",
    "ERROR_NAME_TAKEN",
    "ERROR_NO_ADDRESSES",
    "ERROR_OTHER_ORGANISATION",
    "ERROR_TEAM_CYCLE",
    "ERROR_TEAM_NOT_EMPTY",
    "ERROR_TIME_ZONE",
    "ERROR_TOO_MANY_ADDRESSES",
    "INVITATION_SALT",
    "BulkInviteOutcome",
    "BulkInviteResult",
    "InvitationProblem",
    "api_token_create",
    "api_token_revoke",
    "audit_log_record",
    "enqueue_after_commit",
    "invitation_accept",
    "invitation_accept_with_new_account",
    "invitation_addresses_parse",
    "invitation_create",
    "invitation_emails_send",
    "invitation_resend",
    "invitation_revoke",
    "invitation_token",
    "invitation_token_read",
    "invitation_url",
    "invitations_bulk_create",
    "member_deactivate",
    "member_reactivate",
    "member_update",
    "organisation_update",
    "outbox_claim",
    "outbox_sweep",
    "skill_create",
    "skill_delete",
    "skill_update",
    "team_create",
    "team_delete",
    "team_update",
    "work_process_create",
    "work_process_delete",
    "work_process_update",
]
