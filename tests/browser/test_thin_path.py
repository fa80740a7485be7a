"""The thin path through every part, as people use it in a real browser.

An author publishes a unit and assigns it to a team; an employee completes it;
the rollup runs; the manager sees the completion; a colleague who did not finish
gets a reminder by e-mail and in the app, and follows it back to the unit.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from analytics.tasks import rollup_organisation
from microlearning.models import Assignment
from nudges.services import links
from nudges.tasks import dispatch, plan_organisation
from organisations.tenancy import organisation_scope
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team_setup():
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en", nudge_after_days=2)
    joined = timezone.now() - dt.timedelta(days=30)
    manager = MembershipFactory(organisation=organisation, user__email="manager@acme.test")
    team = TeamFactory(organisation=organisation, name="Service desk", manager=manager)
    author = MembershipFactory(
        organisation=organisation, user__email="author@acme.test", is_author=True
    )
    employee = MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="employee@acme.test",
        user__first_name="Emma",
        created_at=joined,
    )
    colleague = MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="colleague@acme.test",
        user__first_name="Chris",
        created_at=joined,
    )
    return organisation, author, employee, colleague, manager


def test_thin_path_from_authoring_to_dashboard_and_reminder(
    browser, live_server, login, shoot, team_setup, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    organisation, author, employee, colleague, manager = team_setup
    base = f"{live_server.url}/o/{organisation.slug}"

    # The author writes, publishes and assigns a unit.
    page = browser.new_page()
    login(page, author.user.email, PASSWORD)
    page.get_by_role("link", name="Authoring").click()
    page.get_by_role("link", name="New unit").click()
    page.get_by_label("Title").fill("Handling a complaint")
    page.get_by_label("Text").fill("Listen first.\n\nThen summarise what you heard.")
    shoot(page, "author-unit-form")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("link", name="Assign to a team").click()
    page.get_by_label("Team").select_option(label="Service desk")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("table")).to_contain_text("Service desk")
    shoot(page, "author-unit-assigned")
    page.close()

    # The employee finds it on their home page and completes it.
    page = browser.new_page()
    login(page, employee.user.email, PASSWORD)
    expect(page).to_have_url(f"{base}/")
    page.get_by_role("link", name="Handling a complaint").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handling a complaint")
    page.get_by_role("button", name="Mark as complete").click()
    page.goto(f"{base}/")
    expect(page.get_by_role("region", name="Completed")).to_contain_text("Handling a complaint")
    shoot(page, "employee-home-completed")
    page.close()

    # The periodic rollup runs; the manager sees the completion on the dashboard.
    rollup_organisation.delay(organisation.pk)
    page = browser.new_page()
    login(page, manager.user.email, PASSWORD)
    page.get_by_role("link", name="My team").click()
    row = page.get_by_role("row").filter(has_text="Emma")
    expect(row).to_contain_text("1")
    shoot(page, "manager-dashboard")
    page.close()

    # Days later the colleague has not finished: one e-mail and one in-app reminder.
    with organisation_scope(organisation.pk):
        Assignment.objects.update(assigned_at=timezone.now() - dt.timedelta(days=3))
    mail.outbox.clear()
    plan_organisation.delay(organisation.pk)
    plan_organisation.delay(organisation.pk)  # running the planner again plans nothing twice
    dispatch.delay()
    dispatch.delay()  # nor does a second dispatcher send anything twice
    assert [m.to for m in mail.outbox] == [[colleague.user.email]]
    # its link is signed and recorded (nudges.services.links), and leads to the unit
    tokens = re.findall(r"/n/c/([^/\s]+)/", mail.outbox[0].body)
    targets = {links.click_token_read(token)[2] for token in tokens}
    assert any(target.startswith(f"/o/{organisation.slug}/units/") for target in targets)

    page = browser.new_page(viewport=PHONE)
    login(page, colleague.user.email, PASSWORD)
    page.get_by_role("link", name="Notifications, 1 unread").click()
    reminder = page.locator(".notification", has_text="Handling a complaint")
    expect(reminder).to_be_visible()
    shoot(page, "colleague-home-reminder-phone")
    reminder.get_by_role("button", name=re.compile("^Open")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handling a complaint")
    page.close()
