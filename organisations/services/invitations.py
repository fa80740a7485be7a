"""Invitations: inviting people, and the signed link they accept.

One address or a pasted list is invited, the e-mail carries a signed link, and
the link is accepted with an existing account or a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..models import AuditLog, Invitation, Membership, Organisation, Team, User
from .audit import audit_log_record
from .checks import ERROR_OTHER_ORGANISATION
from .outbox import enqueue_after_commit

# Errors (module constants, so tests and pages share one wording)
ERROR_ALREADY_MEMBER = _("%(email)s is already a member of this organisation.")
ERROR_ALREADY_INVITED = _(
    "%(email)s has already been invited. Resend that invitation from the list of pending ones."
)
ERROR_ACCOUNT_EXISTS = _("An account with this e-mail address exists already. Sign in instead.")
ERROR_INVITATION_ACCEPTED = _("This invitation has been accepted already.")
ERROR_TOO_MANY_ADDRESSES = _("Paste at most %(limit)d addresses at a time.")
ERROR_NO_ADDRESSES = _("Paste at least one e-mail address.")

INVITATION_SALT = "organisations.invitation"
# Any mix of commas, semicolons and white space separates pasted addresses.
ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")
# Bounds one bulk invitation's transaction and the mails sent after it.
BULK_INVITE_LIMIT = 500


class InvitationProblem(Exception):
    """Why an invitation link cannot be used; the accept page explains each in words."""

    TAMPERED = "tampered"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    WRONG_ACCOUNT = "wrong_account"
    DEACTIVATED = "deactivated"

    STATUS = {
        TAMPERED: 400,
        EXPIRED: 410,
        USED: 410,
        REVOKED: 410,
        WRONG_ACCOUNT: 400,
        DEACTIVATED: 400,
    }

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.status = self.STATUS[code]


def invitation_token(invitation: Invitation) -> str:
    """The link's token: organisation and invitation ids, signed and timestamped."""
    return signing.dumps(
        {"o": invitation.organisation_id, "i": invitation.pk}, salt=INVITATION_SALT
    )


def invitation_token_read(token: str) -> tuple[int, int]:
    """``(organisation_id, invitation_id)`` from a token; raises ``InvitationProblem``."""
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationProblem(InvitationProblem.EXPIRED) from None
    except signing.BadSignature:
        raise InvitationProblem(InvitationProblem.TAMPERED) from None
    try:
        return int(data["o"]), int(data["i"])
    except (TypeError, KeyError, ValueError):
        raise InvitationProblem(InvitationProblem.TAMPERED) from None


def invitation_url(invitation: Invitation) -> str:
    path = reverse("invitations:accept", kwargs={"token": invitation_token(invitation)})
    return settings.SITE_URL + path


