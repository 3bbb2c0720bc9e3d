"""The offline gazetteer: a versioned SQLite file built at first use, queried by normalised name key.

The file lives in ``$TRIANGULATE_CACHE`` if set, else ``~/.cache/triangulate/``. Lookups go through an
index on the loose key and are memoised per key, so repeated names cost a dict lookup.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from triangulate.extract.places.aliases import DEMONYMS, REGION_DEMONYMS
from triangulate.extract.places.fuzzy import MIN_POPULATION as FUZZY_MIN_POPULATION
from triangulate.extract.places.fuzzy import fuzzy_index, fuzzy_key
from triangulate.extract.places.names import GENERIC_WORDS, NameKey, fold, name_key

log = logging.getLogger(__name__)

VERSION = 2  # bumped when the build or its curated aliases change, so old caches are rebuilt
FILE_NAME = f"gazetteer-v{VERSION}.sqlite"
Source = Literal["canonical", "alternate", "alias", "fuzzy"]
_SOURCES: tuple[Source, ...] = ("canonical", "alternate", "alias")
_RANK = {"alias": 3, "canonical": 2, "alternate": 1, "fuzzy": 0}


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: canonical name, country, admin1, representative point and precision.

    ``precision`` is ``city``, ``admin1`` (also used, conservatively, for admin2 units such as US counties,
    whose ``feature`` is ``ADM2``), ``country`` or ``region`` (continents and curated regions).
    ``matched`` is the normalised key the name was found under.
    """

    name: str
    country_code: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    geonameid: int | None
    precision: str
    feature: str
    population: int
    matched: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """One candidate for a written name, with how the name matched it."""

    place: Place
    source: Source
    exact: bool
    hint: str = ""
    stored_hint: str = ""

    @property
    def fits_hint(self) -> bool:
        """The name carried a feature word ('province', 'county', 'city') and this place is of that kind."""
        return bool(self.hint) and self.place.feature.startswith(_HINT_FEATURES.get(self.hint, "-"))


_HINT_FEATURES = {"admin1": "ADM1", "admin2": "ADM2", "city": "PPL"}


