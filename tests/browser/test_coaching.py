"""A manager lands on the coaching view, approves evidence in place, and after the rollup sees
the week's "steps signed off" go up (desktop and phone)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from analytics.services import organisation_rollup
from courses.models import StepProgress
from organisations.tenancy import organisation_scope
from tests.analytics.coaching_world import coaching_world
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _rollup(organisation) -> None:
    with organisation_scope(organisation.pk):
        organisation_rollup(organisation=organisation, settle=dt.timedelta(0))


def _signed_off_this_week(page) -> str:
    chart = page.locator(".trend-chart").filter(has_text="Steps signed off")
    chart.locator("summary").click()
    return chart.locator("tbody tr").last.locator("td").inner_text()


def test_manager_signs_off_evidence_from_the_coaching_view_and_sees_the_figure_change(
    browser, live_server, login, shoot
):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    with organisation_scope(organisation.pk):
        world = coaching_world(organisation)
    _rollup(organisation)
    learner = world.learner.display_name

    phone = browser.new_page(viewport=PHONE)
    login(phone, world.manager.user.email, PASSWORD)
    expect(phone.get_by_role("heading", name="Coaching", level=1)).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the coaching view scrolls sideways on a phone ({width}px)"
    shoot(phone, "coaching-phone")
    phone.close()

    page = browser.new_page()
    login(page, world.manager.user.email, PASSWORD)  # lands on the coaching view
    expect(page.get_by_role("heading", name="Coaching", level=1)).to_be_visible()
    needs = page.locator(".needs")
    expect(needs).to_contain_text("waits for your sign-off")
    assert _signed_off_this_week(page) == "0"
    shoot(page, "coaching")

    page.get_by_role("button", name=f"Approve {learner}’s evidence").click()
    expect(page.locator(".messages")).to_contain_text(f"Approved: {learner} is told.")
    expect(page.get_by_role("heading", name="Coaching", level=1)).to_be_visible()
    expect(needs).not_to_contain_text("waits for your sign-off")
    with scopes_disabled():
        world.evidence.progress.refresh_from_db()
        assert world.evidence.progress.status == StepProgress.Status.DONE
    # The trend reads the rollup: the sign-off counts once the rollup has run.
    assert _signed_off_this_week(page) == "0"

    _rollup(organisation)
    page.reload()
    assert _signed_off_this_week(page) == "1"

    page.get_by_role("link", name=world.colleague.display_name).first.click()
    expect(page.get_by_role("heading", name=world.colleague.display_name, level=1)).to_be_visible()
    expect(page.locator("body")).to_contain_text("Use the checklist at every handover")
    shoot(page, "coaching-member")
    page.close()
