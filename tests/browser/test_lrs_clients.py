"""An organisation admin creates an LRS client with the keyboard, copies its secret (shown once),
the client's credentials work on the xAPI endpoint, and the admin revokes it; on a phone too."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.conftest import make_member
from tests.factories import PASSWORD, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_creates_uses_and_revokes_an_lrs_client(browser, live_server, login, shoot):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    admin = make_member(organisation, is_admin=True)
    page = browser.new_page()
    login(page, admin.user.email, PASSWORD)

    page.goto(f"{live_server.url}/o/acme/manage/lrs/clients/")
    expect(page.get_by_role("heading", name="LRS clients", level=1)).to_be_visible()
    page.get_by_label("Name").fill("Authoring tool")
    page.get_by_label("Read only its own statements").check()
    page.get_by_label("Name").press("Enter")

    expect(page.get_by_role("heading", name="Your new client “Authoring tool”")).to_be_visible()
    key = page.get_by_label("Key").input_value()
    secret = page.get_by_label("Secret").input_value()
    assert key.startswith("lrs_") and len(secret) > 30
    shoot(page, "lrs-clients")
    page.set_viewport_size(PHONE)
    shoot(page, "lrs-clients-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {"Authorization": f"Basic {basic}", "X-Experience-API-Version": "1.0.3"}
    url = f"{live_server.url}/xapi/o/acme/statements"
    assert page.request.get(url, headers=headers).status == 200

    page.goto(f"{live_server.url}/o/acme/manage/lrs/clients/")
    expect(page.get_by_label("Secret")).to_have_count(0)
    page.get_by_role("button", name="Revoke the client Authoring tool").click()
    expect(page.get_by_text("LRS client Authoring tool revoked.")).to_be_visible()
    assert page.request.get(url, headers=headers).status == 401
