"""The admin sets whose public holidays count and adds a day off, in Dutch, on a phone too."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_adds_a_day_off_that_due_dates_will_skip(browser, live_server, login, shoot):
    call_command("seed_demo", force=True, verbosity=0)
    page = browser.new_page()
    login(page, "admin@horizon.demo", "werkwijs-demo")

    page.goto(f"{live_server.url}/o/horizon/manage/work-days/")
    expect(page.get_by_role("heading", name="Werkdagen", level=1)).to_be_visible()
    expect(page.get_by_text("Eerste kerstdag").first).to_be_visible()

    page.get_by_label("Datum").fill("2031-05-02")
    page.get_by_label("Naam").fill("Heidag")
    page.get_by_role("button", name="Vrije dag toevoegen").click()

    expect(page.get_by_text("Werkdagen opgeslagen.")).to_be_visible()
    expect(page.locator(".day-list").get_by_text("Heidag")).to_be_visible()
    shoot(page, "work-days")
    page.set_viewport_size(PHONE)
    shoot(page, "work-days-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
