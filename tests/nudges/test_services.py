import datetime as dt
import re
import smtplib
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from events.models import LearningEvent
from microlearning.models import Unit
from nudges import services
from nudges.models import Nudge, NudgeRule
from nudges.services import links
from organisations.tenancy import organisation_scope
from tests import factories

from .conftest import NUDGE_AFTER_DAYS

pytestmark = pytest.mark.django_db


def plan(assigned, *, now=None) -> int:
    with organisation_scope(assigned.organisation.pk):
        return services.nudges_plan_due(organisation=assigned.organisation, now=now or assigned.now)


def deliver(organisation, nudge_id):
    """What the dispatcher and a sender do for one due nudge: claim it, then send it."""
    with organisation_scope(organisation.pk):
        services.nudges_transition(
            organisation_id=organisation.pk,
            ids=[nudge_id],
            source=Nudge.Status.PLANNED,
            target=Nudge.Status.SENDING,
            lease_until=timezone.now() + services.LEASE,
        )
    return services.nudge_send(organisation_id=organisation.pk, nudge_id=nudge_id)


def planned_ids(organisation):
    with organisation_scope(organisation.pk):
        return sorted(
            Nudge.objects.filter(status=Nudge.Status.PLANNED).values_list("pk", flat=True)
        )


def nudges_of(organisation):
    with organisation_scope(organisation.pk):
        return list(Nudge.objects.order_by("member_id", "channel"))


def email_nudge(assigned, membership):
    with organisation_scope(assigned.organisation.pk):
        return Nudge.objects.get(member=membership, channel=Nudge.Channel.EMAIL)


def followed_links(text: str) -> set[str]:
    """The paths the tracked links in ``text`` lead to."""
    tokens = re.findall(r"/n/c/([^/\"\s]+)/", text)
    return {links.click_token_read(token)[2] for token in tokens}


def unit_url(assigned):
    return settings.SITE_URL + reverse(
        "microlearning:unit_detail",
        kwargs={"org_slug": assigned.organisation.slug, "unit_id": assigned.unit.pk},
    )


# --- planning ---------------------------------------------------------------------


def test_planner_creates_one_email_and_one_inapp_nudge_per_member_of_the_team_tree(assigned):
    # given a unit assigned to a team with a sub-team, due since an hour
    # when the planner runs
    created = plan(assigned)

    # then each member, in the team and in the sub-team, gets one nudge per channel
    nudges = nudges_of(assigned.organisation)
    assert {(n.member_id, n.channel) for n in nudges} == {
        (assigned.member.pk, Nudge.Channel.EMAIL),
        (assigned.member.pk, Nudge.Channel.IN_APP),
        (assigned.sub_member.pk, Nudge.Channel.EMAIL),
        (assigned.sub_member.pk, Nudge.Channel.IN_APP),
    }
    assert all(n.status == Nudge.Status.PLANNED and n.unit_id == assigned.unit.pk for n in nudges)
    assert created == len(nudges)
    # of the organisation's finish-a-unit rule, due for the dispatcher now
    (rule,) = {n.rule for n in nudges}
    assert (rule.kind, rule.delay_days) == (NudgeRule.Kind.FINISH_UNIT, NUDGE_AFTER_DAYS)
    assert all(n.due_at == assigned.now for n in nudges)


def test_planner_creates_nothing_before_the_organisations_nudge_after_days(assigned):
    # given the assignment is not yet old enough
    too_early = assigned.now - dt.timedelta(hours=2)

    # when the planner runs then
    assert plan(assigned, now=too_early) == 0
    assert nudges_of(assigned.organisation) == []


def test_planner_leaves_out_members_who_completed_the_unit(assigned):
    factories.CompletionFactory(unit=assigned.unit, member=assigned.member)

    plan(assigned)

    assert {n.member_id for n in nudges_of(assigned.organisation)} == {assigned.sub_member.pk}


