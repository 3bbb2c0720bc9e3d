"""The actor dictionary (shipped YAML, extendable by users) and alias lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from triangulate.errors import ConfigError, yaml_problem
from triangulate.extract.datafiles import data_texts

ACTOR_TYPES = (
    "state_force",
    "armed_group",
    "government_body",
    "media_outlet_of_group",
    "news_outlet",
    "person",
    "civilian_group",
    "international_org",
)


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor with its aliases. ``parent`` is the actor a media outlet speaks for."""

    name: str
    type: str
    country: str = ""
    aliases: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    parent: str = ""


def alias_key(text: str) -> str:
    """Lookup key: casefolded, possessive and leading article removed, spaces collapsed."""
    text = re.sub(r"['’]s\b", "", text.casefold())
    text = re.sub(r"^(?:the)\s+", "", text.strip())
    return re.sub(r"[\s\-]+", " ", text).strip(" .,")


class ActorDictionary:
    """Canonical actors by name and alias. Load with :meth:`load`."""

    def __init__(self, actors: list[Actor]) -> None:
        self.actors = {a.name: a for a in actors}
        self._by_key: dict[str, str] = {}
        self._by_exact: dict[str, str] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                self._by_key.setdefault(alias_key(alias), actor.name)
            for alias in actor.case_sensitive:
                self._by_exact[alias] = actor.name
        self._keys = list(self._by_key)

    @classmethod
    def load(cls, extra: str | Path | None = None) -> ActorDictionary:
        """The shipped dictionary, with a user's YAML file merged over it (same format)."""
        entries: dict[str, Actor] = {}
        for text, origin in data_texts("actors.yaml", extra, "actors_file", "actor file"):
            entries.update({a.name: a for a in _parse(text, origin)})
        return cls(list(entries.values()))

    def phrases(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """(case-insensitive, case-sensitive) alias lists per canonical name, for phrase matching."""
        lower = {a.name: [a.name, *a.aliases] for a in self.actors.values()}
        exact = {a.name: list(a.case_sensitive) for a in self.actors.values() if a.case_sensitive}
        return lower, exact

    def lookup(self, text: str) -> Actor | None:
        """Exact alias match (acronyms case-sensitively)."""
        name = self._by_exact.get(text.strip()) or self._by_key.get(alias_key(text))
        return self.actors.get(name) if name else None

    def fuzzy(self, text: str, cutoff: float = 90.0) -> Actor | None:
        """Closest alias by token-sort ratio, for spelling variants NER finds."""
        key = alias_key(text)
        if len(key) < 5:
            return None
        hit = process.extractOne(key, self._keys, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff)
        return self.actors[self._by_key[hit[0]]] if hit else None

    def responsible(self, actor: Actor) -> Actor:
        """The actor an act is attributed to: a group's media outlet resolves to the group."""
        seen = {actor.name}
        while actor.parent and actor.parent in self.actors and actor.parent not in seen:
            actor = self.actors[actor.parent]
            seen.add(actor.name)
        return actor


def _parse(text: str, origin: str) -> list[Actor]:
    try:
        raw = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{origin}: not valid YAML ({yaml_problem(exc)})", "see docs/actors.md for the format"
        ) from exc
    if not isinstance(raw, list):
        raise ConfigError(f"{origin}: expected a list of actors", "see docs/actors.md for the format")
    out = []
    for n, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ConfigError(f"{origin}: entry {n} has no name", "every actor needs name and type")
        kind = str(entry.get("type", "armed_group"))
        if kind not in ACTOR_TYPES:
            raise ConfigError(
                f"{origin}: actor {entry['name']!r} has unknown type {kind!r}",
                f"use one of {', '.join(ACTOR_TYPES)}",
            )
        out.append(
            Actor(
                name=str(entry["name"]),
                type=kind,
                country=str(entry.get("country") or ""),
                aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                case_sensitive=tuple(str(a) for a in entry.get("case_sensitive") or ()),
                parent=str(entry.get("parent") or ""),
            )
        )
    return out
