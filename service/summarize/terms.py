"""Words as the extractive scorer compares them: lower-cased, without accents, stop words
dropped, reduced to their Snowball stem (so "migrants" and "migration" meet, and so do
"migración" and "migracion")."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

from service.languages import Lang

_WORD = re.compile(r"[a-z0-9]+")
_SNOWBALL: dict[Lang, str] = {"en": "english", "es": "spanish"}
_local = threading.local()


def fold(text: str) -> str:
    """Lower-case and strip accents: "Arévalo" -> "arevalo", "Ñandú" -> "nandu"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=2)
def stop_words(language: Lang) -> frozenset[str]:
    """The stopwords-iso list for ``language``, accent-folded like the text it filters."""
    import stopwordsiso

    return frozenset(fold(word) for word in stopwordsiso.stopwords(language))


def _stemmer(language: Lang) -> object:
    # Snowball stemmer objects keep the word being stemmed as state: one per thread.
    cache: dict[Lang, object] = _local.__dict__.setdefault("stemmers", {})
    if language not in cache:
        import snowballstemmer

        cache[language] = snowballstemmer.stemmer(_SNOWBALL[language])
    return cache[language]


@lru_cache(maxsize=65536)
def stem(word: str, language: Lang) -> str:
    """The Snowball stem of an already folded word."""
    return str(_stemmer(language).stemWord(word))  # type: ignore[attr-defined]


def terms(text: str, language: Lang) -> list[str]:
    """Content-word stems of ``text`` in order; stop words and one-character words left out."""
    stops = stop_words(language)
    return [
        stem(word, language)
        for word in _WORD.findall(fold(text))
        if len(word) > 1 and word not in stops
    ]
