"""The nudge outbox: dispatcher, sweeper, sender retries and the one place of transitions."""

import contextlib
import datetime as dt
import random
import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nudges import services, tasks
from nudges.models import Nudge
from organisations.tenancy import organisation_scope
from tests import factories

pytestmark = pytest.mark.django_db


def make_planned(organisation, count, *, due_at=None, channel=Nudge.Channel.IN_APP):
    """``count`` planned, due nudges of one rule, each about a unit of its own."""
    rule = factories.NudgeRuleFactory(organisation=organisation)
    member = factories.MembershipFactory(organisation=organisation)
    nudges = []
    for _ in range(count):
        unit = factories.UnitFactory(organisation=organisation)
        factories.AssignmentFactory(unit=unit, member=member)
        nudges.append(
            factories.NudgeFactory(
                rule=rule,
                member=member,
                unit=unit,
                channel=channel,
                status=Nudge.Status.PLANNED,
                sent_at=None,
                due_at=due_at or timezone.now() - dt.timedelta(days=1),
            )
        )
    return nudges


def statuses(organisation):
    with organisation_scope(organisation.pk):
        return dict(Nudge.objects.values_list("pk", "status"))


def reload(nudge):
    with organisation_scope(nudge.organisation_id):
        nudge.refresh_from_db()
    return nudge


def dispatch(organisation, *, now=None, limit=services.delivery.DISPATCH_BATCH):
    with organisation_scope(organisation.pk):
        return services.nudges_dispatch_due(
            organisation=organisation, now=now or timezone.now(), limit=limit
        )


def sweep(organisation, *, now=None):
    with organisation_scope(organisation.pk):
        return services.nudges_sweep_expired(organisation=organisation, now=now or timezone.now())


# --- the dispatcher -------------------------------------------------------------------


def test_dispatcher_claims_due_planned_nudges_with_a_lease_and_leaves_the_rest(organisation):
    now = timezone.now()
    due = make_planned(organisation, 2)
    (later,) = make_planned(organisation, 1, due_at=now + dt.timedelta(hours=1))

    claimed = dispatch(organisation, now=now)

    assert sorted(claimed) == sorted(n.pk for n in due)
    for nudge in due:
        nudge = reload(nudge)
        assert (nudge.status, nudge.lease_until) == (Nudge.Status.SENDING, now + services.LEASE)
    assert reload(later).status == Nudge.Status.PLANNED
    # and a second run finds nothing more to claim
    assert dispatch(organisation, now=now) == []


def test_dispatcher_claims_the_oldest_due_first_within_its_limit(organisation):
    now = timezone.now()
    nudges = make_planned(organisation, 3)
    for age, nudge in enumerate(nudges):
        with organisation_scope(organisation.pk):
            Nudge.objects.filter(pk=nudge.pk).update(due_at=now - dt.timedelta(minutes=age))

    assert dispatch(organisation, now=now, limit=2) == [nudges[2].pk, nudges[1].pk]


def test_dispatcher_stays_inside_the_organisation(organisation, other_organisation):
    make_planned(other_organisation, 2)

    assert dispatch(organisation) == []
    assert set(statuses(other_organisation).values()) == {Nudge.Status.PLANNED}


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_never_claim_the_same_nudge(organisation):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is a PostgreSQL matter")
    # given ten due nudges
    nudges = make_planned(organisation, 10)
    first_claimed, second_done = threading.Event(), threading.Event()
    claims: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def dispatcher(name, *, limit, hold):
        try:
            with organisation_scope(organisation.pk):
                claims[name] = services.nudges_dispatch_due(
                    organisation=organisation, now=timezone.now(), limit=limit
                )
                if hold:
                    # keep the rows locked (uncommitted) while the other one claims
                    first_claimed.set()
                    assert second_done.wait(timeout=20)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    # when one dispatcher holds six claimed rows and a second runs meanwhile
    first = threading.Thread(target=dispatcher, args=("first",), kwargs={"limit": 6, "hold": True})
    first.start()
    assert first_claimed.wait(timeout=20)
    second = threading.Thread(
        target=dispatcher, args=("second",), kwargs={"limit": 100, "hold": False}
    )
    second.start()
    second.join(timeout=20)
    second_done.set()
    first.join(timeout=20)

    # then the second neither waited nor took any of the first one's rows
    assert errors == []
    assert not second.is_alive() and not first.is_alive()
    assert len(claims["first"]) == 6
    assert set(claims["first"]).isdisjoint(claims["second"])
    assert set(claims["first"]) | set(claims["second"]) == {n.pk for n in nudges}
    assert set(statuses(organisation).values()) == {Nudge.Status.SENDING}


