"""Shift start under load: a real load tool against gunicorn with production settings.

Setup: the demo (``manage.py seed_demo``) plus ``BENCH_LOAD_MEMBERS`` (300) members
of Zorggroep Horizon with one known password, hashed once with the production
hasher and inserted in bulk; static files collected; gunicorn from
``platform/gunicorn.conf.py`` with ``DEBUG=off`` on a free loopback port, one
trusted proxy, the bench database and the run's Redis.

Measured: locust, headless, ``BENCH_LOAD_USERS`` (10) closed-loop users for
``BENCH_LOAD_SECONDS`` (60): every member signs in from the one forwarded address
of the organisation, then browses home, catalogue, search and unit pages (see
``bench/load_locustfile.py``). Reported: requests per second, p50/p95/p99 per
page, errors and refused sign-ins. The reference is the same pages with one user
(``BENCH_LOAD_REFERENCE_SECONDS``, 15) against the same server, just before: the
single-request time. Also the CPU cost of one password check, Argon2id as
configured next to Django's default PBKDF2, which is why Argon2id is configured.

Everything it starts (gunicorn, locust) is stopped at the end, also on failure.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password
from django.core.management import call_command

from bench import Row, env_int, progress
from microlearning.models import Unit
from organisations.models import Membership, Organisation, User
from organisations.tenancy import organisation_scope

ORDER = 20
NAME = "load"
ROOT = Path(__file__).resolve().parent.parent
ORGANISATION = "horizon"
PASSWORD = "shift-start-2026"
# One address for the whole organisation, as the proxy forwards it (a documentation range).
ADDRESS = "198.51.100.23"
SEARCHES = ["overdracht", "feedback", "medicatie", "veilig", "vergadering", "hand"]
PAGES = ("sign-in", "home", "catalogue", "search", "unit")


def run() -> list[Row]:
    members = env_int("BENCH_LOAD_MEMBERS", 300)
    users = max(env_int("BENCH_LOAD_USERS", 10), 1)
    seconds = max(env_int("BENCH_LOAD_SECONDS", 60), 5)
    reference_seconds = max(env_int("BENCH_LOAD_REFERENCE_SECONDS", 15), 5)

    progress("Loading the demo and the shift's members")
    call_command("seed_demo", verbosity=0)
    organisation = Organisation.objects.get(slug=ORGANISATION)
    shift = _shift_members(organisation, count=members, prefix="shift")
    reference_shift = _shift_members(organisation, count=20, prefix="early")
    with organisation_scope(organisation.pk):
        units = list(Unit.objects.filter(status=Unit.Status.PUBLISHED).values_list("pk", flat=True))
    argon2_ms, pbkdf2_ms = _password_check_ms()

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="werkwijs-bench-load-") as tmp:
        work = Path(tmp)
        env = _production_env(work)
        _clear_rate_limits()
        _collect_static(env)
        with _Gunicorn(env, work) as host:
            plan = {"organisation": ORGANISATION, "password": PASSWORD, "address": ADDRESS}
            plan |= {"units": units, "searches": SEARCHES}
            progress(f"Single requests: 1 user for {reference_seconds} s")
            single = _locust(
                host, work, "single", {**plan, "members": reference_shift, "pages_per_member": 5},
                users=1, seconds=reference_seconds,
            )  # fmt: skip
            progress(f"Load: {users} users for {seconds} s, {members} members signing in")
            load = _locust(
                host, work, "load", {**plan, "members": shift, "pages_per_member": 10},
                users=users, seconds=seconds,
            )  # fmt: skip

    total, idle = load.stats["Aggregated"], single.stats["Aggregated"]
    sign_ins = load.stats.get("sign-in", {"count": 0, "failures": 0})
    rows += [
        Row(NAME, f"closed-loop users ({seconds} s)", users),
        Row(NAME, "requests per second (1 user ref)", total["rps"], idle["rps"]),
        Row(NAME, "requests", total["count"]),
        Row(NAME, "errors", total["failures"]),
        Row(NAME, "sign-ins from one address", sign_ins["count"] - sign_ins["failures"]),
        Row(NAME, "refused sign-ins (429)", load.refused),
    ]
    for page in PAGES:
        measured, reference = load.stats.get(page), single.stats.get(page)
        if not measured:
            continue
        for percentile in ("p50", "p95", "p99"):
            rows.append(
                Row(
                    NAME,
                    f"{page} {percentile} ms (single-request p50 ref)",
                    measured[percentile],
                    reference["p50"] if reference else None,
                )
            )
    rows.append(Row(NAME, "all pages p95 ms (single-request p95 ref)", total["p95"], idle["p95"]))
    rows.append(Row(NAME, "password check ms, Argon2id (PBKDF2 ref)", argon2_ms, pbkdf2_ms))
    return rows


# --- Setup -----------------------------------------------------------------------------


def _shift_members(organisation: Organisation, *, count: int, prefix: str) -> list[str]:
    """``count`` members with one password: hashed once, inserted in bulk."""
    password = make_password(PASSWORD)
    emails = [f"{prefix}-{n:04d}@{organisation.slug}.bench" for n in range(count)]
    created = User.objects.bulk_create(
        [
            User(email=email, password=password, first_name="Shift", last_name=f"{n:04d}")
            for n, email in enumerate(emails)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in created]
    )
    with organisation_scope(organisation.pk):
        Membership.objects.bulk_create(
            [Membership(organisation=organisation, user=user) for user in created]
        )
    return emails


def _password_check_ms() -> tuple[float, float]:
    """CPU milliseconds of one password check: the production hasher, and Django's PBKDF2."""
    ours = make_password(PASSWORD)
    pbkdf2 = PBKDF2PasswordHasher()
    theirs = pbkdf2.encode(PASSWORD, pbkdf2.salt())

    def cost(encoded: str) -> float:
        hasher = identify_hasher(encoded)
        times = []
        for _ in range(5):
            started = time.process_time()
            hasher.verify(PASSWORD, encoded)
            times.append((time.process_time() - started) * 1000)
        return statistics.median(times)

    return cost(ours), cost(theirs)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _production_env(work: Path) -> dict[str, str]:
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    database = settings.DATABASES["default"]
    database_url = (
        f"postgresql://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    port = _free_port()
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(work),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        # Nothing is sent during the run; nothing listens there either.
        "EMAIL_URL": "smtp://127.0.0.1:1025",
        "DEFAULT_FROM_EMAIL": "Werkwijs <noreply@werkwijs.bench>",
        "SECURE_SSL_REDIRECT": "off",
        "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
        "WERKWIJS_VAR_DIR": str(work / "var"),
        "LOG_LEVEL": "warning",
        "PORT": str(port),
        **(
            {"WEB_CONCURRENCY": os.environ["BENCH_LOAD_WORKERS"]}
            if os.environ.get("BENCH_LOAD_WORKERS")
            else {}
        ),
    }


