"""A learner chooses when reminders come, and unsubscribes from one kind from an e-mail."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nudges.models import Nudge, NudgePreferences
from nudges.services import links
from organisations.tenancy import organisation_scope
from tests import factories
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_sets_quiet_hours_and_unsubscribes_from_one_kind(
    browser, live_server, login, shoot
):
    organisation = factories.OrganisationFactory(slug="acme", name="Acme", language="en")
    member = factories.MembershipFactory(organisation=organisation, user__language="en")
    page = browser.new_page()
    login(page, member.user.email, factories.PASSWORD)

    # from the account menu to the preferences
    page.goto(f"{live_server.url}/o/acme/")
    page.get_by_text("Account", exact=True).click()
    page.get_by_role("link", name="Reminder preferences").click()
    expect(page.get_by_role("heading", name="Reminder preferences", level=1)).to_be_visible()

    # quiet hours covering the whole day are refused on their field, nothing saved
    page.get_by_label("Quiet from").fill("09:00")
    page.get_by_label("Quiet until").fill("09:00")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Quiet hours cannot cover the whole day")).to_be_visible()
    shoot(page, "nudge-preferences-error")

    page.get_by_label("Quiet from").fill("18:00")
    page.get_by_label("Quiet until").fill("08:00")
    page.get_by_label("Repeat it: E-mail").uncheck()
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your reminder preferences are saved.")).to_be_visible()
    shoot(page, "nudge-preferences")
    page.set_viewport_size(PHONE)
    shoot(page, "nudge-preferences-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with organisation_scope(organisation.pk):
        own = NudgePreferences.objects.get(member=member)
    assert own.switched_off == ["repeat:email"] and own.time_zone == "Europe/Lisbon"

    # the footer link of a "finish" e-mail, opened signed out: confirm, then done
    nudge = Nudge(organisation=organisation, member=member, kind=Nudge.Kind.FINISH)
    anonymous = browser.new_page(viewport=PHONE)
    anonymous.goto(links.unsubscribe_url(nudge).replace("http://127.0.0.1:8000", live_server.url))
    expect(anonymous.get_by_role("heading", name="Unsubscribe from these e-mails?")).to_be_visible()
    shoot(anonymous, "nudge-unsubscribe-confirm")
    anonymous.get_by_role("button", name="Unsubscribe").click()
    expect(anonymous.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    shoot(anonymous, "nudge-unsubscribe-done")
    with organisation_scope(organisation.pk):
        own.refresh_from_db()
    assert own.switched_off == ["finish:email", "repeat:email"]


def test_an_admin_sees_the_reminder_defaults_beside_the_settings(
    browser, live_server, login, shoot
):
    organisation = factories.OrganisationFactory(slug="acme", name="Acme", language="en")
    admin = factories.MembershipFactory(
        organisation=organisation, is_admin=True, user__language="en"
    )
    page = browser.new_page()
    login(page, admin.user.email, factories.PASSWORD)

    page.goto(f"{live_server.url}/o/acme/manage/settings/")
    page.locator(".subnav").get_by_role("link", name="Reminder defaults").click()
    expect(page.get_by_role("heading", name="Reminder defaults", level=1)).to_be_visible()
    expect(page.get_by_text("Not saved yet")).to_be_visible()
    page.get_by_label("Reminders a day at most").fill("0")
    page.get_by_role("button", name="Save defaults").click()
    expect(page.get_by_text("Allow at least one reminder a day.")).to_be_visible()
    page.get_by_label("Reminders a day at most").fill("4")
    page.get_by_role("button", name="Save defaults").click()
    expect(page.get_by_text("Reminder defaults saved.")).to_be_visible()
    shoot(page, "nudge-defaults")
