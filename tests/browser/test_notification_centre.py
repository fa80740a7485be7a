"""A member reads the notification centre; L&D reads whether a rule works. Desktop and phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import LearningEvent
from nudges.models import Nudge
from organisations.tenancy import organisation_scope
from tests import factories
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = [
    ("Did you apply “Handling a complaint”?", "Two weeks ago you planned to try it at work."),
    ("Finish “Lifting safely”", "You have not finished it yet. It takes only a few minutes."),
    ("Three questions to refresh", "A short refresher of what you learnt last week."),
]


def test_a_member_reads_and_clears_the_notification_centre(browser, live_server, login, shoot):
    organisation = factories.OrganisationFactory(slug="acme", name="Acme")
    member = factories.MembershipFactory(
        organisation=organisation, user__email="anna@acme.test", user__language="en"
    )
    now = timezone.now()
    with organisation_scope(organisation.pk):
        for age, (title, body) in enumerate(WORDS):
            factories.NudgeFactory(
                member=member,
                title=title,
                body=body,
                action_url="/o/acme/",
                sent_at=now - dt.timedelta(hours=age * 20),
            )
        factories.NudgeFactory(
            member=member,
            title="Check in on your goal",
            sent_at=now - dt.timedelta(days=3),
            read_at=now - dt.timedelta(days=2),
            action_url="/o/acme/",
        )
    page = browser.new_page()
    login(page, "anna@acme.test", factories.PASSWORD)

    header_link = page.get_by_role("link", name="Notifications, 3 unread")
    expect(header_link).to_be_visible()
    header_link.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    shoot(page, "nudges-centre-desktop")

    page.locator(".notification").first.get_by_role("button", name="Mark read").click()
    expect(page.get_by_role("link", name="Notifications, 2 unread")).to_be_visible()
    phone = browser.new_page(viewport=PHONE)
    login(phone, "anna@acme.test", factories.PASSWORD)
    phone.goto(f"{live_server.url}/o/acme/nudges/")
    shoot(phone, "nudges-centre-phone")

    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("link", name="Notifications, none unread")).to_be_visible()
    expect(page.get_by_role("button", name="Mark all read")).to_have_count(0)


def test_ld_reads_whether_a_rule_works(browser, live_server, login, shoot):
    organisation = factories.OrganisationFactory(slug="acme", name="Acme")
    factories.MembershipFactory(
        organisation=organisation,
        is_author=True,
        user__email="lotte@acme.test",
        user__language="en",
    )
    now = timezone.now()
    with organisation_scope(organisation.pk):
        rule = factories.NudgeRuleFactory(organisation=organisation, holdout_percent=10)
        people = factories.MembershipFactory.create_batch(24, organisation=organisation)
        for index, member in enumerate(people):
            for week in range(8):
                at = now - dt.timedelta(weeks=week, days=index % 5, hours=4)
                key = f"finish:unit:{index}-{week}"
                held = index % 4 == 0
                nudge = factories.NudgeFactory(
                    organisation=organisation,
                    rule=rule,
                    member=member,
                    unit=None,
                    key=key,
                    channel="" if held else Nudge.Channel.IN_APP,
                    status=Nudge.Status.HELD_OUT if held else Nudge.Status.SENT,
                    sent_at=None if held else at,
                    due_at=at,
                )
                if not held and (index + week) % 3:
                    factories.LearningEventFactory(
                        actor=member,
                        verb=LearningEvent.Verb.NUDGE_OPENED,
                        object_type="nudge",
                        object_id=nudge.pk,
                        timestamp=at,
                    )
                if (index + week) % (2 if not held else 3) == 0:
                    factories.LearningEventFactory(
                        actor=member,
                        verb=LearningEvent.Verb.COMPLETED,
                        timestamp=at + dt.timedelta(hours=20),
                    )
    page = browser.new_page()
    login(page, "lotte@acme.test", factories.PASSWORD)

    page.goto(f"{live_server.url}/o/acme/nudges/rules/")
    page.get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", name="Is it working?", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Nudges sent and acted on, per week")).to_be_visible()
    expect(page.get_by_text("Uplift:")).to_be_visible()
    shoot(page, "nudges-rule-effect-desktop")
    phone = browser.new_page(viewport=PHONE)
    login(phone, "lotte@acme.test", factories.PASSWORD)
    phone.goto(page.url)
    shoot(phone, "nudges-rule-effect-phone")
