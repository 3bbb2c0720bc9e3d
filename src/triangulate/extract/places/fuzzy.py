"""Fuzzy fallback for names with no exact key: close spellings of notable places, only when unambiguous."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from triangulate.extract.places.gazetteer import Gazetteer

MIN_LENGTH = 5
MIN_SCORE = 88.0
MARGIN = 4.0
MIN_POPULATION = 15_000


def fuzzy_key(gazetteer: Gazetteer, loose: str) -> str:
    """The one notable key close to ``loose`` ('raqa' -> 'raqqa'), or '' when none or several are close.

    Only names of at least five letters are tried, against keys of places of 15,000 people or more and of
    every admin1, country and curated alias, with a first-letter block to stay fast.
    """
    from rapidfuzz import fuzz, process

    if len(loose) < MIN_LENGTH or not loose[0].isalpha():
        return ""
    index = _index(gazetteer)
    pool = index.get(loose[0], [])
    best = process.extract(loose, pool, scorer=fuzz.ratio, limit=2, score_cutoff=MIN_SCORE - MARGIN)
    if not best or best[0][1] < MIN_SCORE:
        return ""
    if len(best) > 1 and best[1][1] > best[0][1] - MARGIN:
        return ""
    return str(best[0][0])


def _index(gazetteer: Gazetteer) -> dict[str, list[str]]:
    cached = getattr(gazetteer, "_fuzzy", None)
    if isinstance(cached, dict):
        return cached
    index: dict[str, list[str]] = {}
    for key in gazetteer.keys_for_fuzzy(MIN_POPULATION):
        index.setdefault(key[0], []).append(key)
    gazetteer._fuzzy = index
    return index
