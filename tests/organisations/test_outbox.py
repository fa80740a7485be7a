"""The outbox: after-commit work is written with the change, published on commit, swept later."""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from organisations import services, tasks
from organisations.models import Invitation, OutboxMessage
from organisations.services import outbox
from organisations.tenancy import organisation_scope
from tests.conftest import make_member
from tests.factories import InvitationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

BROKER_DOWN = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def broker_down():
    """The broker refuses every message (the edge of the outside world)."""
    return mock.patch.object(tasks.send_invitation_emails, "apply_async", side_effect=BROKER_DOWN)


def messages(organisation) -> list[OutboxMessage]:
    with organisation_scope(organisation.pk):
        return list(OutboxMessage.objects.order_by("pk"))


def age(organisation, by: dt.timedelta) -> None:
    with organisation_scope(organisation.pk):
        OutboxMessage.objects.update(created_at=timezone.now() - by)


def test_an_invitation_made_while_the_broker_is_down_is_saved_and_its_mail_left_pending(
    organisation, org_admin, django_capture_on_commit_callbacks, caplog
):
    # when an invitation is made and the broker refuses the message after the commit
    with (
        broker_down(),
        caplog.at_level(logging.WARNING, logger="werkwijs.outbox"),
        django_capture_on_commit_callbacks(execute=True),
        organisation_scope(organisation.pk),
    ):
        invitation = services.invitation_create(by=org_admin, email="sam@example.test")

    # then the invitation stands, nothing was mailed, and the promise to mail it is pending
    with organisation_scope(organisation.pk):
        assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert mail.outbox == []
    (message,) = messages(organisation)
    assert message.task == "organisations.send_invitation_emails"
    assert message.kwargs == {"invitation_ids": [invitation.pk]}
    assert (message.state, message.attempts) == (OutboxMessage.State.PENDING, 1)
    assert "Connection refused" in message.last_error
    assert "left for the sweeper" in caplog.text


def test_the_message_commits_and_rolls_back_with_the_change_it_follows(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        organisation_scope(organisation.pk),
    ):
        services.invitation_create(by=org_admin, email="sam@example.test")
        raise RuntimeError("the request fails after inviting")

    assert callbacks == []
    assert messages(organisation) == []


def test_the_sweeper_publishes_a_pending_message_once_the_broker_is_back(
    organisation, org_admin, django_capture_on_commit_callbacks, eager_tasks
):
    # given an invitation whose mail could not be handed to the broker a while ago
    with (
        broker_down(),
        django_capture_on_commit_callbacks(execute=True),
        organisation_scope(organisation.pk),
    ):
        services.invitation_create(by=org_admin, email="sam@example.test")
    age(organisation, outbox.SWEEP_AFTER)

    # when the sweeper runs with the broker back
    published = services.outbox_sweep(now=timezone.now())

    # then the mail goes out, once, and the message is done
    assert published == 1
    assert [m.to for m in mail.outbox] == [["sam@example.test"]]
    (message,) = messages(organisation)
    assert message.state == OutboxMessage.State.DONE
    assert message.done_at is not None

    # and a later sweep sends nothing more
    assert services.outbox_sweep(now=timezone.now() + dt.timedelta(hours=2)) == 0
    assert len(mail.outbox) == 1


def test_the_sweeper_leaves_young_messages_to_their_own_publish(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False), organisation_scope(organisation.pk):
        services.invitation_create(by=org_admin, email="sam@example.test")

    with broker_down() as publish:
        assert services.outbox_sweep(now=timezone.now()) == 0

    publish.assert_not_called()
    assert messages(organisation)[0].state == OutboxMessage.State.PENDING