# --- the sweeper ----------------------------------------------------------------------


def test_sweeper_plans_again_the_nudges_whose_lease_expired(organisation):
    now = timezone.now()
    expired, alive = make_planned(organisation, 2)
    dispatch(organisation, now=now - services.LEASE - dt.timedelta(seconds=1))
    with organisation_scope(organisation.pk):
        Nudge.objects.filter(pk=alive.pk).update(lease_until=now + dt.timedelta(minutes=5))

    swept = sweep(organisation, now=now)

    assert swept == 1
    expired, alive = reload(expired), reload(alive)
    assert (expired.status, expired.lease_until, expired.due_at) == (
        Nudge.Status.PLANNED,
        None,
        now,
    )
    assert alive.status == Nudge.Status.SENDING
    # and the next dispatcher run hands it out again, to be sent after all
    assert dispatch(organisation, now=now) == [expired.pk]
    assert services.nudge_send(organisation_id=organisation.pk, nudge_id=expired.pk) == "sent"


@pytest.mark.django_db(transaction=True)
def test_sweeper_leaves_alone_a_nudge_a_live_sender_holds(organisation):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    (nudge,) = make_planned(organisation, 1)
    now = timezone.now()
    dispatch(organisation, now=now - services.LEASE - dt.timedelta(seconds=1))
    locked, release = threading.Event(), threading.Event()

    def slow_sender():
        try:
            with organisation_scope(organisation.pk):
                Nudge.objects.select_for_update().get(pk=nudge.pk)
                locked.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_sender)
    thread.start()
    try:
        assert locked.wait(timeout=20)
        assert sweep(organisation, now=now) == 0
    finally:
        release.set()
        thread.join(timeout=20)
    assert reload(nudge).status == Nudge.Status.SENDING


def test_a_sender_message_arriving_after_a_sweep_leaves_the_nudge_to_the_dispatcher(organisation):
    (nudge,) = make_planned(organisation, 1)
    now = timezone.now()
    dispatch(organisation, now=now - services.LEASE - dt.timedelta(seconds=1))
    sweep(organisation, now=now)

    # the late message of the first claim finds the nudge planned again: not its own any more
    assert services.nudge_send(organisation_id=organisation.pk, nudge_id=nudge.pk) == "planned"
    assert reload(nudge).status == Nudge.Status.PLANNED


# --- retries --------------------------------------------------------------------------


def test_retry_delay_doubles_with_jitter_up_to_a_cap():
    rng = random.Random(8)
    for attempts in range(1, 12):
        ceiling = min(
            services.delivery.RETRY_BASE * 2 ** (attempts - 1), services.delivery.RETRY_CAP
        )
        for _ in range(20):
            delay = services.retry_delay(attempts, rng=rng)
            assert ceiling / 2 <= delay <= ceiling
    assert services.retry_delay(30, rng=rng) <= services.delivery.RETRY_CAP
    # jitter: retries of the same attempt do not all come at the same moment
    assert len({services.retry_delay(3, rng=rng) for _ in range(10)}) > 1


def test_a_failed_send_waits_for_its_backoff_then_fails_for_good(organisation, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    (nudge,) = make_planned(organisation, 1, channel=Nudge.Channel.EMAIL)
    now = timezone.now()
    for attempt in range(1, services.MAX_DELIVERY_ATTEMPTS + 1):
        # when it is due, the dispatcher claims it and the sender fails
        assert dispatch(organisation, now=now) == [nudge.pk]
        status = services.nudge_send(organisation_id=organisation.pk, nudge_id=nudge.pk)
        nudge = reload(nudge)
        assert nudge.attempts == attempt
        if attempt < services.MAX_DELIVERY_ATTEMPTS:
            # then it is planned again, not before its backoff
            assert status == Nudge.Status.PLANNED
            assert nudge.due_at > now
            assert dispatch(organisation, now=now) == []
            now = nudge.due_at
    # and after the last attempt it is failed, its error visible, never claimed again
    assert (status, nudge.status) == (Nudge.Status.FAILED, Nudge.Status.FAILED)
    assert nudge.last_error == "ConnectionRefusedError: no SMTP server"
    assert dispatch(organisation, now=now + dt.timedelta(days=7)) == []
    assert sweep(organisation, now=now + dt.timedelta(days=7)) == 0
    assert mail.outbox == []


# --- transitions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (Nudge.Status.SENT, Nudge.Status.PLANNED),
        (Nudge.Status.SENT, Nudge.Status.SENDING),
        (Nudge.Status.CANCELLED, Nudge.Status.SENDING),
        (Nudge.Status.FAILED, Nudge.Status.PLANNED),
        (Nudge.Status.PLANNED, Nudge.Status.SENT),
    ],
)
def test_an_illegal_transition_is_refused(organisation, source, target):
    nudge = factories.NudgeFactory(
        member=factories.MembershipFactory(organisation=organisation),
        status=source,
        lease_until=timezone.now() if source == Nudge.Status.SENDING else None,
    )

    with organisation_scope(organisation.pk), pytest.raises(services.IllegalTransition):
        services.nudge_transition(nudge=nudge, target=target)
    with organisation_scope(organisation.pk), pytest.raises(services.IllegalTransition):
        services.nudges_transition(
            organisation_id=organisation.pk, ids=[nudge.pk], source=source, target=target
        )
    assert reload(nudge).status == source


