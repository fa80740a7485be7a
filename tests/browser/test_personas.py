"""Each demo persona signs in with the README's login and lands on their own page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "werkwijs-demo"


@pytest.fixture
def demo():
    call_command("seed_demo", force=True, verbosity=0)


@pytest.mark.parametrize(
    ("email", "nav_link", "heading"),
    [
        ("medewerker@horizon.demo", "My learning", "My learning"),
        ("manager@horizon.demo", "My team", "My team"),
        ("auteur@horizon.demo", "Authoring", "Units"),
        ("hr@horizon.demo", "Reports", "Completions per team per week"),
        ("admin@horizon.demo", "Organisation", "Members"),
        ("employee@northwind.demo", "My learning", "My learning"),
    ],
)
def test_persona_signs_in_and_sees_their_page(
    browser, live_server, login, shoot, demo, email, nav_link, heading
):
    # Demo organisations speak Dutch or English; these checks read English.
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    login(page, email, DEMO_PASSWORD)
    if email.startswith("admin@"):
        # The admin belongs to both demo organisations and chooses one first.
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose an organisation")
        page.get_by_role("link", name="Zorggroep Horizon").click()
    switch = page.get_by_role("button", name="English")
    if switch.count():
        switch.click()
    page.get_by_role("link", name=nav_link).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    name = email.split("@")[0] + "-" + email.split("@")[1].split(".")[0]
    shoot(page, f"persona-{name}")
    page.set_viewport_size(PHONE)
    shoot(page, f"persona-{name}-phone")
    context.close()
