"""The export job: queued on commit, claimed once, progress as it goes, restarted when its
worker vanished, failed visibly, its file under the organisation's prefix and deleted on expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from analytics.exports import jobs
from analytics.exports.writers import suppressed_text
from analytics.exports.xlsx_writer import sheet_title
from analytics.models import ExportJob
from analytics.tasks import exports_sweep
from organisations.models import AuditLog
from organisations.tenancy import organisation_scope
from tests.analytics.conftest import complete
from tests.analytics.exports.conftest import (
    as_written,
    expected_report,
    expected_row_count,
    rollup,
)
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def start(hr, fmt="xlsx", **parameters) -> ExportJob:
    with organisation_scope(hr.organisation_id):
        return jobs.export_start(
            membership=hr, format=fmt, parameters=parameters or {"weeks": 4}, language="en"
        )


def reload(job: ExportJob) -> ExportJob:
    with organisation_scope(job.organisation_id):
        return ExportJob.objects.get(pk=job.pk)


def run(job: ExportJob) -> str:
    return jobs.export_run(organisation_id=job.organisation_id, export_id=job.pk)


def sweep(organisation, *, now):
    with organisation_scope(organisation.pk):
        return jobs.exports_sweep(organisation=organisation, now=now)


def test_starting_an_export_queues_it_and_publishes_only_after_the_commit(
    hr, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(hr, weeks=12, team="", unknown="x")

    assert len(callbacks) == 1
    job = reload(job)
    assert job.status == ExportJob.Status.QUEUED
    assert job.parameters == {"weeks": "12"}
    assert (job.requested_by, job.format, job.attempts) == (hr, "xlsx", 0)
    with organisation_scope(hr.organisation_id):
        audit = AuditLog.objects.get(action="analytics.export_started")
    assert (audit.actor, audit.object_id, audit.data["format"]) == (hr, job.pk, "xlsx")


def read_book(job: ExportJob):
    with default_storage.open(job.file_path, "rb") as handle:
        return load_workbook(handle)


def test_an_export_runs_on_commit_and_its_xlsx_has_the_impact_reports_figures(
    organisation, hr, completions, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(hr)

    job = reload(job)
    assert job.status == ExportJob.Status.DONE
    assert job.file_path.startswith(f"org-{organisation.pk}/exports/{job.pk}/")
    assert job.file_path.endswith(".xlsx")
    report = expected_report(organisation, {"weeks": "4"})
    rows = sum(len(section.rows) for section in report.sections)
    assert job.progress_done == job.progress_total == rows
    assert job.expires_at - job.finished_at == dt.timedelta(hours=24)
    book = read_book(job)
    taken = {"summary"}
    names = [sheet_title(section.title, taken) for section in report.sections]
    assert book.sheetnames == ["Summary", *names]
    assert {"Per team", "Nudge effectiveness", "Trend per week"} <= set(book.sheetnames)
    for name, section in zip(names, report.sections, strict=True):
        written = list(book[name].iter_rows(values_only=True))
        assert [row[0] for row in written[1:]] == [row.label for row in section.rows]
        assert [list(row[1:]) for row in written[1:]] == [
            [as_written(cell) for cell in row.cells] for row in section.rows
        ]
    # Every team has fewer than 5 members: none of its figures leaves the platform.
    teams = report.section("teams")
    sheet = book[names[report.sections.index(teams)]]
    per_team = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    for team in ("Sales", "Sales North", "Support"):
        assert set(per_team[team]) <= {suppressed_text(), 0, None}, team
        assert suppressed_text() in per_team[team]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["People"] == report.people
    assert summary["Team"] == "All teams"
    assert summary["Figures as of"] != "not brought up to date yet"


def test_a_large_enough_teams_figures_are_exported_and_shares_as_percentages(
    organisation, hr, people
):
    big = TeamFactory(organisation=organisation, name="Warehouse")
    for _n in range(5):
        complete(MembershipFactory(organisation=organisation, team=big))
    rollup(organisation)
    job = start(hr, weeks="4", team=str(big.pk))

    assert run(job) == "done"
    report = expected_report(organisation, {"weeks": "4", "team": str(big.pk)})
    book = read_book(reload(job))
    trend = book["Trend per week"]
    header = next(trend.iter_rows(values_only=True))
    total = [row for row in trend.iter_rows(values_only=True) if row[0] == "Whole period"][0]
    expected = report.section("trend").total
    assert list(total[1:]) == [as_written(cell) for cell in expected.cells]
    completions = header.index("Completions")
    assert total[completions] == 5
    per_team = list(book["Per team"].iter_rows(values_only=True))
    warehouse = next(row for row in per_team if row[0] == "Warehouse")
    assert suppressed_text() not in warehouse
    teams = report.section("teams")
    cells = next(row for row in teams.rows if row.label == "Warehouse").cells
    assert list(warehouse[1:]) == [as_written(cell) for cell in cells]
    shares = [i for i, label in enumerate(per_team[0]) if label.endswith(" (%)")]
    assert shares  # a share 0..1 is written as a percentage, its column says so
    for i in shares:
        value = cells[i - 1].value
        assert warehouse[i] == (None if value is None else round(value * 100, 1))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Team"] == "Warehouse"


def test_an_export_whose_filters_no_longer_hold_fails_with_the_reason(organisation, hr, people):
    job = start(hr, team=str(people.support.pk), weeks="4")
    with organisation_scope(organisation.pk):
        people.carol.team = None
        people.carol.save()
        people.support.delete()

    assert run(job) == "failed"
    job = reload(job)
    assert job.status == ExportJob.Status.FAILED
    assert "That team is not one of this organisation" in job.error


@pytest.mark.parametrize("fmt, magic", [("csv", b"\xef\xbb\xbf"), ("pdf", b"%PDF")])
def test_csv_and_pdf_exports_are_written_too(organisation, hr, completions, fmt, magic):
    job = start(hr, fmt)

    assert run(job) == "done"
    job = reload(job)
    with default_storage.open(job.file_path, "rb") as handle:
        assert handle.read(4).startswith(magic)


def test_an_export_is_claimed_once_however_often_its_task_arrives(organisation, hr):
    job = start(hr)

    assert run(job) == "done"
    assert run(job) == "not queued"
    job = reload(job)
    assert job.attempts == 1
    assert default_storage.listdir(f"org-{organisation.pk}/exports/{job.pk}/")[1] == [
        job.file_path.rsplit("/", 1)[-1]
    ]


def test_progress_and_the_lease_are_written_while_the_file_is_being_written(
    organisation, hr, completions, monkeypatch
):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0)
    seen = []
    real = jobs.WRITERS["csv"]

    def spying_writer(report, path, *, progress):
        def spy(done):
            progress(done)
            seen.append((reload(job).status, reload(job).progress_done, reload(job).progress_total))

        real(report, path, progress=spy)

    monkeypatch.setitem(jobs.WRITERS, "csv", spying_writer)
    job = start(hr, "csv")
    run(job)

    rows = expected_row_count(organisation, {"weeks": "4"})
    assert rows > 8
    assert seen and all(status == "running" and total == rows for status, _d, total in seen)
    assert seen[-1][1] == rows


def test_a_job_whose_worker_died_is_restarted_by_the_sweeper_and_completes(
    organisation, hr, completions, eager, django_capture_on_commit_callbacks
):
    job = start(hr)
    # A worker claims the job and is killed before it writes anything.
    claimed = jobs._claim(organisation_id=organisation.pk, export_id=job.pk, now=timezone.now())
    assert claimed.attempts == 1
    assert reload(job).status == ExportJob.Status.RUNNING
    # Its redelivered message finds the job held by the dead worker's lease: nothing to do.
    assert run(job) == "not queued"
    assert sweep(organisation, now=timezone.now())["restarted"] == 0  # the lease still holds

    later = timezone.now() + jobs.LEASE + dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        counts = sweep(organisation, now=later)

    assert counts["restarted"] == 1
    job = reload(job)
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 2)
    assert default_storage.exists(job.file_path)


def test_a_worker_that_outlived_its_lease_stops_and_leaves_the_export_to_the_new_one(
    organisation, hr, completions
):
    job = start(hr)
    first = jobs._claim(organisation_id=organisation.pk, export_id=job.pk, now=timezone.now())
    sweep(organisation, now=timezone.now() + jobs.LEASE + dt.timedelta(seconds=1))
    jobs._claim(organisation_id=organisation.pk, export_id=job.pk, now=timezone.now())

    with pytest.raises(jobs.Superseded):
        jobs._Heartbeat(first, 8).beat(3, force=True)
    assert (reload(job).status, reload(job).attempts) == (ExportJob.Status.RUNNING, 2)


def test_an_export_stopped_too_often_fails_visibly_instead_of_looping(organisation, hr):
    job = start(hr)
    with organisation_scope(organisation.pk):
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.RUNNING,
            attempts=jobs.MAX_ATTEMPTS,
            lease_until=timezone.now() - dt.timedelta(seconds=1),
        )

    counts = sweep(organisation, now=timezone.now())

    job = reload(job)
    assert counts["failed"] == 1
    assert job.status == ExportJob.Status.FAILED
    assert f"Stopped {jobs.MAX_ATTEMPTS} times" in job.error


def test_a_queued_export_no_worker_took_is_published_again(
    organisation, hr, django_capture_on_commit_callbacks
):
    fresh = start(hr)
    lost = start(hr)
    taken_recently = start(hr)
    with organisation_scope(organisation.pk):
        old = timezone.now() - dt.timedelta(minutes=10)
        ExportJob.objects.filter(pk__in=[lost.pk, taken_recently.pk]).update(created_at=old)
        ExportJob.objects.filter(pk=taken_recently.pk).update(enqueued_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        counts = sweep(organisation, now=timezone.now())

    assert counts["republished"] == 1
    assert [cb.keywords["export_id"] for cb in callbacks] == [lost.pk]
    assert reload(fresh).status == ExportJob.Status.QUEUED


def test_a_writer_that_raises_fails_the_export_with_the_reason(organisation, hr, monkeypatch):
    def broken(report, path, *, progress):
        raise ValueError("disk on fire")

    monkeypatch.setitem(jobs.WRITERS, "xlsx", broken)
    job = start(hr)

    assert run(job) == "failed"
    job = reload(job)
    assert job.status == ExportJob.Status.FAILED
    assert "disk on fire" in job.error and job.file_path == ""


def test_expired_exports_lose_their_file_on_the_sweep(
    organisation, hr, django_capture_on_commit_callbacks
):
    job = start(hr)
    run(job)
    job = reload(job)
    assert default_storage.exists(job.file_path)

    with django_capture_on_commit_callbacks(execute=True):
        counts = sweep(organisation, now=job.expires_at + dt.timedelta(seconds=1))

    assert counts["expired"] == 1
    assert not default_storage.exists(job.file_path)
    assert (reload(job).status, reload(job).file_path) == (ExportJob.Status.EXPIRED, "")


def test_the_beat_sweeper_visits_every_organisation(organisation, other_organisation, hr):
    from tests.factories import MembershipFactory

    other_hr = MembershipFactory(organisation=other_organisation, is_hr=True)
    for who in (hr, other_hr):
        job = start(who)
        with organisation_scope(who.organisation_id):
            ExportJob.objects.filter(pk=job.pk).update(
                created_at=timezone.now() - dt.timedelta(minutes=10)
            )

    assert exports_sweep()["republished"] == 2


def test_transitions_are_checked_in_one_place():
    assert jobs.export_transition_allowed(source="queued", target="running")
    assert not jobs.export_transition_allowed(source="done", target="done")
    with pytest.raises(jobs.IllegalTransition):
        jobs.export_transition_allowed(source="done", target="running")
    with pytest.raises(jobs.IllegalTransition):
        jobs.export_transition_allowed(source="failed", target="queued")
