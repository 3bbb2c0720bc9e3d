"""Fuzzy fallback for names with no exact key: close spellings of notable places, only when unambiguous."""

from __future__ import annotations

from collections.abc import Iterable

MIN_LENGTH = 5
MIN_SCORE = 88.0
MARGIN = 4.0
MIN_POPULATION = 15_000


def fuzzy_index(keys: Iterable[str]) -> dict[str, list[str]]:
    """Lookup keys by first letter (the block :func:`fuzzy_key` searches in)."""
    index: dict[str, list[str]] = {}
    for key in keys:
        index.setdefault(key[0], []).append(key)
    return index


def fuzzy_key(index: dict[str, list[str]], loose: str) -> str:
    """The one notable key close to ``loose`` ('raqa' -> 'raqqa'), or '' when none or several are close.

    Only names of at least five letters are tried, against keys of places of 15,000 people or more and of
    every admin1, country and curated alias (``index``, from :func:`fuzzy_index`), with a first-letter block to
    stay fast.
    """
    from rapidfuzz import fuzz, process

    if len(loose) < MIN_LENGTH or not loose[0].isalpha():
        return ""
    pool = index.get(loose[0], [])
    best = process.extract(loose, pool, scorer=fuzz.ratio, limit=2, score_cutoff=MIN_SCORE - MARGIN)
    if not best or best[0][1] < MIN_SCORE:
        return ""
    if len(best) > 1 and best[1][1] > best[0][1] - MARGIN:
        return ""
    return str(best[0][0])
