"""The xAPI learning record store: statement POST throughput and the filtered GET.

Setup: an organisation ``bench-lrs`` of its own with one LRS client (read all, write)
and ``BENCH_LRS_MEMBERS`` (200) members, whose accounts are the actors of a fifth of
the posted statements (so the intake into learning events is part of what a POST
costs).

Measured:
- statement POST, ``BENCH_LRS_BATCHES`` (100) batches of 50 through the real view
  (Django test client, HTTP Basic, the middleware's scope and RLS, validation,
  links, intake): statements per second; reference: the same rows (data and every
  column) written again by one bulk ``INSERT ... SELECT`` into the same table, with
  its indexes and row-level security, in the same run;
- filtered statement GET (``verb`` + ``since``, a page of 100) with
  ``BENCH_LRS_STATEMENTS`` (1,000,000) statements in the organisation, seeded by one
  ``INSERT ... SELECT generate_series`` (10 verbs, 180 days): p50 and p95 over
  ``BENCH_LRS_REQUESTS`` (200) requests with a different ``since`` each, aim p95
  under 100 ms; reference: the page's query written by hand (the same WHERE and
  ORDER BY, LIMIT 101) run by the cursor.

Runs last: its million statements stay in the bench database, which the runner drops
and makes afresh on every run.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from bench import Row, env_int, progress
from lrs import services
from lrs import vocabulary as vocab
from lrs.models import LrsClient, Statement, StatementLink
from organisations.models import Membership, Organisation, User
from organisations.tenancy import organisation_scope

ORDER = 90
NAME = "lrs"
SLUG = "bench-lrs"
BATCH = 50
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = (
    "completed",
    "experienced",
    "attended",
    "answered",
    "passed",
    "failed",
    "launched",
    "initialized",
    "terminated",
    "progressed",
)
QUERY_VERB = ADL + "completed"
HISTORY_DAYS = 180


def run() -> list[Row]:
    size = env_int("BENCH_LRS_STATEMENTS", 1_000_000)
    batches = env_int("BENCH_LRS_BATCHES", 100)
    requests = env_int("BENCH_LRS_REQUESTS", 200)
    members = env_int("BENCH_LRS_MEMBERS", 200)
    organisation, key, secret, member_ids = _organisation(members)
    credentials = base64.b64encode(f"{key}:{secret}".encode()).decode()
    http = Client(headers={"authorization": f"Basic {credentials}"})
    url = f"/xapi/o/{SLUG}/statements"

    with override_settings(DEBUG=False):
        progress(f"Posting {batches} batches of {BATCH} statements through the view")
        bodies = [_batch(n, member_ids) for n in range(batches)]
        _post(http, url, _batch(batches, member_ids))  # warm-up: connection, caches
        started = time.perf_counter()
        for body in bodies:
            _post(http, url, body)
        posted = time.perf_counter() - started
        count = batches * BATCH
        progress("Reference: the same rows by one bulk INSERT ... SELECT")
        reference = _bulk_insert_copy(organisation)  # every posted row, the warm-up's too
        copied = count + BATCH

        progress(f"Seeding {size:,} statements with one INSERT ... SELECT generate_series")
        _seed(organisation, size)
        _analyze()
        progress(f"Measuring the filtered GET (verb + since), {requests} requests")
        moments = _sinces(requests)
        view = _measure(
            requests,
            lambda i: _get(http, url, {"verb": QUERY_VERB, "since": moments[i % len(moments)]}),
        )
        by_hand = _measure(requests, lambda i: _by_hand(organisation, moments[i % len(moments)]))
    return [
        Row(
            NAME,
            f"POST batches of {BATCH}: statements/s (ref: bulk INSERT)",
            count / posted,
            copied / reference,
        ),
        Row(NAME, "statements in the organisation", size + 2 * copied),
        Row(
            NAME,
            "GET verb+since, page of 100: p50 ms (ref: query by hand)",
            _p(view, 50),
            _p(by_hand, 50),
        ),
        Row(NAME, "GET verb+since, page of 100: p95 ms (aim < 100)", _p(view, 95), _p(by_hand, 95)),
    ]


def _organisation(members: int) -> tuple[Organisation, str, str, list[int]]:
    organisation = Organisation.objects.create(slug=SLUG, name="Bench LRS")
    password = make_password(None)
    with organisation_scope(organisation.pk):
        admin_user = User.objects.create(email=f"admin@{SLUG}.test", password=password)
        admin = Membership.objects.create(organisation=organisation, user=admin_user, is_admin=True)
        users = User.objects.bulk_create(
            User(email=f"{SLUG}-{n}@bench.test", password=password) for n in range(members)
        )
        created = Membership.objects.bulk_create(
            Membership(organisation=organisation, user=user) for user in users
        )
        client, secret = services.lrs_client_create(
            organisation=organisation,
            name="Bench tool",
            scopes=[LrsClient.Scope.READ_ALL, LrsClient.Scope.WRITE],
            by=admin,
        )
    return organisation, client.key, secret, [m.pk for m in created]


def _batch(n: int, member_ids: list[int]) -> list[dict]:
    rng = random.Random(n)
    out = []
    for i in range(BATCH):
        if i % 5 == 0:  # a member of the organisation, with a verb Werkwijs counts
            actor = vocab.member_account(rng.choice(member_ids))
            verb = ADL + "completed"
        else:
            actor = {"objectType": "Agent", "mbox": f"mailto:learner{rng.randrange(10_000)}@x.test"}
            verb = ADL + rng.choice(VERBS)
        out.append(
            {
                "id": str(uuid.uuid4()),
                "actor": actor,
                "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
                "object": {
                    "objectType": "Activity",
                    "id": f"https://tools.example.com/activities/{rng.randrange(5_000)}",
                    "definition": {"name": {"en-US": "An activity"}},
                },
                "result": {"completion": True, "score": {"scaled": rng.random()}},
            }
        )
    return out


def _post(http: Client, url: str, body: list[dict]) -> None:
    response = http.post(
        url,
        json.dumps(body),
        content_type="application/json",
        headers={"X-Experience-API-Version": "1.0.3"},
    )
    if response.status_code != 200:  # pragma: no cover - a failing POST is no benchmark
        raise RuntimeError(f"POST answered {response.status_code}: {response.content[:300]!r}")


_COLUMNS = (
    "organisation_id, statement_id, data, verb, activity, actor, object_agent, registration, "
    "timestamp, stored, voided, voids, client_id"
)


def _bulk_insert_copy(organisation: Organisation) -> float:
    """Seconds to write the posted rows again (new ids) in one INSERT ... SELECT."""
    table = Statement._meta.db_table
    select = _COLUMNS.replace("statement_id", "gen_random_uuid()")
    with organisation_scope(organisation.pk), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {table} ({_COLUMNS}) SELECT {select} FROM {table} "  # noqa: S608
            "WHERE organisation_id = %s",
            [organisation.pk],
        )
        return time.perf_counter() - started


def _seed(organisation: Organisation, size: int) -> None:
    """``size`` statements stored over 180 days, by deterministic hashes of the row number."""
    table = Statement._meta.db_table
    verbs = "ARRAY[" + ", ".join(f"'{ADL}{v}'" for v in VERBS) + "]"
    start = timezone.now() - dt.timedelta(days=HISTORY_DAYS, hours=1)
    home = f"{vocab.site_home_page()}/xapi/o/{SLUG}/"
    with organisation_scope(organisation.pk), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} ({_COLUMNS})
            SELECT %(org)s, s.id, jsonb_build_object(
                       'id', s.id, 'actor', jsonb_build_object('mbox', s.mbox),
                       'verb', jsonb_build_object('id', s.verb),
                       'object', jsonb_build_object('objectType', 'Activity', 'id', s.activity),
                       'timestamp', to_char(s.stored AT TIME ZONE 'UTC',
                                            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'stored', to_char(s.stored AT TIME ZONE 'UTC',
                                         'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'authority', jsonb_build_object(
                           'objectType', 'Agent',
                           'account', jsonb_build_object('homePage', %(home)s, 'name', 'seed')),
                       'version', '1.0.0'),
                   s.verb, s.activity, 'mbox:' || s.mbox, '', NULL,
                   s.stored, s.stored, FALSE, NULL, NULL
            FROM (
                SELECT gen_random_uuid() AS id,
                       ({verbs})[1 + (hashint4(n) & 2147483647) %% 10] AS verb,
                       'https://tools.example.com/activities/'
                           || (hashint4(n + 1) & 2147483647) %% 5000 AS activity,
                       'mailto:learner' || (hashint4(n + 2) & 2147483647) %% 10000
                           || '@x.test' AS mbox,
                       %(start)s::timestamptz + (n * %(step)s) * interval '1 second' AS stored
                FROM generate_series(1, %(size)s) AS n
            ) AS s
            """,  # noqa: S608 - table name and constant verbs only
            {
                "org": organisation.pk,
                "home": home,
                "start": start,
                "step": HISTORY_DAYS * 86_400 / max(size, 1),
                "size": size,
            },
        )


