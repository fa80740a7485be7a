"""Search that forgives: stems per language, prefixes, parts of words and typos.

The words are made in Python (``microlearning.search_text``), the same for both
backends, so PostgreSQL and SQLite (``make run``) find the same units for the same
query. A published version is indexed as the normalised words (diacritics removed)
of its title (weight A), summary, skills and work processes (B) and blocks (C), each
word also as its Snowball stem in the unit's language and as its tails of five
letters or more (``handhygiene`` -> ``_hygiene``: parts of Dutch compounds). On
PostgreSQL they are the version's ``search_vector`` (a ``tsvector`` written as
lexemes, so no text search configuration changes them), on SQLite rows of the FTS5
table ``microlearning_unitversion_fts`` (rowid: the version; columns title, summary,
body; organisation id unindexed, and every query filters on it). A query matches when

1. its words, each as itself or its stem in Dutch or English and taken as prefixes
   (``vergaderingen`` -> ``vergader*``, ``verg`` -> ``verg*``: search as you type),
   or, from five letters, as the prefix of a part (``hygiene`` -> ``_hygiene*``),
   all occur; ranked ``ts_rank_cd`` on PostgreSQL, ``bm25`` with the same weights
   (1, 0.4, 0.2) on SQLite: a title hit above a summary hit above a body hit;
2. or, when those words match no published unit at all, with typos corrected: each
   word that no word of the organisation's titles and summaries starts with may also
   be one of its closest such words by trigram similarity (pg_trgm's, mirrored in
   Python on SQLite): ``vergadring`` -> ``vergadering``, ``meetng`` -> ``meeting``.
   A correction is looked for in titles and summaries only (weights A and B), where
   the word came from; these hits come closest title first. Both run in one scan:
   the words as typed or corrected; hits of the words as typed come first and, if
   any, alone.

The words come from a vocabulary per organisation (``SearchTerm``), filled when a
version is published. Why not compare the query with every title instead: row-level
security is forced on these tables, and PostgreSQL does not use an index for an
operator that is not leakproof (``@@``, ``%``, ``<%``) under RLS, so every test runs
row by row. Trigram similarity costs about 2 µs a title, 20 ms for a catalogue of
10,000 units; the vocabulary holds the distinct words (a few hundred to a few
thousand), so comparing the query's words with all of them is cheap, and looking for
the corrections costs no second scan of the catalogue. Every search costs the same
queries on both backends: the vocabulary, the ranked ids, the page of units. (The
GIN indexes still serve platform staff and any future table without forced RLS.)
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from ..models import Unit
from ..search_text import (
    correction_forms,
    index_tokens,
    normalise,
    query_forms,
    title_similarity,
    trigram_similarity,
    vocabulary,
    words,
)

# Trigram similarity of a typo to the word meant: "meetng"/"meeting" 0.5,
# "vergadring"/"vergadering" 0.64, "feedbak"/"feedback" 0.55; unrelated words stay lower.
TYPO_THRESHOLD = 0.4
# Closest vocabulary terms tried in place of an unknown word.
MAX_CORRECTIONS = 3
MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
# Letters and digits only: whatever else a user types never reaches query syntax.
_WORD = re.compile(r"[^\W_]+")
# PostgreSQL's weights (D, C, B, A) for ts_rank_cd, and the same for bm25 on SQLite.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}
FTS_TABLE = "microlearning_unitversion_fts"
# SQLite only (migration 0014). The tokens are made in Python; FTS5 only splits them
# at spaces, keeping the part marker "_" inside a token.
FTS_CREATE_SQL = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
    organisation_id UNINDEXED, title, summary, body,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
)"""
# A tsvector position is at most 16383; later words share the last one.
_MAX_POSITION = 16383
_BATCH = 500
_BLOCK_FIELDS = ("markdown", "prompt", "caption", "alt", "explanation")


def _block_text(data) -> str:
    if isinstance(data, str):  # SQLite hands JSON back as text
        data = json.loads(data or "{}")
    if not isinstance(data, dict):
        return ""
    texts = [str(data.get(key) or "") for key in _BLOCK_FIELDS]
    items = data.get("items")
    if isinstance(items, list):
        texts += [str(item) for item in items if isinstance(item, str)]
    return " ".join(texts)