def test_the_same_status_again_is_a_no_op(organisation):
    nudge = factories.NudgeFactory(member=factories.MembershipFactory(organisation=organisation))

    assert services.nudge_transition_allowed(source="sent", target="sent") is False
    with organisation_scope(organisation.pk):
        assert services.nudge_transition(nudge=nudge, target=Nudge.Status.SENT) is nudge


def test_every_status_has_its_moves_declared():
    assert set(Nudge.TRANSITIONS) == set(Nudge.Status.values)
    for targets in Nudge.TRANSITIONS.values():
        assert targets <= set(Nudge.Status.values)


def test_the_database_refuses_a_sending_nudge_without_a_lease(organisation):
    nudge = factories.NudgeFactory(member=factories.MembershipFactory(organisation=organisation))

    with organisation_scope(organisation.pk), pytest.raises(IntegrityError), transaction.atomic():
        Nudge.objects.filter(pk=nudge.pk).update(status=Nudge.Status.SENDING)


# --- exactly once, and nothing for what never happened ----------------------------------


def test_the_database_refuses_a_second_nudge_with_the_same_key(organisation):
    (nudge,) = make_planned(organisation, 1, channel=Nudge.Channel.IN_APP)

    with organisation_scope(organisation.pk), pytest.raises(IntegrityError), transaction.atomic():
        Nudge.objects.create(
            organisation=organisation,
            rule=nudge.rule,
            member=nudge.member,
            kind=nudge.kind,
            channel=nudge.channel,
            key=nudge.key,
            occurrence=nudge.occurrence,
        )
    # another occurrence of the same rule and subject is a nudge of its own
    with organisation_scope(organisation.pk):
        Nudge.objects.create(
            organisation=organisation,
            rule=nudge.rule,
            member=nudge.member,
            kind=nudge.kind,
            channel=nudge.channel,
            key=nudge.key,
            occurrence=nudge.occurrence + 1,
        )


def test_an_inapp_nudge_is_shown_once_however_often_it_is_sent(organisation):
    (nudge,) = make_planned(organisation, 1, channel=Nudge.Channel.IN_APP)
    dispatch(organisation)

    outcomes = [
        services.nudge_send(organisation_id=organisation.pk, nudge_id=nudge.pk) for _ in range(3)
    ]

    assert outcomes == [Nudge.Status.SENT] * 3
    with organisation_scope(organisation.pk):
        assert Nudge.objects.filter(member=nudge.member, channel=Nudge.Channel.IN_APP).count() == 1
        assert reload(nudge).attempts == 1


def test_a_sent_nudge_keeps_the_words_and_link_its_member_read(organisation):
    (nudge,) = make_planned(organisation, 1, channel=Nudge.Channel.IN_APP)
    user = nudge.member.user
    user.language = "nl"
    user.save(update_fields=["language"])
    dispatch(organisation)

    services.nudge_send(organisation_id=organisation.pk, nudge_id=nudge.pk)

    nudge = reload(nudge)
    assert nudge.title == f"Herinnering: rond “{nudge.unit.title}” af"
    assert nudge.unit.title in nudge.body
    assert nudge.action_url == f"/o/{organisation.slug}/units/{nudge.unit_id}/"


