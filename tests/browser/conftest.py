"""Browser tests: a real Chromium (Debian's) driven by Playwright against a live server.

Screenshots land in var/screenshots/ so a person can look at every page the
tests visit, on a desktop and a phone-sized window.

Every page the tests open is also checked with axe-core (WCAG 2.2 AA rules): a
serious or critical violation fails the test that visited the page. axe-core
comes from the npm registry (``make axe``), into var/node/, never into git.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make for setup and checks are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}

AXE = Path(settings.BASE_DIR) / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
# Runs inside every page once it has loaded and reports back through a binding. It
# runs in the page, not from the test, so a test clicking on meanwhile cannot race it.
# Our pages only: embedded frames (a video player) are someone else's.
AXE_RUNNER = """
window.addEventListener("load", () => {
  if (window.top !== window) return;
  window.__werkwijsAxeLoaded(location.href);
  axe.run(document, {
    runOnly: {type: "tag", values: AXE_TAGS}, resultTypes: ["violations"], iframes: false,
  })
    .then((result) => window.__werkwijsAxe(location.href, JSON.stringify(result.violations)))
    .catch((error) => window.__werkwijsAxe(location.href, JSON.stringify([{
      id: "axe-error", impact: "critical", help: String(error), nodes: []}])));
});
""".replace("AXE_TAGS", json.dumps(AXE_TAGS))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class AxeChecked:
    """The session's browser, whose new pages are checked with axe-core as they load."""

    def __init__(self, browser):
        self._browser = browser
        self.loaded: list[str] = []
        self.checked: list[str] = []
        self.violations: list[tuple[str, dict]] = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_page(self, **kwargs):
        page = self._browser.new_page(**kwargs)
        page.add_init_script(path=str(AXE))
        page.add_init_script(script=AXE_RUNNER)
        page.expose_function("__werkwijsAxeLoaded", self._loaded)
        page.expose_function("__werkwijsAxe", self._report)
        return page

    def check(self, page) -> None:
        """Check the page as it is now (a menu opened, say), not only as it loaded."""
        violations = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations'], iframes: false})"
            ".then((result) => JSON.stringify(result.violations))",
            AXE_TAGS,
        )
        self._report(page.url, violations)

    def _loaded(self, url: str) -> None:
        self.loaded.append(url)

    def _report(self, url: str, violations: str) -> None:
        self.checked.append(url)
        for violation in json.loads(violations):
            if violation.get("impact") in FAILING_IMPACTS:
                self.violations.append((url, violation))

    def failures(self) -> str:
        lines: dict[str, None] = {}  # a page visited twice reports the same violation once
        for url, violation in self.violations:
            targets = [", ".join(node.get("target", [])) for node in violation["nodes"]]
            line = f"{url}: {violation['id']} ({violation['impact']}): {violation['help']}"
            lines[line + "".join(f"\n    {target}" for target in targets[:10])] = None
        return "\n".join(lines)


@pytest.fixture
def browser(browser):
    """pytest-playwright's browser, with every page it opens checked by axe-core."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make axe` (axe-core from npm) first")
    checked = AxeChecked(browser)
    yield checked
    missed = [url for url in checked.loaded if url not in checked.checked]
    print(f"axe-core checked {len(checked.checked)} of {len(checked.loaded)} page loads")
    if missed:
        print("left before axe-core finished: " + ", ".join(missed))
    if checked.violations:
        pytest.fail(
            "Serious or critical accessibility violations (axe-core, WCAG 2.2 AA):\n"
            + checked.failures(),
            pytrace=False,
        )


@pytest.fixture
def shoot():
    """Save a full-page screenshot under var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


@pytest.fixture
def login(live_server):
    def _login(page, email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        form = page.locator("form", has=page.locator("input[name=password]"))
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    return _login


@pytest.fixture
def var_mail(settings, tmp_path):
    """E-mail to files, as ``make run`` writes them to var/mail/ (here a folder per test)."""
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(folder)
    return folder
