"""Offline gazetteer and joint toponym resolution.

>>> from triangulate.extract.places import Gazetteer, resolve_toponyms
>>> gaz = Gazetteer.load()  # doctest: +SKIP
>>> resolve_toponyms(["Deir al-Zor province", "Syria"], gaz)[0].precision  # doctest: +SKIP
'admin1'
"""

from triangulate.extract.places.gazetteer import (
    FILE_NAME,
    Gazetteer,
    Match,
    Place,
    cache_dir,
    country_for_demonym,
)
from triangulate.extract.places.names import NameKey, fold, name_key
from triangulate.extract.places.resolve import resolve_toponyms
from triangulate.extract.places.scoring import DEFAULT_WEIGHTS, Weights
from triangulate.geometry import haversine_km

__all__ = [
    "DEFAULT_WEIGHTS",
    "FILE_NAME",
    "Gazetteer",
    "Match",
    "NameKey",
    "Place",
    "Weights",
    "cache_dir",
    "country_for_demonym",
    "fold",
    "haversine_km",
    "name_key",
    "resolve_toponyms",
]
