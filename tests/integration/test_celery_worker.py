"""The rollup and the nudges on a real Celery worker, through the real Redis, to a real SMTP server.

The worker is a subprocess connecting to the test database as the application
role, which is neither superuser nor BYPASSRLS: row-level security applies to
everything it does, as in production. Only the test's own connection writes the
set-up rows with the RLS bypass (see tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu import Connection

from analytics import tasks as analytics_tasks
from analytics.models import TeamDailyCount
from events.models import LearningEvent
from nudges import tasks as nudge_tasks
from nudges.models import Nudge
from nudges.services import links
from tests import factories

from .workers import free_port, worker_environment

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SITE_URL = "http://werkwijs.test"
WAIT_SECONDS = 60


# --- the real services the test starts --------------------------------------------


class CollectingHandler:
    """aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        self.messages.clear()
        self.recipients.clear()


def followed(text: str) -> set[str]:
    """The paths the tracked links of a nudge e-mail lead to."""
    return {links.click_token_read(token)[2] for token in re.findall(r"/n/c/([^/\"\s]+)/", text)}


class Worker:
    """A ``celery worker`` subprocess and the log it writes."""

    def __init__(self, *, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        celery = Path(sys.executable).with_name("celery")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own venv
            [
                str(celery),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-l",
                "info",
                "-n",
                f"integration-{os.getpid()}@%h",
                # No chatter with other workers: start-up in a second, not ten.
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, predicate, what: str, timeout: float = WAIT_SECONDS):
        """Poll ``predicate`` until it returns something truthy; fail with the worker's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            if self.process.poll() is not None:
                pytest.fail(f"worker exited ({self.process.returncode}):\n{self.log()[-4000:]}")
            time.sleep(0.1)
        pytest.fail(f"timed out after {timeout}s waiting for {what}:\n{self.log()[-4000:]}")

    def result_of(self, name: str, task_id: str) -> str:
        """Wait for the task to finish and return its result as the worker logged it."""
        pattern = re.compile(
            rf"Task {re.escape(name)}\[{re.escape(task_id)}\] "
            r"(?:succeeded in [\d.e-]+s: (?P<result>.*)|(?P<failure>raised .*|retry.*))"
        )

        def finished():
            return pattern.search(self.log())

        match = self.wait_for(finished, f"{name}[{task_id}]")
        if match["failure"]:
            pytest.fail(f"{name} failed: {match['failure']}\n{self.log()[-4000:]}")
        return match["result"].strip()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture(scope="module")
def redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def smtp():
    handler = CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture(scope="module")
def worker(django_db_setup, redis_url, smtp, tmp_path_factory):
    """One worker for the module, connected to the pytest database as the app role."""
    var_dir = tmp_path_factory.mktemp("worker-var")
    env = worker_environment(
        redis_url=redis_url,
        smtp_host=smtp.hostname,
        smtp_port=smtp.port,
        var_dir=var_dir,
        site_url=SITE_URL,
        LOG_LEVEL="INFO",
        # The links the worker signs in e-mails are read back here: the same key.
        SECRET_KEY=settings.SECRET_KEY,
        # The tests roll up events they have just made.
        ROLLUP_SETTLE_SECONDS="0",
    )
    process = Worker(env=env, log_path=var_dir / "worker.log")
    try:
        # The worker declares the queue; after that, messages sent from here are kept for it.
        process.wait_for(lambda: re.search(r"@\S+ ready\.", process.log()), "the worker")
        yield process
    finally:
        process.stop()


@pytest.fixture
def send(worker, redis_url):
    """Send a task through the real broker (this process's own broker setting is not used)."""

    def send_task(task, *args) -> str:
        with Connection(redis_url) as broker:
            return task.apply_async(args=args, connection=broker).id

    return send_task


@pytest.fixture
def mailbox(smtp):
    smtp.handler.clear()
    return smtp.handler


# --- the tests ------------------------------------------------------------------------


def test_the_workers_role_cannot_bypass_row_level_security():
    # The worker connects with the tests' role: what follows proves RLS only if it applies.
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)


def test_rollup_on_the_worker_folds_events_once(worker, send):
    # given events of two members of a team, and events of another organisation
    organisation = factories.OrganisationFactory(time_zone="Europe/Amsterdam")
    team = factories.TeamFactory(organisation=organisation)
    anna = factories.MembershipFactory(organisation=organisation, team=team)
    ben = factories.MembershipFactory(organisation=organisation, team=team)
    today = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)  # 13:00 in Amsterdam, the same day
    for _ in range(3):
        factories.LearningEventFactory(actor=anna, timestamp=today)
    factories.LearningEventFactory(actor=ben, verb=LearningEvent.Verb.VIEWED, timestamp=today)
    stranger = factories.MembershipFactory(organisation=factories.OrganisationFactory())
    factories.LearningEventFactory(actor=stranger, timestamp=today)

    # when the worker rolls the organisation up
    first = worker.result_of(
        "analytics.rollup_organisation", send(analytics_tasks.rollup_organisation, organisation.pk)
    )

    # then each member's events are counted per team, day and verb
    def counts():
        with scopes_disabled():
            return sorted(
                TeamDailyCount.objects.values_list(
                    "organisation_id", "team_id", "member_id", "day", "verb", "count"
                )
            )

    day = today.date()
    expected = sorted(
        [
            (organisation.pk, team.pk, anna.pk, day, "completed", 3),
            (organisation.pk, team.pk, ben.pk, day, "viewed", 1),
        ]
    )
    assert first == "4"
    assert counts() == expected

    # and a second run finds nothing new and changes nothing
    second = worker.result_of(
        "analytics.rollup_organisation", send(analytics_tasks.rollup_organisation, organisation.pk)
    )
    assert second == "0"
    assert counts() == expected


