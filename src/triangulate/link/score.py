"""Pairwise same-incident score of two event records: hard constraints, then a learned logistic model.

The hard constraints (two firm dates days apart, two countries, two named victims) forbid a merge.
Every other pair is described by :func:`pair_features` and scored by the logistic regression of
:mod:`triangulate.link.pair_model`, trained on pairs that blocking generates on the train splits
(docs/linking.md, docs/quality.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from triangulate.geometry import haversine_km
from triangulate.link.features import EventFeatures
from triangulate.link.pair_model import pair_model
from triangulate.link.text import cosine
from triangulate.tuning import tuned

SOFT_DATE_FACTOR = tuned("link.soft_date_factor")
EVEN_SCORE = 0.25  # the score of even odds: the default link threshold
LOGIT_SCALE = 8.0  # log-odds per unit of score
TYPE_CLASH_LOG_ODDS = tuned("link.type_clash_log_odds")  # unrelated types
# An event dated (to the month or finer, soft dates too) two calendar months or more after the month a
# report was published in is not what that report describes: a report tells of its past. Months, not
# days, so that the reports of one incident, published over a few weeks, share their constraint keys.
AFTER_PUBLICATION_MONTHS = tuned("link.after_publication_months")
FIRM = ("day", "week", "month")
SLACK_DAYS = {"day": 1, "week": 7, "month": 31, "season": 92, "year": 366, "decade": 3650, "unknown": 3650}


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _after_publication(a: EventFeatures, b: EventFeatures) -> bool:
    """Whether ``a`` happened well after ``b``'s report was published: no report tells of a later event."""
    return (
        b.published is not None
        and a.start is not None
        and a.precision in FIRM
        and _month(a.start) - _month(b.published) > AFTER_PUBLICATION_MONTHS
    )


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
    return haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]


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


# Types that can describe the same occurrence from different angles (an army's "strike" that
# villagers call a killing; an "abduction" that later reports call hostage-taking).
RELATED_TYPES: frozenset[frozenset[str]] = tuned("link.related_types")
RELATED_MODES = {
    frozenset({"abduction", "hostage-taking"}),
    frozenset({"execution", "melee"}),
    frozenset({"explosives", "suicide-attack"}),
    frozenset({"aerial", "shelling"}),
}


def _type(a: EventFeatures, b: EventFeatures) -> float:
    if "OTHER" in (a.event_type, b.event_type):
        return 0.5
    if a.event_type != b.event_type:
        return 0.25 if frozenset({a.event_type, b.event_type}) in RELATED_TYPES else 0.0
    if a.mode and b.mode and a.mode != b.mode:
        return 0.8 if frozenset({a.mode, b.mode}) in RELATED_MODES else 0.4
    return 1.0


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
    HardPart(
        "place",
        lambda f: f.country if f.country and f.event_type != "OTHER" else None,
        lambda a, b: _place(a, b) is None,
    ),
    HardPart(
        "victims", lambda f: frozenset(f.victims) if f.victims else None, lambda a, b: _victims(a, b) is None
    ),
)


def forbidden(a: EventFeatures, b: EventFeatures) -> bool:
    """Whether a hard constraint forbids the merge (``score`` is then 0), from dates, places and
    victims alone: no text, so it is cheap enough to test every candidate."""
    return any(part.forbids(a, b) for part in HARD_PARTS)


def pair_features(a: EventFeatures, b: EventFeatures, *, hard: bool = True) -> dict[str, float] | None:
    """What the learned same-incident model reads of a pair (see :mod:`triangulate.link.pair_model`); None
    when a hard constraint forbids the merge, unless ``hard`` is False (consolidation weighs such pairs as
    the worst value of the feature that forbids them). Agreements and conflicts are separate features, 0 when
    unknown."""
    when, where, victims = _time(a, b), _place(a, b), _victims(a, b)
    if when is None or where is None or victims is None:
        if hard:
            return None
        when, where, victims = (0.0 if v is None else v for v in (when, where, victims))
    kind = _type(a, b)
    dated = bool(a.published and b.published)
    gap = abs((a.published - b.published).days) if a.published and b.published else 0
    words = cosine(a.vector, b.vector) if a.vector and b.vector else 0.0
    names = cosine(a.names, b.names) if a.names and b.names else 0.0
    return {
        "type": 2 * (kind - 0.5),
        "time": 2 * (when - 0.5),
        "place": 2 * (where - 0.5),
        "victims": 2 * (victims - 0.5),
        "perpetrators": 2 * (_perps(a, b) - 0.5),
        "killed": 2 * (_killed(a, b) - 0.5),
        "region": 2 * (_region(a, b) - 0.5),
        "words": words,
        "names": names,
        "words_undated": 0.0 if dated else words,
        "names_undated": 0.0 if dated else names,
        "published_gap": math.log1p(gap),
        "published_near": float(dated and gap <= 2),
        "published_known": float(dated),
        **_agreement("entity_victims", a.people_victims, b.people_victims, _names_match),
        **_agreement("address", {a.address} - {""}, {b.address} - {""}),
        **_agreement("street", {a.street} - {""}, {b.street} - {""}),
        **_agreement("city", {a.city} - {""}, {b.city} - {""}),
        **_agreement("clock", a.clocks, b.clocks),
        **_agreement("victim_age", a.victim_ages, b.victim_ages),
        **_agreement("wounded", _known(a.wounded), _known(b.wounded)),
        "named_shared": float(bool(a.named & b.named)),
        "people_shared": min(3, len(a.people & b.people)) / 3,
        "same_outlet": float(bool(a.outlet and a.outlet == b.outlet)),
        "words_same_outlet": words if a.outlet and a.outlet == b.outlet else 0.0,
        "soft_date": float(a.soft_date or b.soft_date),
        "days_apart": _days_apart(a, b),
    }