def cache_dir() -> Path:
    """Where the gazetteer file lives: ``$TRIANGULATE_CACHE`` or ``~/.cache/triangulate``."""
    env = os.environ.get("TRIANGULATE_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "triangulate"


def country_for_demonym(text: str) -> str:
    """ISO2 code for a demonym or adjective ('Syrian' -> 'SY', 'Russians' -> 'RU'); '' if unknown."""
    return DEMONYMS.get(fold(text), "")


class Gazetteer:
    """Places by normalised name. Build or open one with :meth:`load`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self._con = connection
        self._lock = threading.Lock()
        self._cache: dict[str, list[tuple[Place, Source, str, str]]] = {}
        self._countries = dict(connection.execute("SELECT cc, name FROM countries"))
        self._country_places: dict[str, Place] = {}
        self._fuzzy: dict[str, list[str]] | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Open the gazetteer at ``path`` (default: the cache folder), building it first if it is missing."""
        from triangulate.extract.places.build import build

        path = Path(path) if path is not None else cache_dir() / FILE_NAME
        if not path.exists():
            log.info("building the gazetteer at %s (first use)", path)
            build(path)
            if path.parent == cache_dir():
                for old in path.parent.glob("gazetteer-v*.sqlite"):
                    if old.name != FILE_NAME:
                        old.unlink(missing_ok=True)  # an earlier version's file, never read again
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        return cls(con, path)

    def country_name(self, code: str) -> str:
        """The country's name for an ISO2 code ('' if unknown)."""
        return self._countries.get(code, "")

    def country(self, code: str) -> Place | None:
        """The country-level place for an ISO2 code."""
        if code not in self._country_places:
            name = self._countries.get(code)
            found = (
                [
                    m.place
                    for m in self.matches(name)
                    if m.place.precision == "country" and m.place.country_code == code
                ]
                if name
                else []
            )
            self._country_places[code] = found[0] if found else None  # type: ignore[assignment]
        return self._country_places[code]

    def demonym(self, text: str) -> Place | None:
        """The country ('Syrian') or region ('European', 'Kurdish') a demonym points to, if any."""
        code = country_for_demonym(text)
        if code:
            return self.country(code)
        region = REGION_DEMONYMS.get(fold(text))
        found = [m.place for m in self.matches(region) if m.place.precision == "region"] if region else []
        return found[0] if found else None

    def candidates(self, name: str) -> list[Place]:
        """Every place a name may refer to, those matching a feature hint ('... province') first."""
        found = self.matches(name)
        return [m.place for m in sorted(found, key=lambda m: not m.fits_hint)]

    def matches(self, name: str) -> list[Match]:
        """Candidates with match details: exact written form or not, name source, the feature hint."""
        key = name_key(name)
        if not key.loose:
            return []
        rows = self._rows(key.loose)
        if not rows and not (DEMONYMS.get(key.strict) is not None or key.strict in REGION_DEMONYMS):
            if self._fuzzy is None:
                self._fuzzy = fuzzy_index(self.keys_for_fuzzy(FUZZY_MIN_POPULATION))
            near = fuzzy_key(self._fuzzy, key.loose)
            rows = [(p, "fuzzy", s, h) for p, _, s, h in self._rows(near)] if near else []
        rows = _plausible(rows, name, key)
        best: dict[Place, Match] = {}
        for place, source, strict, stored_hint in rows:
            if stored_hint and stored_hint != key.hint:
                source = "alternate"  # 'Moscow region' does not make 'Moscow' an alias of the oblast
            match = Match(place, source, strict == key.strict, key.hint, stored_hint)
            old = best.get(place)
            if old is None or (match.exact, _RANK[match.source]) > (old.exact, _RANK[old.source]):
                best[place] = match
        return list(best.values())

    def _rows(self, loose: str) -> list[tuple[Place, Source, str, str]]:
        cached = self._cache.get(loose)
        if cached is not None:
            return cached
        with self._lock:
            rows = self._con.execute(
                "SELECT p.name, p.cc, p.admin1, p.lat, p.lon, p.geonameid, p.precision, p.feature, p.population,"
                " n.source, n.strict FROM names n JOIN places p ON p.id = n.place WHERE n.key = ?",
                (loose,),
            ).fetchall()
        out: list[tuple[Place, Source, str, str]] = []
        for name, cc, admin1, lat, lon, gid, precision, feature, pop, source, strict in rows:
            place = Place(
                name, cc, self._countries.get(cc, ""), admin1, lat, lon, gid, precision, feature, pop, loose
            )
            out.append((place, _SOURCES[source], strict, name_key(strict).hint))
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[loose] = out
        return out

    def keys_for_fuzzy(self, min_population: int) -> list[str]:
        """Lookup keys of notable places (and all non-city places), for the fuzzy fallback."""
        with self._lock:
            rows = self._con.execute(
                "SELECT DISTINCT n.key FROM names n JOIN places p ON p.id = n.place"
                " WHERE n.source != 1 AND (p.population >= ? OR p.precision != 'city')",
                (min_population,),
            ).fetchall()
        return [r[0] for r in rows]


def _plausible(
    rows: list[tuple[Place, Source, str, str]], name: str, key: NameKey
) -> list[tuple[Place, Source, str, str]]:
    """Drop readings a careful reader would not consider for this written form."""
    if all(word in GENERIC_WORDS for word in key.strict.split()):  # 'West', 'Central': curated aliases only
        return [r for r in rows if r[1] == "alias"]
    if len(key.loose) <= 3:  # 'SA' is not 'Saa': short names must match as written
        rows = [r for r in rows if r[2] == key.strict]
    letters = name.replace(".", "").strip()
    if letters.isupper() and letters.isalpha() and len(letters) <= 4:  # 'OAS', 'CHU': acronyms, unless famous
        rows = [
            r
            for r in rows
            if r[1] == "alias"
            or (
                r[1] == "canonical"
                and r[2] == key.strict
                and (r[0].population >= 100_000 or r[0].feature in ("PCLI", "ADM1"))
            )
        ]
    return rows
