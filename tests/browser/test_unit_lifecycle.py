"""Issue 3 in a real browser: an author builds a unit with every kind of block, a learner
finds it with a typo, completes it with quiz, reflection and commitment, and rates it;
the author sees the rating."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, TeamFactory
from tests.microlearning.uploads import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

EMBEDS = re.compile(r"https://(www\.youtube-nocookie\.com|player\.vimeo\.com)/.*")


def offline_embeds(page):
    """Video embeds are the outside world: answer them locally, so pages finish loading
    (and scroll to their anchors) before the test clicks on."""
    page.route(
        EMBEDS,
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>video</title>"
        ),
    )
    return page


def choose(option):
    """Pick a radio button by a DOM click: a mouse click at coordinates can land beside a
    small control while the page still settles on a busy machine."""
    option.dispatch_event("click")
    expect(option).to_be_checked()


def without_jump(page):
    """Reopen the page without its #block anchor: the browser's jump to the next open
    block must not scroll the page while the test is about to click."""
    page.goto(page.url.split("#")[0])
    page.wait_for_load_state("load")


def test_author_builds_learner_finds_completes_and_rates(
    browser, live_server, login, shoot, tmp_path
):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    team = TeamFactory(organisation=organisation, name="Service desk")
    MembershipFactory(organisation=organisation, user__email="author@acme.test", is_author=True)
    MembershipFactory(organisation=organisation, team=team, user__email="learner@acme.test")
    image = tmp_path / "till.png"
    image.write_bytes(png_bytes((300, 200)))
    base = f"{live_server.url}/o/acme"

    # The author writes a unit and adds one block of every other kind.
    page = browser.new_page()
    login(page, "author@acme.test", PASSWORD)
    page.get_by_role("link", name="Authoring").click()
    page.get_by_role("link", name="New unit").click()
    page.get_by_label("Title").fill("Handling a complaint")
    page.get_by_label("Text").fill("Listen **first**, then summarise what you heard.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Edit").first.click()

    def add(kind, fill):
        page.get_by_label("Kind of block").select_option(kind)
        page.get_by_role("button", name="Add a block").click()
        fill()
        page.get_by_role("button", name="Add block").click()
        expect(page.locator("body")).to_contain_text("Block added")

    def image_block():
        page.locator("input[name=file]").set_input_files(str(image))
        page.get_by_label("Image description").fill("A till with a receipt")

    def question_block():
        page.get_by_label("Question").fill("What do you do first?")
        page.locator("[name=option_1_text]").fill("Listen")
        page.locator("[name=option_1_correct]").check()
        page.locator("[name=option_1_feedback]").fill("Yes: people calm down when heard.")
        page.locator("[name=option_2_text]").fill("Argue")
        page.locator("[name=option_2_feedback]").fill("That makes it worse.")

    add(
        "video",
        lambda: page.get_by_label("YouTube or Vimeo link").fill("https://youtu.be/dQw4w9WgXcQ"),
    )
    add("image", image_block)
    add("checklist", lambda: page.get_by_label("Steps").fill("Listen\nSummarise\nOffer a solution"))
    add("question", question_block)
    add("reflection", lambda: page.get_by_label("Prompt").fill("When did a complaint go well?"))
    add("apply", lambda: page.get_by_label("Prompt").fill("What will you try this week?"))
    shoot(page, "issue3-author-editor")
    page.set_viewport_size(PHONE)
    shoot(page, "issue3-author-editor-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Preview as a learner").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("body")).to_contain_text("is published")
    unit_page = page.url
    page.close()

    # The learner finds it despite a typo and does every part.
    page = offline_embeds(browser.new_page())
    login(page, "learner@acme.test", PASSWORD)
    page.get_by_role("link", name="Catalogue", exact=True).click()
    page.get_by_role("searchbox").fill("complant")
    page.get_by_role("button", name="Find").click()
    shoot(page, "issue3-learner-search-typo")
    page.get_by_role("link", name="Handling a complaint").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handling a complaint")
    expect(page.locator("iframe[src*='youtube-nocookie.com/embed/dQw4w9WgXcQ']")).to_have_count(1)
    expect(page.get_by_role("img", name="A till with a receipt")).to_be_visible()

    # Every action is a form post and a new page: wait for each before the next.
    for step in ("Listen", "Summarise", "Offer a solution"):
        page.get_by_role("button", name=re.compile(step)).click()
        expect(page.get_by_role("button", name=re.compile(step))).to_have_attribute(
            "aria-pressed", "true"
        )
        page.wait_for_load_state("load")
    shoot(page, "issue3-learner-completing")
    without_jump(page)
    choose(page.get_by_label("Argue"))
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("body")).to_contain_text("That makes it worse.")
    page.wait_for_load_state("load")
    without_jump(page)
    choose(page.get_by_label("Listen", exact=True))
    page.get_by_role("button", name="Answer again").click()
    expect(page.locator("body")).to_contain_text("people calm down when heard")
    without_jump(page)
    page.get_by_label("When did a complaint go well?").fill("When I let the customer finish.")
    page.get_by_role("button", name="Save my reflection").click()
    expect(page.get_by_role("button", name="Save changes")).to_be_visible()
    without_jump(page)
    page.get_by_label("What will you apply?").fill("Summarise before I answer.")
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    page.get_by_label("By when?").fill(due)
    page.get_by_role("button", name="Commit to it").click()
    expect(page.get_by_role("button", name="Add another")).to_be_visible()
    without_jump(page)
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.locator("#unit-end")).to_contain_text("You completed this")
    expect(page.locator(".unit-progress")).to_contain_text("7 of 7 parts done")
    without_jump(page)
    choose(page.get_by_label("5", exact=True))
    page.get_by_label("Comment (optional)").fill("Short and useful.")
    page.get_by_role("button", name="Send").click()
    shoot(page, "issue3-learner-completed")
    page.set_viewport_size(PHONE)
    shoot(page, "issue3-learner-completed-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The commitment waits on the learner's home until it is reported.
    page.goto(f"{base}/")
    expect(page.locator("body")).to_contain_text("Summarise before I answer.")
    page.close()
    phone = browser.new_page(viewport=PHONE)
    login(phone, "learner@acme.test", PASSWORD)
    phone.goto(f"{base}/catalogue/?q=complant")
    expect(phone.get_by_role("link", name="Handling a complaint")).to_be_visible()
    shoot(phone, "issue3-learner-search-typo-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()

    # The author sees the rating.
    page = browser.new_page()
    login(page, "author@acme.test", PASSWORD)
    page.goto(unit_page)
    expect(page.locator("body")).to_contain_text("Short and useful.")
    shoot(page, "issue3-author-sees-rating")
    page.close()