def _documents(cursor, version_ids: list[int]) -> list[dict]:
    """Title, summary (with skills and work processes) and body text of these versions.

    Table names are written out: migration 0014 runs this too, on the tables as they are.
    """
    marks = ", ".join(["%s"] * len(version_ids))
    cursor.execute(
        "SELECT id, organisation_id, language, title, summary"  # noqa: S608 - placeholders only
        f" FROM microlearning_unitversion WHERE id IN ({marks})",
        version_ids,
    )
    documents = {
        row[0]: {
            "id": row[0],
            "organisation_id": row[1],
            "language": row[2],
            "A": [row[3] or ""],
            "B": [row[4] or ""],
            "C": [],
        }
        for row in cursor.fetchall()
    }
    for sql in (
        "SELECT vs.version_id, s.name FROM microlearning_unitversionskill AS vs"  # noqa: S608
        " JOIN organisations_skill AS s ON s.id = vs.skill_id"
        f" WHERE vs.version_id IN ({marks}) ORDER BY vs.id",
        "SELECT vw.version_id, w.name FROM microlearning_unitversionworkprocess AS vw"  # noqa: S608
        " JOIN organisations_workprocess AS w ON w.id = vw.work_process_id"
        f" WHERE vw.version_id IN ({marks}) ORDER BY vw.id",
    ):
        cursor.execute(sql, version_ids)
        for version_id, name in cursor.fetchall():
            documents[version_id]["B"].append(name)
    cursor.execute(
        "SELECT version_id, data FROM microlearning_block"  # noqa: S608
        f" WHERE version_id IN ({marks}) ORDER BY version_id, position, id",
        version_ids,
    )
    for version_id, data in cursor.fetchall():
        documents[version_id]["C"].append(_block_text(data))
    return list(documents.values())


def _tokens(document: dict, weight: str) -> list[set[str]]:
    """The index tokens of one field, a set per word, in order."""
    language = document["language"]
    return [index_tokens(word, language) for word in words(" ".join(document[weight]))]


def _tsvector(document: dict) -> str:
    """The ``tsvector`` literal of a document: every token at its word's position."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for weight in WEIGHTS:
        for tokens in _tokens(document, weight):
            position = min(position + 1, _MAX_POSITION)
            for token in tokens:
                positions[token].append(f"{position}{weight}")
    # Tokens are letters, digits and the part marker: nothing to quote inside.
    return " ".join(f"'{token}':{','.join(marks)}" for token, marks in positions.items())


def _fts_columns(document: dict) -> list[str]:
    return [
        " ".join(token for tokens in _tokens(document, weight) for token in sorted(tokens))
        for weight in WEIGHTS
    ]


def search_index_write(cursor, vendor: str, version_ids: Sequence[int]) -> None:
    """Index these versions and add the words of their titles and summaries to the
    vocabulary. A few statements per 500 versions; migration 0014 calls it too."""
    for start in range(0, len(version_ids), _BATCH):
        documents = _documents(cursor, list(version_ids[start : start + _BATCH]))
        if vendor == "postgresql":
            cursor.executemany(
                "UPDATE microlearning_unitversion SET search_vector = %s::tsvector WHERE id = %s",
                [(_tsvector(document), document["id"]) for document in documents],
            )
        else:
            marks = ", ".join(["%s"] * len(documents))
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})",  # noqa: S608
                [document["id"] for document in documents],
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, organisation_id, title, summary, body)"  # noqa: S608
                " VALUES (%s, %s, %s, %s, %s)",
                [
                    (document["id"], document["organisation_id"], *_fts_columns(document))
                    for document in documents
                ],
            )
        terms = sorted(
            {
                (document["organisation_id"], term)
                for document in documents
                for term in vocabulary(document["A"][0], document["B"][0])
            }
        )
        for first in range(0, len(terms), _BATCH):
            chunk = terms[first : first + _BATCH]
            cursor.execute(
                "INSERT INTO microlearning_searchterm (organisation_id, term) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s)"] * len(chunk))
                + " ON CONFLICT DO NOTHING",
                [value for pair in chunk for value in pair],
            )


def search_index_refresh(*, version_ids: Iterable[int]) -> None:
    """(Re)index these versions and add their words to the vocabulary: call it when a
    version is published."""
    ids = list(version_ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        search_index_write(cursor, connection.vendor, ids)


def search_words(query: str) -> list[str]:
    """The words of a query as the search sees them (normalised letters and digits)."""
    return words(query[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]


def _tsquery_group(options: list[str]) -> str:
    return f"({' | '.join(options)})" if len(options) > 1 else options[0]


def prefix_tsquery(query: str) -> str:
    """``tsquery`` text for a user's query: every word required, in any of its forms,
    each as a prefix. Built from letters, digits and the part marker only, so it is
    always valid tsquery syntax."""
    return corrected_tsquery(search_words(query), {})


def corrected_tsquery(words: list[str], corrections: dict[str, list[str]]) -> str:
    """Each word becomes one of its forms or one of its corrections; a correction is a
    word of a title or summary, so it is looked for there only (weights A and B)."""
    groups = []
    for word in words:
        options = [f"'{form}':*" for form in query_forms(word)]
        options += [
            f"'{form}':*AB" for term in corrections.get(word, []) for form in correction_forms(term)
        ]
        groups.append(_tsquery_group(options))
    return " & ".join(groups)


def fts_match(words: list[str], corrections: dict[str, list[str]]) -> str:
    """The FTS5 query of ``corrected_tsquery``: the same forms, the same columns."""
    groups = []
    for word in words:
        options = [f'"{form}"*' for form in query_forms(word)]
        forms = [form for term in corrections.get(word, []) for form in correction_forms(term)]
        if forms:
            options.append("{title summary} : (" + " OR ".join(f'"{f}"*' for f in forms) + ")")
        groups.append(f"({' OR '.join(options)})")
    return " AND ".join(groups)


class _TsQuery(SearchQuery):
    """A ``tsquery`` given as lexemes: no text search configuration changes them."""

    template = "(%(expressions)s)::tsquery"


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
    title first. A query without letters or digits matches nothing. Two queries.
    """
    words = search_words(query)
    if not words:
        return []
    corrections = search_corrections(words, organisation_id=organisation_id)
    if connection.vendor != "postgresql":
        return _sqlite_search_ids(
            units,
            words,
            corrections,
            organisation_id=organisation_id,
            limit=limit,
            order_by=order_by,
        )

    typed = _TsQuery(prefix_tsquery(" ".join(words)))
    vector = F("live_version__search_vector")
    rank = SearchRank(vector, typed, cover_density=True)
    if not corrections:
        hits = units.filter(live_version__search_vector=typed).annotate(search_rank=rank)
        hits = hits.order_by(*(order_by or ("-search_rank", "title", "pk")))
        return list(hits.values_list("pk", flat=True)[:limit])

    either = _TsQuery(corrected_tsquery(words, corrections))
    hits = (
        units.filter(live_version__search_vector=either)
        .annotate(
            search_hit=ExpressionWrapper(
                Q(live_version__search_vector=typed), output_field=BooleanField()
            ),
            # 0 for a corrected hit: those are ordered by their title's similarity.
            search_rank=rank,
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


def _sqlite_search_ids(
    units: QuerySet[Unit],
    words: list[str],
    corrections: dict[str, list[str]],
    *,
    organisation_id: int,
    limit: int,
    order_by: Sequence[str],
) -> list[int]:
    """``units_search_ids`` on SQLite: one statement over the FTS5 table, ordered here.

    A hit's columns come back with it and the embedded catalogue is small, so the
    rules of the PostgreSQL query (hits as typed first and alone, then rank, or the
    title's similarity for corrected hits) are applied in Python.
    """
    base, params = units.values_list(
        "pk", "title", "published_at", "live_version_id"
    ).query.sql_with_params()
    weights = ", ".join(str(weight) for weight in WEIGHTS.values())
    sql = f"""
        SELECT u.*, bm25({FTS_TABLE}, 0, {weights}),
               {FTS_TABLE}.rowid IN (
                   SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
                   AND organisation_id = %s)
        FROM ({base}) AS u JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = u.live_version_id
        WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.organisation_id = %s
    """  # noqa: S608 - only constants and Django's own SQL are formatted in
    typed = fts_match(words, {})
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                typed,
                organisation_id,
                *params,
                fts_match(words, corrections) if corrections else typed,
                organisation_id,
            ],
        )
        rows = cursor.fetchall()
    if any(row[5] for row in rows):
        rows = [row for row in rows if row[5]]
        # bm25 is better the lower; PostgreSQL's rank the higher.
        relevance = lambda row: (row[4], row[1], row[0])  # noqa: E731
    else:
        text = " ".join(words)
        relevance = lambda row: (-title_similarity(text, row[1]), row[1], row[0])  # noqa: E731
    if order_by == ("title", "pk"):
        rows.sort(key=lambda row: (row[1], row[0]))
    elif order_by == ("-published_at", "-pk"):
        rows.sort(key=lambda row: (str(row[2]), row[0]), reverse=True)
    elif order_by:
        raise ValueError(f"SQLite search cannot order by {order_by}")
    else:
        rows.sort(key=relevance)
    return [row[0] for row in rows[:limit]]