def test_planner_leaves_out_inactive_members_and_members_outside_the_team(assigned):
    factories.MembershipFactory(organisation=assigned.organisation, team=None)
    assigned.sub_member.is_active = False
    assigned.sub_member.save(update_fields=["is_active"])

    plan(assigned)

    assert {n.member_id for n in nudges_of(assigned.organisation)} == {assigned.member.pk}


def test_planner_gives_a_member_who_joined_the_team_later_the_same_days(assigned):
    # given someone who joined the team yesterday, long after the team assignment
    newcomer = factories.MembershipFactory(
        organisation=assigned.organisation,
        team=assigned.team,
        created_at=assigned.now - dt.timedelta(days=1),
    )

    # when the planner runs now, the newcomer is not nudged yet
    plan(assigned)
    assert newcomer.pk not in {n.member_id for n in nudges_of(assigned.organisation)}

    # then, once they have been in the team for nudge_after_days, they are
    plan(assigned, now=assigned.now + dt.timedelta(days=NUDGE_AFTER_DAYS))
    assert newcomer.pk in {n.member_id for n in nudges_of(assigned.organisation)}


def test_planner_ignores_units_that_are_no_longer_published(assigned):
    assigned.unit.status = Unit.Status.ARCHIVED
    assigned.unit.save(update_fields=["status"])

    assert plan(assigned) == 0


def test_planner_nudges_a_member_the_unit_was_assigned_to_directly(assigned):
    loner = factories.MembershipFactory(organisation=assigned.organisation)
    unit = factories.UnitFactory(organisation=assigned.organisation)
    factories.AssignmentFactory(
        unit=unit, member=loner, assigned_at=assigned.now - dt.timedelta(days=NUDGE_AFTER_DAYS)
    )

    plan(assigned)

    with organisation_scope(assigned.organisation.pk):
        assert Nudge.objects.filter(member=loner, unit=unit).count() == 2


def test_second_planner_run_creates_nothing_new(assigned):
    first = plan(assigned)
    before = [(n.pk, n.due_at) for n in nudges_of(assigned.organisation)]

    second = plan(assigned, now=assigned.now + dt.timedelta(hours=1))

    assert (first, second) == (4, 0)
    assert [(n.pk, n.due_at) for n in nudges_of(assigned.organisation)] == before


def test_planner_does_not_recreate_nudges_that_were_sent(assigned):
    plan(assigned)
    for nudge_id in planned_ids(assigned.organisation):
        deliver(assigned.organisation, nudge_id)

    assert plan(assigned, now=assigned.now + dt.timedelta(days=1)) == 0
    assert len(nudges_of(assigned.organisation)) == 4


def test_planner_with_nothing_due_yet_reads_no_member(assigned):
    # given many members, and a unit assigned too recently to be due
    for _ in range(5):
        factories.MembershipFactory(organisation=assigned.organisation, team=assigned.team)
    too_early = assigned.now - dt.timedelta(days=NUDGE_AFTER_DAYS - 1)
    plan(assigned)  # the default rule exists from here on

    # when the planner runs on a day nothing has waited long enough
    with CaptureQueriesContext(connection) as queries:
        created = plan(assigned, now=too_early)

    # then it asks the assignments what could be due (an index) and stops there
    assert created == 0
    tables = " ".join(q["sql"] for q in queries)
    assert "organisations_membership" not in tables
    assert "microlearning_assignment" in tables
    assert len(queries) <= 8


# --- delivery ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_delivery_sends_one_email_in_the_members_language_with_text_html_and_link(
    assigned, language
):
    assigned.member.user.language = language
    assigned.member.user.save(update_fields=["language"])
    plan(assigned)
    nudge = email_nudge(assigned, assigned.member)

    status = deliver(assigned.organisation, nudge.pk)

    assert status == Nudge.Status.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [assigned.member.user.email]
    assert message.extra_headers["Content-Language"] == language
    assert "Handling a complaint" in message.subject
    assert "\n" not in message.subject
    assert "Anna" in message.body
    # The link is signed and recorded (nudges.services.links), then leads to the unit.
    assert unit_url(assigned).removeprefix(settings.SITE_URL) in followed_links(message.body)
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert f'<html lang="{language}">' in html
    assert unit_url(assigned).removeprefix(settings.SITE_URL) in followed_links(html)
    assert "Anna" in html