@pytest.mark.django_db(transaction=True)
def test_nudges_of_a_rolled_back_transaction_are_never_sent(assigned, monkeypatch):
    published = []
    monkeypatch.setattr(tasks.send, "apply_async", lambda **kwargs: published.append(kwargs))

    # given a transaction that plans and even dispatches nudges, then rolls back
    class Oops(Exception):
        pass

    with pytest.raises(Oops), organisation_scope(assigned.organisation.pk):
        assert services.nudges_plan_due(organisation=assigned.organisation, now=assigned.now)
        assert tasks.dispatch() == 4
        raise Oops

    # then nothing was handed to a sender, nothing is left to send, and nothing was sent
    assert published == []
    with organisation_scope(assigned.organisation.pk):
        assert Nudge.objects.count() == 0
    assert tasks.dispatch() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_dispatch_hands_its_nudges_to_senders(assigned, monkeypatch):
    published = []
    monkeypatch.setattr(tasks.send, "apply_async", lambda **kwargs: published.append(kwargs))
    tasks.plan_organisation(assigned.organisation.pk)

    assert tasks.dispatch() == 4

    ((message,),) = [published]
    organisation_id, ids, lease, attempt = message["args"]
    assert organisation_id == assigned.organisation.pk and len(ids) == 4 and attempt == 0
    assert tasks.send(organisation_id, ids, lease) == {Nudge.Status.SENT: 4}
    assert len(mail.outbox) == 2


