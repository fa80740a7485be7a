"""Delete and rebuild every rollup from the learning events, with a progress bar.

    manage.py rebuild_rollups                          # every organisation
    manage.py rebuild_rollups --organisation acme      # one

The rebuild runs the incremental rollup's own batches from checkpoint 0, in one
transaction per organisation, so it gives the same numbers and the pages show the old
figures until the new ones are complete.

Refused for an organisation whose raw events retention has already deleted: the
rollups are then the only record of those months, and a rebuild from what is left
would silently lose them. Such an organisation is skipped with a message and the
command ends with an error after the others are done; fix a rollup forward instead.
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from analytics.services import RebuildRefused, rollups_rebuild
from organisations.models import Organisation
from organisations.tenancy import organisation_scope

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Delete and rebuild every analytics rollup from the learning events."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation.")

    def handle(self, *args, organisation=None, **options):
        organisations = Organisation.objects.order_by("slug")
        if organisation:
            organisations = organisations.filter(slug=organisation)
            if not organisations.exists():
                raise CommandError(f"No organisation with slug {organisation!r}.")
        refused = []
        for org in organisations:
            started = time.perf_counter()
            bar = _Bar(self.stdout, org.slug)
            try:
                with organisation_scope(org.pk):
                    folded = rollups_rebuild(organisation=org, progress=bar.show)
            except RebuildRefused as refusal:
                bar.end()
                self.stderr.write(str(refusal))
                refused.append(org.slug)
                continue
            bar.end()
            seconds = time.perf_counter() - started
            rate = folded / seconds if seconds else 0
            self.stdout.write(
                f"{org.slug}: {folded:,} events folded in {seconds:.1f} s ({rate:,.0f}/s)"
            )
        if refused:
            raise CommandError(
                f"Not rebuilt (raw events deleted by retention): {', '.join(refused)}"
            )


class _Bar:
    """``slug [#########.....]  42% (420,000 of 1,000,000 events)``, redrawn in place on a
    terminal, one line per step otherwise (a log keeps every step)."""

    def __init__(self, out, label: str):
        self.out, self.label = out, label
        self.tty = hasattr(out, "isatty") and out.isatty()
        self.drawn = False

    def show(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = round(share * BAR_WIDTH)
        line = (
            f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{share:4.0%} ({done:,} of {total:,} events)"
        )
        if self.tty:
            self.out.write("\r" + line, ending="")
            self.out.flush()
        else:
            self.out.write(line)
        self.drawn = True

    def end(self) -> None:
        if self.tty and self.drawn:
            self.out.write("")
        sys.stdout.flush()
