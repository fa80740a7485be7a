"""`manage.py runall`: the local run's supervisor (what `make run` ends with)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.integration


class Supervisor:
    """runall in a subprocess, its output collected line by line."""

    def __init__(self, procfile: Path, var_dir: Path):
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(var_dir.parent),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "WERKWIJS_VAR_DIR": str(var_dir),
            "PORT": "8799",
        }
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runall", "--procfile", str(procfile)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if match := re.search(pattern, line):
                    return match
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} in:\n{''.join(self.lines)}")

    def child_pids(self) -> list[int]:
        text = "".join(self.lines)
        return [int(pid) for pid in re.findall(r"started \(pid=(\d+)\)", text)]

    def stop(self) -> None:
        """Stop like a person would: a SIGKILL would leave runall's children running."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                for pid in self.child_pids():
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pid, signal.SIGKILL)
                self.process.kill()
                self.process.wait(timeout=10)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def supervise(tmp_path):
    started: list[Supervisor] = []

    def start(procfile_text: str) -> Supervisor:
        procfile = tmp_path / "Procfile"
        procfile.write_text(procfile_text)
        supervisor = Supervisor(procfile, tmp_path / "var")
        started.append(supervisor)
        return supervisor

    yield start
    for supervisor in started:
        supervisor.stop()


SLEEPER = 'python -c "import time; time.sleep(60)"'


def test_ctrl_c_stops_every_process_and_ends_cleanly(supervise):
    # given two long-running processes under runall
    run = supervise(f"one: {SLEEPER}\ntwo: {SLEEPER}\n")
    run.wait_for(r"two started")
    run.wait_for(r"one started")
    pids = run.child_pids()

    # when the person presses Ctrl-C
    run.process.send_signal(signal.SIGINT)

    # then both stop and the run ends without an error
    assert run.process.wait(timeout=20) == 0
    assert len(pids) == 2
    assert not [pid for pid in pids if alive(pid)]


def test_a_process_that_dies_stops_the_others(supervise):
    run = supervise(f'steady: {SLEEPER}\ncrashing: python -c "raise SystemExit(3)"\n')
    run.wait_for(r"steady started")

    assert run.process.wait(timeout=20) == 3
    assert not [pid for pid in run.child_pids() if alive(pid)]


def test_a_task_runs_through_the_embedded_broker(supervise, tmp_path):
    # given a migrated SQLite database and runall with the project's worker
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "WERKWIJS_VAR_DIR": str(tmp_path / "var"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    worker_line = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:")
    )
    run = supervise(worker_line + "\n")
    run.wait_for(r"celery@\S+ ready", timeout=60)
    # runall made the broker's and the mailbox's folders before the worker started
    for folder in ("celery/queue", "celery/processed", "celery/control", "mail"):
        assert (tmp_path / "var" / folder).is_dir(), folder

    # when a task is sent the way beat sends it
    sent = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup();"
            "from analytics.tasks import rollup_all; print(rollup_all.delay().id)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    task_id = sent.stdout.strip().splitlines()[-1]

    # then the worker runs it against the SQLite database
    run.wait_for(rf"analytics\.rollup_all\[{task_id}\] succeeded", timeout=60)
