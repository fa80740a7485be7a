"""Each demo persona signs in with the README's login and lands on their own page,
in their organisation's language; the language switch turns a page Dutch."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "werkwijs-demo"


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        translated = translation.gettext(text)
    if language != "en":
        assert translated != text, f"no {language} translation for {text!r}"
    return translated


@pytest.fixture
def demo():
    call_command("seed_demo", force=True, verbosity=0)


@pytest.mark.parametrize(
    ("email", "language", "nav_link", "heading"),
    [
        ("medewerker@horizon.demo", "nl", "My learning", "My learning"),
        ("manager@horizon.demo", "nl", "My team", "My team"),
        ("auteur@horizon.demo", "nl", "Authoring", "Units"),
        ("hr@horizon.demo", "nl", "Reports", "Completions per team per week"),
        ("admin@horizon.demo", "nl", "Organisation", "Members"),
        ("employee@northwind.demo", "en", "My learning", "My learning"),
    ],
)
def test_persona_signs_in_and_sees_their_page(
    browser, live_server, login, shoot, demo, email, language, nav_link, heading
):
    page = browser.new_page()
    login(page, email, DEMO_PASSWORD)
    if email.startswith("admin@"):
        # The admin belongs to both demo organisations and chooses one first, in the
        # browser's language: outside an organisation there is no organisation default.
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose an organisation")
        page.get_by_role("link", name="Zorggroep Horizon").click()
    page.get_by_role("link", name=in_language(language, nav_link)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(in_language(language, heading))
    name = email.replace("@", "-").removesuffix(".demo")
    shoot(page, f"persona-{name}")
    page.set_viewport_size(PHONE)
    shoot(page, f"persona-{name}-phone")
    # Readable on a phone: nothing widens the page beyond the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()


def test_language_switch_turns_the_page_dutch_and_is_remembered(browser, live_server, login, shoot):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    member = MembershipFactory(organisation=organisation, user__email="sam@acme.test")
    page = browser.new_page()
    login(page, member.user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")

    # Account things, the language among them, live in the header's account menu.
    page.get_by_text("Account", exact=True).click()
    page.get_by_role("button", name="Nederlands").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(in_language("nl", "My learning"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    shoot(page, "language-switched-to-dutch")
    member.user.refresh_from_db()
    assert member.user.language == "nl"
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_language("nl", "My learning"))
    page.close()
