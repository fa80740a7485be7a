"""Catalogue and search: server time of the pages, next to the same queries as raw SQL.

Setup: ``BENCH_CATALOGUE_UNITS`` (10,000) published units and
``BENCH_CATALOGUE_COMPLETIONS`` (100,000) completions are added to ``synth-1``
(left by ``bench_seed``; a small one is made if it is missing), with languages,
skills, work processes, a text block and search vectors.

Measured (``BENCH_CATALOGUE_REQUESTS``, 250, per measure, after a warm-up): first the
fixed cost every page pays (session, user, organisation, membership, the tenant
transaction, middleware), as a minimal view at ``/o/<slug>/bench/minimal/`` answered
for the signed-in member, next to the same view through Django with no middleware
at all; then the catalogue page (filters and pages varying) and search (prefixes, stemming and
typos, varying), through Django's test client as a signed-in member, so the time
is everything the server does for the request: session, tenancy, RLS, queries,
template. The reference is the same page's queries written by hand as raw SQL
(the count and the page of rows, under the same RLS setting), in the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from bench import Row, env_int, progress
from demo.catalogue import catalogue_seed
from demo.synthetic import SyntheticSpec, synthetic_seed
from microlearning.services.search import (
    corrected_tsquery,
    prefix_tsquery,
    search_corrections,
    search_words,
)
from organisations.models import Membership, Organisation
from organisations.tenancy import organisation_scope

ORDER = 10
NAME = "catalogue"
PAGE_SIZE = 20  # as microlearning.views.catalogue.PAGE_SIZE
SEARCHES = (
    "vergadering", "overdracht", "feedback", "veilig til", "incident melden", "hand",
    "klacht", "meeting", "handover", "fire safety", "priorit", "medicatie",
    "vergadring", "overdrcht", "feedbak", "brandveilig", "valpreventie", "onboardng",
)  # fmt: skip
BROWSE = (
    {},
    {"page": 2},
    {"page": 40},
    {"duration": "short"},
    {"language": "en"},
    {"category": "social", "sort": "title"},
    {"duration": "medium", "language": "nl", "page": 3},
)


def run() -> list[Row]:
    organisation = _organisation()
    units = env_int("BENCH_CATALOGUE_UNITS", 10_000)
    completions = env_int("BENCH_CATALOGUE_COMPLETIONS", 100_000)
    requests = max(env_int("BENCH_CATALOGUE_REQUESTS", 250), 1)
    started = time.perf_counter()
    report = catalogue_seed(
        organisation=organisation, units=units, completions=completions, log=progress
    )
    setup_seconds = time.perf_counter() - started
    with organisation_scope(organisation.pk):
        member = (
            Membership.objects.filter(organisation=organisation, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
    client = Client()
    client.force_login(member.user)
    catalogue_url = reverse("microlearning:catalogue", args=[organisation.slug])

    # DEBUG off: no query log kept per request, as in production.
    with override_settings(DEBUG=False, ROOT_URLCONF="bench.urls"):
        progress(f"Measuring the fixed cost of a request, {requests} requests each")
        minimal_url = reverse("bench_minimal", args=[organisation.slug])
        fixed = _measure(requests, lambda i: _get(client, minimal_url, {}))
        with override_settings(MIDDLEWARE=[]):
            bare = Client()
            bare_fixed = _measure(requests, lambda i: _get(bare, minimal_url, {}))

        progress(f"Measuring the catalogue page and search, {requests} requests each")
        browse = _measure(requests, lambda i: _get(client, catalogue_url, BROWSE[i % len(BROWSE)]))
        search = _measure(
            requests, lambda i: _get(client, catalogue_url, {"q": SEARCHES[i % len(SEARCHES)]})
        )
        progress("Measuring the same queries as raw SQL")
        browse_sql = _measure(
            requests,
            lambda i: _raw_browse(organisation.pk, member.pk, BROWSE[i % len(BROWSE)]),
        )
        search_sql = _measure(
            requests,
            lambda i: _raw_search(organisation.pk, member.pk, SEARCHES[i % len(SEARCHES)]),
        )
    return [
        Row(
            NAME,
            "fixed cost p50 ms: minimal member page (bare Django ref)",
            _p(fixed, 50),
            _p(bare_fixed, 50),
        ),
        Row(
            NAME,
            "fixed cost p95 ms: minimal member page (bare Django ref)",
            _p(fixed, 95),
            _p(bare_fixed, 95),
        ),
        Row(NAME, "published units added", report.units),
        Row(NAME, "completions added", report.completions),
        Row(NAME, "seconds adding units (with search vectors)", setup_seconds),
        Row(NAME, "catalogue page p50 ms (raw SQL ref)", _p(browse, 50), _p(browse_sql, 50)),
        Row(NAME, "catalogue page p95 ms (raw SQL ref)", _p(browse, 95), _p(browse_sql, 95)),
        Row(NAME, "search p50 ms (raw SQL ref)", _p(search, 50), _p(search_sql, 50)),
        Row(NAME, "search p95 ms (raw SQL ref)", _p(search, 95), _p(search_sql, 95)),
    ]


def _organisation() -> Organisation:
    organisation = Organisation.objects.filter(slug="synth-1").first()
    if organisation is None:
        progress("No synth-1 from bench_seed: seeding a small one")
        synthetic_seed(spec=SyntheticSpec(organisations=1, members=2_000, events=0), log=progress)
        organisation = Organisation.objects.get(slug="synth-1")
    return organisation


def _get(client: Client, url: str, params: dict) -> None:
    response = client.get(url, params)
    if response.status_code != 200:  # pragma: no cover - a broken page is no benchmark
        raise RuntimeError(f"{url} {params} answered {response.status_code}")


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


# --- The reference: the page's queries by hand ------------------------------------------------

_ROWS = """
    SELECT u.id, u.title, v.summary, v.estimated_minutes, v.category, v.language,
           EXISTS (SELECT 1 FROM microlearning_completion AS c
                   WHERE c.organisation_id = %(org)s AND c.member_id = %(member)s
                     AND c.unit_id = u.id) AS done
