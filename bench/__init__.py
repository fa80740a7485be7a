"""Benchmarks: ``python -m bench`` (``make bench``) runs them against PostgreSQL.

Every module ``bench/bench_*.py`` has ``run() -> list[Row]``; modules run in
order of their ``ORDER`` (default 100), then by name, and their rows are printed
as one table. The runner gives them a database of their own, ``werkwijs_bench``
(``BENCH_DATABASE_NAME``), dropped and created afresh and migrated on every run.
``bench_seed`` runs first (``ORDER = 0``) and leaves the synthetic organisations
``synth-1`` .. ``synth-N`` in it, so later benchmarks measure on that data.

A row compares a value with a reference measured in the same run on the same
machine (for example the same number of bare rows inserted into a table without
indexes or row-level security), so the ratio means something on any hardware.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass

HEADER = ("benchmark", "measure", "value", "reference", "ratio")


@dataclass(frozen=True)
class Row:
    benchmark: str
    measure: str
    value: float
    reference: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0):
            return None
        return self.value / self.reference


def env_int(name: str, default: int) -> int:
    """A size from the environment (``BENCH_EVENTS=200_000`` works too)."""
    raw = os.environ.get(name, "").replace("_", "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(
            f"Environment variable {name} must be a whole number, not {raw!r}."
        ) from None


def progress(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the table."""
    print(message, file=sys.stderr, flush=True)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) >= 100:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def format_table(rows: Iterable[Row]) -> str:
    lines = [HEADER] + [
        (r.benchmark, r.measure, _number(r.value), _number(r.reference), _number(r.ratio))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = []
    for n, line in enumerate(lines):
        cells = [
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(line)
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
