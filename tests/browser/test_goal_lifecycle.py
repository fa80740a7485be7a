"""Issue 7's goal in a real browser: a learner drafts a goal with a plan and proposes it,
the manager agrees it on their team goals page, two check-ins (the manager answers one),
the learner closes it achieved and shares it (a teammate's kudos: test_blended_story)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from goals.models import Goal, Recognition
from tests.browser.conftest import PHONE
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    SkillFactory,
    TeamFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def choose(option):
    option.dispatch_event("click")
    expect(option).to_be_checked()


@pytest.fixture
def people():
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    manager = MembershipFactory(
        organisation=organisation, user__email="manager@acme.test", user__first_name="Maud"
    )
    team = TeamFactory(organisation=organisation, name="Planning", manager=manager)
    learner = MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="learner@acme.test",
        user__first_name="Sanne",
        user__last_name="de Vries",
    )
    SkillFactory(organisation=organisation, name="Planning")
    UnitFactory(organisation=organisation, title="Planning in ten minutes")
    return organisation, learner, manager


def test_goal_from_draft_to_shared_with_the_team(browser, live_server, login, shoot, people):
    organisation, learner, manager = people
    base = f"{live_server.url}/o/{organisation.slug}"
    target = (timezone.localdate() + dt.timedelta(days=45)).isoformat()

    # The learner drafts a goal and its plan, then proposes it.
    page = browser.new_page()
    login(page, learner.user.email, PASSWORD)
    page.get_by_role("link", name="My goals").first.click()
    page.get_by_role("link", name="New goal").click()
    page.get_by_label("Goal", exact=True).fill("Chair the weekly planning meeting")
    page.get_by_label("Why it matters").fill("The team relies on a clear plan each week.")
    page.get_by_label("Skill").select_option(label="Planning")
    page.get_by_label("Where I am now").select_option("2")
    page.get_by_label("Where I want to be").select_option("4")
    page.get_by_label("Target date").fill(target)
    page.get_by_label("Hours per week").fill("2")
    shoot(page, "goals-learner-form")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chair the weekly planning meeting")

    plan = page.locator("#plan")
    plan.get_by_label("Kind of learning").select_option("experience")
    plan.get_by_label("Activity").fill("Lead the Monday planning for four weeks")
    plan.get_by_role("button", name="Add to plan").click()
    plan.get_by_label("Kind of learning").select_option("formal")
    plan.get_by_label("Or link a unit").select_option(label="Planning in ten minutes")
    plan.get_by_role("button", name="Add to plan").click()
    expect(plan).to_contain_text("Lead the Monday planning for four weeks")
    expect(plan).to_contain_text("Planning in ten minutes")
    page.get_by_label("A note for your manager (optional)").fill("Two hours a week?")
    page.get_by_role("button", name="Propose to my manager").click()
    expect(page.locator(".badge.proposed").first).to_be_visible()
    shoot(page, "goals-learner-proposed")
    page.close()

    # The manager agrees it in place on the team goals page.
    page = browser.new_page()
    login(page, manager.user.email, PASSWORD)
    page.get_by_role("link", name="My team").click()
    page.get_by_role("navigation", name="My team").get_by_role("link", name="Team goals").click()
    expect(page.get_by_role("heading", name="1 goal to agree")).to_be_visible()
    shoot(page, "goals-manager-team-goals")
    page.get_by_role("button", name="Agree “Chair the weekly planning meeting”").click()
    expect(page.get_by_role("heading", name="0 goals to agree")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Chair the weekly planning meeting")
    phone = browser.new_page(viewport=PHONE)
    login(phone, manager.user.email, PASSWORD)
    phone.goto(f"{base}/goals/team/")
    shoot(phone, "goals-manager-team-goals-phone")
    phone.close()
    page.close()
    with scopes_disabled():
        goal = Goal.objects.get()
    assert goal.status == Goal.Status.AGREED

    # Two check-ins by the learner; the manager answers the first.
    page = browser.new_page()
    login(page, learner.user.email, PASSWORD)
    goal_url = f"{base}/goals/{goal.pk}/"
    for progress, note in (
        ("2", "Led the first planning; it ran long."),
        ("4", "Kept it to 30 min."),
    ):
        page.goto(goal_url)
        form = page.locator("#check-ins form")
        choose(form.get_by_label(progress, exact=True))
        form.get_by_label("What happened").fill(note)
        form.get_by_role("button", name="Save check-in").click()
        expect(page.locator("#check-ins")).to_contain_text(note)
    page.close()

    page = browser.new_page()
    login(page, manager.user.email, PASSWORD)
    page.goto(goal_url)
    first = page.locator("#check-ins li").first
    choose(first.get_by_label("3", exact=True))
    first.get_by_label("Feedback").fill("Good start: share the agenda the day before.")
    first.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#check-ins")).to_contain_text("share the agenda the day before")
    shoot(page, "goals-manager-goal-page")
    page.close()

    # The learner finishes the plan, closes the goal as achieved and shares it.
    page = browser.new_page()
    login(page, learner.user.email, PASSWORD)
    page.goto(goal_url)
    activity = page.locator("#plan li", has_text="Lead the Monday planning")
    activity.get_by_label("Status of “Lead the Monday planning for four weeks”").select_option(
        "done"
    )
    activity.get_by_role("button", name="Update").click()
    expect(page.locator("#plan li", has_text="Lead the Monday planning")).to_contain_text("Done")
    close = page.locator("#close form")
    choose(close.get_by_label("Achieved", exact=True))
    close.get_by_label("Your proficiency now (1-5)").select_option("4")
    close.get_by_role("button", name="Close goal").click()
    expect(page.get_by_text("Achieved").first).to_be_visible()
    with scopes_disabled():
        assert not Recognition.objects.exists()
    page.get_by_label("A word for your team (optional)").fill("Thanks for your patience!")
    page.get_by_role("button", name="Share with my team").click()
    expect(page.locator("#share")).to_contain_text("Shared with the team")
    shoot(page, "goals-learner-goal-achieved")
    page.close()

    phone = browser.new_page(viewport=PHONE)
    login(phone, learner.user.email, PASSWORD)
    phone.goto(goal_url)
    shoot(phone, "goals-learner-goal-phone")
    phone.goto(f"{base}/goals/")
    shoot(phone, "goals-learner-list-phone")
    phone.close()
