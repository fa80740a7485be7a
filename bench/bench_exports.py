"""HR exports: an XLSX of 10,000 member rows, in time and peak memory, in a process of its own.

Measured, each in a fresh subprocess (so its peak RSS is this export's and nothing else's):
- ``write_xlsx`` (formatted header, frozen row, summary sheet, write-only mode) of a
  report with ``BENCH_EXPORT_MEMBERS`` (10,000) member rows of 16 figures each plus a
  per-team section: seconds and the process's peak RSS (``ru_maxrss``: Django, the
  report's rows and the writer), next to bare openpyxl write-only ``append`` of the
  same values without styles (reference); and in another run tracemalloc's peak of the
  writer's own allocations above the rows it was handed, next to those rows' size;
- the whole export job (``export_start`` + ``export_run``: claim, report from the
  rollup, write, store, done) for an organisation ``bench-exports`` of 10,000 members in
  200 teams with 12 weeks of completions in the rollup, in seconds.
The issue's bar: under 15 s and under 200 MB peak memory for 10,000 members.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bench import Row, env_int, progress
from organisations.models import Membership, Organisation, Team, User
from organisations.tenancy import organisation_scope

ORDER = 70
NAME = "exports"
SLUG = "bench-exports"
TEAMS = 200
WEEKS = 12
CREATE_BATCH = 5_000
MEASURES = [
    "Active days",
    "Views",
    "Completions",
    "Minutes",
    "Rating",
    "Commitments",
    "Applied",
    "Steps submitted",
    "Steps signed off",
    "First-time share",
    "Nudges acted",
    "Goals agreed",
    "Goals achieved",
    "Proficiency before",
    "Proficiency after",
    "70:20:10 experience share",
]


def run() -> list[Row]:
    members = env_int("BENCH_EXPORT_MEMBERS", 10_000)
    progress(f"Writing an XLSX of {members:,} member rows in a subprocess")
    styled = _child("styled", members)
    bare = _child("bare", members)
    traced = _child("styled", members, trace=True)
    progress(f"Creating {members:,} members in {TEAMS} teams with {WEEKS} weeks of rollup")
    organisation = _organisation(members)
    job = _child("job", members, organisation_id=organisation.pk)
    return [
        Row(
            NAME,
            f"seconds to write XLSX, {members:,} member rows (bare openpyxl append ref)",
            styled["seconds"],
            bare["seconds"],
        ),
        Row(
            NAME,
            f"process peak RSS MB, XLSX of {members:,} rows (bare openpyxl ref)",
            styled["peak_rss_mb"],
            bare["peak_rss_mb"],
        ),
        Row(
            NAME,
            f"tracemalloc peak MB of the writer alone, {members:,} rows (the rows' own MB ref)",
            traced["traced_mb"],
            traced["rows_mb"],
        ),
        Row(NAME, f"XLSX file MB, {members:,} rows", styled["file_mb"]),
        Row(
            NAME,
            f"seconds, whole export job, {members:,} members in {TEAMS} teams",
            job["seconds"],
        ),
        Row(
            NAME, f"process peak RSS MB, whole export job, {members:,} members", job["peak_rss_mb"]
        ),
    ]


def _child(kind: str, members: int, *, trace: bool = False, organisation_id: int = 0) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = (
        "import django; django.setup(); from bench.bench_exports import _main; "
        f"_main({kind!r}, {members}, {trace}, {organisation_id})"
    )
    args = [sys.executable, "-c", code]
    out = subprocess.run(  # noqa: S603 - our own interpreter and module
        args, env=env, capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    if out.returncode:
        raise RuntimeError(f"the {kind} export subprocess failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _organisation(members: int) -> Organisation:
    from analytics.models import TeamDailyCount

    organisation = Organisation.objects.create(slug=SLUG, name="Bench exports")
    password = make_password(None)
    today = timezone.localdate()
    rng = random.Random(9)
    with organisation_scope(organisation.pk):
        teams = Team.objects.bulk_create(
            Team(organisation=organisation, name=f"Team {n:03}") for n in range(TEAMS)
        )
        for start in range(0, members, CREATE_BATCH):
            users = User.objects.bulk_create(
                User(email=f"{SLUG}-{n}@bench.test", password=password)
                for n in range(start, min(start + CREATE_BATCH, members))
            )
            memberships = Membership.objects.bulk_create(
                Membership(organisation=organisation, user=user, team=teams[n % TEAMS])
                for n, user in enumerate(users, start=start)
            )
            TeamDailyCount.objects.bulk_create(
                TeamDailyCount(
                    organisation=organisation,
                    team_id=member.team_id,
                    member=member,
                    day=today - dt.timedelta(weeks=week, days=rng.randrange(7)),
                    verb="completed",
                    count=rng.randrange(1, 4),
                )
                for member in memberships
                for week in range(WEEKS)
            )
    return organisation


# --- the subprocess -----------------------------------------------------------------------


def _member_report(members: int):
    from analytics.exports.report import ExportReport, ExportSection, SummaryItem

    rng = random.Random(7)
    rows = [
        [f"Member {n:05}", f"Team {n % TEAMS:03}"]
        + [rng.randrange(0, 60) for _ in range(13)]
        + [round(rng.random() * 5, 1), round(rng.random() * 5, 1), round(rng.random(), 2)]
        for n in range(members)
    ]
    teams = [[f"Team {t:03}", *[rng.randrange(0, 500) for _ in MEASURES]] for t in range(TEAMS)]
    report = ExportReport(
        title="Impact report",
        organisation_name="Bench exports",
        generated_at=timezone.now(),
        period="Last 12 weeks",
        summary=[SummaryItem("Members", members), SummaryItem("Teams", TEAMS)],
        sections=[
            ExportSection(
                title="Per member",
                columns=["Member", "Team", *MEASURES],
                rows=rows,
                row_count=len(rows),
                numeric_columns=frozenset(range(2, 2 + len(MEASURES))),
            ),
            ExportSection(
                title="Per team",
                columns=["Team", *MEASURES],
                rows=teams,
                row_count=len(teams),
                numeric_columns=frozenset(range(1, 1 + len(MEASURES))),
            ),
        ],
    )
    return report


def _bare_xlsx(report, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for section in report.sections:
        sheet = book.create_sheet(section.title)
        sheet.append(list(section.columns))
        for row in section.rows:
            sheet.append(row)
    book.save(path)


def _main(kind: str, members: int, trace: bool, organisation_id: int) -> None:
    import resource
    import time
    import tracemalloc

    from analytics.exports import jobs
    from analytics.exports.xlsx_writer import write_xlsx

    result: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        if kind == "job":
            from django.test.utils import override_settings

            with organisation_scope(organisation_id):
                hr = Membership.objects.filter(organisation_id=organisation_id).first()
            with override_settings(MEDIA_ROOT=folder):
                baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                started = time.perf_counter()
                with organisation_scope(organisation_id):
                    job = jobs.export_start(
                        membership=hr, format="xlsx", parameters={"weeks": WEEKS}, language="en"
                    )
                outcome = jobs.export_run(organisation_id=organisation_id, export_id=job.pk)
                result["seconds"] = time.perf_counter() - started
                assert outcome == "done", outcome
        else:
            if trace:
                tracemalloc.start()
            report = _member_report(members)
            if trace:
                result["rows_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
                tracemalloc.reset_peak()
            baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            if kind == "styled":
                write_xlsx(report, path)
            else:
                _bare_xlsx(report, path)
            result["seconds"] = time.perf_counter() - started
            if trace:
                result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 2**20 - result["rows_mb"]
            result["file_mb"] = path.stat().st_size / 2**20
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
        result["peak_rss_mb"] = peak / 1024
        result["baseline_rss_mb"] = baseline / 1024
    print(json.dumps(result))
