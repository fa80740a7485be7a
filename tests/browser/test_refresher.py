"""A learner opens the repeat nudge's e-mail on a phone and answers the refresher."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from microlearning.models import ReviewCard
from microlearning.services import learning
from nudges import services
from nudges.models import Nudge, NudgeRule
from nudges.rules import DEFAULT_RULES
from organisations.tenancy import organisation_scope
from tests import factories
from tests.browser.conftest import PHONE
from tests.microlearning.learning_support import (
    QUESTION_MULTIPLE,
    QUESTION_SINGLE,
    blocks_of,
    unit_with_blocks,
)
from tests.nudges.mail_links import link_to, mails_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def test_a_learner_answers_the_refresher_from_the_nudge_email_on_a_phone(
    browser, live_server, shoot, var_mail
):
    # given a Dutch learner who answered two questions days ago, now due again
    organisation = factories.OrganisationFactory(slug="horizon", name="Horizon", language="nl")
    learner = factories.MembershipFactory(
        organisation=organisation, user__first_name="Anna", user__language="nl"
    )
    with scopes_disabled():
        unit = unit_with_blocks(
            organisation,
            [("question", QUESTION_SINGLE), ("question", QUESTION_MULTIPLE)],
            title="Een klacht behandelen",
        )
        single, multiple = blocks_of(unit)
        learning.question_answer(block=single, membership=learner, selected=[0])
        learning.question_answer(block=multiple, membership=learner, selected=[0, 2])
        ReviewCard.objects.filter(member=learner).update(due=timezone.now() - dt.timedelta(days=1))
    words = {
        k: v
        for k, v in DEFAULT_RULES[NudgeRule.Kind.REPEAT].items()
        if k.startswith(("subject", "text"))
    }
    factories.NudgeRuleFactory(
        organisation=organisation,
        kind=NudgeRule.Kind.REPEAT,
        delay_days=0,
        send_in_app=False,
        **words,
    )

    # the planner, the dispatcher and a sender put the nudge in var/mail/
    with organisation_scope(organisation.pk):
        services.nudges_plan_due(organisation=organisation, now=timezone.now())
        ids = services.nudges_dispatch_due(organisation=organisation, now=timezone.now())
    services.nudges_send(organisation_id=organisation.pk, nudge_ids=ids)
    [message] = mails_in(var_mail)
    assert "(2)" in message.subject
    link = link_to(message.text, "/repeat/").replace(settings.SITE_URL, live_server.url)

    # she opens the link on her phone and signs in first
    page = browser.new_page(viewport=PHONE)
    page.goto(link)
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(learner.user.email)
    form.locator("input[name=password]").fill(factories.PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("heading", name="Herhalen", level=1)).to_be_visible()
    assert page.url.rstrip("/").endswith("/o/horizon/repeat")
    expect(page.locator("form.refresher fieldset")).to_have_count(2)

    # the home says the same, and leads back to the refresher
    page.get_by_role("link", name="Mijn leren").click()
    repeat_card = page.get_by_role("region", name="Herhalen: 2 vragen staan klaar")
    expect(repeat_card).to_be_visible()
    shoot(page, "refresher-home-phone")
    repeat_card.get_by_role("link", name="Nu herhalen").click()
    expect(page.locator("form.refresher fieldset")).to_have_count(2)
    shoot(page, "refresher-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    shoot(page, "refresher")
    page.set_viewport_size(PHONE)

    # sending with one question unanswered says so at that question and keeps the other
    single_question = page.get_by_role("group", name="What do you do first?")
    single_question.get_by_label("Listen").check()
    page.get_by_role("button", name="Controleer mijn antwoorden").click()
    expect(page.get_by_text("Kies een antwoord.")).to_be_visible()
    shoot(page, "refresher-error-phone")
    expect(
        page.get_by_role("group", name="What do you do first?").get_by_label("Listen")
    ).to_be_checked()

    # answered: one right (and easy), one wrong; each card moves
    page.get_by_role("group", name="What do you do first?").locator("..").get_by_label(
        "Deze wist ik makkelijk"
    ).check()
    multiple_question = page.get_by_role("group", name="Which help?")
    multiple_question.get_by_label("Interrupt").check()
    page.get_by_role("button", name="Controleer mijn antwoorden").click()
    expect(page.get_by_role("status")).to_have_text("Je had 1 van 2 vragen goed.")
    expect(page.get_by_text("EXPLANATION-MULTIPLE")).to_be_visible()
    expect(page.get_by_text("FEEDBACK-INTERRUPT")).to_be_visible()
    shoot(page, "refresher-answered-phone")
    page.set_viewport_size(DESKTOP)
    shoot(page, "refresher-answered")

    with scopes_disabled():
        cards = {c.block_id: c for c in ReviewCard.objects.filter(member=learner)}
        email = Nudge.objects.get(member=learner)
    assert cards[single.pk].due > timezone.now() + dt.timedelta(days=3)
    assert cards[multiple.pk].lapses == 1
    assert all(card.reps == 2 for card in cards.values())
    assert email.status == Nudge.Status.SENT
    page.close()
