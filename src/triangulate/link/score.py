"""Pairwise same-incident score of two event records, with hard constraints.

Weights are hand-set for this first version and documented in docs/linking.md; tuning on the
GVC and ECB+ train/dev splits is tracked in the linking issue.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from triangulate.link.features import EventFeatures
from triangulate.link.text import cosine

WEIGHTS = {"type": 0.05, "time": 0.2, "place": 0.15, "victims": 0.15, "perpetrators": 0.1, "killed": 0.15, "text": 0.2,
           "region": 0.15, "details": 0.2}
SOFT_DATE_FACTOR = 0.3
NAME_WEIGHT = 0.3  # share of the names' cosine in the text evidence (tuned on GVC train+dev and ECB+ 1-35, docs/quality.md)
# An event dated (to the month or finer, soft dates too) two calendar months or more after the month a
# report was published in is not what that report describes: a report tells of its past. Months, not
# days, so that the reports of one incident, published over a few weeks, share their constraint keys.
AFTER_PUBLICATION_MONTHS = 1
FIRM = ("day", "week", "month")
SLACK_DAYS = {"day": 1, "week": 7, "month": 31, "season": 92, "year": 366, "decade": 3650, "unknown": 3650}


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _after_publication(a: EventFeatures, b: EventFeatures) -> bool:
    """Whether ``a`` happened well after ``b``'s report was published: no report tells of a later event."""
    return (b.published is not None and a.start is not None and a.precision in FIRM
            and _month(a.start) - _month(b.published) > AFTER_PUBLICATION_MONTHS)


def _time(a: EventFeatures, b: EventFeatures) -> float | None:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return 0.5
    gap = max((a.start - b.end).days, (b.start - a.end).days, 0)
    if a.precision == b.precision == "day" and gap > 2 and not (a.soft_date or b.soft_date):
        return None
    if _after_publication(a, b) or _after_publication(b, a):
        return None
    if gap == 0:
        # Overlap of two days is strong; a day inside the same year says little.
        widest = max((a.end - a.start).days, (b.end - b.start).days) + 1
        return 0.5 + 0.5 * min(1.0, 3 / widest)
    slack = max(SLACK_DAYS.get(a.precision, 30), SLACK_DAYS.get(b.precision, 30))
    value = max(0.0, 1.0 - gap / (2 * slack + 7))
    if a.soft_date or b.soft_date:
        # An inferred or loosely attached date is weak evidence either way.
        return 0.5 + (value - 0.5) * SOFT_DATE_FACTOR
    return value


def _distance_km(a: EventFeatures, b: EventFeatures) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _place(a: EventFeatures, b: EventFeatures) -> float | None:
    if a.country and b.country and a.country != b.country:
        # A report-level guess (an OTHER event's lead place) is evidence, not a constraint.
        return 0.1 if "OTHER" in (a.event_type, b.event_type) else None
    if a.geonameid and a.geonameid == b.geonameid:
        return 1.0
    if a.admin1 and a.admin1 == b.admin1 and "admin1" in (a.place_precision, b.place_precision):
        return 0.75
    km = _distance_km(a, b)
    coarse = "country" in (a.place_precision, b.place_precision)
    if km is None or coarse:
        return 0.6 if a.country and a.country == b.country else 0.5
    return 0.9 if km < 30 else 0.6 if km < 150 else 0.2


def _region(a: EventFeatures, b: EventFeatures) -> float:
    """The regions (admin1) each whole report names: disjoint sets are evidence of different incidents."""
    if not a.regions or not b.regions:
        return 0.5
    return 0.7 if a.regions & b.regions else 0.0


def _names_match(x: set[str], y: set[str]) -> bool:
    return any(fuzz.token_set_ratio(p, q) >= 85 for p in x for q in y)


def _victims(a: EventFeatures, b: EventFeatures) -> float | None:
    """Named victims from the parse must agree; names inferred from salience only count in favour."""
    if a.victims and b.victims:
        return 1.0 if _names_match(a.victims, b.victims) else None
    all_a, all_b = a.victims | a.soft_victims, b.victims | b.soft_victims
    if all_a and all_b:
        return 1.0 if _names_match(all_a, all_b) else 0.1
    return 0.5


def _details(a: EventFeatures, b: EventFeatures) -> float:
    """The victims the entity layer finds in each report: the same names are evidence of one incident, two
    different victims of two (not a hard constraint: a report may name a victim another calls a suspect)."""
    value = 0.5
    if a.people_victims and b.people_victims:
        value = 1.0 if _names_match(a.people_victims, b.people_victims) else 0.0
    return value


def _perps(a: EventFeatures, b: EventFeatures) -> float:
    if a.perpetrators and b.perpetrators:
        return 1.0 if _names_match(a.perpetrators, b.perpetrators) else 0.2
    return 0.5


def _killed(a: EventFeatures, b: EventFeatures) -> float:
    if a.killed is None or b.killed is None:
        return 0.5
    if a.killed == b.killed:
        return 1.0
    hi = max(a.killed, b.killed, 1)
    return 0.7 if abs(a.killed - b.killed) / hi <= 0.3 else 0.2


def _text(a: EventFeatures, b: EventFeatures) -> float:
    if a.vector and b.vector:
        if a.names and b.names:
            return (1 - NAME_WEIGHT) * cosine(a.vector, b.vector) + NAME_WEIGHT * cosine(a.names, b.names)
        return cosine(a.vector, b.vector)
    if not a.terms or not b.terms:
        return 0.0
    return len(a.terms & b.terms) / math.sqrt(len(a.terms) * len(b.terms))


