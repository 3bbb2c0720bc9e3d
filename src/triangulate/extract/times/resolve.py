"""From an :class:`Expr` and an anchor day to a value: the resolution rules proper.

News leans to the past: a bare weekday is the most recent one on or before the anchor ("on
Wednesday" in a Thursday report is the day before); a bare month is the most recent such month on
or before the anchor's ("In January" in a December report). A yearless day ("Sept. 30") is its
nearest occurrence, past-biased: up to :data:`YEARLESS_GRACE_DAYS` ahead counts like the past, and
further ahead counts :data:`FUTURE_WEIGHT` times its distance. So "May 8" in a May 10 report is
two days ago, "Sept. 30" in a December report is September past, but "payable Dec. 15" in a Nov. 2
report is six weeks ahead, not eleven months back: news style gives the year for a date outside the
current one (AP). On TimeBank + AQUAINT this takes yearless days from 104 to 147 right of 153.
With ``direction="future"`` (the sentence says "will", "scheduled"...) the nearest occurrence on or
after the anchor is taken instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from dateutil.easter import easter

from triangulate.extract.times import periods
from triangulate.extract.times.rules import Expr
from triangulate.records import Precision

Direction = Literal["past", "future"]
YEARLESS_GRACE_DAYS = 7
FUTURE_WEIGHT = 2.0
ONE_DAY = dt.timedelta(days=1)
_FIXED_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas eve": (12, 24),
    "new years day": (1, 1),
    "new years eve": (12, 31),
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved value; ``start``/``end`` are None when unknown, ``used_anchor`` says whether the
    anchor day mattered (it decides how a coarse anchor is handled)."""

    value: str
    precision: Precision
    rule: str
    start: dt.date | None = None
    end: dt.date | None = None
    qualifier: str = ""
    used_anchor: bool = True


def from_period(period: periods.Period, rule: str, part: str = "", used_anchor: bool = True) -> Resolved:
    start, end = periods.part_of(period, part) if part else (period.start, period.end)
    return Resolved(period.value, period.precision, rule, start, end, part, used_anchor)


def resolve(
    expr: Expr, on: dt.date | None, direction: Direction, ref: periods.Period | None
) -> Resolved | None:
    """Resolve ``expr`` against the anchor day ``on`` (None when unknown) and the reference period
    ``ref`` (the last date the text mentioned, for "the previous day", "a year earlier")."""
    if expr.kind == "absolute" and expr.period is not None:
        found = from_period(expr.period, expr.rule, expr.part, used_anchor=False)
        return replace(found, qualifier=expr.qualifier) if expr.qualifier else found
    if expr.kind == "ref":
        return Resolved(expr.code, "unknown", expr.rule, used_anchor=False)
    if expr.anaphoric and ref is not None:
        counted = _relative_to(expr, ref.start, direction, ref)
        if counted is not None:
            return replace(counted, rule=counted.rule + "+ref", used_anchor=False)
    if on is None:
        return _without_anchor(expr)
    return _relative_to(expr, on, direction, None)


def _relative_to(
    expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None
) -> Resolved | None:
    handler = _RESOLVERS.get(expr.kind)
    return handler(expr, on, direction, ref) if handler else None


def _without_anchor(expr: Expr) -> Resolved | None:
    """What can be said with no anchor: the month and day of a yearless date, nothing else."""
    rule = expr.rule + "+no-anchor"
    if expr.kind == "month_day":
        return Resolved(f"XXXX-{expr.month:02d}-{expr.day:02d}", "day", rule, used_anchor=False)
    if expr.kind == "month" and expr.year_offset is None:
        return Resolved(f"XXXX-{expr.month:02d}", "month", rule, qualifier=expr.part, used_anchor=False)
    if expr.kind == "season":
        return Resolved(f"XXXX-{expr.code}", "season", rule, qualifier=expr.part, used_anchor=False)
    if expr.kind == "quarter" and expr.offset:
        return Resolved(f"XXXX-Q{expr.offset}", "season", rule, used_anchor=False)
    if expr.kind == "holiday":
        if expr.year:
            return _holiday(expr, dt.date(expr.year, 6, 30), "past", None)
        if expr.code in _FIXED_HOLIDAYS:
            month, day = _FIXED_HOLIDAYS[expr.code]
            return Resolved(f"XXXX-{month:02d}-{day:02d}", "day", rule, used_anchor=False)
    return Resolved("", "unknown", rule, used_anchor=False)


