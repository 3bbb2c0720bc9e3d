"""Reference events: well-known dated events that reports mention without their year.

"Since Russia began air strikes in Syria on September 30" dates a report to late 2015 for a
reader who knows when that was. The catalogue (shipped YAML, extendable by users) lets an
undated report borrow that knowledge: see :mod:`triangulate.extract.times.undated`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from triangulate.errors import ConfigError, yaml_problem
from triangulate.extract.datafiles import data_texts

_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_FORMAT = "see docs/reference-events.md for the format"


@dataclass(frozen=True, slots=True)
class ReferenceEvent:
    """One catalogued event. ``date`` is its day, or the first of its month at month precision."""

    id: str
    what: str
    date: dt.date
    precision: str
    groups: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class ReferenceHit:
    """A catalogued event recognised in one sentence (character bounds of that sentence)."""

    event: ReferenceEvent
    start: int
    end: int


def _fold(text: str) -> str:
    return re.sub(r"[\s\-‐‑–]+", " ", text.casefold())


def _group(terms: list[object]) -> re.Pattern[str]:
    words = sorted({_fold(str(t)).strip() for t in terms if str(t).strip()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")")


class ReferenceCatalogue:
    """Catalogued events by id. Load with :meth:`load`."""

    def __init__(self, events: list[ReferenceEvent]) -> None:
        self.events = {e.id: e for e in events}

    @classmethod
    def load(cls, extra: str | Path | None = None) -> ReferenceCatalogue:
        """The shipped catalogue, with a user's YAML file merged over it (same format, same ids replace)."""
        entries: dict[str, ReferenceEvent] = {}
        for text, origin in data_texts(
            "reference_events.yaml", extra, "reference_events_file", "reference events file"
        ):
            entries.update({e.id: e for e in _parse(text, origin)})
        return cls(list(entries.values()))

    def find(self, text: str, sentences: list[tuple[int, int]]) -> list[ReferenceHit]:
        """Every catalogued event recognised in a sentence of ``text`` (bounds as character offsets)."""
        hits = []
        for start, end in sentences:
            folded = _fold(text[start:end])
            for event in self.events.values():
                if all(group.search(folded) for group in event.groups):
                    hits.append(ReferenceHit(event, start, end))
        return hits


def _parse(text: str, origin: str) -> list[ReferenceEvent]:
    try:  # BaseLoader keeps dates as text: PyYAML's own date parsing raises on "2015-13-01"
        raw = yaml.load(text, Loader=yaml.BaseLoader) or []
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML ({yaml_problem(exc)})", _FORMAT) from exc
    if not isinstance(raw, list):
        raise ConfigError(f"{origin}: expected a list of events", _FORMAT)
    return [_event(entry, n, origin) for n, entry in enumerate(raw, 1)]


def _event(entry: object, n: int, origin: str) -> ReferenceEvent:
    if not isinstance(entry, dict) or not entry.get("id"):
        raise ConfigError(f"{origin}: entry {n} has no id", "every event needs id, date and match")
    name = str(entry["id"])
    found = _DATE.match(str(entry.get("date") or ""))
    try:
        day = dt.date(int(found[1]), int(found[2]), int(found[3] or 1)) if found else None
    except ValueError:
        day = None
    if day is None:
        raise ConfigError(
            f"{origin}: event {name!r} has date {entry.get('date')!r}", "give YYYY-MM-DD or YYYY-MM"
        )
    match = entry.get("match")
    if not isinstance(match, list) or not match or not all(isinstance(g, list) and g for g in match):
        raise ConfigError(f"{origin}: event {name!r} needs match: a list of term lists", _FORMAT)
    return ReferenceEvent(
        id=name,
        what=str(entry.get("what") or ""),
        date=day,
        precision="day" if found and found[3] else "month",
        groups=tuple(_group(g) for g in match),
    )
