"""Property-based testing of the API against its own OpenAPI schema (schemathesis).

For each role, with that member's API token, schemathesis sends generated requests to
every operation of the schema (valid ones and deliberately invalid ones) and runs every
check it has: no 500, only documented status codes, content types and headers, bodies
that match the documented schema, invalid input refused, valid input accepted,
authentication not ignored. The API is served in-process (WSGI) inside each test's
transaction; the ids in paths name real objects of the caller's organisation (fixed
primary keys, since the schema and its parameters are loaded when the tests are
collected), so requests reach the code behind the 404.

Bounded to stay fast and reproducible: a fixed seed, derandomized, a few examples per
operation, no shrinking, no example database.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from django_scopes import scopes_disabled
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from microlearning.models import Block, Commitment, Unit, UnitVersion
from organisations.api_auth import TOKEN_PREFIX, hash_token
from organisations.models import ApiToken, Membership
from tests import factories
from tests.microlearning.learning_support import QUESTION_SINGLE

SEED = 20260601
MAX_EXAMPLES = 3
# Input is checked the same way for every role, so the learner and the author try each
# operation's inputs at length; for the other roles what matters is how each operation
# answers them (their permissions, their data), and a few examples show it.
OTHER_ROLE_EXAMPLES = 2

# Ids far above what the sequences hand out in a test run.
LEARNING_UNIT, AUTHORING_UNIT = 7_000_001, 7_000_002
TEXT, CHECKLIST, QUESTION, REFLECTION, APPLY = range(7_000_011, 7_000_016)
AUTHORING_BLOCK = 7_000_021
WORK_PROCESS, COMMITMENT, NUDGE, SPARE_TOKEN = 7_000_031, 7_000_041, 7_000_051, 7_000_061

SLUG = {"org_slug": "acme"}
# The ids each group of paths names: a path prefix (or, with `$`, a whole path).
PATH_IDS = {
    "/units/{unit_id}/complete/": {"unit_id": LEARNING_UNIT},
    "/units/{unit_id}/blocks/{block_id}/": {"unit_id": AUTHORING_UNIT, "block_id": AUTHORING_BLOCK},
    "/units/{unit_id}/blocks/$": {"unit_id": AUTHORING_UNIT},
    "/units/{unit_id}/assign/": {"unit_id": AUTHORING_UNIT},
    "/units/{unit_id}/draft/": {"unit_id": AUTHORING_UNIT},
    "/units/{unit_id}/": {"unit_id": AUTHORING_UNIT},
    "/learning/units/{unit_id}/blocks/{block_id}/progress/": {
        "unit_id": LEARNING_UNIT,
        "block_id": CHECKLIST,
    },
    "/learning/units/{unit_id}/blocks/{block_id}/answers/": {
        "unit_id": LEARNING_UNIT,
        "block_id": QUESTION,
    },
    "/learning/units/{unit_id}/blocks/{block_id}/reflection/": {
        "unit_id": LEARNING_UNIT,
        "block_id": REFLECTION,
    },
    "/learning/units/{unit_id}/blocks/{block_id}/commitments/": {
        "unit_id": LEARNING_UNIT,
        "block_id": APPLY,
    },
    "/learning/units/{unit_id}/": {"unit_id": LEARNING_UNIT},
    "/learning/commitments/{commitment_id}/": {"commitment_id": COMMITMENT},
    "/nudges/{nudge_id}/": {"nudge_id": NUDGE},
    "/tokens/{token_id}/": {"token_id": SPARE_TOKEN},
    "/work_processes/{work_process_id}/": {"work_process_id": WORK_PROCESS},
    # Paths of trajectories, sessions and goals name ids of no object here (404), so
    # their bodies and queries are what is tried; these name no id at all.
    "/enrolments/$": {},
    "/goals/$": {},
    "/goal_templates/$": {},
    "/sessions/{session_id}/seats/$": {},
}


# Operations that refuse some schema-valid input with 400 for a rule a JSON Schema cannot
# state (the documented 400 says so): for them alone the positive-data check also takes
# 400 for valid data. Every other check stays as it is there, negative data included.
RULE_REFUSALS = {
    # Only the question's own option indexes, one for a single-choice question.
    "/learning/units/{unit_id}/blocks/{block_id}/answers/",
    # `due_on` from today on.
    "/learning/units/{unit_id}/blocks/{block_id}/commitments/",
    # Applied and not relevant are final; only "not yet" may change.
    "/learning/commitments/{commitment_id}/",
    # A checklist needs an `item` on its list.
    "/learning/units/{unit_id}/blocks/{block_id}/progress/",
    # Teams, members, skills and work processes named by id must be this organisation's.
    "/units/{unit_id}/assign/",
    "/units/{unit_id}/draft/",
    # What a block's `data` holds depends on its `kind` (see the field's description).
    "/units/{unit_id}/blocks/$",
    # A block removed from the draft cannot be changed again through its live id, and an
    # archived unit's blocks cannot be changed at all.
    "/units/{unit_id}/blocks/{block_id}/",
    # Complete only once every required block is done.
    "/units/{unit_id}/complete/",
    # Who may be enrolled depends on the caller's role and teams, and the trajectory.
    "/enrolments/$",
    # A target date from today on, a target level not below the current one.
    "/goals/$",
    # A template's skill must be one of this organisation's.
    "/goal_templates/$",
    # A seat only for an open enrolment whose session step waits for nothing.
    "/sessions/{session_id}/seats/$",
}
# schemathesis's default for valid data, and 400.
ACCEPTED_OR_REFUSED_BY_RULE = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]


def raw_token(role: str) -> str:
    return f"{TOKEN_PREFIX}schemathesis-{role}-".ljust(46, "x")


def _escaped(path: str) -> str:
    return path.replace("{", "\\{").replace("}", "\\}")


def schema_for(role: str, *, coverage: bool = False, examples: int = MAX_EXAMPLES):
    """The API's schema, with the token of ``role`` and the ids of the world below.

    Every role gets the examples and the fuzzing phase; ``coverage`` adds schemathesis's
    coverage phase (every boundary and every invalid value a parameter can have, a few
    hundred requests more per operation). Input is checked the same way for everyone,
    so one role that reaches every operation's checks (the author) runs it.
    """
    operations = [
        {
            "include-path-regex": "^/api/v1/o/\\{org_slug\\}" + _escaped(prefix),
            "parameters": {f"path.{name}": value for name, value in {**SLUG, **ids}.items()},
            **(
                {
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ACCEPTED_OR_REFUSED_BY_RULE
                        }
                    }
                }
                if prefix in RULE_REFUSALS
                else {}
            ),
        }
        for prefix, ids in PATH_IDS.items()
    ]
    operations.append(
        {"include-path-regex": "^/api/v1/o/", "parameters": {"path.org_slug": SLUG["org_slug"]}}
    )
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": examples,
                "deterministic": True,
                "no-shrink": True,
                "database": "none",
                # Text PostgreSQL can store: the API refuses NUL characters and lone
                # surrogates anywhere in a body with 400, as its schema says (Error 400).
                "allow-x00": False,
                "codec": "utf-8",
            },
            "checks": {"enabled": True},
            "phases": {"coverage": {"enabled": coverage}},
            "auth": {"openapi": {"tokenAuth": {"bearer": raw_token(role)}}},
            "operations": operations,
        }
    )
    schema = schemathesis.openapi.from_dict(
        SchemaGenerator().get_schema(request=None, public=True), config=config
    )
    schema.app = application
    return schema


# --- The world the paths name --------------------------------------------------------------


def _unit(organisation, pk: int, title: str, blocks: list[tuple[int, str, dict]]) -> Unit:
    now = timezone.now()
    unit = Unit.objects.create(
        pk=pk,
        organisation=organisation,
        title=title,
        status=Unit.Status.PUBLISHED,
        published_at=now,
    )
    version = UnitVersion.objects.create(
        organisation=organisation, unit=unit, number=1, title=title, language="en", published_at=now
    )
    for position, (block_pk, kind, data) in enumerate(blocks, start=1):
        Block.objects.create(
            pk=block_pk,
            organisation=organisation,
            version=version,
            position=position,
            kind=kind,
            data=data,
        )
    unit.live_version = version
    unit.save(update_fields=["live_version"])
    return unit


def world_of(role: str):
    """A fixture: the objects the paths name, for the member of ``role``."""

    @pytest.fixture
    def world(acme) -> Membership:
        membership = getattr(acme, role)
        organisation = acme.organisation
        with scopes_disabled():
            learning = _unit(
                organisation,
                LEARNING_UNIT,
                "Complaints",
                [
                    (TEXT, "text", {"markdown": "Read **this**."}),
                    (CHECKLIST, "checklist", {"items": ["Greet", "Listen", "Summarise"]}),
                    (QUESTION, "question", QUESTION_SINGLE),
                    (REFLECTION, "reflection", {"prompt": "What surprised you?"}),
                    (APPLY, "apply", {"prompt": "What will you try tomorrow?"}),
                ],
            )
            _unit(
                organisation,
                AUTHORING_UNIT,
                "Meetings",
                [(AUTHORING_BLOCK, "text", {"markdown": "Prepare."})],
            )
            factories.WorkProcessFactory(pk=WORK_PROCESS, organisation=organisation)
            factories.AssignmentFactory(unit=learning, member=membership)
            Commitment.objects.create(
                pk=COMMITMENT,
                organisation=organisation,
                member=membership,
                unit=learning,
                version=learning.live_version,
                block_id=APPLY,
                text="Summarise first.",
                due_on=timezone.localdate() + dt.timedelta(days=7),
            )
            factories.NudgeFactory(pk=NUDGE, member=membership, unit=learning)
            for pk, raw in ((SPARE_TOKEN, f"{TOKEN_PREFIX}spare-{role}"), (None, raw_token(role))):
                ApiToken.objects.create(
                    pk=pk,
                    organisation=organisation,
                    membership=membership,
                    name=raw,
                    prefix=raw[:9],
                    key_hash=hash_token(raw),
                )
        return membership

    return world


learner_world = world_of("learner")
manager_world = world_of("manager")
author_world = world_of("author")
hr_world = world_of("hr")
admin_world = world_of("admin")


@pytest.fixture(autouse=True)
def in_process_requests():
    """Requests through the WSGI app keep the test's connection (and its transaction).

    Django closes old connections when a request starts and finishes; its test client
    switches that off the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# --- One test per role, one case per operation ----------------------------------------------

pytestmark = pytest.mark.django_db

# The world is made once per operation and shared by its examples (each example's writes
# stay within the test's transaction); no deadline, as a shared CI machine is slow.
bounded = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@schema_for("learner").parametrize()
@bounded
def test_a_learners_requests_keep_to_the_schema(case, learner_world):
    case.call_and_validate()


@schema_for("manager", examples=OTHER_ROLE_EXAMPLES).parametrize()
@bounded
def test_a_managers_requests_keep_to_the_schema(case, manager_world):
    case.call_and_validate()


@schema_for("author", coverage=True).parametrize()
@bounded
def test_an_authors_requests_keep_to_the_schema(case, author_world):
    case.call_and_validate()


@schema_for("hr", examples=OTHER_ROLE_EXAMPLES).parametrize()
@bounded
def test_hrs_requests_keep_to_the_schema(case, hr_world):
    case.call_and_validate()


@schema_for("admin", examples=OTHER_ROLE_EXAMPLES).parametrize()
@bounded
def test_an_admins_requests_keep_to_the_schema(case, admin_world):
    case.call_and_validate()