def _pick(candidates: list[dt.date], on: dt.date, direction: Direction, rel: str = "") -> dt.date | None:
    """Choose among dated occurrences: ``last`` strictly before, ``next`` strictly after, else the
    past-biased nearest (see the module docstring) or, for the future, the earliest on or after ``on``."""
    ordered = sorted(candidates)
    if rel in ("last", "past", "this past", "previous"):
        before = [d for d in ordered if d < on]
        return before[-1] if before else None
    if rel in ("next", "coming", "following"):
        after = [d for d in ordered if d > on]
        return after[0] if after else None
    if rel == "this":
        same = [d for d in ordered if d.year == on.year]
        return same[0] if same else None
    if direction == "future":
        after = [d for d in ordered if d >= on]
        return after[0] if after else None

    def cost(day: dt.date) -> float:
        days = (day - on).days
        return -days if days <= YEARLESS_GRACE_DAYS else days * FUTURE_WEIGHT

    return min(ordered, key=cost) if ordered else None


def _month_day(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    candidates = [
        d for y in range(on.year - 1, on.year + 2) if (d := periods.safe_date(y, expr.month, expr.day))
    ]
    if expr.weekday >= 0:
        matching = [d for d in candidates if d.weekday() == expr.weekday]
        if matching:
            chosen = min(matching, key=lambda d: abs((d - on).days))
            return from_period(periods.day(chosen), "month-day-weekday")
    if not candidates:  # February 29 far from a leap year
        candidates = [
            d for y in range(on.year - 4, on.year + 1) if (d := periods.safe_date(y, expr.month, expr.day))
        ]
    picked = _pick(candidates, on, direction)
    if picked is None:
        return None
    return from_period(
        periods.day(picked), "month-day-future" if direction == "future" else "month-day-yearless"
    )


def _month(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    if expr.year_offset is not None:
        return from_period(
            periods.month(on.year + expr.year_offset, expr.month), "month-of-relative-year", expr.part
        )
    firsts = [dt.date(y, expr.month, 1) for y in range(on.year - 1, on.year + 2)]
    this_month = on.replace(day=1)
    if expr.rel in ("last", "past", "this past"):
        chosen = max(d for d in firsts if d < this_month)
        rule = "month-last"
    elif expr.rel in ("next", "coming"):
        chosen = min(d for d in firsts if d > this_month)
        rule = "month-next"
    elif expr.rel == "this":
        chosen, rule = dt.date(on.year, expr.month, 1), "month-this"
    elif direction == "future":
        chosen, rule = min(d for d in firsts if d >= this_month), "month-future"
    else:
        chosen, rule = max(d for d in firsts if d <= this_month), "month-yearless"
    return from_period(periods.month(chosen.year, chosen.month), rule, expr.part)


def _season(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    occurrences = [periods.season(y, expr.code) for y in range(on.year - 2, on.year + 2)]
    if expr.rel in ("last", "past", "this past"):
        found = [s for s in occurrences if s.end < on]
        chosen = found[-1] if found else None
    elif expr.rel in ("next", "coming"):
        found = [s for s in occurrences if s.start > on]
        chosen = found[0] if found else None
    elif expr.rel == "this":
        year = on.year - 1 if expr.code == "WI" and on.month <= 2 else on.year
        chosen = periods.season(year, expr.code)
    elif direction == "future":
        found = [s for s in occurrences if s.end >= on]
        chosen = found[0] if found else None
    else:
        found = [s for s in occurrences if s.start <= on]
        chosen = found[-1] if found else None
    if chosen is None:
        return None
    return from_period(chosen, f"season-{expr.rel or 'yearless'}".replace(" ", "-"), expr.part)


def _holiday_date(name: str, year: int) -> dt.date | None:
    if name in _FIXED_HOLIDAYS:
        month, day = _FIXED_HOLIDAYS[name]
        return dt.date(year, month, day)
    if name in ("easter", "easter monday", "good friday"):
        base = easter(year)
        return base + {"easter": 0, "easter monday": 1, "good friday": -2}[name] * ONE_DAY
    if name == "thanksgiving":  # United States: fourth Thursday of November
        first = dt.date(year, 11, 1)
        return first + ((3 - first.weekday()) % 7 + 21) * ONE_DAY
    return None


def _holiday(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    if expr.year:
        found = _holiday_date(expr.code, expr.year)
        return from_period(periods.day(found), "holiday-year", used_anchor=False) if found else None
    candidates = [d for y in range(on.year - 1, on.year + 2) if (d := _holiday_date(expr.code, y))]
    chosen = _pick(candidates, on, direction, expr.rel)
    return from_period(periods.day(chosen), "holiday") if chosen else None


def _quarter(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    current = periods.quarter_of(on)
    if expr.rel in ("the", "latest", "year-ago"):
        # Financial news: "the quarter" is the one just mentioned, else the last completed one;
        # "the year-ago quarter" is the same quarter a year before.
        if ref is not None and ref.unit != "quarter":
            return None  # no quarter to refer back to: count from the anchor instead
        base = ref if ref is not None else periods.shift(current, "quarter", -1)
        if expr.rel == "year-ago":
            return from_period(periods.shift(base, "year", -1), "quarter-year-ago")
        return from_period(base, "quarter-latest")
    if expr.offset:  # "the third quarter": the latest third quarter that has begun
        number = expr.offset
        year = on.year if number <= (on.month - 1) // 3 + 1 else on.year - 1
        return from_period(periods.quarter(year, number), "quarter-yearless")
    step = {"last": -1, "previous": -1, "prior": -1, "latest": -1, "next": 1, "coming": 1}.get(expr.rel, 0)
    return from_period(periods.shift(current, "quarter", step), "quarter-relative")


def _half(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    year = on.year + {"last": -1, "next": 1}.get(expr.rel, 0)
    return from_period(periods.half(year, expr.offset), "half-relative")


def _weekday(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    if ref is not None and ref.precision != "day":
        return None  # "the previous Friday" after "in 2014"
    back = (on.weekday() - expr.weekday) % 7
    if expr.rel in ("last", "past", "this past", "previous"):
        chosen, rule = on - (back or 7) * ONE_DAY, "weekday-last"
    elif expr.rel in ("next", "coming", "following"):
        ahead = (expr.weekday - on.weekday()) % 7
        chosen, rule = on + (ahead or 7) * ONE_DAY, "weekday-next"
    elif expr.rel == "this":
        chosen, rule = on + (expr.weekday - on.weekday()) * ONE_DAY, "weekday-this"
    elif direction == "future":
        chosen, rule = on + ((expr.weekday - on.weekday()) % 7) * ONE_DAY, "weekday-future"
    else:
        chosen, rule = on - back * ONE_DAY, "weekday-past"
    return from_period(periods.day(chosen), rule)


def _deictic(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    return from_period(periods.day(on + expr.offset * ONE_DAY), "deictic")


def _anaphoric(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    if ref is not None and ref.precision != "day":
        return None  # "the next day" after "in 2014": no day to count from
    return from_period(periods.day(on + expr.offset * ONE_DAY), "anaphoric-day")


def _relative(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    if ref is not None and ref.unit not in ("day", expr.unit) and _finer(expr.unit, ref.unit):
        return None  # "the following week" after "in 2014"
    base = periods.containing(expr.unit, on)
    if expr.unit == "weekend" and expr.rel == "the" and on.weekday() < 5 and direction == "past":
        base = periods.shift(base, "weekend", -1)  # "over the weekend" in a Monday report: the one past
    found = periods.shift(base, expr.unit, expr.offset) if expr.offset else base
    resolved = from_period(found, expr.rule, expr.part)
    if expr.code == "earlier":  # "earlier this month": from the start of the month up to the anchor
        return replace(resolved, rule=expr.rule + "-earlier", end=min(found.end, on))
    if expr.code == "later":
        return replace(resolved, rule=expr.rule + "-later", start=max(found.start, on))
    return resolved


_FINENESS = {
    "day": 0,
    "week": 1,
    "weekend": 1,
    "month": 2,
    "season": 3,
    "quarter": 3,
    "half": 4,
    "year": 5,
    "decade": 6,
}


def _finer(unit: str, than: str) -> bool:
    return _FINENESS.get(unit, 9) < _FINENESS.get(than, 9)


def _ago(expr: Expr, on: dt.date, direction: Direction, ref: periods.Period | None) -> Resolved | None:
    count, unit = expr.offset, expr.unit
    if ref is not None:  # "a year earlier" after "the third quarter": the same quarter a year before
        if _finer(unit, ref.unit):
            return None
        return from_period(periods.shift(ref, unit, count), expr.rule, used_anchor=False)
    if unit == "day":
        found = periods.day(on + count * ONE_DAY)
    elif unit == "week":
        found = periods.week(on + 7 * count * ONE_DAY)
    elif unit == "month":
        found = periods.month(*periods.add_months(on.year, on.month, count))
    elif unit == "year":
        found = periods.year(on.year + count)
    else:  # "two decades ago": a year, roughly
        return replace(from_period(periods.year(on.year + 10 * count), expr.rule), qualifier="about")
    return replace(from_period(found, expr.rule), qualifier=expr.qualifier)


_RESOLVERS = {
    "month_day": _month_day,
    "month": _month,
    "season": _season,
    "holiday": _holiday,
    "quarter": _quarter,
    "half": _half,
    "weekday": _weekday,
    "deictic": _deictic,
    "anaphoric": _anaphoric,
    "relative": _relative,
    "ago": _ago,
}