def _analyze() -> None:
    with connection.cursor() as cursor:
        for model in (Statement, StatementLink):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _sinces(count: int) -> list[str]:
    """``since`` moments spread over the last 90 days (a week's to a quarter's statements)."""
    now = timezone.now()
    rng = random.Random(7)
    moments = [now - dt.timedelta(days=rng.uniform(1, 90)) for _ in range(count)]
    return [services.format_timestamp(moment) for moment in moments]


def _get(http: Client, url: str, params: dict) -> None:
    response = http.get(url, params, headers={"X-Experience-API-Version": "1.0.3"})
    if response.status_code != 200:  # pragma: no cover
        raise RuntimeError(f"GET answered {response.status_code}: {response.content[:300]!r}")
    if len(response.json()["statements"]) != 100:  # pragma: no cover
        raise RuntimeError("GET did not fill a page of 100")


def _by_hand(organisation: Organisation, since: str) -> None:
    table = Statement._meta.db_table
    with organisation_scope(organisation.pk), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, stored, data FROM {table} WHERE organisation_id = %s AND voided = FALSE "  # noqa: S608
            "AND verb = %s AND stored > %s AND stored <= now() "
            "ORDER BY stored DESC, id DESC LIMIT 101",
            [organisation.pk, QUERY_VERB, since],
        )
        cursor.fetchall()


def _measure(count: int, call: Callable[[int], None]) -> list[float]:
    for i in range(min(20, count)):  # warm-up: connection, caches, plans
        call(i)
    times = []
    for i in range(count):
        started = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p(times: list[float], percentile: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[percentile - 1]