def test_a_sweep_stops_at_the_first_refusal_and_the_next_one_goes_on(organisation, eager_tasks):
    # (The test's own transaction never commits: enqueued messages wait for a sweep.)
    # given two invitations of two organisations whose mail is pending
    other = OrganisationFactory()
    for owner in (organisation, other):
        invitation = InvitationFactory(organisation=owner)
        with organisation_scope(owner.pk):
            services.enqueue_after_commit(
                tasks.send_invitation_emails, organisation=owner, invitation_ids=[invitation.pk]
            )
        age(owner, outbox.SWEEP_AFTER)

    # when the broker is still down at the first sweep
    with broker_down() as publish:
        assert services.outbox_sweep(now=timezone.now()) == 0

    # then it tried once and gave up; both wait
    assert publish.call_count == 1
    assert [m.state for m in messages(organisation) + messages(other)] == ["pending", "pending"]

    # and the next sweep, with the broker back, publishes both
    assert services.outbox_sweep(now=timezone.now()) == 2
    assert len(mail.outbox) == 2


def test_a_message_delivered_twice_mails_once(organisation, eager_tasks):
    # given one pending message for one invitation
    invitation = InvitationFactory(organisation=organisation, email="sam@example.test")
    with organisation_scope(organisation.pk):
        message = services.enqueue_after_commit(
            tasks.send_invitation_emails, organisation=organisation, invitation_ids=[invitation.pk]
        )

    # when the worker is handed the same message twice (a sweep overlapped the publish)
    first = tasks.send_invitation_emails(organisation.pk, [invitation.pk], outbox_id=message.pk)
    second = tasks.send_invitation_emails(organisation.pk, [invitation.pk], outbox_id=message.pk)

    # then the first mails and the second finds the message done
    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


def test_a_failed_delivery_leaves_the_message_for_the_retry(organisation, eager_tasks):
    invitation = InvitationFactory(organisation=organisation)
    with organisation_scope(organisation.pk):
        message = services.enqueue_after_commit(
            tasks.send_invitation_emails, organisation=organisation, invitation_ids=[invitation.pk]
        )

    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ConnectionRefusedError,
        ),
        pytest.raises(ConnectionRefusedError),
    ):
        tasks.send_invitation_emails(organisation.pk, [invitation.pk], outbox_id=message.pk)

    # the claim rolled back with the task: the retry may still send
    assert messages(organisation)[0].state == OutboxMessage.State.PENDING
    assert tasks.send_invitation_emails(organisation.pk, [invitation.pk], outbox_id=message.pk)


def test_a_message_sent_long_ago_that_no_worker_ran_is_published_again(organisation, eager_tasks):
    invitation = InvitationFactory(organisation=organisation)
    with organisation_scope(organisation.pk):
        OutboxMessage.objects.create(
            organisation=organisation,
            task=tasks.send_invitation_emails.name,
            kwargs={"invitation_ids": [invitation.pk]},
            state=OutboxMessage.State.SENT,
            sent_at=timezone.now() - outbox.RESEND_AFTER,
        )

    assert services.outbox_sweep(now=timezone.now()) == 1
    assert len(mail.outbox) == 1


def test_the_sweeper_forgets_done_messages_after_a_week(organisation):
    with organisation_scope(organisation.pk):
        for done_at in (timezone.now() - outbox.KEEP_DONE, timezone.now()):
            OutboxMessage.objects.create(
                organisation=organisation,
                task=tasks.send_invitation_emails.name,
                state=OutboxMessage.State.DONE,
                done_at=done_at,
            )

    services.outbox_sweep(now=timezone.now())

    assert len(messages(organisation)) == 1


def test_a_direct_call_without_a_message_still_acts(organisation):
    invitation = InvitationFactory(organisation=organisation)

    assert tasks.send_invitation_emails(organisation.pk, [invitation.pk]) == 1


def test_the_sweeper_runs_from_beat_under_a_stable_name():
    entries = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}

    assert tasks.sweep_outbox.name == "organisations.outbox_sweep"
    assert "organisations.outbox_sweep" in entries


def test_an_invitation_through_the_web_while_the_broker_is_down_answers_with_the_list(
    client, organisation, django_capture_on_commit_callbacks
):
    admin = make_member(organisation, is_admin=True)
    client.force_login(admin.user)

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:invitation_create", args=[organisation.slug]),
            {"email": "sam@example.test"},
        )

    assert response.status_code == 302
    assert [m.state for m in messages(organisation)] == [OutboxMessage.State.PENDING]
