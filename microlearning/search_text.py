"""The words search sees, the same on PostgreSQL and SQLite: normalised, stemmed, parts.

Both backends index and query the tokens made here, so they match the same units for
the same query; only the storage differs (a ``tsvector`` on PostgreSQL, an FTS5 table
on SQLite, see ``microlearning.services.search``).

- A word is a run of letters and digits, case-folded, diacritics removed (Unicode
  NFKD without the combining marks): ``Handhygiëne`` -> ``handhygiene``.
- Each word is indexed as itself and as its Snowball stem in the unit's language
  (``snowballstemmer``: Dutch or English; another language is not stemmed), the stem
  marked with the language (``nl_vergader``) so stems of two languages never meet.
- Parts of words: each word's (and stem's) tails of at least ``PART_LENGTH`` letters
  are indexed too, marked with ``PART`` so they only match query words that long:
  ``handhygiene`` yields ``_hygiene``, ``_ygiene`` ... That is how ``hygiene`` finds
  ``handhygiëne`` and ``preventie`` finds ``valpreventie`` (Dutch compounds), while
  ``hand`` does not find ``afhandelen``. No dictionary of compounds is needed.
- A query word is its own form and its stems in both languages (a Dutch searcher
  finds English units too), each as a prefix (search as you type), and, when at least
  ``PART_LENGTH`` letters, as the prefix of a part.

Typos are corrected against the organisation's vocabulary (``SearchTerm``: the
normalised words of titles and summaries) by trigram similarity, computed as
PostgreSQL's pg_trgm does (``trigram_similarity`` mirrors ``similarity()``), so the
same typo finds the same word on both backends.

The tokens are stored, not recomputed per query: a change to what this module makes
needs a migration that reindexes the published versions, as 0014 does
(``search_index_write``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator

import snowballstemmer

STEMMERS = {"nl": "dutch", "en": "english"}
QUERY_LANGUAGES = ("nl", "en")
# Tails shorter than this are no word of their own: "hand" stays out of "afhandelen".
PART_LENGTH = 5
# Marks a tail of a word: "_hygiene". FTS5 keeps it in a token (tokenchars), and no
# word contains it (words are letters and digits), so a part never passes for a word.
PART = "_"
MAX_WORD_LENGTH = 100
_WORD = re.compile(r"[^\W_]+")

# Snowball stemmers keep state while stemming a word: one per thread.
_local = threading.local()


def normalise(text: str) -> str:
    """Case-folded, without diacritics: what search compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The normalised words of ``text``, in order."""
    return [word for word in _WORD.findall(normalise(text)) if len(word) <= MAX_WORD_LENGTH]


def stem(word: str, language: str) -> str:
    """The Snowball stem of a normalised word; the word itself in another language."""
    algorithm = STEMMERS.get(language)
    if algorithm is None:
        return word
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm].stemWord(word)


def parts(form: str) -> Iterator[str]:
    """The tails of a word form at least ``PART_LENGTH`` long, marked, longest first."""
    for start in range(1, len(form) - PART_LENGTH + 1):
        yield PART + form[start:]


def stem_token(word: str, language: str) -> str | None:
    """A word's stem as indexed, marked with its language (``nl_vergader``): a Dutch
    stem then never passes for an English one (``metingen`` and ``meetings`` both stem
    to ``meet``). None in a language without a stemmer."""
    if language not in STEMMERS:
        return None
    return f"{language}{PART}{stem(word, language)}"


def index_tokens(word: str, language: str) -> set[str]:
    """What one word of a unit is indexed as: itself, its stem and the tails of both."""
    stemmed = stem_token(word, language)
    tokens = {word}
    tokens.update(parts(word))
    if stemmed is not None:
        tokens.add(stemmed)
        tokens.update(parts(stem(word, language)))
    return tokens


def _forms(word: str) -> list[str]:
    return list(
        dict.fromkeys([word, *(stem_token(word, language) for language in QUERY_LANGUAGES)])
    )


def query_forms(word: str) -> list[str]:
    """The forms a query word matches as prefixes: itself, its stems in both languages
    (a Dutch searcher finds English units too), and, when long enough, the parts of
    other words that start with it or its stems. Ordered, without repeats."""
    stems = [stem(word, language) for language in QUERY_LANGUAGES]
    tails = [PART + form for form in dict.fromkeys([word, *stems]) if len(form) >= PART_LENGTH]
    return _forms(word) + tails


def correction_forms(term: str) -> list[str]:
    """The forms a vocabulary term is looked for as: itself and its stems, as prefixes."""
    return _forms(term)


def vocabulary(title: str, summary: str) -> set[str]:
    """The terms a typo may be corrected to: words of three or more, starting with a letter."""
    return {
        word for word in words(f"{title} {summary}") if len(word) >= 3 and not word[0].isdigit()
    }


def _trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: per word, padded with two spaces before and one after."""
    grams = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity(a, b)``: shared trigrams over all trigrams of both."""
    first, second = _trigrams(a), _trigrams(b)
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def title_similarity(query: str, title: str) -> float:
    """How close a query comes to a run of words of a title: orders corrected hits
    (like pg_trgm's ``word_similarity``, counted over whole words)."""
    title_words = words(title)
    needle = " ".join(words(query))
    best = 0.0
    for start in range(len(title_words)):
        for end in range(start + 1, len(title_words) + 1):
            best = max(best, trigram_similarity(needle, " ".join(title_words[start:end])))
    return best
