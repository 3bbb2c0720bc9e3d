"""Offline gazetteer and joint toponym resolution."""

from triangulate.extract.places.gazetteer import Gazetteer, Place, country_for_demonym
from triangulate.extract.places.resolve import resolve_toponyms

__all__ = ["Gazetteer", "Place", "country_for_demonym", "resolve_toponyms"]
