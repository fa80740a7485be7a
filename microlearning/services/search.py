"""Search that forgives: full-text search per unit language, prefixes and typos.

On PostgreSQL a published version carries a ``search_vector`` built in its own
language (``dutch`` for nl, ``english`` for en): title weighs A, summary, skills
and work processes B, the text of the blocks C. A query matches when

1. its words, stemmed and taken as prefixes (``vergaderingen`` -> ``vergader:*``,
   ``verg`` -> ``verg:*``: search as you type), all occur in the vector, ranked by
   ``ts_rank_cd``; the query is stemmed in both languages and the two are OR-ed, so
   a Dutch searcher finds English units too and the GIN index serves every row;
2. or, when the words match no published unit of the organisation at all, the query
   is close to a stretch of the title by trigram word similarity (pg_trgm), which
   catches typos: ``vergadring``, ``meetng``.

Full-text hits come first (by rank), then trigram hits (by similarity). Why typos
are only a fallback: row-level security is forced on these tables, and PostgreSQL
does not use an index for an operator that is not leakproof (``@@``, ``<%``) under
RLS, so both are computed row by row; word similarity costs about 2 µs a title,
too much for every search of a large catalogue, while a query that finds nothing
is exactly the one with a typo. (The GIN indexes still serve platform staff and
any future table without forced RLS.)
On SQLite (``make run``) a plain ``icontains`` on title and summary stands in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Func, Q, QuerySet, Value

from ..models import Unit

# Search configuration per unit language; anything else is indexed word for word.
LANGUAGE_CONFIGS = {"nl": "dutch", "en": "english"}
QUERY_CONFIGS = ("dutch", "english")
# word_similarity of a typo to the word meant: "meetng"/"meeting" 0.57,
# "vergadring"/"vergadering" 0.64, unrelated titles stay under 0.3.
TYPO_THRESHOLD = 0.5
MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
# Letters and digits only: whatever else a user types never reaches tsquery syntax.
_WORD = re.compile(r"[^\W_]+")


def _config_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in LANGUAGE_CONFIGS.items())
    return f"(CASE {column} {cases} ELSE 'simple' END)::regconfig"


_CONFIG = _config_sql("uv.language")
_BLOCK_TEXT = """concat_ws(' ',
    b.data ->> 'markdown', b.data ->> 'prompt', b.data ->> 'caption', b.data ->> 'alt',
    b.data ->> 'explanation',
    (SELECT string_agg(item, ' ') FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(b.data -> 'items') = 'array' THEN b.data -> 'items'
        ELSE '[]'::jsonb END) AS item))"""

# Table names are written out: migration 0011 runs this too, on the tables as they are then.
# Only the constants above are formatted in; ids go in as parameters.
REFRESH_SQL = f"""
UPDATE microlearning_unitversion AS uv SET search_vector =
    setweight(to_tsvector({_CONFIG}, coalesce(uv.title, '')), 'A')
    || setweight(to_tsvector({_CONFIG}, coalesce(uv.summary, '')), 'B')
    || setweight(to_tsvector({_CONFIG}, coalesce((
        SELECT string_agg(s.name, ' ') FROM microlearning_unitversionskill AS vs
        JOIN organisations_skill AS s ON s.id = vs.skill_id
        WHERE vs.version_id = uv.id), '')), 'B')
    || setweight(to_tsvector({_CONFIG}, coalesce((
        SELECT string_agg(w.name, ' ') FROM microlearning_unitversionworkprocess AS vw
        JOIN organisations_workprocess AS w ON w.id = vw.work_process_id
        WHERE vw.version_id = uv.id), '')), 'B')
    || setweight(to_tsvector({_CONFIG}, coalesce((
        SELECT string_agg({_BLOCK_TEXT}, ' ' ORDER BY b.position, b.id)
        FROM microlearning_block AS b WHERE b.version_id = uv.id), '')), 'C')
"""  # noqa: S608


def search_index_refresh(*, version_ids: Iterable[int]) -> None:
    """(Re)build the search vectors of these versions: call it when a version is published.

    One statement however many versions; on SQLite there is nothing to build.
    """
    ids = list(version_ids)
    if not ids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL + " WHERE uv.id = ANY(%s)", [ids])


def search_words(query: str) -> list[str]:
    """The words of a query as the search sees them (lower case, letters and digits)."""
    return _WORD.findall(query[:MAX_QUERY_LENGTH].lower())[:MAX_QUERY_WORDS]


def prefix_tsquery(query: str) -> str:
    """``to_tsquery`` text for a user's query: every word, as a prefix, all required.

    Built from letters and digits only, so it is always valid tsquery syntax.
    """
    return " & ".join(f"{word}:*" for word in search_words(query))


class _WordSimilar(Func):
    """``query <% title``: true when the query is close to a stretch of the title.

    An operator, not ``word_similarity(...) > x``, so the trigram GIN index answers it;
    the threshold is ``pg_trgm.word_similarity_threshold`` (set per search).
    """

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _typo_threshold_set() -> None:
    # Local to the transaction: every request runs in one (ATOMIC_REQUESTS).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(TYPO_THRESHOLD)],
        )


def units_search(*, units: QuerySet[Unit], query: str, organisation_id: int) -> QuerySet[Unit]:
    """Narrow published ``units`` of the organisation to those matching ``query``, best first.

    Annotates ``search_rank`` (full-text, 0 for a typo match) and ``search_similarity``.
    A query without letters or digits matches nothing.
    """
    words = search_words(query)
    if not words:
        return units.none()
    text = " ".join(words)
    if connection.vendor != "postgresql":
        matches = Q()
        for word in words:
            matches &= Q(live_version__title__icontains=word) | Q(
                live_version__summary__icontains=word
            )
        return units.filter(matches).annotate(search_rank=Value(0.0), search_similarity=Value(0.0))

    _typo_threshold_set()
    tsquery_text = prefix_tsquery(text)
    tsquery = None
    for config in QUERY_CONFIGS:
        part = SearchQuery(tsquery_text, config=config, search_type="raw")
        tsquery = part if tsquery is None else tsquery | part
    vector = F("live_version__search_vector")
    title = F("live_version__title")
    # Uncorrelated, so PostgreSQL runs it once and skips the trigram test when it is true.
    words_found = Exists(
        Unit.objects.filter(
            organisation_id=organisation_id,
            status=Unit.Status.PUBLISHED,
            live_version__search_vector=tsquery,
        )
    )
    return (
        units.annotate(
            search_hit=ExpressionWrapper(
                Q(live_version__search_vector=tsquery), output_field=BooleanField()
            ),
            search_rank=SearchRank(vector, tsquery, cover_density=True),
            search_similarity=TrigramWordSimilarity(text, title),
        )
        .filter(
            Q(live_version__search_vector=tsquery)
            | (~words_found & _WordSimilar(Value(text), title))
        )
        .order_by("-search_hit", "-search_rank", "-search_similarity", "title", "pk")
    )
