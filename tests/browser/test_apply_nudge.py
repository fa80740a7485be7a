"""A learner answers "did you apply it?" from the e-mail, without logging in; the link then
is spent, and after logging in the same question waits; then they write a reflection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from events.models import LearningEvent
from microlearning.models import Commitment
from nudges.models import Nudge, NudgeRule, WorkReflection
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UnitFactory
from tests.nudges.learner_support import agreed_goal, deliver, plan, rule_of
from tests.nudges.mail_links import mails_in, tracked_links

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _unscoped():
    with scopes_disabled():
        yield


def test_a_learner_answers_an_apply_nudge_from_the_email(
    browser, live_server, login, shoot, var_mail
):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    learner = MembershipFactory(
        organisation=organisation,
        user__email="sanne@acme.test",
        user__first_name="Sanne",
        user__language="en",
    )
    unit = UnitFactory(organisation=organisation, title="Giving feedback")
    commitment = Commitment.objects.create(
        organisation=organisation,
        member=learner,
        unit=unit,
        version=unit.live_version,
        text="Ask one open question in every one-to-one",
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    rule = rule_of(organisation, NudgeRule.Kind.APPLY, delay_days=2, send_in_app=False)
    plan(rule, timezone.now())
    nudge = Nudge.objects.get(rule=rule)

    # the sender renders and sends the e-mail into var/mail/, as in make run
    assert deliver(nudge) == Nudge.Status.SENT
    (message,) = mails_in(var_mail)
    assert message.subject == "Did you manage: “Ask one open question in every one-to-one”?"
    links = [path for _, path in tracked_links(message.text) if "/nudges/answer/" in path]
    assert len(links) == 3  # applied, not yet, not relevant
    applied = live_server.url + links[0]

    # the e-mail shows the three answers as buttons
    page = browser.new_page()
    page.set_content(message.html)
    for label in ("Yes, I applied it", "Not yet", "Not relevant for my work"):
        expect(page.get_by_role("link", name=label)).to_be_visible()
    shoot(page, "nudge-apply-email")

    # one click from the mail client: the answer and one button, no login
    page.goto(applied)
    expect(page.get_by_role("heading", name="Did you apply it?", level=1)).to_be_visible()
    expect(page.get_by_text("Ask one open question in every one-to-one")).to_be_visible()
    shoot(page, "nudge-apply-answer")
    page.get_by_role("button", name="Save my answer: Yes, I applied it").click()
    expect(page.get_by_role("heading", name="Thank you: your answer is saved")).to_be_visible()
    shoot(page, "nudge-apply-answered")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.APPLIED
    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.APPLIED).count() == 1

    # the same link again (or another answer of that e-mail): spent, log in for the question
    page.goto(live_server.url + links[1])
    expect(page.get_by_role("heading", name="This link was used already")).to_be_visible()
    page.set_viewport_size(PHONE)
    shoot(page, "nudge-apply-used-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Log in to answer").click()
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill("sanne@acme.test")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.get_by_text("Your answer: Yes, I applied it")).to_be_visible()
    shoot(page, "nudge-apply-question-phone")
    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.APPLIED).count() == 1

    # the weekly "what did you learn?", answered on its page
    agreed_goal(learner, agreed_at=timezone.now() - dt.timedelta(days=20))
    reflect = Nudge.objects.create(
        organisation=organisation,
        rule=rule_of(organisation, NudgeRule.Kind.REFLECT, delay_days=1),
        member=learner,
        kind=Nudge.Kind.REFLECT,
        channel=Nudge.Channel.IN_APP,
        key="reflect:week",
        subject_type="goal",
        subject_id=learner.goals.get().pk,
        occurrence=202649,
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/o/acme/nudges/{reflect.pk}/reflect/")
    expect(page.get_by_role("heading", name="What did you learn this week?")).to_be_visible()
    page.get_by_label("What you learnt").fill("Planning with the team first saves a day later.")
    shoot(page, "nudge-reflect")
    page.get_by_role("button", name="Save my reflection").click()
    expect(page.get_by_text("Thank you: your reflection is saved.")).to_be_visible()
    assert WorkReflection.objects.get().text == "Planning with the team first saves a day later."
    page.close()
