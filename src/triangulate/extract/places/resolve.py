"""Joint toponym resolution within one document.

Each name's candidates get a context-free score (a feature word such as 'province', how the name matched,
feature kind for equal names, population) plus document evidence:

* co-location: how many *other* names have some plausible reading close to this candidate (so that
  'Paris' and 'Henry County' pull each other to Tennessee);
* countries named in the document (or passed in as ``context_countries``, e.g. from demonyms) and the
  admin1s named, taken from the other names' current picks;
* the share of the other picks that lie in the candidate's country and admin1 (the document's focus).

Picks are refined over a few rounds; a name never counts as evidence for itself.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from triangulate.extract.places.gazetteer import Gazetteer, Match, Place
from triangulate.extract.places.names import name_key
from triangulate.extract.places.scoring import (
    DEFAULT_WEIGHTS,
    Weights,
    backoff,
    base_scores,
    city_part,
    colocation,
)

__all__ = ["DEFAULT_WEIGHTS", "Weights", "resolve_toponyms"]


@dataclass(slots=True)
class _Evidence:
    """What the document's current picks say, as counts over distinct names."""

    country_named: Counter[str]
    country_any: Counter[str]
    admin1_named: Counter[tuple[str, str]]
    admin1_any: Counter[tuple[str, str]]
    total: int


def resolve_toponyms(
    names: list[str],
    gazetteer: Gazetteer,
    *,
    context_countries: Iterable[str] = frozenset(),
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Place | None]:
    """Resolve all toponyms of one document jointly; a name with no candidate gives None, the others go on.

    Args:
        names: the toponyms as written, in document order (repeats allowed).
        gazetteer: a loaded :class:`Gazetteer`.
        context_countries: ISO2 codes known from elsewhere in the document (demonyms, metadata).
        weights: score weights; the defaults are tuned on the LGL and GeoWebNews benchmarks.

    Returns:
        One :class:`Place` or None per input name.

    Examples:
        >>> gaz = Gazetteer.load()  # doctest: +SKIP
        >>> [p.country_code for p in resolve_toponyms(["Paris", "Texas"], gaz)]  # doctest: +SKIP
        ['US', 'US']
    """
    groups = {n: _group(n) for n in names}
    texts = {g: n for n, g in groups.items() if g}
    cands: dict[str, list[tuple[Place, float]]] = {}
    for group, text in texts.items():
        if city_part(text):
            continue
        matches: list[Match] = gazetteer.matches(text) or backoff(text, gazetteer)
        if matches:
            cands[group] = sorted(base_scores(matches, weights), key=lambda c: -c[1])[
                : weights.max_candidates
            ]
    support = colocation(cands, weights)
    context = {c for c in context_countries if c}
    scores = {g: [s + sup for (_, s), sup in zip(v, support[g], strict=True)] for g, v in cands.items()}
    picks = {
        g: v[
            int(
                np.argmax(
                    [
                        s + weights.country_named * (p.country_code in context)
                        for (p, _), s in zip(v, scores[g], strict=True)
                    ]
                )
            )
        ][0]
        for g, v in cands.items()
    }
    for _ in range(weights.rounds):
        evidence = _evidence(picks)
        picks = {
            g: v[
                int(
                    np.argmax(
                        [
                            s + _context_score(p, picks[g], evidence, context, weights)
                            for (p, _), s in zip(v, scores[g], strict=True)
                        ]
                    )
                )
            ][0]
            for g, v in cands.items()
        }
    return [picks.get(groups[n]) if groups[n] else None for n in names]


def _group(text: str) -> str:
    key = name_key(text)
    return f"{key.loose}|{key.hint}" if key.loose else ""


def _contributions(p: Place) -> list[tuple[str, object]]:
    if not p.country_code:
        return []
    out: list[tuple[str, object]] = [("country_any", p.country_code)]
    if p.feature in ("PCLI", "ADM1"):
        out.append(("country_named", p.country_code))
    if p.feature == "ADM1":
        out.append(("admin1_named", (p.country_code, p.name)))
    if p.admin1 and p.feature != "PCLI":
        out.append(("admin1_any", (p.country_code, p.admin1)))
    return out


def _evidence(picks: dict[str, Place]) -> _Evidence:
    ev = _Evidence(Counter(), Counter(), Counter(), Counter(), len(picks))
    for p in picks.values():
        for field, value in _contributions(p):
            getattr(ev, field)[value] += 1
    return ev


def _context_score(c: Place, own: Place, ev: _Evidence, context: set[str], w: Weights) -> float:
    cc = c.country_code
    if not cc:
        return 0.0
    mine = dict.fromkeys(_contributions(own), 1)
    others = max(1, ev.total - 1)

    def count(field: str, value: object) -> int:
        return getattr(ev, field)[value] - mine.get((field, value), 0)

    score = w.country_named if (cc in context or count("country_named", cc) > 0) else 0.0
    score += w.country_any * count("country_any", cc) / others
    admin1 = c.name if c.feature == "ADM1" else c.admin1
    if admin1:
        score += w.admin1_named * (count("admin1_named", (cc, admin1)) > 0)
        score += w.admin1_any * math.sqrt(count("admin1_any", (cc, admin1)) / others)
    return score
