"""Naming a buddy after enrolling, in a real browser: a manager follows the step page's link
to the "Buddy for <name>" page, picks a teammate and is back on the step; the buddy then
finds the conversation on their home. Shot on a desktop and a 390px phone
(var/screenshots/buddy-page*.png)."""

from __future__ import annotations

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from courses.models import Step
from courses.services import enrolments
from tests.browser.conftest import PHONE
from tests.courses.factories import trajectory_with
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_names_a_buddy_from_the_step_page_and_the_buddy_sees_the_talk(
    browser, live_server, login, shoot
):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    manager = MembershipFactory(
        organisation=organisation,
        user__email="manager@acme.test",
        user__first_name="Mia",
        user__last_name="Manager",
    )
    team = TeamFactory(organisation=organisation, name="Service desk", manager=manager)
    learner = MembershipFactory(
        organisation=organisation,
        team=team,
        user__first_name="Robin",
        user__last_name="Vos",
    )
    MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="sam@acme.test",
        user__first_name="Sam",
        user__last_name="de Boer",
    )
    with scope(organisation=organisation):
        trajectory = trajectory_with(organisation, [Step.Kind.BUDDY])
        enrolment = enrolments.enrolment_create(
            trajectory=trajectory, membership=learner, by=trajectory.created_by
        )
        talk = enrolment.progress.get()
    base = f"{live_server.url}/o/acme"

    page = browser.new_page()
    login(page, "manager@acme.test", PASSWORD)
    page.goto(f"{base}/learning/steps/{talk.pk}/")
    expect(page.locator("body")).to_contain_text("This trajectory has no buddy yet.")
    page.get_by_role("link", name="Name a buddy").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Buddy for Robin Vos")
    select = page.get_by_label("Buddy:", exact=True)
    expect(select.locator("option")).to_have_text(
        ["No buddy (yet)", "Mia Manager (manager@acme.test)", "Sam de Boer (sam@acme.test)"]
    )
    select.select_option(label="Sam de Boer (sam@acme.test)")
    shoot(page, "buddy-page")
    page.set_viewport_size(PHONE)
    shoot(page, "buddy-page-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Save buddy").click()

    expect(page.locator(".messages")).to_contain_text("Buddy saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buddy conversation")
    expect(page.locator("body")).to_contain_text("their buddy Sam de Boer")

    page.goto(f"{base}/enrolments/")
    row = page.get_by_role("row", name="Robin Vos")
    expect(row).to_contain_text("Sam de Boer")
    expect(row.get_by_role("link", name="Change buddy Robin Vos")).to_be_visible()
    shoot(page, "buddy-enrolments")
    page.close()

    page = browser.new_page()
    login(page, "sam@acme.test", PASSWORD)
    buddy = page.get_by_role("region", name="As a buddy")
    expect(buddy).to_contain_text("Robin Vos")
    page.close()
