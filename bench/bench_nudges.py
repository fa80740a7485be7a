"""Nudges: the planner with nothing due, and due nudges planned and delivered by the real worker.

Setup: an organisation ``bench-nudges`` of its own with ``BENCH_NUDGES_MEMBERS``
(100,000) members in one team, a published unit assigned to the team, and the
finish-a-unit rule (e-mail only, nobody held out, after 3 days).

Measured:
- the planner (``nudges_plan_due``) while nothing is due (the unit was assigned an
  hour ago), ``BENCH_NUDGES_PLANS`` (200) runs after a warm-up, p50 and p95, next to
  the bare indexed SELECT of what could be due (assignments reached before the
  cutoff), in raw SQL under the same RLS setting;
- the assignment moved back four days, so every member is due: a real ``celery
  worker`` subprocess plans (one ``nudges.plan_organisation`` task), dispatches and
  delivers the nudges to an aiosmtpd capture server in this process; nudges per
  second from the planner task's start to the last ``sent``; next to the capture
  server's own accept rate for the same messages (``BENCH_NUDGES_REPLAY``, 10,000,
  of those it received) sent by a bare ``smtplib`` client subprocess over one
  connection, and by as many such clients at once as the worker has processes.

The worker runs as platform/entrypoint.sh runs it in production: the prefork pool
with ``CELERY_WORKER_CONCURRENCY`` processes (two per CPU).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from bench import Row, env_int, progress
from microlearning.models import Assignment
from nudges.models import Nudge, NudgeRule
from nudges.rules import DEFAULT_RULES
from nudges.services import nudges_plan_due
from organisations.models import Membership, Organisation, Team, User
from organisations.tenancy import organisation_scope

ORDER = 60
NAME = "nudges"
SLUG = "bench-nudges"
DELAY_DAYS = 3
CREATE_BATCH = 5_000


def run() -> list[Row]:
    members = env_int("BENCH_NUDGES_MEMBERS", 100_000)
    plans = max(env_int("BENCH_NUDGES_PLANS", 200), 2)
    replay = max(env_int("BENCH_NUDGES_REPLAY", 10_000), 1)
    organisation, assignment = _organisation(members)
    _analyze()
    progress(f"Planning {members:,} members with nothing due, {plans} runs")
    planner = _planner_times(organisation, plans)
    reference = _due_select_times(organisation, plans)
    with organisation_scope(organisation.pk):
        Assignment.objects.filter(pk=assignment.pk).update(
            assigned_at=timezone.now() - dt.timedelta(days=DELAY_DAYS + 1)
        )
    progress(f"The worker plans and delivers {members:,} due nudges")
    concurrency = max(env_int("CELERY_WORKER_CONCURRENCY", 2 * (os.cpu_count() or 1)), 1)
    delivery = _deliver_with_worker(organisation, members, keep=replay, concurrency=concurrency)
    messages = delivery["messages"]
    progress(f"A bare smtplib client sends {len(messages):,} of the same messages")
    bare_rate = _bare_smtp_rate(messages, clients=1)
    progress(f"{concurrency} bare smtplib clients at once send them again")
    bare_parallel_rate = _bare_smtp_rate(messages, clients=concurrency)
    return [
        Row(
            NAME,
            f"planner p50 ms, {members:,} members, nothing due (bare due SELECT ref)",
            _p(planner, 50),
            _p(reference, 50),
        ),
        Row(
            NAME,
            f"planner p95 ms, {members:,} members, nothing due (bare due SELECT ref)",
            _p(planner, 95),
            _p(reference, 95),
        ),
        Row(NAME, f"seconds the worker planned {members:,} due nudges", delivery["plan_seconds"]),
        Row(
            NAME,
            f"nudges/s planned + delivered, worker of {concurrency} (1 bare smtplib client ref)",
            delivery["rate"],
            bare_rate,
        ),
        Row(
            NAME,
            f"nudges/s planned + delivered, worker of {concurrency} "
            f"({concurrency} bare smtplib clients ref)",
            delivery["rate"],
            bare_parallel_rate,
        ),
        Row(NAME, "e-mails the capture server received per nudge", delivery["per_nudge"]),
    ]


# --- setup ----------------------------------------------------------------------------


def _organisation(members: int, slug: str = SLUG) -> tuple[Organisation, Assignment]:
    # The bench database is created afresh for every run: nothing to delete first.
    organisation = Organisation.objects.create(slug=slug, name="Bench nudges")
    password = make_password(None)
    joined = timezone.now() - dt.timedelta(days=30)
    progress(f"Creating {members:,} members")
    with organisation_scope(organisation.pk):
        team = Team.objects.create(organisation=organisation, name="Everyone")
        for start in range(0, members, CREATE_BATCH):
            users = User.objects.bulk_create(
                User(email=f"{slug}-{n}@bench.test", password=password)
                for n in range(start, min(start + CREATE_BATCH, members))
            )
            Membership.objects.bulk_create(
                Membership(organisation=organisation, user=user, team=team, created_at=joined)
                for user in users
            )
        unit = _published_unit(organisation)
        # Assigned an hour ago: the rule waits three days, so nothing is due yet.
        assignment = Assignment.objects.create(
            organisation=organisation,
            unit=unit,
            team=team,
            assigned_at=timezone.now() - dt.timedelta(hours=1),
        )
        NudgeRule.objects.create(
            organisation=organisation,
            kind=NudgeRule.Kind.FINISH_UNIT,
            **{
                **DEFAULT_RULES[NudgeRule.Kind.FINISH_UNIT],
                "delay_days": DELAY_DAYS,
                "send_in_app": False,
                "holdout_percent": 0,
            },
        )
    return organisation, assignment


def _published_unit(organisation: Organisation):
    from microlearning.models import Block, Unit, UnitVersion

    now = timezone.now()
    unit = Unit.objects.create(
        organisation=organisation,
        title="Handling a complaint",
        status=Unit.Status.PUBLISHED,
        published_at=now,
    )
    version = UnitVersion.objects.create(
        organisation=organisation,
        unit=unit,
        number=1,
        title=unit.title,
        language=organisation.language,
        published_at=now,
    )
    Block.objects.create(
        organisation=organisation,
        version=version,
        position=1,
        kind=Block.Kind.TEXT,
        data={"markdown": "Listen first, then act."},
    )
    unit.live_version = version
    unit.save(update_fields=["live_version"])
    return unit


def _analyze() -> None:
    tables = [m._meta.db_table for m in (User, Membership, Assignment, Nudge, NudgeRule)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


# --- the planner with nothing due -----------------------------------------------------


def _planner_times(organisation: Organisation, runs: int) -> list[float]:
    def plan() -> None:
        with organisation_scope(organisation.pk):
            created = nudges_plan_due(organisation=organisation, now=timezone.now())
        assert created == 0, "nothing should be due"

    return _measure(runs, plan)


_DUE = """
    SELECT a.unit_id, a.team_id, a.member_id, a.assigned_at
      FROM microlearning_assignment AS a
     WHERE a.organisation_id = %(org)s AND a.assigned_at <= %(cutoff)s