def test_delivery_uses_the_organisation_language_when_the_member_has_none(assigned):
    assigned.organisation.language = "nl"
    assigned.organisation.save(update_fields=["language"])
    assigned.sub_member.user.language = ""
    assigned.sub_member.user.save(update_fields=["language"])
    plan(assigned)

    deliver(assigned.organisation, email_nudge(assigned, assigned.sub_member).pk)

    assert mail.outbox[0].extra_headers["Content-Language"] == "nl"


def test_email_keeps_the_title_plain_in_text_and_escaped_in_html(assigned):
    assigned.unit.title = "Q&A <basics>"
    assigned.unit.save(update_fields=["title"])
    plan(assigned)

    deliver(assigned.organisation, email_nudge(assigned, assigned.member).pk)

    message = mail.outbox[0]
    assert "Q&A <basics>" in message.subject
    assert "Q&A <basics>" in message.body
    assert "Q&amp;A &lt;basics&gt;" in message.alternatives[0][0]
    assert "<basics>" not in message.alternatives[0][0]


def test_delivery_marks_the_nudge_sent_and_records_the_event(assigned):
    plan(assigned)
    nudge = email_nudge(assigned, assigned.member)

    deliver(assigned.organisation, nudge.pk)

    with organisation_scope(assigned.organisation.pk):
        nudge.refresh_from_db()
        events = list(LearningEvent.objects.filter(verb=LearningEvent.Verb.NUDGE_SENT))
    assert nudge.status == Nudge.Status.SENT
    assert nudge.sent_at is not None
    assert nudge.attempts == 1
    assert [(e.actor_id, e.object_id) for e in events] == [(assigned.member.pk, nudge.pk)]


def test_inapp_delivery_sends_no_email(assigned):
    plan(assigned)
    with organisation_scope(assigned.organisation.pk):
        nudge = Nudge.objects.get(member=assigned.member, channel=Nudge.Channel.IN_APP)

    assert deliver(assigned.organisation, nudge.pk) == Nudge.Status.SENT
    assert mail.outbox == []


def test_nudge_whose_unit_was_completed_meanwhile_is_cancelled_not_sent(assigned):
    plan(assigned)
    nudge = email_nudge(assigned, assigned.member)
    factories.CompletionFactory(unit=assigned.unit, member=assigned.member)

    status = deliver(assigned.organisation, nudge.pk)

    assert status == Nudge.Status.CANCELLED
    assert mail.outbox == []
    with organisation_scope(assigned.organisation.pk):
        nudge.refresh_from_db()
    assert nudge.cancel_reason == Nudge.CancelReason.FULFILLED


def test_nudge_whose_assignment_was_withdrawn_is_cancelled(assigned):
    plan(assigned)
    nudge = email_nudge(assigned, assigned.sub_member)
    with scopes_disabled():
        assigned.unit.assignments.all().delete()

    assert deliver(assigned.organisation, nudge.pk) == Nudge.Status.CANCELLED
    assert mail.outbox == []
    with organisation_scope(assigned.organisation.pk):
        nudge.refresh_from_db()
    assert nudge.cancel_reason == Nudge.CancelReason.WITHDRAWN


def test_nudge_of_a_rule_switched_off_meanwhile_is_cancelled(assigned):
    plan(assigned)
    nudge = email_nudge(assigned, assigned.member)
    with organisation_scope(assigned.organisation.pk):
        NudgeRule.objects.filter(pk=nudge.rule_id).update(is_active=False)

    assert deliver(assigned.organisation, nudge.pk) == Nudge.Status.CANCELLED
    with organisation_scope(assigned.organisation.pk):
        nudge.refresh_from_db()
    assert nudge.cancel_reason == Nudge.CancelReason.RULE_OFF
    assert mail.outbox == []


