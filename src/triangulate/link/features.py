"""Linking features of an event record: interval, place, actors, victims, counts, key terms."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from triangulate.tuning import tuned

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
STOP = frozenset(
    """the and for that with from this have has had was were are been will would said says about after
their they there them into over than then also which while when where what who whom more most other some such only
could should can may might its his her him she our out not but all any one two new people police report reports
reported according told year years week day days month time first last two three local news""".split()
)


@dataclass(slots=True)
class EventFeatures:
    """What the scorer compares for one event record."""

    event_id: int
    doc_id: int
    role: str
    event_type: str
    mode: str
    start: date | None
    end: date | None
    precision: str
    soft_date: bool
    country: str
    lat: float | None
    lon: float | None
    place_precision: str
    geonameid: int | None
    admin1: str = ""
    perpetrators: set[str] = field(default_factory=set)
    victims: set[str] = field(default_factory=set)
    soft_victims: set[str] = field(default_factory=set)
    killed: int | None = None
    terms: set[str] = field(default_factory=set)
    vector: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)  # TF-IDF over the names only (``text.name_counts``)
    regions: set[str] = field(default_factory=set)
    people_victims: set[str] = field(
        default_factory=set
    )  # the entity layer's named victims (few, full names)
    address: str = ""  # the report's street location at block, number or intersection precision, lower case
    text: str = ""
    published: date | None = None
    named: set[str] = field(
        default_factory=set
    )  # full names of the victims and suspects (entity layer, lower case)
    people: set[str] = field(default_factory=set)  # full names of everyone the report names (lower case)
    victim_ages: set[int] = field(default_factory=set)
    clocks: set[str] = field(default_factory=set)  # clock times of the shooting ("01:30")
    city: str = ""  # the report's city (dateline first), lower case
    street: str = ""  # the report's street location at any precision, lower case
    wounded: int | None = None
    outlet: str = ""


# A report naming more victims than this (or counting more dead) is of a mass-casualty incident, whose reports
# name different victims: its names are no evidence against another report's.
MAX_FIRM_VICTIMS = tuned("link.max_firm_victims")
FIRM_ADDRESSES = ("block", "address", "intersection")


def entity_victims(record: dict) -> set[str]:  # type: ignore[type-arg]
    """The full names (two words or more) of the victims the entity layer finds in a report, when it names
    few: two reports of one shooting name the same victim."""
    named = [
        p["name"].lower()
        for p in record.get("people") or []
        if p.get("role") == "victim" and len(p["name"].split()) >= 2
    ]
    killed = max(
        (c["low"] for c in record.get("counts", []) if c["field"] in ("killed", "wounded")), default=0
    )
    return set(named) if len(named) <= MAX_FIRM_VICTIMS and killed <= MAX_FIRM_VICTIMS else set()


def iso_day(text: str) -> date | None:
    """The day an ISO value starts with ('2016-11-02', '2016-11-02T10:00'); None for shorter or unresolved ('XXXX-05-08') values."""
    try:
        return (
            date.fromisoformat(text[:10]) if text and len(text) >= 10 and not text.startswith("X") else None
        )
    except ValueError:
        return None


def interval(value: str, start: str, end: str) -> tuple[date | None, date | None]:
    """Day bounds of a time value (month and year values expand to their full span)."""
    lo, hi = iso_day(start), iso_day(end)
    if lo and hi:
        return lo, hi
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        d = iso_day(value)
        return d, d
    week = re.fullmatch(r"(\d{4})-W(\d{2})", value or "")
    if week:
        first = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        return first, first + timedelta(days=6)
    if re.fullmatch(r"\d{4}-\d{2}", value or ""):
        y, m = int(value[:4]), int(value[5:7])
        first = date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return first, nxt - timedelta(days=1)
    if re.fullmatch(r"\d{4}", value or ""):
        return date(int(value), 1, 1), date(int(value), 12, 31)
    return None, None


def terms_of(text: str) -> set[str]:
    """Content words (lowercased, stop words removed) for text overlap."""
    return {w.lower() for w in _WORD.findall(text)} - STOP


def _full_names(people: list[dict], roles: tuple[str, ...] = ()) -> set[str]:  # type: ignore[type-arg]
    return {
        p["name"].lower()
        for p in people
        if len(p["name"].split()) >= 2 and (not roles or p.get("role") in roles)
    }


def features_from_row(row, doc_text: str, published: str, *, with_terms: bool = True) -> EventFeatures:  # type: ignore[no-untyped-def]
    """Build features from an ``events`` row and its document (``with_terms=False`` leaves ``terms`` empty,
    for a caller that fills them only when text similarity is needed)."""
    record = json.loads(row["record"])
    date_rec = record.get("date") or {}
    lo, hi = interval(date_rec.get("value", ""), date_rec.get("start", ""), date_rec.get("end", ""))
    if date_rec.get("qualifier") == "on-or-before" and hi is not None:
        lo = hi - timedelta(days=30)
    place = record.get("place") or {}
    perps = {
        p["canonical"] or p["name"]
        for p in record.get("participants", [])
        if p["role"] == "perpetrator" and p.get("kind") != "description"
    }
    named = [p for p in record.get("participants", []) if p["role"] == "victim" and p.get("kind") == "person"]
    victims = {p["canonical"].lower() for p in named if not (p.get("attrs") or {}).get("basis")}
    perps |= {
        p["name"]
        for p in record.get("people") or []
        if p.get("role") == "suspect" and len(p["name"].split()) >= 2
    }
    soft_victims = {p["canonical"].lower() for p in named if (p.get("attrs") or {}).get("basis")}
    people_victims = entity_victims(record)
    soft_victims |= people_victims
    address = record.get("address") or {}
    killed = [c["low"] for c in record.get("counts", []) if c["field"] == "killed"]
    wounded = [c["low"] for c in record.get("counts", []) if c["field"] == "wounded"]
    people = record.get("people") or []
    pub = iso_day(published)
    text = doc_text if row["role"] == "main" else (record.get("summary") or "")
    return EventFeatures(
        event_id=row["id"],
        doc_id=row["doc_id"],
        role=row["role"],
        event_type=row["event_type"],
        mode=row["mode"],
        start=lo,
        end=hi,
        precision=date_rec.get("precision", "unknown"),
        soft_date=not date_rec
        or date_rec.get("anchor_source") == "inferred"
        or any(
            flag in str(date_rec.get("rule", "")) for flag in ("no-anchor", "lead-fallback", "same-sentence")
        )
        or str(date_rec.get("value", "")).startswith("X"),
        country=str(place.get("country_code") or ""),
        lat=place.get("latitude"),
        lon=place.get("longitude"),
        place_precision=str(place.get("precision") or "unknown"),
        geonameid=place.get("geonameid"),
        admin1=str(place.get("admin1") or ""),
        perpetrators=perps,
        victims=victims,
        soft_victims=soft_victims,
        killed=max(killed) if killed else None,
        terms=terms_of(text) if with_terms else set(),
        published=pub,
        text=text,
        people_victims=people_victims,
        address=str(address.get("value", "")).lower() if address.get("precision") in FIRM_ADDRESSES else "",
        named=_full_names(people, ("victim", "suspect")),
        people=_full_names(people),
        victim_ages={int(p["age"]) for p in people if p.get("role") == "victim" and p.get("age")},
        clocks={
            str(t.get("normalized"))
            for t in record.get("times_of_day") or []
            if t.get("precision") == "clock"
        },
        city=str((record.get("city") or {}).get("value") or "").lower(),
        street=str(address.get("value") or "").lower(),
        wounded=max(wounded) if wounded else None,
        outlet=str(_get(row, "outlet") or ""),
    )


def _get(row, key: str) -> object:  # type: ignore[no-untyped-def]
    """A column of a row that may not have been selected (sqlite3.Row raises IndexError)."""
    try:
        return row[key]
    except (IndexError, KeyError):
        return None