"""


def _due_select_times(organisation: Organisation, runs: int) -> list[float]:
    """The reference: the one indexed SELECT of what could be due, by hand, in a scope."""

    def select() -> None:
        cutoff = timezone.now() - dt.timedelta(days=DELAY_DAYS)
        with organisation_scope(organisation.pk), connection.cursor() as cursor:
            cursor.execute(_DUE, {"org": organisation.pk, "cutoff": cutoff})
            cursor.fetchall()

    return _measure(runs, select)


def _measure(count: int, call) -> list[float]:
    for _ in range(min(20, count)):  # warm-up: connection, caches, plans
        call()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p(times: list[float], percentile: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[percentile - 1]


# --- delivery by the real worker ------------------------------------------------------


class _Capture:
    """aiosmtpd handler: counts what it accepts and keeps the first ``keep`` messages whole."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.lock = threading.Lock()
        self.count = 0
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.count += 1
            if len(self.messages) < self.keep:
                self.messages.append(
                    (envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
                )
        return "250 Message accepted for delivery"


def _quiet_smtp_log() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _worker_env(smtp_port: int, var_dir: str) -> dict[str, str]:
    broker = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": "http://werkwijs.bench",
        "WERKWIJS_VAR_DIR": var_dir,
        "CELERY_TASK_ALWAYS_EAGER": "off",
        "LOG_LEVEL": "WARNING",
        # 100,000 claimed at once must all be sent within one lease.
        "NUDGE_LEASE_SECONDS": "3600",
    }


