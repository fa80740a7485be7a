"""The invitation e-mail task: it mails what is still open and is retried when mail fails."""

from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from organisations import tasks
from organisations.models import Invitation
from organisations.tenancy import organisation_scope
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_invitation_mail_task_sends_the_open_invitations_and_skips_revoked_or_accepted_ones(
    organisation,
):
    open_one = InvitationFactory(organisation=organisation, email="open@example.test")
    accepted = InvitationFactory(organisation=organisation, email="accepted@example.test")
    revoked = InvitationFactory(organisation=organisation, email="revoked@example.test")
    with organisation_scope(organisation.pk):
        Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
        Invitation.objects.filter(pk=revoked.pk).delete()

    # when the task runs after one was accepted and one revoked since it was queued
    sent = tasks.send_invitation_emails(organisation.pk, [open_one.pk, accepted.pk, revoked.pk])

    # then only the open one is mailed, and the others are no error
    assert sent == 1
    assert [message.to for message in mail.outbox] == [["open@example.test"]]


def test_invitation_mail_task_ignores_ids_of_another_organisation(organisation, other_organisation):
    foreign = InvitationFactory(organisation=other_organisation)

    sent = tasks.send_invitation_emails(organisation.pk, [foreign.pk])

    assert sent == 0
    assert mail.outbox == []


def test_a_failed_smtp_send_raises_so_celery_retries_the_task(organisation):
    invitation = InvitationFactory(organisation=organisation)
    task = tasks.send_invitation_emails
    down = SMTPServerDisconnected("the mail server went away")

    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=down
    ) as send:
        # when every attempt to send fails
        result = task.apply(args=(organisation.pk, [invitation.pk]))

    # then Celery tried again up to its limit, and the task ends failed with the error
    assert send.call_count == task.max_retries + 1
    assert result.failed()
    assert result.result is down
