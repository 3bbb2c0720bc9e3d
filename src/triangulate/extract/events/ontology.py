"""The event ontology as data, with ACLED and GTD mappings."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class EventType:
    """One (type, mode) of the ontology with its mappings."""

    type: str
    mode: str
    help: str
    acled_event_type: str
    acled_sub_event_type: str
    gtd_attacktype: str


@functools.lru_cache(maxsize=1)
def ontology() -> dict[tuple[str, str], EventType]:
    """Every (type, mode) pair; mode '' is the type itself."""
    raw = yaml.safe_load(
        resources.files("triangulate.data").joinpath("ontology.yaml").read_text(encoding="utf-8")
    )
    out: dict[tuple[str, str], EventType] = {}
    for name, spec in raw.items():
        out[(name, "")] = EventType(name, "", spec["help"], spec["acled"][0], spec["acled"][1], spec["gtd"])
        for mode, m in (spec.get("modes") or {}).items():
            out[(name, mode)] = EventType(name, mode, m["help"], m["acled"][0], m["acled"][1], m["gtd"])
    return out


def lookup(event_type: str, mode: str = "") -> EventType:
    """The ontology entry for a type and mode (falling back to the type)."""
    table = ontology()
    return table.get((event_type, mode)) or table[(event_type, "")]


GTD_CODES = {
    "Assassination": 1,
    "Armed Assault": 2,
    "Bombing/Explosion": 3,
    "Hostage Taking (Barricade Incident)": 5,
    "Hostage Taking (Kidnapping)": 6,
    "Facility/Infrastructure Attack": 7,
    "Unarmed Assault": 8,
    "Unknown": 9,
}
