"""The layering of DESIGN.md, read from the source: apps depend downwards only.

organisations ← events ← microlearning ← courses ← goals ← nudges ← analytics ← demo

Analytics stands above nudges: the HR report shows the nudges' effectiveness, read
through the nudge app's selectors; nudges learn what happened from learning events
and need nothing of analytics.
Goals stand above courses (not beside microlearning, as DESIGN.md first drew
it): a development plan links its activities to units and to trajectory steps,
so goals read both through their selectors; nothing below needs a goal.

Every import in every app's Python files is parsed with ``ast`` (imports inside
functions included), so a new module is covered without touching this file. An
app imports only from apps on a lower floor; apps on one floor do not import
each other. No app reads another app's tables through its models module, except
the two every app stands on: ``organisations.models`` and ``events.models``.
Everything else goes through the owning app's selectors and services.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The floor of each app; an app may import from apps on lower floors only.
FLOORS = {
    "organisations": 0,
    "events": 1,
    "microlearning": 2,
    "lrs": 2,
    "packages": 3,
    "courses": 3,
    "goals": 4,
    "nudges": 5,
    "analytics": 6,
    "demo": 7,
}
# Demo and synthetic seeding build whole organisations, so they may import every
# app and its models; config (settings, URLs, the Celery app) is no app and puts
# them all together. Neither is checked.
UNCHECKED = {"demo"}
SHARED_MODELS = {"organisations", "events"}


def app_files(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        yield path.relative_to(ROOT)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted module) for every absolute import; ``from a import b`` gives ``a.b``."""
    tree = ast.parse((ROOT / path).read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def apps_here() -> list[str]:
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


CHECKED = [app for app in apps_here() if app not in UNCHECKED]


def test_every_app_has_a_floor():
    assert set(apps_here()) <= set(FLOORS), "place the new app in FLOORS (and in DESIGN.md)"


@pytest.mark.parametrize("app", CHECKED)
def test_an_app_imports_only_from_apps_below_it(app):
    wrong = []
    for path in app_files(app):
        for line, module in imports(path):
            other = module.split(".")[0]
            if other == app or other not in FLOORS:
                continue
            if FLOORS[other] >= FLOORS[app]:
                wrong.append(f"{path}:{line} imports {module}")
    assert not wrong, f"{app} (floor {FLOORS[app]}) imports from its floor or above:\n" + (
        "\n".join(wrong)
    )


@pytest.mark.parametrize("app", CHECKED)
def test_an_app_reads_no_other_apps_models_but_the_shared_ones(app):
    wrong = []
    for path in app_files(app):
        for line, module in imports(path):
            parts = module.split(".")
            other = parts[0]
            if other == app or other not in FLOORS or other in SHARED_MODELS:
                continue
            if len(parts) > 1 and parts[1] == "models":
                wrong.append(f"{path}:{line} imports {module}")
    assert not wrong, "ask the owning app's selectors instead:\n" + "\n".join(wrong)


def test_the_checks_see_imports_inside_functions(tmp_path, monkeypatch):
    """A lazy import (to dodge a cycle) is an import all the same."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from analytics.models import TeamDailyCount\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert list(imports(Path("lazy.py"))) == [(2, "analytics.models.TeamDailyCount")]
