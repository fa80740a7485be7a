"""The nudge outbox under faults: real workers, a real beat, the real Redis, a real SMTP server.

Worker and beat processes are ``celery -A config`` subprocesses connected to the
test database as the application role (row-level security applies) and to a
Redis database of their own; the SMTP server is aiosmtpd in this process,
counting the messages it accepts per nudge (the stable ``Message-ID``). Leases,
backoff and the beat's period are shortened through settings, so a killed
worker's nudges come back in seconds instead of minutes.

Each test prints what it measured (sent, lost, repeated) to the terminal.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu import Connection

from microlearning.models import Assignment
from nudges import services
from nudges import tasks as nudge_tasks
from nudges.models import Nudge
from organisations.models import Membership, User
from organisations.tenancy import organisation_scope
from tests import factories

from .workers import free_port, worker_environment

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

KILLS = 10
KILL_BATCH = (100, 100)  # members x units assigned to them: 10,000 nudges
SMALL_BATCH = (20, 50)  # 1,000 nudges
LEASE_SECONDS = 4
# The beat's dispatcher claims this many per second: about what two workers send in a
# lease, so claims do not expire while their task waits in the queue.
DISPATCH_BATCH, DISPATCH_ROUNDS = 100, 4
# Generous: on a 2-core machine shared with other work a worker sends far slower than alone.
WAIT_SECONDS = 300
NUDGE_ID = re.compile(rb"^Message-ID: <nudge-(\d+)-", re.MULTILINE)


# --- the SMTP capture server ----------------------------------------------------------


class Capture:
    """aiosmtpd handler: how often each nudge's message was accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[int] = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        found = NUDGE_ID.search(envelope.content)
        with self.lock:
            self.counts[int(found[1]) if found else 0] += 1
        return "250 Message accepted for delivery"

    def of(self, ids) -> Counter[int]:
        with self.lock:
            return Counter({nudge_id: self.counts[nudge_id] for nudge_id in ids})


