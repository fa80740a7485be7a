"""Search that forgives: full-text search per unit language, prefixes and typos.

On PostgreSQL a published version carries a ``search_vector`` built in its own
language (``dutch`` for nl, ``english`` for en): title weighs A, summary, skills
and work processes B, the text of the blocks C. A query matches when

1. its words, stemmed and taken as prefixes (``vergaderingen`` -> ``vergader:*``,
   ``verg`` -> ``verg:*``: search as you type), all occur in the vector, ranked by
   ``ts_rank_cd``; the query is stemmed in both languages and the two are OR-ed, so
   a Dutch searcher finds English units too;
2. or, when those words match no published unit at all, with typos corrected: each
   word that no word of the organisation's titles and summaries starts with may also
   be one of its closest such words by trigram similarity (pg_trgm):
   ``vergadring`` -> ``vergadering``, ``meetng`` -> ``meeting``. A correction is
   looked for in titles and summaries only (weights A and B), where the word came
   from; these hits come closest title first. Both run in one scan: the words as
   typed or corrected; hits of the words as typed come first and, if any, alone.

The words come from a vocabulary per organisation (``SearchTerm``), filled when a
version is published. Why not compare the query with every title instead: row-level
security is forced on these tables, and PostgreSQL does not use an index for an
operator that is not leakproof (``@@``, ``%``, ``<%``) under RLS, so every test runs
row by row. Trigram similarity costs about 2 µs a title, 20 ms for a catalogue of
10,000 units; the vocabulary holds the distinct words (a few hundred to a few
thousand), so comparing the query's words with all of them is cheap, and looking for
the corrections costs no second scan of the catalogue. Every search costs the same
queries: the vocabulary, the ranked ids, the page of units. (The GIN indexes still
serve platform staff and any future table without forced RLS.)
On SQLite (``make run``) a plain ``icontains`` on title and summary stands in, and
typos are not corrected.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Value

from ..models import Unit

# Search configuration per unit language; anything else is indexed word for word.
LANGUAGE_CONFIGS = {"nl": "dutch", "en": "english"}
QUERY_CONFIGS = ("dutch", "english")
# Trigram similarity of a typo to the word meant: "meetng"/"meeting" 0.5,
# "vergadring"/"vergadering" 0.64, "feedbak"/"feedback" 0.55; unrelated words stay lower.
TYPO_THRESHOLD = 0.4
# Closest vocabulary terms tried in place of an unknown word.
MAX_CORRECTIONS = 3
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


# The vocabulary typos are corrected against: the words (letters and digits, three or
# more) of titles and summaries. ``{versions}`` is a condition on ``uv``.
VOCABULARY_SQL = """
INSERT INTO microlearning_searchterm (organisation_id, term)
SELECT DISTINCT uv.organisation_id, word
FROM microlearning_unitversion AS uv,
     unnest(tsvector_to_array(to_tsvector('simple', concat_ws(' ', uv.title, uv.summary))))
         AS word
WHERE ({versions}) AND char_length(word) BETWEEN 3 AND 100
  AND word ~ '^[[:alpha:]][[:alnum:]]*$'