# Types that can describe the same occurrence from different angles (an army's "strike" that
# villagers call a killing; an "abduction" that later reports call hostage-taking).
RELATED_TYPES = {frozenset({"ASSAULT", "FIGHT"}), frozenset({"ASSAULT", "CAPTURE"}), frozenset({"CAPTURE", "ARREST"}),
                 frozenset({"ASSAULT", "ARREST"})}
RELATED_MODES = {frozenset({"abduction", "hostage-taking"}), frozenset({"execution", "melee"}),
                 frozenset({"explosives", "suicide-attack"}), frozenset({"aerial", "shelling"})}


def _type(a: EventFeatures, b: EventFeatures) -> float:
    if "OTHER" in (a.event_type, b.event_type):
        return 0.5
    if a.event_type != b.event_type:
        return 0.25 if frozenset({a.event_type, b.event_type}) in RELATED_TYPES else 0.0
    if a.mode and b.mode and a.mode != b.mode:
        return 0.8 if frozenset({a.mode, b.mode}) in RELATED_MODES else 0.4
    return 1.0


TEXT_NEUTRAL = 0.25  # set cosine of unrelated news reports on one topic sits around here
# TF-IDF cosine on GVC train+dev main events: same incident deciles 0.17-0.49, different incidents 0.02-0.08.
TFIDF_NEUTRAL = 0.12
TYPE_CLASH = 0.35  # unrelated types (a protest and a shooting) weigh strongly against, without forbidding
TFIDF_WEIGHT = 0.6


@dataclass(frozen=True, slots=True)
class HardPart:
    """One hard constraint: ``key`` is everything it reads of an event (None when it can forbid
    nothing), ``forbids`` the test; events with equal keys are forbidden with the same others."""

    name: str
    key: Callable[[EventFeatures], object]
    forbids: Callable[[EventFeatures, EventFeatures], bool]


def _time_key(f: EventFeatures) -> object:
    if f.start is None or f.end is None:
        return None
    return (f.start, f.end, f.precision, f.soft_date, f.published and _month(f.published))


HARD_PARTS = (
    HardPart("time", _time_key, lambda a, b: _time(a, b) is None),
    # _place forbids only two countries, neither of them an OTHER event's lead-place guess.
    HardPart("place", lambda f: f.country if f.country and f.event_type != "OTHER" else None,
             lambda a, b: _place(a, b) is None),
    HardPart("victims", lambda f: frozenset(f.victims) if f.victims else None, lambda a, b: _victims(a, b) is None),
)


def forbidden(a: EventFeatures, b: EventFeatures) -> bool:
    """Whether a hard constraint forbids the merge (``score`` is then 0), from dates, places and
    victims alone: no text, so it is cheap enough to test every candidate."""
    return any(part.forbids(a, b) for part in HARD_PARTS)


def evidence(a: EventFeatures, b: EventFeatures) -> dict[str, float] | None:
    """Each feature's signed evidence (positive: same incident); None when a hard constraint forbids it.

    A feature scores in [0, 1] with 0.5 meaning "no evidence"; it contributes ``2 * (v - 0.5) * weight``,
    so unknown values neither help nor hurt.
    """
    parts = {"type": _type(a, b), "time": _time(a, b), "place": _place(a, b), "victims": _victims(a, b),
             "perpetrators": _perps(a, b), "killed": _killed(a, b)}
    if any(v is None for v in parts.values()):
        return None
    out = {k: 2 * (float(v) - 0.5) * WEIGHTS[k] for k, v in parts.items()}  # type: ignore[arg-type]
    out["region"] = 2 * (_region(a, b) - 0.5) * WEIGHTS["region"]
    out["details"] = 2 * (_details(a, b) - 0.5) * WEIGHTS["details"]
    if parts["type"] == 0.0:
        out["type"] = -TYPE_CLASH
    if a.vector and b.vector:
        out["text"] = 2 * (_text(a, b) - TFIDF_NEUTRAL) * TFIDF_WEIGHT
    else:
        out["text"] = 2 * (_text(a, b) - TEXT_NEUTRAL) * WEIGHTS["text"]
    return out


def score(a: EventFeatures, b: EventFeatures) -> float:
    """Same-incident evidence (about -1 to 1); 0 when a hard constraint forbids the merge.

    The sum of :func:`evidence`, added in the same order (so equal to the last bit), without building
    the dict: linking calls this for every exemplar of every candidate incident.
    """
    kind, when, where, victims = _type(a, b), _time(a, b), _place(a, b), _victims(a, b)
    if when is None or where is None or victims is None:
        return 0.0
    total = -TYPE_CLASH if kind == 0.0 else 2 * (float(kind) - 0.5) * WEIGHTS["type"]
    total += 2 * (float(when) - 0.5) * WEIGHTS["time"]
    total += 2 * (float(where) - 0.5) * WEIGHTS["place"]
    total += 2 * (float(victims) - 0.5) * WEIGHTS["victims"]
    total += 2 * (_perps(a, b) - 0.5) * WEIGHTS["perpetrators"]
    total += 2 * (_killed(a, b) - 0.5) * WEIGHTS["killed"]
    total += 2 * (_region(a, b) - 0.5) * WEIGHTS["region"]
    total += 2 * (_details(a, b) - 0.5) * WEIGHTS["details"]
    if a.vector and b.vector:
        total += 2 * (_text(a, b) - TFIDF_NEUTRAL) * TFIDF_WEIGHT
    else:
        total += 2 * (_text(a, b) - TEXT_NEUTRAL) * WEIGHTS["text"]
    return max(total, 1e-6)
