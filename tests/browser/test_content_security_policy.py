"""Pages work under the Content-Security-Policy in a real browser: nothing is refused.

Chromium reports every refusal on the console ("Refused to ... because it violates the
following Content Security Policy directive"); the pages with the most moving parts
(Swagger UI, a unit with an embedded video and an image, the editor) must show none.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from microlearning import services
from microlearning.services import blocks
from organisations.tenancy import organisation_scope
from tests.browser.test_unit_lifecycle import offline_embeds
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from tests.microlearning.uploads import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def watched(page, refusals: list[str]):
    """The page, its console refusals collected in ``refusals`` while the test drives it."""
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page


def test_api_docs_render_every_operation_without_a_refusal(browser, live_server, shoot):
    refusals: list[str] = []
    page = watched(browser.new_page(), refusals)

    page.goto(f"{live_server.url}/api/v1/docs/")

    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    assert page.locator(".opblock").count() > 20
    expect(page.get_by_text("Werkwijs API").first).to_be_visible()
    shoot(page, "csp-api-docs")
    assert refusals == []


def test_unit_with_video_and_image_and_its_editor_show_without_a_refusal(
    browser, live_server, login, shoot
):
    organisation = OrganisationFactory(slug="acme", name="Acme", language="en")
    author = MembershipFactory(
        organisation=organisation, user__email="author@acme.test", is_author=True
    )
    MembershipFactory(organisation=organisation, user__email="learner@acme.test")
    with organisation_scope(organisation.pk):
        unit = services.unit_create(by=author, title="Handling a complaint", body="Listen.")
        blocks.block_add(
            unit=unit, kind="video", data={"embed_url": "https://youtu.be/dQw4w9WgXcQ"}, by=author
        )
        blocks.block_add(
            unit=unit,
            kind="image",
            data={"alt": "A till with a receipt"},
            file=ContentFile(png_bytes((300, 200)), name="till.png"),
            by=author,
        )
        services.unit_publish(unit=unit, by=author)
    base = f"{live_server.url}/o/acme"

    refusals: list[str] = []
    page = watched(offline_embeds(browser.new_page()), refusals)
    login(page, "learner@acme.test", PASSWORD)
    page.goto(f"{base}/units/{unit.pk}/")
    expect(page.locator("iframe[src*='youtube-nocookie.com/embed/dQw4w9WgXcQ']")).to_have_count(1)
    expect(page.get_by_role("img", name="A till with a receipt")).to_be_visible()
    page.wait_for_load_state("load")
    shoot(page, "csp-unit-learner")
    page.close()

    page = watched(offline_embeds(browser.new_page()), refusals)
    login(page, "author@acme.test", PASSWORD)
    page.goto(f"{base}/authoring/units/{unit.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{base}/authoring/units/{unit.pk}/")
    page.wait_for_load_state("load")
    shoot(page, "csp-unit-preview")

    assert refusals == []
