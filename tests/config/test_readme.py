"""The README is the newcomer's map: it must not fall behind the code."""

from __future__ import annotations

import re

from .conftest import ROOT

READERS = r"_(?:env|bool|int|choice|production|raw)"


def test_readme_lists_every_environment_variable_the_settings_read():
    settings = (ROOT / "config/settings.py").read_text()
    variables = set(re.findall(READERS + r'\(\s*"([A-Z][A-Z0-9_]+)"', settings))
    gunicorn = (ROOT / "platform/gunicorn.conf.py").read_text()
    variables |= set(re.findall(r'_int\(\s*"([A-Z][A-Z0-9_]+)"', gunicorn))
    readme = (ROOT / "README.md").read_text()

    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL"} <= variables  # the pattern still matches
    missing = sorted(name for name in variables if f"`{name}`" not in readme)
    assert not missing, f"README.md does not list {missing}"


def test_readme_names_the_two_commands_and_the_demo_logins():
    from demo.demo_content import DEMO_PASSWORD

    readme = (ROOT / "README.md").read_text()
    assert f"`{DEMO_PASSWORD}`" in readme

    assert "make run" in readme and "make test" in readme
    for login in (
        "medewerker@horizon.demo",
        "manager@horizon.demo",
        "auteur@horizon.demo",
        "hr@horizon.demo",
        "admin@horizon.demo",
        "employee@northwind.demo",
    ):
        assert login in readme


def test_readme_shows_the_demo_lrs_credentials_with_a_curl_example():
    from demo.lrs import DEMO_LRS_KEY, DEMO_LRS_SECRET, DEMO_LRS_SLUG

    readme = (ROOT / "README.md").read_text()
    assert f"`{DEMO_LRS_KEY}`" in readme and f"`{DEMO_LRS_SECRET}`" in readme
    assert f"curl -u {DEMO_LRS_KEY}:{DEMO_LRS_SECRET}" in readme
    assert f"/xapi/o/{DEMO_LRS_SLUG}/statements" in readme