def _invitation_message(invitation: Invitation, *, organisation: Organisation):
    context = {
        "organisation": organisation,
        "invitation": invitation,
        "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
        "url": invitation_url(invitation),
        "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
    }
    # The invitee has no preference yet: the organisation's language is the best guess.
    with translation.override(organisation.language):
        subject = render_to_string("organisations/email/invitation_subject.txt", context)
        text = render_to_string("organisations/email/invitation.txt", context)
        html = render_to_string("organisations/email/invitation.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    return message


def _send_after_commit(*, organisation_id: int, invitation_ids: list[int]) -> None:
    """Mail only once the invitations exist: a rolled-back request sends nothing.

    A task sends them, so a bulk invite does not keep the admin waiting on SMTP. The
    outbox keeps the promise when the broker is down: the invitations are saved, the
    admin sees no error, and the mail goes out once the broker is back.
    """
    # The tasks module imports these services, so the task is imported when used.
    from ..tasks import send_invitation_emails

    if not invitation_ids:
        return
    enqueue_after_commit(
        send_invitation_emails, organisation=organisation_id, invitation_ids=invitation_ids
    )


def invitation_emails_send(*, organisation: Organisation, invitation_ids: list[int]) -> int:
    """Mail the invitations that are still open, in the organisation's language.

    One revoked or accepted since it was queued is skipped, not an error. A failed
    send raises, so the task is retried; an address mailed twice gets two links
    that both work, which is harmless.
    """
    invitations = (
        Invitation.objects.filter(
            organisation=organisation, pk__in=invitation_ids, accepted_at__isnull=True
        )
        .select_related("invited_by__user")
        .order_by("pk")
    )
    messages = [_invitation_message(i, organisation=organisation) for i in invitations]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


def _normalise_email(address: str) -> str:
    return address.strip().lower()


def _member_emails(*, organisation_id: int, emails: list[str]) -> set[str]:
    return set(
        Membership.objects.filter(organisation_id=organisation_id)
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )


def _open_invitation_emails(*, organisation_id: int, emails: list[str]) -> set[str]:
    return set(
        Invitation.objects.filter(organisation_id=organisation_id, accepted_at__isnull=True)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )


def _invitations_create(
    *,
    by: Membership,
    emails: list[str],
    is_author: bool,
    is_hr: bool,
    is_admin: bool,
    team: Team | None,
) -> list[Invitation]:
    organisation = by.organisation
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": ERROR_OTHER_ORGANISATION})
    with transaction.atomic():
        invitations = Invitation.objects.bulk_create(
            Invitation(
                organisation_id=organisation.pk,
                email=email,
                team=team,
                is_author=is_author,
                is_hr=is_hr,
                is_admin=is_admin,
                invited_by=by,
            )
            for email in emails
        )
        AuditLog.objects.bulk_create(
            AuditLog(
                organisation_id=organisation.pk,
                actor=by,
                action="invitation.created",
                object_type=Invitation._meta.label_lower,
                object_id=invitation.pk,
                data={"email": invitation.email},
            )
            for invitation in invitations
        )
        _send_after_commit(
            organisation_id=organisation.pk, invitation_ids=[i.pk for i in invitations]
        )
    return invitations


def invitation_create(
    *,
    by: Membership,
    email: str,
    is_author: bool = False,
    is_hr: bool = False,
    is_admin: bool = False,
    team: Team | None = None,
) -> Invitation:
    """Invite one person; the e-mail goes out once the transaction commits."""
    email = _normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from None
    organisation_id = by.organisation_id
    if _member_emails(organisation_id=organisation_id, emails=[email]):
        raise ValidationError({"email": ERROR_ALREADY_MEMBER % {"email": email}})
    if _open_invitation_emails(organisation_id=organisation_id, emails=[email]):
        raise ValidationError({"email": ERROR_ALREADY_INVITED % {"email": email}})
    (invitation,) = _invitations_create(
        by=by, emails=[email], is_author=is_author, is_hr=is_hr, is_admin=is_admin, team=team
    )
    return invitation


class BulkInviteOutcome(StrEnum):
    INVITED = "invited"
    ALREADY_MEMBER = "already_member"
    ALREADY_INVITED = "already_invited"
    INVALID = "invalid"


@dataclass(frozen=True)
class BulkInviteResult:
    address: str
    outcome: BulkInviteOutcome


def invitation_addresses_parse(text: str) -> list[str]:
    """Addresses in the order pasted, each once; "<a@b.nl>" and quotes are unwrapped."""
    seen: set[str] = set()
    addresses = []
    for piece in ADDRESS_SEPARATORS.split(text):
        address = piece.strip("<>\"'()[]")
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def invitations_bulk_create(
    *,
    by: Membership,
    text: str,
    is_author: bool = False,
    is_hr: bool = False,
    is_admin: bool = False,
    team: Team | None = None,
) -> list[BulkInviteResult]:
    """Invite every valid, new address in a pasted list, all in one transaction.

    Returns one result per distinct address, in the order pasted, so the admin
    sees who was invited and why the others were not.
    """
    addresses = invitation_addresses_parse(text)
    if not addresses:
        raise ValidationError({"addresses": ERROR_NO_ADDRESSES})
    if len(addresses) > BULK_INVITE_LIMIT:
        raise ValidationError(
            {"addresses": ERROR_TOO_MANY_ADDRESSES % {"limit": BULK_INVITE_LIMIT}}
        )
    valid: list[str] = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            continue
        valid.append(_normalise_email(address))
    members = _member_emails(organisation_id=by.organisation_id, emails=valid)
    invited = _open_invitation_emails(organisation_id=by.organisation_id, emails=valid)
    results = []
    to_invite = []
    for address in addresses:
        email = _normalise_email(address)
        if email not in valid:
            outcome = BulkInviteOutcome.INVALID
        elif email in members:
            outcome = BulkInviteOutcome.ALREADY_MEMBER
        elif email in invited:
            outcome = BulkInviteOutcome.ALREADY_INVITED
        else:
            outcome = BulkInviteOutcome.INVITED
            to_invite.append(email)
        results.append(BulkInviteResult(address=address, outcome=outcome))
    if to_invite:
        _invitations_create(
            by=by,
            emails=to_invite,
            is_author=is_author,
            is_hr=is_hr,
            is_admin=is_admin,
            team=team,
        )
    return results


def invitation_resend(*, invitation: Invitation, by: Membership) -> Invitation:
    """Mail a fresh link (a new timestamp, so a new expiry) for a pending invitation."""
    if invitation.accepted_at is not None:
        raise ValidationError(ERROR_INVITATION_ACCEPTED)
    audit_log_record(
        actor=by, action="invitation.resent", obj=invitation, data={"email": invitation.email}
    )
    _send_after_commit(organisation_id=invitation.organisation_id, invitation_ids=[invitation.pk])
    return invitation


def invitation_revoke(*, invitation: Invitation, by: Membership) -> None:
    """Withdraw a pending invitation: its link stops working. Accepted ones are history."""
    if invitation.accepted_at is not None:
        return
    audit_log_record(
        actor=by, action="invitation.revoked", obj=invitation, data={"email": invitation.email}
    )
    invitation.delete()


def invitation_check(*, invitation: Invitation | None, user: User | None) -> Invitation:
    """The invitation, if ``user`` may accept it; else ``InvitationProblem`` says why not.

    Every rule about accepting lives here: the link's page asks before it shows a
    form (``user`` is None before the person has an account or has signed in), and
    ``invitation_accept`` asks again under the lock. An expired or changed link is
    refused earlier, by ``invitation_token_read``.
    """
    if invitation is None:  # withdrawn, or replaced by a newer invitation
        raise InvitationProblem(InvitationProblem.REVOKED)
    if invitation.accepted_at is not None:
        raise InvitationProblem(InvitationProblem.USED)
    if user is None:
        return invitation
    if _normalise_email(user.email) != _normalise_email(invitation.email):
        raise InvitationProblem(InvitationProblem.WRONG_ACCOUNT)
    if Membership.objects.filter(
        organisation_id=invitation.organisation_id, user=user, is_active=False
    ).exists():
        raise InvitationProblem(InvitationProblem.DEACTIVATED)
    return invitation


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the organisation as invited; the link's owner must be the signed-in person."""
    with transaction.atomic():
        # Locked and read again: a double click or two tabs accept only once.
        invitation = invitation_check(
            invitation=Invitation.objects.select_for_update().filter(pk=invitation.pk).first(),
            user=user,
        )
        membership = Membership.objects.filter(
            organisation_id=invitation.organisation_id, user=user
        ).first()
        if membership is None:
            membership = Membership(
                organisation_id=invitation.organisation_id,
                user=user,
                team_id=invitation.team_id,
                is_author=invitation.is_author,
                is_hr=invitation.is_hr,
                is_admin=invitation.is_admin,
            )
            membership.full_clean()
            membership.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_log_record(actor=membership, action="invitation.accepted", obj=invitation)
    return membership


def invitation_accept_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> Membership:
    """Create the account the invitation is for, then join.

    Opening the link proved the address, so it is stored as verified and the
    person is not asked to confirm it again.
    """
    email = _normalise_email(invitation.email)
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(ERROR_ACCOUNT_EXISTS)
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return invitation_accept(invitation=invitation, user=user)