def _days_apart(a: EventFeatures, b: EventFeatures) -> float:
    """Two dates of day precision more than two days apart, either of them soft (a firm pair is a hard constraint)."""
    if a.precision != "day" or b.precision != "day" or None in (a.start, a.end, b.start, b.end):
        return 0.0
    return float(max((a.start - b.end).days, (b.start - a.end).days) > 2)  # type: ignore[operator]


def _known(value: int | None) -> set[int]:
    return set() if value is None else {value}


def _agreement(
    name: str, x: set, y: set, match: Callable[[set, set], bool] | None = None
) -> dict[str, float]:  # type: ignore[type-arg]
    """``name_agree`` / ``name_conflict``: both sides state the value, and they share one (or ``match`` says so) or not."""
    if not x or not y:
        return {f"{name}_agree": 0.0, f"{name}_conflict": 0.0}
    same = match(x, y) if match else bool(x & y)
    return {f"{name}_agree": float(same), f"{name}_conflict": float(not same)}


# Background mentions (one sentence each: "Russia began its strikes in Syria on Sept. 30") are not what the pair
# model learned from (the main events of whole reports): a pair with one keeps the hand-set weights of the first
# version.
HAND_WEIGHTS: dict[str, float] = tuned("link.hand_weights")
HAND_TYPE_CLASH = tuned("link.hand_type_clash")
NAME_WEIGHT = tuned("link.name_weight")  # share of the names' cosine in the hand-set text evidence
TEXT_NEUTRAL = tuned("link.text_neutral")  # set cosine of unrelated sentences on one topic sits around here
TFIDF_NEUTRAL = tuned("link.tfidf_neutral")
TFIDF_WEIGHT = tuned("link.tfidf_weight")


def _hand_text(a: EventFeatures, b: EventFeatures) -> float:
    if a.vector and b.vector:
        if a.names and b.names:
            return (1 - NAME_WEIGHT) * cosine(a.vector, b.vector) + NAME_WEIGHT * cosine(a.names, b.names)
        return cosine(a.vector, b.vector)
    if not a.terms or not b.terms:
        return 0.0
    return len(a.terms & b.terms) / math.sqrt(len(a.terms) * len(b.terms))


def _hand_evidence(a: EventFeatures, b: EventFeatures) -> dict[str, float] | None:
    parts = {
        "type": _type(a, b),
        "time": _time(a, b),
        "place": _place(a, b),
        "victims": _victims(a, b),
        "perpetrators": _perps(a, b),
        "killed": _killed(a, b),
    }
    if any(v is None for v in parts.values()):
        return None
    out = {k: 2 * (float(v) - 0.5) * HAND_WEIGHTS[k] for k, v in parts.items()}  # type: ignore[arg-type]
    out["region"] = 2 * (_region(a, b) - 0.5) * HAND_WEIGHTS["region"]
    if parts["type"] == 0.0:
        out["type"] = -HAND_TYPE_CLASH
    if a.vector and b.vector:
        out["text"] = 2 * (_hand_text(a, b) - TFIDF_NEUTRAL) * TFIDF_WEIGHT
    else:
        out["text"] = 2 * (_hand_text(a, b) - TEXT_NEUTRAL) * HAND_WEIGHTS["text"]
    return out


def learned(a: EventFeatures, b: EventFeatures) -> bool:
    """Whether the pair model scores the pair (two main events), else the hand-set weights do."""
    return a.role == "main" and b.role == "main"


def evidence(a: EventFeatures, b: EventFeatures) -> dict[str, float] | None:
    """Each feature's signed contribution (positive: same incident); None when a hard constraint forbids the
    merge. Two main events: log-odds of the pair model, with its ``bias``; else the hand-set weights' score."""
    if not learned(a, b):
        return _hand_evidence(a, b)
    x = pair_features(a, b)
    if x is None:
        return None
    model = pair_model()
    return {
        "bias": model.intercept,
        "type_clash": _clash(a, b),
        **{k: model.weights[k] * v for k, v in x.items() if k in model.weights},
    }


def _clash(a: EventFeatures, b: EventFeatures) -> float:
    """The prior against unrelated types (a protest and the strike it protests), in log-odds: set by hand, not
    learned, since the training corpora are nearly all shootings and ECB+'s few such pairs are typing errors."""
    return TYPE_CLASH_LOG_ODDS if _type(a, b) == 0.0 else 0.0


def score(a: EventFeatures, b: EventFeatures) -> float:
    """Same-incident score: ``EVEN_SCORE`` plus the model's log-odds over ``LOGIT_SCALE``, so that the default
    link threshold (0.25) joins at even odds and the bridge threshold (0.5) at about 7 to 1 (a pair with a
    background event: the hand-set score); 0 when a hard constraint forbids the merge, never below 1e-6 otherwise."""
    if not learned(a, b):
        parts = _hand_evidence(a, b)
        return 0.0 if parts is None else max(sum(parts.values()), 1e-6)
    x = pair_features(a, b)
    if x is None:
        return 0.0
    return max(EVEN_SCORE + math.fsum([pair_model().log_odds(x), _clash(a, b)]) / LOGIT_SCALE, 1e-6)