ON CONFLICT DO NOTHING
"""


def search_index_refresh(*, version_ids: Iterable[int]) -> None:
    """(Re)build the search vectors of these versions and add their words to the
    vocabulary: call it when a version is published.

    Two statements however many versions; on SQLite there is nothing to build.
    """
    ids = list(version_ids)
    if not ids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL + " WHERE uv.id = ANY(%s)", [ids])
        cursor.execute(VOCABULARY_SQL.format(versions="uv.id = ANY(%s)"), [ids])


def search_words(query: str) -> list[str]:
    """The words of a query as the search sees them (lower case, letters and digits)."""
    return _WORD.findall(query[:MAX_QUERY_LENGTH].lower())[:MAX_QUERY_WORDS]


def prefix_tsquery(query: str) -> str:
    """``to_tsquery`` text for a user's query: every word, as a prefix, all required.

    Built from letters and digits only, so it is always valid tsquery syntax.
    """
    return " & ".join(f"{word}:*" for word in search_words(query))


def _tsquery(text: str) -> SearchQuery:
    """The query stemmed in both languages, OR-ed: a Dutch searcher finds English units too."""
    tsquery = None
    for config in QUERY_CONFIGS:
        part = SearchQuery(text, config=config, search_type="raw")
        tsquery = part if tsquery is None else tsquery | part
    return tsquery


def units_search(*, units: QuerySet[Unit], query: str) -> QuerySet[Unit]:
    """Narrow published ``units`` to those whose search vector matches ``query``, best first.

    Full-text only, annotated with ``search_rank``; ``units_search_ids`` adds typos.
    A query without letters or digits matches nothing.
    """
    words = search_words(query)
    if not words:
        return units.none()
    if connection.vendor != "postgresql":
        matches = Q()
        for word in words:
            matches &= Q(live_version__title__icontains=word) | Q(
                live_version__summary__icontains=word
            )
        return units.filter(matches).annotate(search_rank=Value(0.0))
    return _matching(units, prefix_tsquery(" ".join(words)))


def _matching(units: QuerySet[Unit], tsquery_text: str) -> QuerySet[Unit]:
    tsquery = _tsquery(tsquery_text)
    return (
        units.filter(live_version__search_vector=tsquery)
        .annotate(
            search_rank=SearchRank(F("live_version__search_vector"), tsquery, cover_density=True)
        )
        .order_by("-search_rank", "title", "pk")
    )


def units_search_ids(
    *,
    units: QuerySet[Unit],
    query: str,
    organisation_id: int,
    limit: int,
    order_by: Sequence[str] = (),
) -> list[int]:
    """Ids of the published ``units`` matching ``query``, best first (or by ``order_by``).

    A word that no title or summary starts with may be a typo: the same scan then
    also looks for its closest words of the organisation. Hits of the words as typed
    come first and, when there are any, alone; otherwise the corrected hits, closest
    title first.
    """
    words = search_words(query)
    corrections: dict[str, list[str]] = {}
    if words and connection.vendor == "postgresql":
        corrections = search_corrections(words, organisation_id=organisation_id)
    if not corrections:
        hits = units_search(units=units, query=query)
        if order_by:
            hits = hits.order_by(*order_by)
        return list(hits.values_list("pk", flat=True)[:limit])

    typed = prefix_tsquery(" ".join(words))
    either = f"({typed}) | ({corrected_tsquery(words, corrections)})"
    hits = (
        units.filter(live_version__search_vector=_tsquery(either))
        .annotate(
            search_hit=ExpressionWrapper(
                Q(live_version__search_vector=_tsquery(typed)), output_field=BooleanField()
            ),
            # 0 for a corrected hit: those are ordered by their title's similarity.
            search_rank=SearchRank(
                F("live_version__search_vector"), _tsquery(typed), cover_density=True
            ),
            search_similarity=TrigramWordSimilarity(" ".join(words), F("live_version__title")),
        )
        .order_by(
            "-search_hit", *(order_by or ("-search_rank", "-search_similarity", "title", "pk"))
        )
    )
    rows = list(hits.values_list("pk", "search_hit")[:limit])
    if rows and rows[0][1]:  # the words as typed match: no guesses mixed in
        rows = [row for row in rows if row[1]]
    return [pk for pk, _hit in rows]


def search_corrections(words: list[str], *, organisation_id: int) -> dict[str, list[str]]:
    """Each word that no vocabulary term starts with -> its closest terms, closest first.

    The vocabulary is small (the distinct words of titles and summaries), so comparing
    every word with every term row by row is cheap, index or not.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w.word, t.term, similarity(w.word, t.term), starts_with(t.term, w.word)
            FROM unnest(%s::text[]) AS w(word)
            JOIN microlearning_searchterm AS t ON t.organisation_id = %s
             AND (starts_with(t.term, w.word) OR similarity(w.word, t.term) >= %s)
            """,
            [words, organisation_id, TYPO_THRESHOLD],
        )
        rows = cursor.fetchall()
    known = {word for word, _term, _similarity, prefix in rows if prefix}
    close: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for word, term, similarity, _prefix in rows:
        # Terms go into tsquery text: letters and digits only, as for the query's own words.
        if word not in known and _WORD.fullmatch(term):
            close[word].append((similarity, term))
    return {
        word: [term for _similarity, term in sorted(terms, reverse=True)[:MAX_CORRECTIONS]]
        for word, terms in close.items()
    }


def corrected_tsquery(words: list[str], corrections: dict[str, list[str]]) -> str:
    """Each corrected word becomes itself or one of its corrections; a correction is a
    word of a title or summary, so it is looked for there only (weights A and B)."""
    parts = []
    for word in words:
        options = [f"{word}:*"] + [f"{term}:*AB" for term in corrections.get(word, [])]
        parts.append(f"({' | '.join(options)})" if len(options) > 1 else options[0])
    return " & ".join(parts)
