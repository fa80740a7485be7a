"""A manager opens the weekly team digest from its e-mail and acts on one person: signs off
the evidence that has been waiting for them (desktop and phone)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from courses.models import Enrolment, StepProgress
from nudges.models import Nudge, NudgeRule
from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.factories import PASSWORD, OrganisationFactory
from tests.nudges.mail_links import link_to
from tests.nudges.manager_world import hand_in, manager_rule, manager_world, nudges_of, plan
from tests.nudges.test_manager_kinds import deliver

pytestmark = pytest.mark.django_db(transaction=True)

DAYS = dt.timedelta(days=1)


def test_manager_opens_the_digest_from_the_email_and_signs_off_evidence(
    browser, live_server, login, shoot, settings
):
    settings.SITE_URL = live_server.url  # the e-mail's links point at this server
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    world = manager_world(organisation)
    evidence = world.evidence
    hand_in(world.progress, at=world.now - 8 * DAYS)
    with scopes_disabled():
        # The colleague is behind on a step of their own; the buddy learnt nothing lately.
        late = Enrolment.objects.create(
            organisation=organisation,
            trajectory=evidence.trajectory,
            version=evidence.enrolment.version,
            membership=evidence.colleague,
        )
        StepProgress.objects.create(
            organisation=organisation,
            enrolment=late,
            step=evidence.step,
            due_on=timezone.localdate() - 4 * DAYS,
        )
    local = world.now.astimezone(organisation.zone)
    rule = manager_rule(
        organisation,
        NudgeRule.Kind.TEAM_DIGEST,
        weekday=local.weekday(),
        hour=0,
        send_in_app=False,
    )
    # The team's manager, the one above, and the warehouse's (its learner learnt nothing).
    assert plan(rule, world.now) == 3
    email = next(n for n in nudges_of(rule) if n.member_id == world.manager.pk)
    assert deliver(email) == Nudge.Status.SENT

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    digest_link = link_to(html, "/nudges/team-digest/")  # through the click record
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "team-digest-email.html").write_text(html)

    inbox = browser.new_page()
    inbox.set_content(html)
    expect(inbox.locator("body")).to_contain_text(world.learner.display_name)
    shoot(inbox, "team-digest-email")
    inbox.close()

    manager = browser.new_page()
    login(manager, world.manager.user.email, PASSWORD)
    manager.goto(digest_link)
    expect(manager.get_by_role("heading", name="Team digest", level=1)).to_be_visible()
    anna = manager.locator(".digest > li").filter(has_text=world.learner.display_name)
    expect(anna).to_contain_text("has waited for sign-off for 8 days")
    colleague = manager.locator(".digest > li").filter(has_text=evidence.colleague.display_name)
    expect(colleague).to_contain_text("4 days past its due date")
    shoot(manager, "team-digest")

    phone = browser.new_page(viewport=PHONE)
    login(phone, world.manager.user.email, PASSWORD)
    phone.goto(digest_link)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the digest scrolls sideways on a phone ({width}px)"
    shoot(phone, "team-digest-phone")
    phone.close()

    anna.get_by_role("link", name=re.compile("Sign off")).click()
    manager.get_by_role("button", name="Approve").click()
    expect(manager.locator("body")).to_contain_text("Approved by")

    with scopes_disabled():
        world.progress.refresh_from_db()
        assert world.progress.status == StepProgress.Status.DONE
    manager.goto(digest_link)
    expect(manager.locator(".digest")).not_to_contain_text("has waited for sign-off")
    manager.close()
