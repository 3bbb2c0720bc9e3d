"""Joint toponym resolution within one document: context countries, feature kind, population."""

from __future__ import annotations

from collections.abc import Iterable

from triangulate.extract.places.gazetteer import Gazetteer, Place

_RANK = {"country": 3, "admin1": 2, "city": 1}


def resolve_toponyms(names: list[str], gazetteer: Gazetteer, *, context_countries: Iterable[str] = frozenset()) -> list[Place | None]:
    """Resolve each name; a name with no candidate gives None and never affects the others."""
    options = [gazetteer.candidates(n) for n in names]
    context = set(context_countries)
    for opts in options:
        if opts and (opts[0].precision == "country" or len({p.country_code for p in opts}) == 1):
            context.add(opts[0].country_code)
    out: list[Place | None] = []
    for opts in options:
        if not opts:
            out.append(None)
            continue
        def score(p: Place) -> tuple[int, int, int]:
            return (p.country_code in context, _RANK.get(p.precision, 0) if p.population > 0 or p.precision != "city" else 0,
                    p.population)
        best_country = max(opts, key=lambda p: (p.country_code in context, p.population if p.precision != "country" else 10**10))
        exact_kind = max(opts, key=score)
        out.append(best_country if best_country.country_code in context else exact_kind)
    return out
