"""Run the whole platform in one terminal: web, Celery worker and Celery beat.

The processes are the ``Procfile``'s, supervised by honcho: their output is
interleaved with a name per line, Ctrl-C stops all of them, and if one dies the
others are stopped too, so a broken run never looks half alive.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from honcho.environ import parse_procfile
from honcho.manager import Manager
from honcho.printer import Message, Printer

from demo.local_folders import local_folders_create

READY_TIMEOUT_SECONDS = 120
SIGINT_EXIT, SIGTERM_EXIT = 130, 143  # what honcho returns when it was stopped by a signal


class _UnbreakableOutput:
    """stdout that survives its reader going away (`make run | tee log`, then Ctrl-C).

    honcho prints while it stops the processes; if that print raised, the
    processes would be left running without a terminal.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()


class Command(BaseCommand):
    help = "Start web (runserver), Celery worker and Celery beat together from the Procfile."

    requires_system_checks = []  # runserver checks once it starts; no need to do it twice

    def add_arguments(self, parser):
        parser.add_argument(
            "--procfile",
            default=str(Path(settings.BASE_DIR) / "Procfile"),
            help="Procfile to run (default: the project's).",
        )

    def handle(self, *args, procfile: str, **options):
        port = os.environ.get("PORT", "8000")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise CommandError(f"PORT must be a port number, not {port!r}.")
        processes = parse_procfile(Path(procfile).read_text()).processes
        if not processes:
            raise CommandError(f"{procfile} names no process.")
        local_folders_create()

        env = os.environ.copy()
        env["PORT"] = port
        env["PYTHONUNBUFFERED"] = "1"
        # The Procfile says `python` and `celery`: make them this interpreter's.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        # Links in e-mails sent by the worker should point at this run.
        env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")

        manager = Manager(printer=Printer(_UnbreakableOutput(sys.stdout)))
        for name, command in processes.items():
            manager.add_process(name, command, env=env, cwd=str(settings.BASE_DIR))
        threading.Thread(
            target=self._announce_when_ready, args=(manager, int(port)), daemon=True
        ).start()
        manager.loop()
        # Ctrl-C (or a TERM from a supervisor) is how a local run ends, not a failure.
        if manager.returncode not in (0, SIGINT_EXIT, SIGTERM_EXIT):
            sys.exit(manager.returncode)

    def _announce_when_ready(self, manager: Manager, port: int) -> None:
        """Say where to go once the web process answers, below the start-up noise."""
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            return
        broker = (
            "embedded (files under var/celery)"
            if settings.CELERY_BROKER_URL.startswith("filesystem://")
            else "CELERY_BROKER_URL"
        )
        mail = (
            f"files under {settings.EMAIL_FILE_PATH}"
            if getattr(settings, "EMAIL_FILE_PATH", "")
            else "EMAIL_URL"
        )
        lines = [
            "",
            f"Werkwijs is running: http://127.0.0.1:{port}/",
            "Sign in with a demo login printed above by seed_demo (README.md lists them too).",
            f"Celery broker: {broker}. E-mail: {mail}.",
            "Press Ctrl-C to stop web, worker and beat.",
            "",
        ]
        # The manager's event queue is how honcho itself prints; this keeps lines whole.
        for line in lines:
            manager.events.put(
                Message(
                    type="line", data=line + "\n", time=datetime.now(), name="system", colour=None
                )
            )
