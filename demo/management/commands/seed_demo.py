"""Load the demo organisations, or build synthetic scale data for benchmarks.

    manage.py seed_demo                      # the demo: idempotent, prints the logins
    manage.py seed_demo --members 10000 --events 2000000 --organisations 3

With any size option the command builds synthetic organisations ``synth-1`` ..
``synth-N`` instead (see ``demo.synthetic``): the same sizes
keep what exists, other sizes (or ``--replace``) replace them.
"""

from __future__ import annotations

import argparse
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.demo import demo_seed
from demo.demo_content import DEMO_PASSWORD
from demo.local_folders import local_folders_create
from demo.synthetic import SyntheticSpec, synthetic_seed

SIZE_OPTIONS = ("members", "events", "organisations", "units", "seed")


def _count(value: str) -> int:
    number = int(value.replace("_", ""))
    if number < 0:
        raise argparse.ArgumentTypeError("must be zero or more")
    return number


class Command(BaseCommand):
    help = (
        "Load the demo organisations (idempotent), or with sizes build deterministic "
        "synthetic organisations synth-1..N for benchmarks."
    )

    def add_arguments(self, parser):
        defaults = SyntheticSpec()
        parser.add_argument(
            "--members",
            type=_count,
            help=f"Synthetic: members in total, spread over the organisations "
            f"(default {defaults.members}).",
        )
        parser.add_argument(
            "--events",
            type=_count,
            help=f"Synthetic: learning events in total (default {defaults.events}).",
        )
        parser.add_argument(
            "--organisations",
            type=_count,
            help=f"Synthetic: number of organisations (default {defaults.organisations}).",
        )
        parser.add_argument(
            "--units",
            type=_count,
            help=f"Synthetic: units per organisation (default {defaults.units}).",
        )
        parser.add_argument(
            "--seed",
            type=_count,
            help=f"Synthetic: random seed, same seed same data (default {defaults.seed}).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Synthetic: rebuild the synth-* organisations even if they match the sizes.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off too. The demo password is public: never on a real site.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: seed_demo creates accounts with a public password. "
                "Use --force if this really is a throwaway installation."
            )
        local_folders_create()
        synthetic = options["replace"] or any(options[name] is not None for name in SIZE_OPTIONS)
        if synthetic:
            self._synthetic(options)
        else:
            self._demo()

    def _log(self, message: str) -> None:
        self.stdout.write(message)

    def _demo(self) -> None:
        started = time.perf_counter()
        result = demo_seed(log=self._log)
        created = sum(result.created.values())
        self.stdout.write(
            f"Demo loaded in {time.perf_counter() - started:.1f} s: "
            + (f"{created} rows created." if created else "nothing new, it was already there.")
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD})"))
        width = max(len(login.email) for login in result.logins)
        for login in result.logins:
            self.stdout.write(
                f"  {login.persona:<19} {login.email:<{width}}  {', '.join(login.organisations)}"
            )

    def _synthetic(self, options) -> None:
        given = {name: options[name] for name in SIZE_OPTIONS if options[name] is not None}
        try:
            spec = SyntheticSpec(**given)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        report = synthetic_seed(spec=spec, replace=options["replace"], log=self._log)
        seconds = time.perf_counter() - started
        phases = ", ".join(f"{name} {value:.1f} s" for name, value in report.seconds.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(spec.slugs)} synthetic organisations: {report.members} members, "
                f"{report.completions} completions, {report.events} events "
                f"in {seconds:.1f} s ({phases})."
            )
        )
        self.stdout.write(
            f"Sign in as member-00000@{spec.slugs[0]}.test (admin, author, HR) "
            f"with password {DEMO_PASSWORD}."
        )