def test_delivering_twice_sends_once(assigned):
    plan(assigned)
    nudge = email_nudge(assigned, assigned.member)

    first = deliver(assigned.organisation, nudge.pk)
    second = deliver(assigned.organisation, nudge.pk)

    assert first == second == Nudge.Status.SENT
    assert len(mail.outbox) == 1


def test_delivering_a_missing_nudge_is_not_an_error(organisation):
    assert (
        services.nudge_send(organisation_id=organisation.pk, nudge_id=987654)
        == services.DELIVERY_MISSING
    )


def test_failing_smtp_plans_the_nudge_again_later_and_then_delivers_it(assigned, monkeypatch):
    # given an SMTP server that refuses the connection
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    plan(assigned)
    nudge = email_nudge(assigned, assigned.member)
    with monkeypatch.context() as patched:
        patched.setattr(EmailBackend, "send_messages", refuse)

        # when the nudge is delivered
        before = timezone.now()
        status = deliver(assigned.organisation, nudge.pk)

    # then it is planned again, a little later, with the failure on record
    with organisation_scope(assigned.organisation.pk):
        nudge.refresh_from_db()
    assert status == Nudge.Status.PLANNED
    assert (nudge.status, nudge.attempts, nudge.lease_until) == (Nudge.Status.PLANNED, 1, None)
    assert before + services.retry_delay(1, rng=_Fixed(0)) <= nudge.due_at
    assert nudge.due_at <= timezone.now() + services.retry_delay(1, rng=_Fixed(1))
    assert "SMTPServerDisconnected" in nudge.last_error
    assert mail.outbox == []

    # and once it is due again it is delivered
    assert deliver(assigned.organisation, nudge.pk) == Nudge.Status.SENT
    assert len(mail.outbox) == 1
    with organisation_scope(assigned.organisation.pk):
        nudge.refresh_from_db()
    assert (nudge.attempts, nudge.last_error) == (2, "")


class _Fixed:
    def __init__(self, value: float) -> None:
        self.value = value

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.value


def test_nudge_that_keeps_failing_is_given_up_after_the_maximum_attempts(assigned, monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    plan(assigned)
    nudge = email_nudge(assigned, assigned.member)

    statuses = [
        deliver(assigned.organisation, nudge.pk) for _ in range(services.MAX_DELIVERY_ATTEMPTS)
    ]

    assert statuses[-2:] == [Nudge.Status.PLANNED, Nudge.Status.FAILED]
    with organisation_scope(assigned.organisation.pk):
        nudge.refresh_from_db()
    assert nudge.attempts == services.MAX_DELIVERY_ATTEMPTS
    assert "ConnectionRefusedError: no SMTP server" in nudge.last_error
    assert nudge.pk not in planned_ids(assigned.organisation)
    assert plan(assigned) == 0


# --- reading in the app -------------------------------------------------------------


def test_marking_read_records_the_opened_event_once(organisation, member):
    nudge = factories.NudgeFactory(member=member)

    with organisation_scope(organisation.pk):
        services.nudge_mark_read(nudge=nudge)
        services.nudge_mark_read(nudge=nudge)
        opened = LearningEvent.objects.filter(verb=LearningEvent.Verb.NUDGE_OPENED).count()
        nudge.refresh_from_db()

    assert nudge.read_at is not None
    assert opened == 1


@pytest.mark.django_db(transaction=True)
def test_a_nudge_another_worker_is_delivering_is_skipped_not_sent_twice(assigned):
    # given another worker holds the nudge (its delivery transaction is still open)
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    plan(assigned)
    nudge = email_nudge(assigned, assigned.member)
    with organisation_scope(assigned.organisation.pk):
        services.nudges_dispatch_due(organisation=assigned.organisation, now=assigned.now)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with organisation_scope(assigned.organisation.pk):
                Nudge.objects.select_for_update().get(pk=nudge.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=10)

        # when this worker tries to deliver it
        status = services.nudge_send(organisation_id=assigned.organisation.pk, nudge_id=nudge.pk)
    finally:
        release.set()
        thread.join(timeout=10)

    # then it leaves it alone instead of waiting or sending
    assert status == services.DELIVERY_BUSY
    assert mail.outbox == []