@contextlib.contextmanager
def locked_by_another_transaction(nudge):
    """``nudge``'s row locked by a transaction of another connection, open until the block ends.

    As a dispatcher's ``SKIP LOCKED`` read keeps a row it reached just after another
    dispatcher claimed it, until it commits.
    """
    locked, release = threading.Event(), threading.Event()

    def dispatcher():
        try:
            with transaction.atomic(), organisation_scope(nudge.organisation_id):
                list(Nudge.objects.filter(pk=nudge.pk).select_for_update())
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=dispatcher)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        yield
    finally:
        release.set()
        thread.join(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_sender_tries_again_shortly_the_nudges_it_found_locked(organisation, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    published = []
    monkeypatch.setattr(tasks.send, "apply_async", lambda **kwargs: published.append(kwargs))
    # given four claimed nudges, one of them locked by a transaction still open
    nudges = make_planned(organisation, 4, channel=Nudge.Channel.EMAIL)
    now = timezone.now()
    ids = dispatch(organisation, now=now)
    lease = services.delivery.lease_for(now).isoformat()
    held = nudges[2]

    # when their sender runs
    with locked_by_another_transaction(held):
        outcome = tasks.send(organisation.pk, ids, lease)

    # then it sends the others and hands the locked one to a sender again, in a moment
    assert outcome == {Nudge.Status.SENT: 3, services.DELIVERY_BUSY: 1}
    ((retry,),) = [published]
    assert retry["args"] == [organisation.pk, [held.pk], lease, 1]
    assert retry["countdown"] == tasks.LOCKED_RETRY_SECONDS

    # and that one, the lock gone, sends it
    assert tasks.send(*retry["args"]) == {Nudge.Status.SENT: 1}
    assert statuses(organisation)[held.pk] == Nudge.Status.SENT
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
def test_a_sender_leaves_a_nudge_still_locked_at_its_last_try_to_the_sweeper(
    organisation, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    published = []
    monkeypatch.setattr(tasks.send, "apply_async", lambda **kwargs: published.append(kwargs))
    (nudge,) = make_planned(organisation, 1, channel=Nudge.Channel.EMAIL)
    now = timezone.now()
    dispatch(organisation, now=now)
    lease = services.delivery.lease_for(now).isoformat()

    # when the sender tries a nudge that is still locked for the last time
    with locked_by_another_transaction(nudge):
        outcome = tasks.send(organisation.pk, [nudge.pk], lease, tasks.LOCKED_RETRIES)

    # then nobody is asked to try again: it stays claimed, for the sweeper once the lease ends
    assert outcome == {services.DELIVERY_BUSY: 1}
    assert published == []
    assert statuses(organisation)[nudge.pk] == Nudge.Status.SENDING
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_costs_a_lease_not_a_nudge(assigned, monkeypatch):
    def broker_down(**kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(tasks.send, "apply_async", broker_down)
    tasks.plan_organisation(assigned.organisation.pk)

    # the dispatch commits although nobody took the message
    assert tasks.dispatch() == 4
    assert set(statuses(assigned.organisation).values()) == {Nudge.Status.SENDING}

    # once the leases expire, the sweeper plans them again for the next dispatch
    later = timezone.now() + services.LEASE + dt.timedelta(seconds=1)
    assert sweep(assigned.organisation, now=later) == 4
    assert set(statuses(assigned.organisation).values()) == {Nudge.Status.PLANNED}


# --- the sender in batches ------------------------------------------------------------

# The scope's settings, the batch's read and its rules, members, users, organisations
# and units, the members' delivery times (defaults, own), the completions, the team tree
# and the assignments (cancel checks), the lease: per batch, not per nudge.
BATCH_FIXED_QUERIES = 14


def _send(organisation, ids, *, lease_until=None):
    return services.nudges_send(
        organisation_id=organisation.pk, nudge_ids=ids, lease_until=lease_until
    )


def _queries_to_send(organisation, count):
    nudges = make_planned(organisation, count, channel=Nudge.Channel.EMAIL)
    now = timezone.now()
    ids = dispatch(organisation, now=now)
    with CaptureQueriesContext(connection) as queries:
        outcome = _send(organisation, ids, lease_until=services.delivery.lease_for(now))
    assert outcome == {Nudge.Status.SENT: len(nudges)}
    return len(queries)


@pytest.mark.django_db(transaction=True)
def test_a_batch_costs_a_fixed_number_of_queries_and_one_statement_per_message(
    organisation, other_organisation
):
    three = _queries_to_send(organisation, 3)
    nine = _queries_to_send(other_organisation, 9)

    # one read, the cancel checks, the lease: the same for any batch; then each message
    # commits on its own (``sent`` and its event in one statement, outside a transaction
    # as in a worker)
    assert nine - three == 6
    assert three - 3 <= BATCH_FIXED_QUERIES
    assert len(mail.outbox) == 12


def test_a_sender_task_whose_nudges_were_claimed_again_sends_nothing(organisation):
    # given nudges claimed, swept back after their lease, and claimed again by a new dispatch
    nudges = make_planned(organisation, 2, channel=Nudge.Channel.EMAIL)
    first = timezone.now() - services.LEASE - dt.timedelta(seconds=5)
    dispatch(organisation, now=first)
    sweep(organisation)
    second = timezone.now()
    dispatch(organisation, now=second)

    # when the first claim's task arrives late
    stale = _send(
        organisation, [n.pk for n in nudges], lease_until=services.delivery.lease_for(first)
    )

    # then it leaves them to the second claim's task, which sends them
    assert stale == {services.DELIVERY_BUSY: 2}
    assert mail.outbox == []
    fresh = _send(
        organisation, [n.pk for n in nudges], lease_until=services.delivery.lease_for(second)
    )
    assert fresh == {Nudge.Status.SENT: 2}
    assert len(mail.outbox) == 2


def test_a_sender_that_lost_its_claim_mid_batch_stops_after_that_message(organisation, monkeypatch):
    # given a batch of three, and another sender taking the nudges over while the first
    # message is on its way (this sender outlived its lease)
    nudges = make_planned(organisation, 3, channel=Nudge.Channel.EMAIL)
    dispatch(organisation)
    send_email = services.delivery._send_email

    def taken_over(nudge, words, connection):
        send_email(nudge, words, connection)
        with organisation_scope(organisation.pk):
            Nudge.objects.filter(pk__in=[n.pk for n in nudges]).update(
                lease_until=timezone.now() + dt.timedelta(hours=1)
            )

    monkeypatch.setattr(services.delivery, "_send_email", taken_over)

    outcome = _send(organisation, [n.pk for n in nudges])

    # then the message in flight went (the one repeat the other sender may make), and
    # nothing more: the rest is the other sender's, still sending, not marked by this one
    assert outcome == {services.delivery.DELIVERY_TAKEN: 3}
    assert len(mail.outbox) == 1
    assert {reload(n).status for n in nudges} == {Nudge.Status.SENDING}


def test_batch_cancel_checks_agree_with_the_one_by_one_check(organisation):
    from nudges.services import finish_unit

    due, done, withdrawn = make_planned(organisation, 3, channel=Nudge.Channel.EMAIL)
    factories.CompletionFactory(unit=done.unit, member=done.member)
    with organisation_scope(organisation.pk):
        from microlearning.models import Assignment

        Assignment.objects.filter(unit=withdrawn.unit).delete()
        nudges = list(
            Nudge.objects.select_related("member__organisation", "unit", "rule").filter(
                pk__in=[due.pk, done.pk, withdrawn.pk]
            )
        )
        one_by_one = {n.pk: finish_unit.cancel_reason(n) for n in nudges}
        batch = finish_unit.cancel_reasons(nudges)

    assert batch == {
        done.pk: Nudge.CancelReason.FULFILLED,
        withdrawn.pk: Nudge.CancelReason.WITHDRAWN,
    }
    assert {k: v for k, v in one_by_one.items() if v} == batch
