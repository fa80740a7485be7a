"""The pages of issue 6 in a real browser: the account menu and page, the employee's home,
the manager's sortable team table, and a unit returning focus to the block acted on.
Each is shot on a desktop and a 390px phone (var/screenshots/pages-*.png)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    MembershipFactory,
    OrganisationFactory,
    catalogue_unit,
)
from tests.microlearning.learning_support import QUESTION_SINGLE

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "werkwijs-demo"


def both_sizes(page, shoot, name: str) -> None:
    shoot(page, f"pages-{name}")
    page.set_viewport_size(PHONE)
    shoot(page, f"pages-{name}-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def demo():
    call_command("seed_demo", force=True, verbosity=0)


def test_employee_finds_account_things_in_one_menu_and_page(
    browser, live_server, login, shoot, demo
):
    page = browser.new_page()
    login(page, "medewerker@horizon.demo", DEMO_PASSWORD)
    header = page.locator(".site-header")
    expect(header.get_by_role("link", name="API-tokens")).to_be_hidden()

    header.get_by_text("Account", exact=True).click()
    expect(header.get_by_role("link", name="API-tokens")).to_be_visible()
    expect(header.get_by_role("button", name="English")).to_be_visible()
    browser.check(page)  # the open menu, too, is readable
    shoot(page, "pages-account-menu")
    header.get_by_role("link", name="Je account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Je account")
    expect(page.get_by_role("link", name="Wachtwoord wijzigen")).to_be_visible()
    both_sizes(page, shoot, "account")
    page.close()


def test_employee_home_suggests_nothing_already_to_do_and_cards_say_when_and_how_long(
    browser, live_server, login, shoot, demo
):
    page = browser.new_page()
    login(page, "medewerker@horizon.demo", DEMO_PASSWORD)
    # Signed in on an English browser, greeted in the member's Dutch.
    expect(page.locator(".messages")).to_contain_text("Je bent nu ingelogd")
    to_do = page.get_by_role("region", name="Te doen", exact=True)
    for_you = page.get_by_role("region", name="Voor jou")
    titles = to_do.locator(".card-title").all_inner_texts()
    assert titles
    for title in titles:
        expect(for_you.get_by_text(title, exact=True)).to_have_count(0)
    expect(to_do.locator(".card-meta").first).to_contain_text(re.compile(r"minuten"))
    expect(to_do.locator(".card-meta").first).to_contain_text(re.compile(r"Klaar vóór|Te laat"))
    both_sizes(page, shoot, "home")
    page.close()


def test_manager_sorts_the_team_table_to_see_who_is_behind(
    browser, live_server, login, shoot, demo
):
    page = browser.new_page()
    login(page, "manager@horizon.demo", DEMO_PASSWORD)
    page.get_by_role("link", name="Mijn team").click()
    progress = page.get_by_role("columnheader", name=re.compile("Toegewezen leereenheden"))

    progress.get_by_role("link").click()

    expect(progress).to_have_attribute("aria-sort", "ascending")
    both_sizes(page, shoot, "team-table")
    progress.get_by_role("link").click()
    expect(progress).to_have_attribute("aria-sort", "descending")
    # On a phone the progress column is on screen without scrolling.
    page.set_viewport_size(PHONE)
    cell = page.locator(".progress-cell").first
    box = cell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    page.close()


def test_after_ticking_a_step_focus_and_the_result_are_at_the_checklist(
    browser, live_server, login, shoot
):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    learner = MembershipFactory(organisation=organisation, user__email="learner@acme.test")
    unit = catalogue_unit(
        organisation,
        title="Handling a complaint",
        language="en",
        blocks=[
            ("text", {"markdown": "Listen first."}),
            ("checklist", {"items": ["Listen", "Summarise", "Offer a solution"]}),
            ("question", QUESTION_SINGLE),
        ],
    )
    AssignmentFactory(unit=unit, member=learner)
    page = browser.new_page()
    login(page, learner.user.email, PASSWORD)
    page.get_by_role("link", name="Handling a complaint").click()

    page.get_by_role("button", name=re.compile("Summarise")).click()

    checklist = page.locator(".block-checklist")
    expect(checklist).to_be_focused()
    expect(checklist.get_by_role("status")).to_have_text("Ticked “Summarise”: 1 of 3 steps done.")
    page.keyboard.press("Tab")  # the keyboard carries on from the checklist
    expect(page.get_by_role("button", name=re.compile("Listen"))).to_be_focused()
    both_sizes(page, shoot, "unit-ticked")

    page.get_by_label("Argue").check()
    page.get_by_role("button", name="Check my answer").click()
    question = page.locator(".block-question")
    expect(question).to_be_focused()
    expect(question.get_by_role("status")).to_have_text("Not quite. Have another go.")
    page.close()
