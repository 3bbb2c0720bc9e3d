"""Candidate scores for toponym resolution: context-free priors and co-location support."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from triangulate.extract.places.gazetteer import Gazetteer, Match, Place
from triangulate.extract.places.names import GENERIC_WORDS
from triangulate.geometry import EARTH_RADIUS_KM

_POINT_FEATURES = ("PPL", "PPLC", "ADM2")
_NOTABLE_POPULATION = 50_000
_JOINERS = {"of", "the", "and", "de", "la", "del", "du", "des", "&"}
# "Southwest Baltimore" is a part of Baltimore, not the American Southwest; "the South Side", "the West End"
# and "Eastside" are parts of a city named by their direction alone.
_COMPASS = {
    "north",
    "south",
    "east",
    "west",
    "northwest",
    "northeast",
    "southwest",
    "southeast",
    "near",
    "far",
}
_PART_WORDS = {"side", "end"}
_ONE_WORD_PARTS = {"eastside", "westside", "northside", "southside"}


@dataclass(frozen=True, slots=True)
class Weights:
    """Score weights and limits (tuned on LGL and GeoWebNews; see ``triangulate.evaluate.geo``)."""

    hint: float = 6.0
    hint_mismatch: float = 1.0
    alias: float = 3.0
    canonical: float = 0.4
    alternate: float = 0.0
    fuzzy: float = -1.0
    exact: float = 0.3
    kind_country: float = 3.0
    kind_admin1: float = 2.0
    kind_region: float = 3.0
    kind_city: float = 0.3
    kind_admin2: float = 0.0
    capital: float = 0.5
    population: float = 0.6
    namesake: float = 10.0
    bare_admin2: float = 2.0
    country_named: float = 2.0
    country_any: float = 1.0
    admin1_named: float = 1.5
    admin1_any: float = 1.0
    near: float = 2.0
    near_km: float = 150.0
    same_admin1: float = 1.0
    same_country: float = 1.0
    plausible: float = 2.0
    shadowed: float = 2.0  # set by reasoning, checked on LGL and GeoWebNews (tuning.py places.shadowed)
    rounds: int = 3
    max_candidates: int = 60


DEFAULT_WEIGHTS = Weights()


def base_scores(matches: list[Match], w: Weights) -> list[tuple[Place, float]]:
    """Context-free score of each candidate: feature hint, name match, kind, population, namesake units."""
    kind = {
        "PCLI": w.kind_country,
        "ADM1": w.kind_admin1,
        "PPL": w.kind_city,
        "PPLC": w.kind_city + w.capital,
        "ADM2": w.kind_admin2,
        "CONT": w.kind_region,
        "RGN": w.kind_region,
    }
    source = {"alias": w.alias, "canonical": w.canonical, "alternate": w.alternate, "fuzzy": w.fuzzy}
    cities = [m.place for m in matches if m.place.feature.startswith("PPL") and m.place.population > 0]
    own_name = max((m.place.population for m in matches if m.source == "canonical" and m.exact), default=-1)
    out: list[tuple[Place, float]] = []
    for m in matches:
        p = m.place
        score = (
            w.hint * m.fits_hint
            + source[m.source]
            + w.exact * m.exact
            + w.population * math.log10(p.population + 10)
        )
        if (m.exact or m.source == "alias") and not _dwarfed(p, cities):
            score += kind.get(p.feature, 0.0)
        if m.stored_hint and m.stored_hint != m.hint:
            score -= w.hint_mismatch  # 'Kansas' is not 'Kansas City'
        if not m.fits_hint and p.feature in ("ADM1", "ADM2") and any(_namesake(p, c) for c in cities):
            score -= w.namesake  # 'Moscow', 'Aleppo', 'Paris': the city, not the unit named after it
        elif p.feature == "ADM2" and not m.fits_hint and cities:
            score -= w.bare_admin2  # 'Cambridge' is a city before it is an Australian local government area
        if m.source == "alternate" and own_name >= 0.1 * p.population:
            score -= w.shadowed  # 'Philadelphia' is the city of that name, not Amman's ancient one
        out.append((p, score))
    return out


def _dwarfed(unit: Place, cities: list[Place]) -> bool:
    """An admin1 unit far smaller than a city of its name ('Charlotte' the parish of Saint Vincent against
    Charlotte, North Carolina) gets no bonus for being a unit."""
    return unit.feature == "ADM1" and 0 < unit.population * 20 < max(
        (c.population for c in cities), default=0
    )


def _namesake(unit: Place, city: Place) -> bool:
    """Is ``city`` the main city of the admin unit that bears its name?"""
    if unit.country_code != city.country_code:
        return False
    if unit.feature == "ADM1":
        return (unit.latitude, unit.longitude) == (city.latitude, city.longitude)
    near = abs(unit.latitude - city.latitude) < 0.6 and abs(unit.longitude - city.longitude) < 0.8
    return near and city.population >= 0.3 * unit.population


def colocation(cands: dict[str, list[tuple[Place, float]]], w: Weights) -> dict[str, list[float]]:
    """Support of each candidate from the other names' plausible readings: nearby points, same admin1."""
    groups = list(cands)
    out = {g: [0.0] * len(v) for g, v in cands.items()}
    if len(groups) < 2:
        return out
    plat, plon, pgrp = [], [], []
    units: list[set[tuple[str, str]]] = [set() for _ in groups]
    lands: list[set[str]] = [set() for _ in groups]
    for gi, g in enumerate(groups):
        best = cands[g][0][1]
        for p, s in cands[g]:
            if s < best - w.plausible or not p.country_code:
                continue
            if p.feature in _POINT_FEATURES:
                plat.append(p.latitude)
                plon.append(p.longitude)
                pgrp.append(gi)
            if p.feature != "PCLI" and p.admin1:
                units[gi].add((p.country_code, p.admin1))
            if p.feature != "PCLI":
                lands[gi].add(p.country_code)
    rlat = np.radians([p.latitude for g in groups for p, _ in cands[g]])
    rlon = np.radians([p.longitude for g in groups for p, _ in cands[g]])
    near = np.zeros((len(rlat), len(groups)))
    if pgrp:
        lat2, lon2, grp = np.radians(plat), np.radians(plon), np.asarray(pgrp)
        a = (
            np.sin((lat2[None, :] - rlat[:, None]) / 2) ** 2
            + np.cos(rlat[:, None]) * np.cos(lat2[None, :]) * np.sin((lon2[None, :] - rlon[:, None]) / 2) ** 2
        )
        dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
        close = np.clip(1.0 - dist / w.near_km, 0.0, None)
        for gi in range(len(groups)):
            cols = grp == gi
            if cols.any():
                near[:, gi] = close[:, cols].max(axis=1)
    row = 0
    for gi, g in enumerate(groups):
        for ci, (p, _) in enumerate(cands[g]):
            others = [j for j in range(len(groups)) if j != gi]
            total = 0.0
            if p.feature in _POINT_FEATURES and p.country_code:
                total += w.near * min(2.0, float(near[row, others].sum())) / 2
            if p.feature == "PCLI":
                total += w.same_country * min(2, sum(p.country_code in lands[j] for j in others)) / 2
            unit = (p.country_code, p.name if p.feature == "ADM1" else p.admin1)
            if unit[1] and p.feature != "PCLI":
                total += w.same_admin1 * min(2, sum(unit in units[j] for j in others)) / 2
            out[g][ci] = total
            row += 1
    return out


