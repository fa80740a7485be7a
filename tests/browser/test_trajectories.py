"""Issue 7 in a real browser: L&D builds a seven-step blended trajectory, publishes it
and enrols a team; a learner completes the unit step and sees the rest of the path."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    TeamFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


STEPS = [
    ("unit", "Handling a complaint", {"Unit": "Handling a complaint"}),
    (
        "external",
        "Customer service basics (online)",
        {"Link to the module": "https://learn.example.org/basics"},
    ),
    ("assignment", "Handle a real complaint at the desk", {}),
    ("shadowing", "Shadow a senior colleague", {}),
    ("buddy", "Talk it through with your buddy", {}),
    ("reflection", "What did you learn?", {}),
    ("session", "Intervision with the team", {"Kind of session": "Intervision"}),
]


def test_author_builds_a_seven_step_trajectory_enrols_a_team_and_a_learner_starts(
    browser, live_server, login, shoot
):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    team = TeamFactory(organisation=organisation, name="Service desk")
    sub = TeamFactory(organisation=organisation, name="Evening shift", parent=team)
    MembershipFactory(organisation=organisation, user__email="author@acme.test", is_author=True)
    MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="learner@acme.test",
        user__first_name="Robin",
        user__last_name="Vos",
    )
    MembershipFactory(organisation=organisation, team=sub, user__email="evening@acme.test")
    MembershipFactory(
        organisation=organisation,
        user__email="buddy@acme.test",
        user__first_name="Sam",
        user__last_name="Buddy",
    )
    UnitFactory(organisation=organisation, title="Handling a complaint")
    base = f"{live_server.url}/o/acme"

    page = browser.new_page()
    login(page, "author@acme.test", PASSWORD)
    page.get_by_role("link", name="Authoring").click()
    tabs = page.get_by_role("navigation", name="Authoring")
    tabs.get_by_role("link", name="Trajectories").click()
    page.get_by_role("link", name="New trajectory").click()
    page.get_by_label("Title").fill("Starting at the service desk")
    page.get_by_label("Audience").fill("New service desk staff")
    page.get_by_role("button", name="Save draft").click()
    for kind, title, fields in STEPS:
        page.get_by_label("Kind of step").select_option(kind)
        page.get_by_role("button", name="Add a step").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Due after (work days)").fill(str(2 + 3 * len(title) % 20))
        for label, value in fields.items():
            field = page.get_by_label(label)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        page.get_by_label("Instructions").fill(f"**{title}**: do it at work this week.")
        page.get_by_role("button", name="Add step").click()
        expect(page.locator("body")).to_contain_text("Step added")
    expect(page.locator(".editor-block")).to_have_count(7)
    shoot(page, "trajectory-editor")
    page.set_viewport_size(PHONE)
    shoot(page, "trajectory-editor-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Preview as a learner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Starting at the service desk")
    page.go_back()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("body")).to_contain_text("Published")

    page.get_by_role("link", name="Enrol people").first.click()
    page.get_by_label("Or a whole team").select_option(label="Service desk")
    page.get_by_label("Buddy").select_option(label="Sam Buddy (buddy@acme.test)")
    page.get_by_role("button", name="Enrol").click()
    expect(page.locator("body")).to_contain_text("Enrolled: 2")
    shoot(page, "enrolment-overview")
    page.set_viewport_size(PHONE)
    shoot(page, "enrolment-overview-phone")

    learner = browser.new_page()
    login(learner, "learner@acme.test", PASSWORD)
    # The home is "My learning": what is due first in the trajectories, one link to them all.
    expect(learner.get_by_role("heading", name="Due first in your trajectories")).to_be_visible()
    learner.get_by_role("link", name="All my trajectories").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("My trajectories")
    learner.get_by_role("link", name="Starting at the service desk").click()
    expect(learner.locator("body")).to_contain_text("0% done")
    learner.get_by_role("link", name="Handling a complaint").click()
    learner.get_by_role("link", name="Open “Handling a complaint”").click()
    learner.get_by_role("button", name="Mark as complete").click()
    learner.goto(f"{base}/learning/")
    expect(learner.locator("body")).to_contain_text("1 of 7 steps done")
    shoot(learner, "my-learning")
    learner.get_by_role("link", name="Starting at the service desk").click()
    shoot(learner, "trajectory-page")
    learner.get_by_role("link", name="Customer service basics (online)").click()
    expect(learner.get_by_role("button", name="Mark as done")).to_be_visible()
    shoot(learner, "step-page")
    learner.set_viewport_size(PHONE)
    shoot(learner, "step-page-phone")
    learner.goto(f"{base}/learning/")
    shoot(learner, "my-learning-phone")
    learner.get_by_role("link", name="Starting at the service desk").first.click()
    shoot(learner, "trajectory-page-phone")
