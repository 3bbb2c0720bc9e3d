"""Years for the yearless dates of a report that states no date of its own.

A report narrates its past, so it postdates the latest thing it dates: a date given with its
year ("a July 2016 U.S. air strike") or a catalogued event it names ("since Russia began air
strikes in Syria on September 30"). That is the *floor*. Then:

- a yearless date in the sentence naming a catalogued event dates that event, and takes the year
  that puts it nearest the event ("reached Deir al-Zor city in August, breaking a siege" -> 2017);
- any other yearless day ("Released on May 8") is news of the moment: the first such day on or
  after the floor. The latest of them is where the report stands, so it becomes the report's
  inferred month, against which "late last month" and "today" resolve;
- a yearless month ("captured in September") is then the latest one up to that month; with no
  yearless day to place the report, the first one whose end is on or after the floor.

Every value so dated is marked ``inferred``: linking replaces it when the report gets a date
from the other reports of its incident.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from triangulate.extract.times import periods
from triangulate.extract.times.anchor import FINENESS, Anchor
from triangulate.extract.times.finder import TimeMention, resolve_expression
from triangulate.extract.times.reference import ReferenceHit
from triangulate.records import TimeValue

_YEARLESS = re.compile(r"^XXXX-(\d{2})(?:-(\d{2}))?$")
_EXPLICIT = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# A yearless date further than this from a catalogued event in its own sentence is about
# something else, and the sentence does not count as naming the event.
_NEAR_EVENT_DAYS = 75
_RELATIVE_UNITS = {
    "relative-day": "day",
    "relative-week": "week",
    "relative-month": "month",
    "relative-year": "year",
    "deictic": "day",
}


@dataclass(frozen=True, slots=True)
class Dating:
    """The values of a report's time mentions (in their order) and its inferred month, if any."""

    values: list[TimeValue]
    anchor: Anchor | None


def date_undated(found: list[TimeMention], hits: list[ReferenceHit]) -> Dating:
    """Give the yearless dates of an undated report their most likely years (see the module docstring)."""
    events = [h for h in hits if _compatible(h, found)]
    floors = [d for d in (_latest_explicit(found), *(h.event.date for h in events)) if d is not None]
    values = [m.value for m in found]
    if not floors:
        return Dating(values, None)
    floor = max(floors)
    months: list[tuple[int, tuple[int, int]]] = []
    days: list[dt.date] = []
    for n, item in enumerate(found):
        parts = _yearless(item.value)
        if parts is None:
            continue
        near = [h for h in events if h.start <= item.start < h.end]
        if near:
            values[n] = _near_event(item.value, parts, near)
        elif parts[1]:
            values[n] = _first_after(item.value, parts, floor)
            if values[n] is not item.value:
                days.append(dt.date.fromisoformat(values[n].start))
        else:
            months.append((n, parts))
    now = max(days, default=None)
    anchor = _report_anchor(_event_anchor(found, events), now)
    period = anchor.period() if anchor else None
    latest = now or (period.end if period else None)
    for n, parts in months:
        values[n] = (
            _latest_before(values[n], parts, latest) if latest else _first_after(values[n], parts, floor)
        )
    return Dating(values, anchor)


def _report_anchor(named: Anchor | None, now: dt.date | None) -> Anchor | None:
    """The period a named event gives the report, unless its latest yearless day falls after it; else that day's month."""
    period = named.period() if named else None
    if named is not None and period is not None and (now is None or period.end >= now):
        return named
    return Anchor(now.replace(day=1), "month", "inferred") if now else None


def _event_anchor(found: list[TimeMention], events: list[ReferenceHit]) -> Anchor | None:
    """The report's own period from a relative expression that dates a named event: "last week, when
    Turkey shot down a Russian warplane" puts the report in the week after 2015-11-24's."""
    found_anchors: list[tuple[int, dt.date, Anchor]] = []
    for hit in events:
        day = hit.event.date.isoformat()
        for item in found:
            unit = _RELATIVE_UNITS.get(item.value.rule.split("+")[0])
            if unit is None or item.value.precision != "unknown" or not hit.start <= item.start < hit.end:
                continue
            for n in range(3):
                period = periods.shift(periods.containing(unit, hit.event.date), unit, n)
                candidate = Anchor(period.start, unit, "inferred")  # type: ignore[arg-type]
                value = resolve_expression(item.text, candidate)
                if value is not None and value.start and value.start <= day <= value.end:
                    found_anchors.append((FINENESS[unit], period.start, candidate))
                    break
    return (
        min(found_anchors, key=lambda f: (f[0], f[1]))[2] if found_anchors else None
    )  # the finest, then the earliest


def _yearless(value: TimeValue) -> tuple[int, int] | None:
    m = _YEARLESS.match(value.value)
    return (int(m[1]), int(m[2] or 0)) if m else None


def _latest_explicit(found: list[TimeMention]) -> dt.date | None:
    latest = None
    for item in found:
        value = item.value
        m = _EXPLICIT.match(value.value)
        if m and value.rule and "no-anchor" not in value.rule and value.precision in ("day", "month"):
            day = dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
            latest = day if latest is None or day > latest else latest
    return latest


def _compatible(hit: ReferenceHit, found: list[TimeMention]) -> bool:
    """False when the sentence dates itself away from the event (another year, a far-off month)."""
    for item in found:
        if not hit.start <= item.start < hit.end:
            continue
        explicit = _EXPLICIT.match(item.value.value)
        if explicit and "no-anchor" not in item.value.rule and int(explicit[1]) != hit.event.date.year:
            return False
        parts = _yearless(item.value)
        if parts and _distance(parts, hit)[0] > _NEAR_EVENT_DAYS:
            return False
    return True


def _distance(parts: tuple[int, int], hit: ReferenceHit) -> tuple[int, int]:
    """(days, year) of the yearless date's nearest placement to the event."""
    best = (10**6, hit.event.date.year)
    for year in (hit.event.date.year - 1, hit.event.date.year, hit.event.date.year + 1):
        period = _period(year, parts)
        if period is not None:
            best = min(best, (abs((period.start - hit.event.date).days), year))
    return best


def _near_event(value: TimeValue, parts: tuple[int, int], near: list[ReferenceHit]) -> TimeValue:
    (_, year), hit = min((_distance(parts, h), h) for h in near)
    return _placed(
        value, parts, year, f"+year-from-reference-event:{hit.event.id}", hit.event.date.isoformat()
    )


def _first_after(value: TimeValue, parts: tuple[int, int], floor: dt.date) -> TimeValue:
    for year in range(floor.year, floor.year + 5):
        period = _period(year, parts)
        if period is not None and period.end >= floor:
            return _placed(value, parts, year, "+year-after-latest-dated", floor.isoformat())
    return value


def _latest_before(value: TimeValue, parts: tuple[int, int], now: dt.date) -> TimeValue:
    year = now.year if parts[0] <= now.month else now.year - 1
    return _placed(value, parts, year, "+year-before-inferred-report-date", now.strftime("%Y-%m"))


def _period(year: int, parts: tuple[int, int]) -> periods.Period | None:
    """The day or month a yearless (month, day) names in ``year``; None for 29 February outside a leap year."""
    if not parts[1]:
        return periods.month(year, parts[0])
    day = periods.safe_date(year, parts[0], parts[1])
    return periods.day(day) if day else None


def _placed(value: TimeValue, parts: tuple[int, int], year: int, rule: str, anchor: str) -> TimeValue:
    period = _period(year, parts)
    if period is None:
        return value
    return replace(
        value,
        value=period.value,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        rule=value.rule + rule,
        anchor=anchor,
        anchor_source="inferred",
    )
