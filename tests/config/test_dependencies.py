"""The production image installs only pyproject's runtime dependencies (`pip install .`),
so whatever production imports must follow from them, not from the dev extras."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def runtime_closure(project: str = "werkwijs") -> set[str]:
    """Every distribution pip installs for the project without extras."""
    seen: set[str] = set()
    pending = [(Requirement(project), frozenset())]
    while pending:
        requirement, _ = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in seen and not requirement.extras:
            continue
        seen.add(name)
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError:
            continue
        for line in dist.requires or []:
            child = Requirement(line)
            wanted = requirement.extras or {""}
            if child.marker is None or any(
                child.marker.evaluate({"extra": extra}) for extra in wanted
            ):
                pending.append((child, frozenset(child.extras)))
    return seen


def test_redis_transport_needs_are_runtime_dependencies():
    # production's broker is Redis: kombu's redis transport imports what its extra names
    closure = runtime_closure()
    kombu_redis = [
        canonicalize_name(Requirement(line).name)
        for line in distribution("kombu").requires or []
        if Requirement(line).marker
        and Requirement(line).marker.evaluate({"extra": "redis"})
        and not Requirement(line).marker.evaluate({"extra": ""})
    ]

    missing = sorted(set(kombu_redis) - closure)
    assert not missing, f"add celery[redis] to pyproject dependencies (missing {missing})"


def test_production_servers_are_runtime_dependencies():
    closure = runtime_closure()

    assert {"gunicorn", "whitenoise", "psycopg2-binary", "celery", "honcho"} <= closure