"""
_FROM = """
    FROM microlearning_unit AS u JOIN microlearning_unitversion AS v ON v.id = u.live_version_id
    WHERE u.organisation_id = %(org)s AND u.status = 'published'
"""
DURATIONS = {"short": (0, 5), "medium": (6, 10), "long": (11, 15)}


def _raw_browse(organisation_id: int, member_id: int, params: dict) -> None:
    where, values = "", {"org": organisation_id, "member": member_id}
    if "duration" in params:
        where += " AND v.estimated_minutes BETWEEN %(low)s AND %(high)s"
        values["low"], values["high"] = DURATIONS[params["duration"]]
    if "language" in params:
        where += " AND v.language = %(language)s"
        values["language"] = params["language"]
    if "category" in params:
        where += " AND v.category = %(category)s"
        values["category"] = params["category"]
    order = "u.title, u.id" if params.get("sort") == "title" else "u.published_at DESC, u.id DESC"
    values["offset"] = (params.get("page", 1) - 1) * PAGE_SIZE
    with organisation_scope(organisation_id), connection.cursor() as cursor:
        cursor.execute("SELECT count(*)" + _FROM + where, values)
        cursor.fetchone()
        cursor.execute(
            _ROWS + _FROM + where + f" ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET %(offset)s",
            values,
        )
        cursor.fetchall()


def _raw_search(organisation_id: int, member_id: int, query: str) -> None:
    """As the app searches: the vocabulary's corrections for words no title or summary
    starts with, ranked ids in one scan (as typed first, and alone if any), then the
    first page of rows by id."""
    words = search_words(query)
    typed = prefix_tsquery(query)
    values = {"org": organisation_id, "member": member_id, "text": " ".join(words)}
    with organisation_scope(organisation_id), connection.cursor() as cursor:
        corrections = search_corrections(words, organisation_id=organisation_id)
        rank = f"ts_rank_cd(v.search_vector, {_tsquery('typed')}) DESC"
        either, hit, order = typed, "true", rank
        if corrections:
            either = f"({typed}) | ({corrected_tsquery(words, corrections)})"
            hit = f"v.search_vector @@ {_tsquery('typed')}"
            order = f"hit DESC, {rank}, word_similarity(%(text)s, v.title) DESC"
        cursor.execute(
            f"""SELECT u.id, {hit} AS hit {_FROM} AND v.search_vector @@ {_tsquery("either")}
                ORDER BY {order}, u.title, u.id LIMIT 500""",
            {**values, "typed": typed, "either": either},
        )
        rows = cursor.fetchall()
        if rows and rows[0][1]:
            rows = [row for row in rows if row[1]]
        ids = [row[0] for row in rows]
        cursor.execute(_ROWS + _FROM + " AND u.id = ANY(%(ids)s)", {**values, "ids": ids[:20]})
        cursor.fetchall()


def _tsquery(param: str) -> str:
    return f"(%({param})s::tsquery)"