def search_corrections(words: list[str], *, organisation_id: int) -> dict[str, list[str]]:
    """Each word that no vocabulary term starts with -> its closest terms, closest first.

    The vocabulary is small (the distinct words of titles and summaries), so comparing
    every word with every term row by row is cheap, index or not: in SQL with pg_trgm
    on PostgreSQL, in Python over the organisation's terms on SQLite (one query each).
    """
    if connection.vendor == "postgresql":
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
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM microlearning_searchterm WHERE organisation_id = %s",
                [organisation_id],
            )
            terms = [normalise(term) for (term,) in cursor.fetchall()]
        rows = []
        for word in dict.fromkeys(words):
            for term in terms:
                prefix = term.startswith(word)
                similarity = trigram_similarity(word, term)
                if prefix or similarity >= TYPO_THRESHOLD:
                    rows.append((word, term, similarity, prefix))
    known = {word for word, _term, _similarity, prefix in rows if prefix}
    close: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for word, term, similarity, _prefix in rows:
        # Terms go into query text: letters and digits only, as for the query's own words.
        if word not in known and _WORD.fullmatch(term):
            close[word].append((similarity, term))
    return {
        word: [term for _similarity, term in sorted(terms, reverse=True)[:MAX_CORRECTIONS]]
        for word, terms in close.items()
    }