def city_part(text: str) -> bool:
    """'South Side', 'West End', 'Eastside': a part of a city named by its direction alone, which the gazetteer
    holds only as other places' alternate names ('South Side' for Eltingville, New York)."""
    words = re.findall(r"[a-z]+", text.casefold())
    if len(words) == 1:
        return words[0] in _ONE_WORD_PARTS
    return len(words) > 1 and words[-1] in _PART_WORDS and all(w in _COMPASS for w in words[:-1])


def backoff(text: str, gazetteer: Gazetteer) -> list[Match]:
    """Readings of a notable place named inside a longer name ('Dubai World Cup', 'University of California').

    Tries the longest runs of capitalised words first; only exact names of countries, admin1s, regions and
    cities of 50,000 people or more count, so 'Royal Street' and 'Russian Embassy' stay unresolved.
    """
    words = text.split()
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            piece = words[start : start + size]
            if (
                not piece[0][:1].isupper()
                or piece[0].casefold() in _JOINERS
                or piece[-1].casefold() in _JOINERS
            ):
                continue
            if all(word.casefold().strip(".,") in GENERIC_WORDS | _COMPASS for word in piece):
                continue
            phrase = " ".join(piece)
            found = [
                m for m in gazetteer.matches(phrase) if m.exact and m.source != "fuzzy" and _notable(m.place)
            ]
            if found:
                return found
    return []


def _notable(p: Place) -> bool:
    return p.feature in ("PCLI", "ADM1", "CONT", "RGN") or p.population >= _NOTABLE_POPULATION
