"""The export pages: start, progress (with and without JavaScript), signed download links."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.exports import jobs, links
from analytics.exports.source import export_report
from analytics.models import ExportJob
from organisations.tenancy import organisation_scope
from tests.analytics.conftest import complete
from tests.analytics.exports.conftest import rollup
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def url(organisation, name: str, *args) -> str:
    return reverse(f"analytics:{name}", args=[organisation.slug, *args])


def finished_export(membership, fmt="xlsx") -> ExportJob:
    with organisation_scope(membership.organisation_id):
        job = jobs.export_start(
            membership=membership, format=fmt, parameters={"weeks": 4}, language="en"
        )
    jobs.export_run(organisation_id=job.organisation_id, export_id=job.pk)
    with organisation_scope(membership.organisation_id):
        return ExportJob.objects.get(pk=job.pk)


def download_url(job: ExportJob, organisation) -> str:
    token = links.export_download_token(organisation_id=job.organisation_id, export_id=job.pk)
    return url(organisation, "export_download", token)


def test_hr_starts_an_export_and_lands_on_its_progress_page(client, organisation, hr):
    client.force_login(hr.user)

    team = TeamFactory(organisation=organisation)
    response = client.post(
        url(organisation, "export_start"),
        {"format": "pdf", "weeks": "26", "team": str(team.pk), "skill": "", "other": "x"},
    )

    with organisation_scope(organisation.pk):
        job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(organisation, "export_detail", job.pk)
    assert (job.format, job.requested_by) == ("pdf", hr)
    assert job.parameters == {"weeks": "26", "team": str(team.pk)}
    page = client.get(response["Location"]).content.decode()
    assert '<progress id="export-progress"' in page
    # Without JavaScript the page reloads itself; with it, the script polls the status.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert url(organisation, "export_status", job.pk) in page
    assert "Waiting for a free worker" in page


def test_the_status_answers_in_json_for_the_polling_script(client, organisation, hr):
    with organisation_scope(organisation.pk):
        job = jobs.export_start(membership=hr, format="csv", parameters={}, language="en")
        ExportJob.objects.filter(pk=job.pk).update(
            status="running", progress_done=30, progress_total=120
        )
    client.force_login(hr.user)

    state = client.get(url(organisation, "export_status", job.pk)).json()

    assert state == {
        "status": "running",
        "done": 30,
        "total": 120,
        "percent": 25,
        "active": True,
        "label": "Writing the export: 30 of 120 rows",
    }


def test_a_finished_export_shows_a_download_link_that_gives_the_file(client, organisation, hr):
    job = finished_export(hr)
    client.force_login(hr.user)

    page = client.get(url(organisation, "export_detail", job.pk)).content.decode()
    assert "http-equiv" not in page and "export-progress.js" not in page
    start = page.index(url(organisation, "export_download", "X")[:-2])
    href = page[start : page.index('"', start)]
    response = client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"PK\x03\x04")


def test_only_the_requester_or_hr_of_the_organisation_may_download(client, organisation, hr):
    job = finished_export(hr)
    other_hr = MembershipFactory(organisation=organisation, is_hr=True)
    learner = MembershipFactory(organisation=organisation)
    link = download_url(job, organisation)

    client.force_login(other_hr.user)
    assert client.get(link).status_code == 200
    client.force_login(learner.user)
    assert client.get(link).status_code == 404
    assert client.get(url(organisation, "export_detail", job.pk)).status_code == 404
    # A requester who is no longer HR still gets their own export.
    hr.is_hr = False
    hr.save(update_fields=["is_hr"])
    client.force_login(hr.user)
    assert client.get(link).status_code == 200
    client.logout()
    assert client.get(link).status_code == 302  # to the login page


def test_a_tampered_link_gets_a_friendly_page(client, organisation, hr):
    job = finished_export(hr)
    token = links.export_download_token(organisation_id=organisation.pk, export_id=job.pk)
    client.force_login(hr.user)

    for broken in (token[:-3] + "abc", "not-a-token", token.replace(":", "x", 1)):
        response = client.get(url(organisation, "export_download", broken))
        assert response.status_code == 400
        assert "This download link is not valid" in response.content.decode()


def test_an_expired_link_gets_a_friendly_page(client, organisation, hr, monkeypatch):
    job = finished_export(hr)
    day_ago = int(time.time()) - 25 * 3600
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(day_ago)
    )
    link = download_url(job, organisation)
    monkeypatch.undo()
    client.force_login(hr.user)

    response = client.get(link)

    assert response.status_code == 410
    assert "This download link has expired" in response.content.decode()


def test_an_expired_export_gets_a_friendly_page_even_with_a_fresh_link(
    client, organisation, hr, django_capture_on_commit_callbacks
):
    job = finished_export(hr)
    with django_capture_on_commit_callbacks(execute=True), organisation_scope(organisation.pk):
        jobs.exports_sweep(organisation=organisation, now=job.expires_at + dt.timedelta(seconds=1))
    client.force_login(hr.user)

    response = client.get(download_url(job, organisation))

    assert response.status_code == 410
    page = client.get(url(organisation, "export_detail", job.pk)).content.decode()
    assert "This export has expired" in page


def test_another_organisations_export_is_unreachable(client, organisation, other_organisation, hr):
    foreign_hr = MembershipFactory(organisation=other_organisation, is_hr=True)
    foreign = finished_export(foreign_hr)
    client.force_login(hr.user)

    # Its id in our organisation's pages, and its genuine link moved into our organisation.
    assert client.get(url(organisation, "export_detail", foreign.pk)).status_code == 404
    assert client.get(url(organisation, "export_status", foreign.pk)).status_code == 404
    token = links.export_download_token(organisation_id=other_organisation.pk, export_id=foreign.pk)
    assert client.get(url(organisation, "export_download", token)).status_code == 404
    # A link naming our organisation with the other's job id finds nothing either.
    forged = links.export_download_token(organisation_id=organisation.pk, export_id=foreign.pk)
    assert client.get(url(organisation, "export_download", forged)).status_code == 404
    # And in the other organisation, we are nobody.
    assert client.get(url(other_organisation, "export_download", token)).status_code == 404


def test_only_hr_may_start_an_export_and_only_by_post(client, organisation, hr):
    learner = MembershipFactory(organisation=organisation)
    client.force_login(learner.user)
    assert client.post(url(organisation, "export_start"), {"format": "xlsx"}).status_code == 403
    client.force_login(hr.user)
    assert client.get(url(organisation, "export_start")).status_code == 405
    response = client.post(url(organisation, "export_start"), {"format": "docx"})
    assert response.status_code == 400
    assert "Choose CSV, XLSX or PDF" in response.content.decode()
    response = client.post(url(organisation, "export_start"), {"format": "xlsx", "weeks": "7"})
    assert response.status_code == 400
    assert "Choose a period of 4, 12, 26 or 52 weeks." in response.content.decode()
    with organisation_scope(organisation.pk):
        assert not ExportJob.objects.exists()


def test_the_impact_page_exports_with_its_current_filters(client, organisation, hr, people):
    client.force_login(hr.user)
    end = dt.date.today() - dt.timedelta(days=3)

    page = client.get(
        url(organisation, "hr_impact"),
        {"weeks": "26", "team": str(people.sales.pk), "end": end.isoformat()},
    ).content.decode()

    assert f'action="{url(organisation, "export_start")}"' in page
    assert '<input type="hidden" name="weeks" value="26">' in page
    assert f'<input type="hidden" name="team" value="{people.sales.pk}">' in page
    assert f'<input type="hidden" name="end" value="{end.isoformat()}">' in page
    assert 'name="trajectory"' not in page.split("export-heading")[1]


def test_the_report_page_offers_the_export_and_lists_recent_ones(client, organisation, hr):
    job = finished_export(hr, "csv")
    client.force_login(hr.user)

    page = client.get(url(organisation, "organisation_report"), {"weeks": 26}).content.decode()

    assert f'action="{url(organisation, "export_start")}"' in page
    assert '<input type="hidden" name="weeks" value="26">' in page
    assert url(organisation, "export_detail", job.pk) in page


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def test_query_counts_do_not_grow_with_teams_members_or_exports(
    client, organisation, hr, completions
):
    client.force_login(hr.user)

    def report():
        with organisation_scope(organisation.pk):
            export_report(organisation=organisation, parameters={"weeks": 52})

    job = finished_export(hr)
    client.get(url(organisation, "organisation_report"))  # the session's first save, say
    before = {
        "report": _queries(report),
        "page": _queries(lambda: client.get(url(organisation, "organisation_report"))),
        "detail": _queries(lambda: client.get(url(organisation, "export_detail", job.pk))),
    }
    for n in range(8):
        team = TeamFactory(organisation=organisation, name=f"Team {n}")
        for _m in range(3):
            complete(MembershipFactory(organisation=organisation, team=team))
        finished_export(hr)
    rollup(organisation)
    after = {
        "report": _queries(report),
        "page": _queries(lambda: client.get(url(organisation, "organisation_report"))),
        "detail": _queries(lambda: client.get(url(organisation, "export_detail", job.pk))),
    }

    assert after == before