def _deliver_with_worker(
    organisation: Organisation, members: int, *, keep: int, concurrency: int
) -> dict:
    import redis
    from aiosmtpd.controller import Controller
    from kombu import Connection

    from nudges import tasks

    _quiet_smtp_log()
    handler = _Capture(keep)
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    var_dir = tempfile.mkdtemp(prefix="bench-nudges-")
    env = _worker_env(port, var_dir)
    broker = env["CELERY_BROKER_URL"]
    redis.Redis.from_url(broker).flushdb()
    log_path = Path(var_dir) / "worker.log"
    celery = Path(sys.executable).with_name("celery")
    with log_path.open("wb") as log:
        worker = subprocess.Popen(  # noqa: S603 - fixed arguments, our own venv
            [
                str(celery),
                "-A",
                "config",
                "worker",
                # As platform/entrypoint.sh runs it in production: prefork, two per CPU.
                f"--concurrency={concurrency}",
                "-l",
                "info",
                "-n",
                f"bench-nudges-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait(
            lambda: re.search(r"@\S+ ready\.", log_path.read_text(errors="replace")),
            worker,
            log_path,
            120,
        )
        dispatches = members // (settings.NUDGE_DISPATCH_BATCH * settings.NUDGE_DISPATCH_ROUNDS) + 2
        started = time.perf_counter()
        with Connection(broker) as connection_:
            tasks.plan_organisation.apply_async(args=[organisation.pk], connection=connection_)
            planned_at = _wait(
                lambda: _count(organisation) >= members and time.perf_counter(),
                worker,
                log_path,
                600,
            )
            # What beat does every minute, at once: enough dispatcher runs to claim
            # everything (each claims up to DISPATCH_BATCH x DISPATCH_ROUNDS).
            for _ in range(dispatches):
                tasks.dispatch.apply_async(connection=connection_)
        _wait(lambda: _count(organisation, Nudge.Status.SENT) >= members, worker, log_path, 3600)
        seconds = time.perf_counter() - started
        time.sleep(0.5)  # a message still on the wire
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        controller.stop()
    return {
        "plan_seconds": planned_at - started,
        "rate": members / seconds,
        "per_nudge": handler.count / members,
        "messages": handler.messages,
    }


def _count(organisation: Organisation, status: str | None = None) -> int:
    with organisation_scope(organisation.pk):
        rows = Nudge.objects.filter(organisation=organisation)
        if status:
            rows = rows.filter(status=status)
        return rows.count()


def _wait(predicate, process: subprocess.Popen, log_path: Path, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.25)
    raise RuntimeError(f"timed out after {timeout}s:\n{log_path.read_text()[-4000:]}")


_BARE_CLIENT = r"""
import pickle, smtplib, sys, time
host, port, path, start_at = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
with open(path, "rb") as f:
    messages = pickle.load(f)
client = smtplib.SMTP(host, port)
while time.time() < start_at:  # the clients start together
    time.sleep(0.001)
started = time.time()
for mail_from, rcpt_tos, content in messages:
    client.sendmail(mail_from, rcpt_tos, content)
print(started, time.time())
client.quit()
"""


def _bare_smtp_rate(messages: list[tuple[str, list[str], bytes]], *, clients: int) -> float:
    """The capture server's accept rate for the same messages from bare smtplib clients.

    Each client is a process of its own, as the worker's are: none shares this one's
    GIL with the capture server. With several, each sends all the messages over its
    own connection, all at once; the rate counts every message accepted.
    """
    from aiosmtpd.controller import Controller

    _quiet_smtp_log()
    handler = _Capture(0)
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as f:
        pickle.dump(messages, f)
    start_at = time.time() + 2  # after every client connected
    try:
        processes = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", _BARE_CLIENT, "127.0.0.1", str(port), f.name, str(start_at)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(clients)
        ]
        spans = []
        for process in processes:
            output, _ = process.communicate(timeout=3600)
            if process.returncode:
                raise RuntimeError("a bare smtplib client failed")
            spans.append([float(value) for value in output.split()])
    finally:
        controller.stop()
        os.unlink(f.name)
    assert handler.count == len(messages) * clients
    seconds = max(end for _, end in spans) - min(start for start, _ in spans)
    return handler.count / seconds
