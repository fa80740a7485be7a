"""Evidence in a real browser: a learner hands in evidence with a file, the manager asks
for a change, the learner hands in again, the manager approves (desktop and phone)."""

from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from courses.models import EvidenceSubmission, StepProgress
from tests.browser.conftest import PHONE
from tests.courses.evidence_factories import evidence_world
from tests.factories import PASSWORD, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_hands_in_manager_asks_a_change_then_approves(
    browser, live_server, login, shoot, tmp_path
):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    with scope(organisation=organisation):
        world = evidence_world(organisation, checklist=["Prepared an agenda"])
    notes = tmp_path / "stand-up-notes.pdf"
    notes.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    evidence_url = f"{live_server.url}/o/acme/learning/steps/{world.progress.pk}/evidence/"

    learner = browser.new_page()
    login(learner, world.learner.user.email, PASSWORD)
    learner.goto(evidence_url)
    learner.get_by_label("What did you do, and what did you learn?").fill(
        "I led the Monday stand-up with a timer."
    )
    learner.locator("input[name=files]").set_input_files(str(notes))
    learner.get_by_label("Prepared an agenda").check()
    learner.get_by_role("button", name="Hand in").click()
    expect(learner.locator("body")).to_contain_text("it now waits for sign-off")
    expect(learner.get_by_role("link", name="stand-up-notes.pdf")).to_be_visible()
    shoot(learner, "evidence-learner-handed-in")

    manager = browser.new_page()
    login(manager, world.manager.user.email, PASSWORD)
    manager.get_by_role("link", name="Sign-off", exact=True).click()
    expect(manager.get_by_role("heading", name="Sign-off queue")).to_be_visible()
    item = manager.locator(".queue li").filter(has_text=world.step.title)
    expect(item).to_contain_text(world.learner.display_name)
    shoot(manager, "evidence-manager-queue")
    item.get_by_label("Feedback").fill("Good start: add the agenda you used.")
    item.get_by_role("button", name="Ask for changes").click()
    expect(manager.locator("body")).to_contain_text("Changes asked")

    learner.goto(evidence_url)
    expect(learner.locator("body")).to_contain_text("add the agenda you used")
    learner.get_by_label("What did you do, and what did you learn?").fill(
        "Here is the agenda: check-in, blockers, one improvement."
    )
    learner.locator("input[name=files]").set_input_files(str(notes))
    learner.get_by_label("Prepared an agenda").check()
    learner.get_by_role("button", name="Hand in").click()
    expect(learner.locator("body")).to_contain_text("Round 2")

    phone_manager = browser.new_page(viewport=PHONE)
    login(phone_manager, world.manager.user.email, PASSWORD)
    phone_manager.goto(f"{live_server.url}/o/acme/sign-off/")
    expect(phone_manager.locator(".queue li")).to_have_count(1)
    shoot(phone_manager, "evidence-manager-queue-phone")

    manager.goto(f"{live_server.url}/o/acme/sign-off/")
    item = manager.locator(".queue li").filter(has_text=world.step.title)
    expect(item).to_contain_text("round 2")
    item.get_by_role("link", name=world.step.title).click()
    expect(manager.locator("body")).to_contain_text("Round 1")
    shoot(manager, "evidence-manager-submission")
    manager.get_by_role("button", name="Approve").click()
    expect(manager.locator("body")).to_contain_text("Approved by")

    with scopes_disabled():
        world.progress.refresh_from_db()
        assert world.progress.status == StepProgress.Status.DONE
        assert EvidenceSubmission.objects.filter(progress=world.progress).count() == 2

    phone = browser.new_page(viewport=PHONE)
    login(phone, world.learner.user.email, PASSWORD)
    phone.goto(evidence_url)
    expect(phone.locator("body")).to_contain_text("Approved by")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    shoot(phone, "evidence-learner-phone")
