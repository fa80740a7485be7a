"""An author imports a SCORM 1.2 and a SCORM 2004 package built here; a learner plays each SCO
in the unit page, pauses, comes back to where they stopped, and finishes: the unit completes.

The SCOs find the runtime by the ADL walk and call it for real, inside the sandboxed frame
(an opaque origin: they reach no cookie and nothing of the unit page).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from microlearning.models import Completion
from organisations.tenancy import organisation_scope
from packages.models import ContentPackage, PackageAttempt
from tests.conftest import make_member
from tests.factories import PASSWORD, OrganisationFactory
from tests.packages.builders import scorm12_zip, scorm2004_zip

pytestmark = pytest.mark.django_db(transaction=True)


def _import(page, live_server, tmp_path, name: str, data: bytes) -> str:
    """Upload through the page, publish from the preview; the unit's learner URL."""
    path = tmp_path / f"{name}.zip"
    path.write_bytes(data)
    page.goto(f"{live_server.url}/o/acme/authoring/units/")
    page.get_by_role("link", name="Import a SCORM package").click()
    page.get_by_label("SCORM package (.zip)").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("body")).to_contain_text("Package imported")
    page.get_by_role("link", name="Preview as a learner").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("body")).to_contain_text("is published")
    with organisation_scope(_ORG["id"]):
        unit_id = ContentPackage.objects.get(title=_title(name)).unit_id
    return f"{live_server.url}/o/acme/units/{unit_id}/"


_ORG: dict[str, int] = {}


def _title(name: str) -> str:
    return {"scorm12": "Safe lifting", "scorm2004": "Hand hygiene"}[name]


def _play(page, unit_url: str, expect_first: str):
    page.goto(unit_url)
    frame = page.frame_locator("iframe.package-frame")
    expect(frame.locator("#out")).to_contain_text(expect_first)
    return frame


def test_scorm_12_and_2004_packages_play_resume_and_complete(
    browser, live_server, login, shoot, tmp_path
):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    _ORG["id"] = organisation.pk
    author = make_member(organisation, is_author=True)
    learner = make_member(organisation)
    page = browser.new_page()
    login(page, author.user.email, PASSWORD)
    units = {
        "scorm12": _import(page, live_server, tmp_path, "scorm12", scorm12_zip()),
        "scorm2004": _import(page, live_server, tmp_path, "scorm2004", scorm2004_zip()),
    }
    page.close()

    page = browser.new_page()
    login(page, learner.user.email, PASSWORD)

    # SCORM 1.2: a first visit, a pause with a bookmark, then resuming it.
    frame = _play(page, units["scorm12"], "entry=ab-initio bookmark= suspend=")
    shoot(page, "scorm12-first-visit")
    frame.get_by_role("button", name="Pause").click()
    expect(frame.locator("#out")).to_have_text("paused")
    expect(frame.locator("html")).to_have_attribute("data-werkwijs-commit", "saved")
    frame = _play(page, units["scorm12"], "entry=resume bookmark=page-2 suspend=answers=1,2")
    # The sandbox holds: the SCO's document has an opaque origin and no cookies.
    sco = page.frames[-1]
    assert sco.evaluate("() => window.origin") == "null"
    cookie = "() => { try { return document.cookie; } catch (e) { return 'blocked'; } }"
    assert sco.evaluate(cookie) == "blocked"
    frame.get_by_role("button", name="Finish").click()
    expect(frame.locator("#out")).to_have_text("finished (bad value: false 405)")
    expect(frame.locator("html")).to_have_attribute("data-werkwijs-commit", "saved")
    page.goto(units["scorm12"])
    expect(page.locator(".block-package.is-done, li.is-done")).to_have_count(1)
    shoot(page, "scorm12-completed")

    # SCORM 2004: the same story through API_1484_11.
    frame = _play(page, units["scorm2004"], "entry=ab-initio bookmark= suspend=")
    frame.get_by_role("button", name="Pause").click()
    expect(frame.locator("html")).to_have_attribute("data-werkwijs-commit", "saved")
    frame = _play(page, units["scorm2004"], 'entry=resume bookmark=slide-3 suspend={"slide":3}')
    frame.get_by_role("button", name="Finish").click()
    expect(frame.locator("#out")).to_have_text("finished (bad value: false 407)")
    expect(frame.locator("html")).to_have_attribute("data-werkwijs-commit", "saved")

    with organisation_scope(organisation.pk):
        completed = set(Completion.objects.filter(member=learner).values_list("unit_id", flat=True))
        assert completed == {
            p.unit_id for p in ContentPackage.objects.filter(organisation=organisation)
        }
        attempts = {a.package.standard: a for a in PackageAttempt.objects.select_related("package")}
        assert attempts["scorm12"].score_raw == 90 and attempts["scorm12"].total_seconds == 90
        assert attempts["scorm2004"].score_scaled == 0.8
        assert attempts["scorm2004"].success_status == "passed"
        assert attempts["scorm2004"].total_seconds == 135
