"""Group sessions in a real browser: L&D plans an intervision, a learner books it and
takes the invitation, the facilitator marks attendance. Desktop and phone; the learner
seeing the step done is part of test_blended_story."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from courses.models import Session, StepProgress
from tests.browser.conftest import PHONE
from tests.courses.session_factories import enrol, session_trajectory
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_l_and_d_plans_learner_books_facilitator_marks_attended(browser, live_server, login, shoot):
    organisation = OrganisationFactory(
        slug="acme", name="Acme", language="en", time_zone="Europe/Amsterdam"
    )
    team = TeamFactory(organisation=organisation, name="Service desk")
    MembershipFactory(
        organisation=organisation,
        user__email="author@acme.test",
        is_author=True,
        user__first_name="Anna",
        user__last_name="Auteur",
    )
    facilitator = MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="fenna@acme.test",
        user__first_name="Fenna",
        user__last_name="Facilitator",
    )
    learner = MembershipFactory(
        organisation=organisation,
        team=team,
        user__email="learner@acme.test",
        user__first_name="Lars",
        user__last_name="Leerling",
    )
    with scopes_disabled():
        trajectory = session_trajectory(organisation, title="New team leaders")
        enrolment = enrol(trajectory, learner)
    base = f"{live_server.url}/o/acme"
    day = timezone.localdate() + dt.timedelta(days=10)

    # L&D plans an intervision session for the trajectory's session step.
    page = browser.new_page()
    login(page, "author@acme.test", PASSWORD)
    page.goto(f"{base}/trajectories/{trajectory.pk}/sessions/")
    expect(page.get_by_role("heading", name="Intervision on feedback")).to_be_visible()
    page.get_by_role("link", name="Plan a session").click()
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("From").fill("09:30")
    page.get_by_label("Until").fill("11:30")
    page.get_by_label("Place:", exact=True).fill("Room 2.14, head office")
    page.get_by_label("Places:", exact=True).fill("8")
    page.get_by_label("Facilitator").select_option(str(facilitator.pk))
    shoot(page, "sessions-plan-form")
    page.get_by_role("button", name="Plan session").click()
    expect(page.locator("body")).to_contain_text("Session planned.")
    expect(page.locator("body")).to_contain_text("09:30")
    with scopes_disabled():
        session = Session.objects.get()
    page.goto(f"{base}/trajectories/{trajectory.pk}/sessions/")
    shoot(page, "sessions-schedule")
    page.close()

    # The learner books it and can take the invitation into their calendar.
    page = browser.new_page()
    login(page, "learner@acme.test", PASSWORD)
    page.goto(f"{base}/sessions/{session.pk}/")
    page.get_by_role("button", name="Book a place").click()
    expect(page.locator("body")).to_contain_text("Booked. Add the invitation to your calendar.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    assert download.value.suggested_filename == f"session-{session.pk}.ics"
    shoot(page, "sessions-learner-booked")
    page.set_viewport_size(PHONE)
    shoot(page, "sessions-learner-booked-phone")
    page.close()

    # The day comes: the session has started.
    start = timezone.now() - dt.timedelta(minutes=30)
    with scopes_disabled():
        Session.objects.filter(pk=session.pk).update(
            starts_at=start, ends_at=start + dt.timedelta(hours=2)
        )

    # The facilitator marks attendance for everyone in one form.
    page = browser.new_page()
    login(page, "fenna@acme.test", PASSWORD)
    page.goto(f"{base}/sessions/")
    page.get_by_role("link", name="Intervision on feedback").first.click()
    row = page.get_by_role("group", name="Lars Leerling")
    row.get_by_label("Attended").check()
    shoot(page, "sessions-attendance")
    page.set_viewport_size(PHONE)
    shoot(page, "sessions-attendance-phone")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("body")).to_contain_text("Attendance saved.")
    page.close()

    # The learner's step showing done is in test_blended_story; the row is enough here.
    with scopes_disabled():
        assert StepProgress.objects.get(enrolment=enrolment).status == "done"