def _clear_rate_limits() -> None:
    """A run within five minutes of the last one must not find its sign-ins counted."""
    from django.core.cache import cache

    client = getattr(cache, "_cache", None)
    if client is None or not hasattr(client, "get_client"):
        cache.clear()  # the in-process cache: nothing shared to spare
        return
    redis = client.get_client()
    for key in redis.scan_iter(match="*:allauth:rl:*"):
        redis.delete(key)


def _collect_static(env: dict[str, str]) -> None:
    progress("Collecting static files for DEBUG=off")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )


class _Gunicorn:
    """gunicorn as production runs it, on loopback; stopped on leaving, whatever happened."""

    def __init__(self, env: dict[str, str], work: Path):
        self.env, self.work = env, work
        self.host = f"http://127.0.0.1:{env['PORT']}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> str:
        self.log = open(self.work / "gunicorn.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--config", "platform/gunicorn.conf.py",
                # Loopback only: the config binds every interface for containers.
                "--bind", f"127.0.0.1:{self.env['PORT']}",
                # The access log of thousands of requests is no use here.
                "--access-logfile", "/dev/null",
                "config.wsgi:application",
            ],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self.host

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self._log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.host}/health/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /health/ in 120 s: {self._log_tail()}")

    def _log_tail(self) -> str:
        self.log.flush()
        return (self.work / "gunicorn.log").read_text()[-3000:]

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        if exc and exc[0] is not None:
            progress(f"gunicorn's log ends with:\n{self._log_tail()}")


# --- The load tool -----------------------------------------------------------------------


class _Result:
    def __init__(self, stats: dict[str, dict], refused: int):
        self.stats, self.refused = stats, refused


def _locust(host: str, work: Path, label: str, plan: dict, *, users: int, seconds: int) -> _Result:
    plan_file = work / f"{label}-plan.json"
    plan_file.write_text(json.dumps(plan))
    prefix = work / label
    command = [
        sys.executable, "-m", "locust",
        "--locustfile", str(ROOT / "bench" / "load_locustfile.py"),
        "--headless", "--host", host,
        "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{seconds}s", "--stop-timeout", "10",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    # Bounded: locust stops itself after the run time; the timeout is for a hung tool.
    with open(work / f"{label}-locust.log", "w") as log:
        finished = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "BENCH_LOAD_PLAN": str(plan_file)},
            stdout=subprocess.DEVNULL,
            stderr=log,
            timeout=seconds + 120,
        )
    if finished.returncode != 0:
        tail = (work / f"{label}-locust.log").read_text()[-3000:]
        raise RuntimeError(f"locust exited with {finished.returncode}: {tail}")
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for line in csv.DictReader(handle):
            stats[line["Name"]] = {
                "count": int(line["Request Count"]),
                "failures": int(line["Failure Count"]),
                "rps": float(line["Requests/s"]),
                "p50": _number(line["50%"]),
                "p95": _number(line["95%"]),
                "p99": _number(line["99%"]),
            }
    refused = 0
    with open(f"{prefix}_failures.csv", newline="") as handle:
        for line in csv.DictReader(handle):
            progress(f"  {label}: {line['Occurrences']} x {line['Name']}: {line['Error']}")
            if "429" in line["Error"]:
                refused += int(line["Occurrences"])
    return _Result(stats, refused)


def _number(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)
