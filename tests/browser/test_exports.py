"""HR starts an XLSX export, watches its progress and downloads it, in a real browser.

The broker is "down" here (publishing does nothing), so the export waits queued as it
would for a busy worker; the test then runs the job as a worker would, and the page
notices by itself: by polling with JavaScript, or by reloading without it.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from analytics import services
from analytics.exports import jobs
from analytics.models import ExportJob
from organisations.tenancy import organisation_scope
from tests.analytics.conftest import complete
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hr_setup(monkeypatch):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    hr = MembershipFactory(
        organisation=organisation, is_hr=True, user__email="hr@acme.test", user__first_name="Hanna"
    )
    team = TeamFactory(organisation=organisation, name="Zorg & Welzijn")
    for name in ("Ilse", "Joël"):
        member = MembershipFactory(organisation=organisation, team=team, user__first_name=name)
        complete(member)
    with organisation_scope(organisation.pk):
        services.team_daily_rollup(organisation=organisation)
    published = []
    monkeypatch.setattr(jobs, "export_publish", lambda **kwargs: published.append(kwargs))
    return organisation, hr, published


def _the_worker_runs(organisation, published) -> None:
    assert len(published) == 1
    jobs.export_run(**published[0])
    with organisation_scope(organisation.pk):
        assert ExportJob.objects.get().status == ExportJob.Status.DONE


def test_hr_starts_an_xlsx_export_watches_its_progress_and_downloads_it(
    browser, live_server, login, shoot, hr_setup, tmp_path
):
    organisation, hr, published = hr_setup
    page = browser.new_page(accept_downloads=True)
    login(page, hr.user.email, PASSWORD)
    page.goto(f"{live_server.url}/o/{organisation.slug}/dashboard/hr/impact/?weeks=26")
    export = page.get_by_role("region", name="Export the report")
    export.get_by_label("Excel (XLSX)").check()
    shoot(page, "hr-report-export-form")
    export.get_by_role("button", name="Start export").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Export as XLSX")
    expect(page.get_by_role("status")).to_contain_text("Waiting for a free worker")
    expect(page.locator("progress")).to_have_attribute("value", "0")
    shoot(page, "hr-export-progress")

    _the_worker_runs(organisation, published)
    # The page's script polls the status and reloads once the export is done.
    download_link = page.get_by_role("link", name="Download the XLSX file")
    expect(download_link).to_be_visible(timeout=10_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    shoot(page, "hr-export-done")
    with page.expect_download() as download:
        download_link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    page.close()

    assert path.suffix == ".xlsx"
    book = load_workbook(path)
    assert book.sheetnames[0] == "Summary"
    assert "Trend per week" in book.sheetnames
    # A team of two: its figures stay hidden in the file, as on the page.
    per_team = {row[0]: row[1:] for row in book["Per team"].iter_rows(values_only=True)}
    assert "hidden (fewer than 5 people)" in per_team["Zorg & Welzijn"]
    assert 2 not in per_team["Zorg & Welzijn"]
    assert book["Per team"].freeze_panes == "A2"
    with organisation_scope(organisation.pk):
        assert ExportJob.objects.get().parameters["weeks"] == "26"

    phone = browser.new_page(viewport=PHONE)
    login(phone, hr.user.email, PASSWORD)
    with organisation_scope(organisation.pk):
        job = ExportJob.objects.get()
    phone.goto(f"{live_server.url}/o/{organisation.slug}/dashboard/report/exports/{job.pk}/")
    expect(phone.get_by_role("link", name="Download the XLSX file")).to_be_visible()
    shoot(phone, "hr-export-done-phone")
    phone.goto(f"{live_server.url}/o/{organisation.slug}/dashboard/hr/impact/")
    shoot(phone, "hr-report-export-form-phone")
    phone.goto(f"{live_server.url}/o/{organisation.slug}/dashboard/report/exports/download/x:y/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Download not available")
    shoot(phone, "hr-export-link-tampered-phone")


def test_without_javascript_the_progress_page_reloads_until_the_export_is_done(
    browser, live_server, login, hr_setup
):
    organisation, hr, published = hr_setup
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, hr.user.email, PASSWORD)
    page.goto(f"{live_server.url}/o/{organisation.slug}/dashboard/report/")
    page.get_by_label("Printable PDF").check()
    page.get_by_role("button", name="Start export").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for a free worker")

    _the_worker_runs(organisation, published)

    expect(page.get_by_role("link", name="Download the PDF file")).to_be_visible(timeout=10_000)
    context.close()
