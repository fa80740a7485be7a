"""A big catalogue for the search benchmark: units, skills, work processes, completions.

``catalogue_seed(organisation=org, units=10_000, completions=100_000)`` adds published
units to an organisation that already has members (the synthetic seed's ``synth-1``):
each has a live version in Dutch or English (two in three Dutch), 2 to 15 minutes,
a 70:20:10 category, one or two skills, one work process, a text block and its
search vector (and the words of its title and summary in the search
vocabulary); then completions spread over the members. Rows are written with
``INSERT ... SELECT generate_series`` inside ``organisation_scope`` (row-level
security stays on), deterministic from the row number. PostgreSQL only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from microlearning.services.search import search_index_write
from organisations.models import Membership, Organisation, Skill, WorkProcess
from organisations.services.catalogue import tag_choices_forget
from organisations.tenancy import organisation_scope

# (Dutch, English) pairs: every topic exists in both languages, as in a bilingual catalogue.
TOPICS = (
    ("Een goede vergadering voorbereiden", "Preparing a good meeting"),
    ("Overdracht met SBAR", "Handover with SBAR"),
    ("Feedback geven en ontvangen", "Giving and receiving feedback"),
    ("Een incident melden", "Reporting an incident"),
    ("Handhygiëne op de afdeling", "Hand hygiene on the ward"),
    ("Veilig tillen en verplaatsen", "Lifting and moving safely"),
    ("Een lastig gesprek voeren", "Having a difficult conversation"),
    ("Klachten van klanten afhandelen", "Handling customer complaints"),
    ("Privacy op de werkvloer", "Privacy at work"),
    ("Brandveiligheid en ontruiming", "Fire safety and evacuation"),
    ("Nieuwe collega's inwerken", "Onboarding new colleagues"),
    ("Prioriteiten stellen in je week", "Setting priorities for your week"),
    ("Werkoverleg leiden", "Leading a team meeting"),
    ("Medicatie dubbel controleren", "Double-checking medication"),
    ("Valpreventie bij ouderen", "Preventing falls in older people"),
    ("Een verbeteridee uitwerken", "Working out an improvement idea"),
)  # fmt: skip
SKILLS = (
    "Communiceren", "Samenwerken", "Veiligheid", "Klantgerichtheid", "Plannen",
    "Leidinggeven", "Zorgvuldigheid", "Probleemoplossen", "Coachen", "Digitale vaardigheden",
)  # fmt: skip
WORK_PROCESSES = (
    "Dienstoverdracht", "Teamoverleg", "Klantcontact", "Incidentafhandeling", "Inwerken",
    "Medicatieronde", "Ontruiming", "Planning", "Intake", "Evaluatiegesprek",
)  # fmt: skip
BODY = (
    "Waarom dit ertoe doet in je dagelijkse werk, in drie zinnen.\n\n"
    "Zo pak je het aan, stap voor stap: voorbereiden, uitvoeren, nabespreken.\n\n"
    "Why this matters at work, and what to do when it goes differently."
)
CATEGORIES = ("formal", "social", "experience")
# A prime below 2**31 keeps products of two residues inside a 64-bit integer.
_MODULUS = 2_147_483_647


@dataclass
class CatalogueReport:
    units: int = 0
    completions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _mix(expr: str, salt: int) -> str:
    """A deterministic pseudo-random non-negative integer from ``expr``, in SQL."""
    return f"mod(({expr})::bigint * 48271 + {salt * 7919}, {_MODULUS})"


def catalogue_seed(
    *,
    organisation: Organisation,
    units: int,
    completions: int,
    log: Callable[[str], None] = print,
) -> CatalogueReport:
    """Add ``units`` published units and up to ``completions`` completions; see the module."""
    if connection.vendor != "postgresql":
        raise RuntimeError("catalogue_seed bulk-inserts with PostgreSQL SQL.")
    report = CatalogueReport()
    org = organisation.pk
    now = timezone.now()
    with organisation_scope(org), connection.cursor() as cursor:

        def timed(phase: str, sql: str, params: list) -> int:
            started = time.perf_counter()
            cursor.execute(sql, params)
            report.seconds[phase] = report.seconds.get(phase, 0.0) + time.perf_counter() - started
            return cursor.rowcount

        skills = Skill.objects.bulk_create(
            [Skill(organisation=organisation, name=f"{name} (cat)") for name in SKILLS]
        )
        processes = WorkProcess.objects.bulk_create(
            [
                WorkProcess(organisation=organisation, name=f"{name} (cat)")
                for name in WORK_PROCESSES
            ]
        )
        tag_choices_forget(organisation_id=org)  # bulk_create sends no signals
        titles_nl = [nl for nl, _en in TOPICS]
        titles_en = [en for _nl, en in TOPICS]
        log(f"Adding {units:,} units with versions, tags and text blocks")
        # Units and their versions in one statement each; the unit's title repeats the
        # version's, as unit_publish denormalises it.
        timed(
            "units",
            f"""
            CREATE TEMPORARY TABLE catalogue_seed_rows ON COMMIT DROP AS
            SELECT g AS n,
                   CASE WHEN mod(g, 3) = 2 THEN 'en' ELSE 'nl' END AS language,
                   CASE WHEN mod(g, 3) = 2
                        THEN (%s::text[])[(1 + mod(g, {len(TOPICS)}))::int]
                        ELSE (%s::text[])[(1 + mod(g, {len(TOPICS)}))::int] END
                   || ' ' || (g / {len(TOPICS)} + 1) AS title,
                   2 + mod({_mix("g", 1)}, 14) AS minutes,
                   (%s::text[])[(1 + mod({_mix("g", 2)}, 3))::int] AS category,
                   %s::timestamptz - make_interval(mins => g) AS published_at
            FROM generate_series(0, %s - 1) AS g
            """,  # noqa: S608 - only constants are formatted in
            [titles_en, titles_nl, list(CATEGORIES), now, units],
        )
        timed(
            "units",
            """
            INSERT INTO microlearning_unit
                (organisation_id, title, status, created_at, updated_at, published_at)
            SELECT %s, title, 'published', published_at, published_at, published_at
            FROM catalogue_seed_rows ORDER BY n
            """,
            [org],
        )
        # Unit ids were handed out in order of n; pair them back by rank.
        timed(
            "units",
            """
            ALTER TABLE catalogue_seed_rows ADD COLUMN unit_id bigint, ADD COLUMN version_id bigint;
            UPDATE catalogue_seed_rows AS r SET unit_id = u.id
            FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM microlearning_unit
                  WHERE organisation_id = %s AND live_version_id IS NULL
                    AND draft_version_id IS NULL AND status = 'published') AS u
            WHERE u.n = r.n;
            INSERT INTO microlearning_unitversion
                (organisation_id, unit_id, number, title, summary, language, estimated_minutes,
                 category, cover_image, cover_alt, pass_mark, created_at, published_at)
            SELECT %s, unit_id, 1, title,
                   CASE WHEN language = 'nl' THEN 'Kort en praktisch: ' || title || '.'
                        ELSE 'Short and practical: ' || title || '.' END,
                   language, minutes, category, '', '', 0, published_at, published_at
            FROM catalogue_seed_rows;
            UPDATE catalogue_seed_rows AS r SET version_id = v.id
            FROM microlearning_unitversion AS v WHERE v.unit_id = r.unit_id;
            UPDATE microlearning_unit AS u SET live_version_id = r.version_id
            FROM catalogue_seed_rows AS r WHERE u.id = r.unit_id;
            """,
            [org, org],
        )
        timed(
            "units",
            f"""
            INSERT INTO microlearning_block
                (organisation_id, version_id, position, kind, required, data, file)
            SELECT %s, version_id, 1, 'text', true, jsonb_build_object('markdown', %s::text), ''
            FROM catalogue_seed_rows;
            INSERT INTO microlearning_unitversionskill (organisation_id, version_id, skill_id)
            SELECT DISTINCT %s, version_id, (%s::bigint[])[(1 + k.i)::int]
            FROM catalogue_seed_rows,
                 LATERAL (VALUES (mod({_mix("n", 3)}, {len(skills)})),
                                 (mod({_mix("n", 4)}, {len(skills)}))) AS k(i);
            INSERT INTO microlearning_unitversionworkprocess
                (organisation_id, version_id, work_process_id)
            SELECT %s, version_id, (%s::bigint[])[(1 + mod({_mix("n", 5)}, {len(processes)}))::int]
            FROM catalogue_seed_rows;
            """,  # noqa: S608 - only constants are formatted in
            [org, BODY, org, [s.pk for s in skills], org, [p.pk for p in processes]],
        )
        log("Building search vectors")
        started = time.perf_counter()
        cursor.execute("SELECT version_id FROM catalogue_seed_rows ORDER BY n")
        search_index_write(cursor, connection.vendor, [row[0] for row in cursor.fetchall()])
        report.seconds["search vectors"] = time.perf_counter() - started
        report.units = units

        members = Membership.objects.filter(organisation=organisation).count()
        total = min(completions, members * units)
        log(f"Adding {total:,} completions over {members:,} members")
        # Pair g -> (member g % M, unit (j*37 + m) % U) with j = g / M: distinct for j < U.
        report.completions = timed(
            "completions",
            f"""
            WITH m AS (SELECT array_agg(id ORDER BY id) AS ids FROM organisations_membership
                       WHERE organisation_id = %s),
                 pairs AS (
                     SELECT mod(g, %s) AS member_ord,
                            mod((g / %s) * 37 + mod(g, %s), %s) AS unit_ord, g
                     FROM generate_series(0, %s - 1) AS g)
            INSERT INTO microlearning_completion
                (organisation_id, unit_id, version_id, member_id, completed_at)
            SELECT %s, r.unit_id, r.version_id, m.ids[1 + p.member_ord],
                   %s::timestamptz - make_interval(mins => mod({_mix("p.g", 6)}, 259200)::int)
            FROM pairs AS p JOIN catalogue_seed_rows AS r ON r.n = p.unit_ord, m
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 - only constants are formatted in
            [org, members, members, units, units, total, org, now],
        )
        cursor.execute(
            "ANALYZE microlearning_unit, microlearning_unitversion, microlearning_block,"
            " microlearning_completion, microlearning_unitversionskill,"
            " microlearning_unitversionworkprocess, microlearning_searchterm"
        )
    return report