class CaptureServer:
    """The SMTP server the workers deliver to, on a fixed port: it can stop and come back."""

    def __init__(self) -> None:
        self.handler = Capture()
        self.hostname, self.port = "127.0.0.1", free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
        self.controller = Controller(self.handler, hostname=self.hostname, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# --- worker and beat processes --------------------------------------------------------


class Service:
    """A ``celery -A config ...`` subprocess and the log it writes."""

    def __init__(self, *, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        celery = Path(sys.executable).with_name("celery")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own venv
            [str(celery), "-A", "config", *args],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def ready(self) -> bool:
        return bool(re.search(r"@\S+ ready\.|beat v\S+ .* is starting", self.log()))

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, whatever it was doing."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


class Cluster:
    """The workers and beat processes of the tests, started and replaced on demand."""

    def __init__(self, *, env: dict[str, str], var_dir: Path) -> None:
        self.env, self.var_dir = env, var_dir
        self.workers: list[Service] = []
        self.beats: list[Service] = []
        self.started = 0

    def _name(self, what: str) -> str:
        self.started += 1
        return f"{what}-{self.started}"

    def start_worker(self) -> Service:
        name = self._name("worker")
        worker = Service(
            args=[
                "worker",
                "--pool=solo",
                "-l",
                "info",
                "-n",
                f"faults-{name}-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env=self.env,
            log_path=self.var_dir / f"{name}.log",
        )
        self.workers.append(worker)
        return worker

    def start_beat(self) -> Service:
        name = self._name("beat")
        beat = Service(
            args=[
                "beat",
                "-l",
                "warning",
                "-s",
                str(self.var_dir / f"{name}-schedule"),
                "--pidfile",
                str(self.var_dir / f"{name}.pid"),
            ],
            env=self.env,
            log_path=self.var_dir / f"{name}.log",
        )
        self.beats.append(beat)
        return beat

    def stop_beat(self, beat: Service) -> None:
        beat.stop()
        self.beats.remove(beat)

    def kill_worker(self, worker: Service) -> None:
        worker.kill()
        self.workers.remove(worker)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for service in [*self.workers, *self.beats]:
            while not service.ready():
                if not service.alive():
                    pytest.fail(f"{service.log_path.name} exited:\n{service.log()[-4000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{service.log_path.name} not ready:\n{service.log()[-4000:]}")
                time.sleep(0.1)

    def swept(self) -> int:
        """How many nudges the sweeper planned again, as the workers logged its results."""
        return sum(
            int(found)
            for service in self.workers
            for found in re.findall(
                r"Task nudges\.sweep\[\S+\] succeeded in \S+: (\d+)", service.log()
            )
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {s.log_path.name}\n{s.log()[-3000:]}" for s in [*self.workers, *self.beats]
        )

    def stop(self) -> None:
        for service in [*self.workers, *self.beats]:
            service.stop()


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
    server = CaptureServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cluster(django_db_setup, redis_url, smtp, tmp_path_factory):
    """Two workers and one beat (dispatcher and sweeper every second) for the module."""
    var_dir = tmp_path_factory.mktemp("faults-var")
    env = worker_environment(
        redis_url=redis_url,
        smtp_host=smtp.hostname,
        smtp_port=smtp.port,
        var_dir=var_dir,
        site_url="http://werkwijs.test",
        LOG_LEVEL="WARNING",
        NUDGE_LEASE_SECONDS=str(LEASE_SECONDS),
        NUDGE_RETRY_BASE_SECONDS="1",
        NUDGE_BEAT_SECONDS="1",
        NUDGE_DISPATCH_BATCH=str(DISPATCH_BATCH),
        NUDGE_DISPATCH_ROUNDS=str(DISPATCH_ROUNDS),
    )
    running = Cluster(env=env, var_dir=var_dir)
    try:
        running.start_worker()
        running.start_worker()
        running.start_beat()
        running.wait_ready()
        yield running
    finally:
        running.stop()


def report(capsys, line: str) -> None:
    with capsys.disabled():
        print(f"\n[nudge faults] {line}", flush=True)


# --- the batches ----------------------------------------------------------------------


def due_batch(*, members: int, units: int, plan: bool = True) -> tuple[object, list[int]]:
    """An organisation whose e-mail rule is due for members x units nudges; planned if asked."""
    organisation = factories.OrganisationFactory()
    team = factories.TeamFactory(organisation=organisation)
    joined = timezone.now() - dt.timedelta(days=30)
    password = make_password(None)
    with organisation_scope(organisation.pk):
        users = User.objects.bulk_create(
            User(email=f"faults-{organisation.pk}-{n}@example.test", password=password)
            for n in range(members)
        )
        Membership.objects.bulk_create(
            Membership(organisation=organisation, user=user, team=team, created_at=joined)
            for user in users
        )
        assigned_at = timezone.now() - dt.timedelta(days=3)
        unit_list = [factories.UnitFactory(organisation=organisation) for _ in range(units)]
        Assignment.objects.bulk_create(
            Assignment(organisation=organisation, unit=unit, team=team, assigned_at=assigned_at)
            for unit in unit_list
        )
        factories.NudgeRuleFactory(organisation=organisation, delay_days=2, send_in_app=False)
    if plan:
        with organisation_scope(organisation.pk):
            services.nudges_plan_due(organisation=organisation, now=timezone.now())
    return organisation, nudge_ids(organisation)


def nudge_ids(organisation) -> list[int]:
    with scopes_disabled():
        return list(
            Nudge.objects.filter(organisation=organisation)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def statuses(organisation) -> Counter:
    with scopes_disabled():
        return Counter(
            Nudge.objects.filter(organisation=organisation).values_list("status", flat=True)
        )


def wait_until(predicate, what: str, cluster: Cluster, timeout: float = WAIT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{cluster.logs()}")


def delivered(smtp: CaptureServer, ids: list[int]) -> int:
    counts = smtp.handler.of(ids)
    return sum(1 for nudge_id in ids if counts[nudge_id])


def all_sent(organisation, smtp, ids):
    return statuses(organisation) == Counter({Nudge.Status.SENT: len(ids)}) and delivered(
        smtp, ids
    ) == len(ids)


def outcome(smtp: CaptureServer, ids: list[int]) -> tuple[int, int, int]:
    """(sent, lost, repeated): messages accepted once or more, never, and beyond the first."""
    counts = smtp.handler.of(ids)
    sent = sum(1 for nudge_id in ids if counts[nudge_id])
    repeated = sum(count - 1 for count in counts.values() if count > 1)
    return sent, len(ids) - sent, repeated


# --- the faults -----------------------------------------------------------------------


def test_killed_workers_lose_no_nudge_and_repeat_at_most_one_message_each(cluster, smtp, capsys):
    # given 10,000 due e-mail nudges, planned by the planner
    started = time.monotonic()
    organisation, ids = due_batch(members=KILL_BATCH[0], units=KILL_BATCH[1])
    assert len(ids) == KILL_BATCH[0] * KILL_BATCH[1]

    # when, while the beat's dispatcher hands them out, a working worker is SIGKILLed
    # ten times, each time replaced by a new one
    step = len(ids) * 0.6 / KILLS
    for kill in range(KILLS):
        wait_until(lambda kill=kill: delivered(smtp, ids) >= (kill + 1) * step, "progress", cluster)
        victim = next(w for w in cluster.workers if w.ready())
        cluster.kill_worker(victim)
        cluster.start_worker()

    # then, once the sweeper has planned again what the killed workers held, every nudge
    # reached the SMTP server, none was lost, and at most one message per kill came twice
    wait_until(lambda: all_sent(organisation, smtp, ids), "every nudge sent", cluster)
    sent, lost, repeated = outcome(smtp, ids)
    report(
        capsys,
        f"SIGKILL x{KILLS} during {len(ids):,} nudges: sent {sent:,}, lost {lost}, "
        f"repeated {repeated} ({repeated / KILLS:.1f} per kill), "
        f"{time.monotonic() - started:.0f} s",
    )
    assert (sent, lost) == (len(ids), 0)
    assert repeated <= KILLS


def test_a_flushed_redis_loses_no_nudge(cluster, smtp, redis_url, capsys):
    # given 1,000 due nudges being delivered
    organisation, ids = due_batch(members=SMALL_BATCH[0], units=SMALL_BATCH[1])
    wait_until(lambda: delivered(smtp, ids) >= len(ids) // 4, "a quarter delivered", cluster)

    # when Redis is wiped mid-batch (every queued sender task gone)
    swept_before = cluster.swept()
    client = redis.Redis.from_url(redis_url)
    queued = client.llen("celery")
    client.flushdb()
    client.close()

    # then the sweeper plans again what was claimed, and everything is delivered once
    wait_until(lambda: all_sent(organisation, smtp, ids), "every nudge sent", cluster)
    sent, lost, repeated = outcome(smtp, ids)
    swept = cluster.swept() - swept_before
    report(
        capsys,
        f"FLUSHDB during {len(ids):,} nudges ({queued} sender tasks queued, {swept} swept "
        f"back): sent {sent:,}, lost {lost}, repeated {repeated}",
    )
    assert (sent, lost, repeated) == (len(ids), 0, 0)
    # Sender tasks that were queued are gone with the flush: their nudges reached the
    # SMTP server only through the sweeper. (When the workers had already taken every
    # task, none was queued and nothing needed sweeping.)
    if queued:
        assert swept > 0


def test_an_smtp_outage_delays_nudges_and_loses_none(cluster, smtp, capsys):
    # given 1,000 due nudges being delivered
    organisation, ids = due_batch(members=SMALL_BATCH[0], units=SMALL_BATCH[1])
    wait_until(lambda: delivered(smtp, ids) >= len(ids) // 4, "a quarter delivered", cluster)

    # when the SMTP server goes away for a few seconds
    smtp.stop()
    try:
        wait_until(
            lambda: statuses(organisation)[Nudge.Status.PLANNED] and _retried(organisation),
            "senders failing and planning retries",
            cluster,
        )
        time.sleep(2)
        at_outage_end = delivered(smtp, ids)
    finally:
        smtp.start()

    # then the retries (backoff with jitter) deliver everything once it is back
    wait_until(lambda: all_sent(organisation, smtp, ids), "every nudge sent", cluster)
    sent, lost, repeated = outcome(smtp, ids)
    with scopes_disabled():
        most_attempts = max(
            Nudge.objects.filter(organisation=organisation).values_list("attempts", flat=True)
        )
    report(
        capsys,
        f"SMTP server down during {len(ids):,} nudges ({len(ids) - at_outage_end} waiting): "
        f"sent {sent:,}, lost {lost}, repeated {repeated}, at most {most_attempts} attempts",
    )
    assert (sent, lost) == (len(ids), 0)
    # A message the server took just as it went down, before its reply reached the sender,
    # may come again: at most one per open connection (one per worker).
    assert repeated <= len(cluster.workers)


def _retried(organisation) -> bool:
    with scopes_disabled():
        return (
            Nudge.objects.filter(organisation=organisation, attempts__gte=1)
            .exclude(last_error="")
            .exists()
        )


def test_nudges_of_a_rolled_back_transaction_are_never_sent(cluster, smtp, capsys):
    # given a batch that is due but not planned yet
    organisation, none_yet = due_batch(members=SMALL_BATCH[0], units=SMALL_BATCH[1], plan=False)
    with smtp.handler.lock:
        accepted_before = sum(smtp.handler.counts.values())

    # when the planner and the dispatcher both run in a transaction that rolls back,
    # while the beat's dispatcher and sweeper run beside it
    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        with organisation_scope(organisation.pk):
            planned = services.nudges_plan_due(organisation=organisation, now=timezone.now())
        claimed = nudge_tasks.dispatch()
        time.sleep(1.5)  # a beat passes while the rows exist, uncommitted
        raise RolledBack
    time.sleep(3)  # three more beats

    # then no nudge exists and no message was sent
    with smtp.handler.lock:
        accepted = sum(smtp.handler.counts.values()) - accepted_before
    report(capsys, f"rolled back: {planned:,} planned and {claimed:,} claimed, {accepted} sent")
    assert none_yet == []
    assert planned == claimed == SMALL_BATCH[0] * SMALL_BATCH[1]
    assert nudge_ids(organisation) == []
    assert accepted == 0


def test_two_beats_and_two_planners_send_each_nudge_once(cluster, smtp, redis_url, capsys):
    # given a second beat process next to the first, both dispatching every second
    second = cluster.start_beat()
    cluster.wait_ready()
    try:
        organisation, none_yet = due_batch(members=SMALL_BATCH[0], units=SMALL_BATCH[1], plan=False)
        # when two planner tasks for the organisation run at once, on the two workers
        with Connection(redis_url) as broker:
            for _ in range(2):
                nudge_tasks.plan_organisation.apply_async(args=[organisation.pk], connection=broker)
        expected = SMALL_BATCH[0] * SMALL_BATCH[1]
        wait_until(lambda: len(nudge_ids(organisation)) >= expected, "planned", cluster)
        ids = nudge_ids(organisation)

        # then every nudge exists once and is sent once
        wait_until(lambda: all_sent(organisation, smtp, ids), "every nudge sent", cluster)
        time.sleep(2)  # and stays so through more beats
        sent, lost, repeated = outcome(smtp, ids)
    finally:
        cluster.stop_beat(second)
    report(
        capsys,
        f"two beats, two planners, {expected:,} nudges: rows {len(ids):,}, sent {sent:,}, "
        f"lost {lost}, repeated {repeated}",
    )
    assert none_yet == [] and len(ids) == expected
    assert (sent, lost, repeated) == (expected, 0, 0)