def test_planner_on_the_worker_mails_each_due_member_once(worker, send, mailbox):
    # given a unit assigned three days ago to a team with a sub-team (nudges after two days)
    organisation = factories.OrganisationFactory(language="nl", nudge_after_days=2)
    team = factories.TeamFactory(organisation=organisation)
    sub_team = factories.TeamFactory(organisation=organisation, parent=team)
    joined = timezone.now() - dt.timedelta(days=30)
    anna = factories.MembershipFactory(
        organisation=organisation,
        team=team,
        user__first_name="Anna",
        user__language="",
        created_at=joined,
    )
    ben = factories.MembershipFactory(
        organisation=organisation,
        team=sub_team,
        user__first_name="Ben",
        user__language="en",
        created_at=joined,
    )
    done = factories.MembershipFactory(organisation=organisation, team=team, created_at=joined)
    factories.MembershipFactory(organisation=organisation)  # in no team: not assigned
    unit = factories.UnitFactory(organisation=organisation, title="Een klacht afhandelen")
    factories.AssignmentFactory(
        unit=unit, team=team, assigned_at=timezone.now() - dt.timedelta(days=3)
    )
    factories.CompletionFactory(unit=unit, member=done)
    # and, in another organisation, someone just as due who must not be touched
    elsewhere = factories.OrganisationFactory(nudge_after_days=2)
    outsider = factories.MembershipFactory(
        organisation=elsewhere,
        team=factories.TeamFactory(organisation=elsewhere),
        created_at=joined,
    )
    factories.AssignmentFactory(
        unit=factories.UnitFactory(organisation=elsewhere),
        team=outsider.team,
        assigned_at=timezone.now() - dt.timedelta(days=3),
    )

    # when the worker runs the planner, then the dispatcher, which enqueues the senders on
    # the same broker
    planned = worker.result_of(
        "nudges.plan_organisation", send(nudge_tasks.plan_organisation, organisation.pk)
    )
    dispatched = worker.result_of("nudges.dispatch", send(nudge_tasks.dispatch))

    # then every nudge (e-mail and in-app for Anna and Ben) is delivered
    def statuses():
        with scopes_disabled():
            return sorted(
                Nudge.objects.values_list("member_id", "channel", "status", "organisation_id")
            )

    expected_statuses = sorted(
        (member.pk, channel, Nudge.Status.SENT, organisation.pk)
        for member in (anna, ben)
        for channel in Nudge.Channel
    )
    assert (planned, dispatched) == ("4", "4")
    worker.wait_for(lambda: statuses() == expected_statuses, "4 nudges sent")
    worker.wait_for(lambda: len(mailbox.messages) >= 2, "2 e-mails")

    # and the SMTP server received exactly one message per member, in their language
    by_recipient = {
        tuple(rcpts): message
        for rcpts, message in zip(mailbox.recipients, mailbox.messages, strict=True)
    }
    assert len(mailbox.messages) == 2
    assert set(by_recipient) == {(anna.user.email,), (ben.user.email,)}
    link = SITE_URL + reverse(
        "microlearning:unit_detail", kwargs={"org_slug": organisation.slug, "unit_id": unit.pk}
    )
    for member, language in ((anna, "nl"), (ben, "en")):
        message = by_recipient[(member.user.email,)]
        assert message["Content-Language"] == language
        assert "Een klacht afhandelen" in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert message.get_content_type() == "multipart/alternative"
        assert member.user.first_name in text
        # the links are signed and recorded (nudges.services.links), and lead to the unit
        assert link.removeprefix(SITE_URL) in followed(text)
        assert f'<html lang="{language}">' in html
        assert link.removeprefix(SITE_URL) in followed(html)

    # when the planner runs again
    again = worker.result_of(
        "nudges.plan_organisation", send(nudge_tasks.plan_organisation, organisation.pk)
    )

    again_dispatched = worker.result_of("nudges.dispatch", send(nudge_tasks.dispatch))

    # then nothing more is planned or sent
    assert (again, again_dispatched) == ("0", "0")
    assert statuses() == expected_statuses
    assert len(mailbox.messages) == 2
    with scopes_disabled():
        sent_events = LearningEvent.objects.filter(verb=LearningEvent.Verb.NUDGE_SENT).count()
    assert sent_events == 4
