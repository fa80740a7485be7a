"""L&D edits the finish-a-unit nudge rule and previews it in both languages, on a phone too."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from nudges.models import NudgeRule
from nudges.tasks import plan_organisation
from organisations.models import Organisation
from organisations.tenancy import organisation_scope
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_author_edits_a_rule_and_previews_it_in_both_languages(browser, live_server, login, shoot):
    call_command("seed_demo", force=True, verbosity=0)
    horizon = Organisation.objects.get(slug="horizon")
    plan_organisation(horizon.pk)  # the default rule, and its nudges for overdue units
    page = browser.new_page()
    login(page, "auteur@horizon.demo", "werkwijs-demo")

    # the rule list, in the authoring navigation
    page.goto(f"{live_server.url}/o/horizon/nudges/rules/")
    expect(page.get_by_role("heading", name="Nudgeregels", level=1)).to_be_visible()
    expect(page.locator(".subnav").get_by_role("link", name="Nudgeregels")).to_be_visible()
    page.get_by_role("link", name="Rond een toegewezen eenheid af").click()

    # an unknown placeholder is an error on its field, and nothing is saved
    subject_nl = page.get_by_label("Onderwerp (Nederlands)")
    subject_nl.fill("Hoi {voornaam}, rond “{unit_title}” af")
    page.get_by_role("button", name="Voorbeeld in beide talen").click()
    expect(page.get_by_text(re.compile(r"Onbekende invulplek \{voornaam\}"))).to_be_visible()

    # fixed, the preview shows the words in Dutch and English with a member's data
    page.get_by_label("Onderwerp (Nederlands)").fill("Hoi {first_name}, rond “{unit_title}” af")
    page.get_by_label("Na dagen").fill("5")
    page.get_by_role("button", name="Voorbeeld in beide talen").click()
    preview = page.get_by_role("region", name="Voorbeeld")
    dutch = preview.locator("article[lang=nl]")
    english = preview.locator("article[lang=en]")
    expect(dutch).to_contain_text(re.compile(r"Hoi \w+, rond “[^{}]+” af"))
    expect(english).to_contain_text(re.compile(r"Reminder: finish “[^{}]+”"))
    expect(dutch).to_contain_text("Zoals ")
    shoot(page, "nudge-rule-preview")
    page.set_viewport_size(PHONE)
    shoot(page, "nudge-rule-preview-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with organisation_scope(horizon.pk):
        assert (
            NudgeRule.objects.get(kind=NudgeRule.Kind.FINISH_UNIT).delay_days == 3
        )  # a preview saves nothing

    # saved, the list says when it comes now
    page.get_by_role("button", name="Regel opslaan").click()
    expect(page.get_by_text("Nudgeregel opgeslagen.")).to_be_visible()
    expect(page.get_by_role("cell", name="na 5 dagen")).to_be_visible()
    with organisation_scope(horizon.pk):
        rule = NudgeRule.objects.get(kind=NudgeRule.Kind.FINISH_UNIT)
    assert (rule.delay_days, rule.subject_nl) == (5, "Hoi {first_name}, rond “{unit_title}” af")
    page.close()
