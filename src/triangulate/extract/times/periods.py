"""Calendar periods (a day, ISO week, month, season, quarter, year, decade) and their arithmetic.

A :class:`Period` carries its ISO / TimeML value, the :data:`Precision` it is known to, and its
first and last day. Seasons are meteorological (spring = March to May, winter ``YYYY-WI`` = December
of ``YYYY`` to February of ``YYYY+1``). Quarters (``YYYY-Q3``) are reported with precision
``season`` (three months); halves (``YYYY-H1``) with precision ``year``, the next coarser one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from triangulate.records import Precision

ONE_DAY = dt.timedelta(days=1)
SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASON_ORDER = ("WI", "SP", "SU", "FA")


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of calendar named by its value, with precision and first/last day."""

    value: str
    precision: Precision
    start: dt.date
    end: dt.date
    unit: str  # day | week | weekend | month | season | quarter | half | year | decade


def day(d: dt.date) -> Period:
    return Period(d.isoformat(), "day", d, d, "day")


def week(d: dt.date) -> Period:
    """The ISO week (Monday to Sunday) containing ``d``; the value uses the ISO week-year."""
    iso = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return Period(f"{iso.year:04d}-W{iso.week:02d}", "week", monday, monday + 6 * ONE_DAY, "week")


def weekend(d: dt.date) -> Period:
    """The weekend (Saturday and Sunday) of the ISO week containing ``d``, TimeML ``YYYY-Www-WE``."""
    iso = d.isocalendar()
    saturday = d - dt.timedelta(days=d.weekday()) + 5 * ONE_DAY
    return Period(f"{iso.year:04d}-W{iso.week:02d}-WE", "week", saturday, saturday + ONE_DAY, "weekend")


def month(year: int, number: int) -> Period:
    last = calendar.monthrange(year, number)[1]
    return Period(
        f"{year:04d}-{number:02d}", "month", dt.date(year, number, 1), dt.date(year, number, last), "month"
    )


def season(year: int, code: str) -> Period:
    first = SEASON_START_MONTH[code]
    start = dt.date(year, first, 1)
    end_year, end_month = add_months(year, first, 2)
    end = month(end_year, end_month).end
    return Period(f"{year:04d}-{code}", "season", start, end, "season")


def quarter(year: int, number: int) -> Period:
    start = dt.date(year, 3 * number - 2, 1)
    return Period(f"{year:04d}-Q{number}", "season", start, month(year, 3 * number).end, "quarter")


def half(year: int, number: int) -> Period:
    start = dt.date(year, 6 * number - 5, 1)
    return Period(f"{year:04d}-H{number}", "year", start, month(year, 6 * number).end, "half")


def year(number: int) -> Period:
    return Period(f"{number:04d}", "year", dt.date(number, 1, 1), dt.date(number, 12, 31), "year")


def decade(first_year: int) -> Period:
    first_year -= first_year % 10
    return Period(
        f"{first_year // 10:03d}",
        "decade",
        dt.date(first_year, 1, 1),
        dt.date(first_year + 9, 12, 31),
        "decade",
    )


def add_months(year_: int, month_: int, count: int) -> tuple[int, int]:
    index = year_ * 12 + (month_ - 1) + count
    return index // 12, index % 12 + 1


def safe_date(year_: int, month_: int, day_: int) -> dt.date | None:
    """``date(year, month, day)``, or None when the day does not exist (February 30)."""
    try:
        return dt.date(year_, month_, day_)
    except ValueError:
        return None


def season_of(d: dt.date) -> Period:
    """The meteorological season containing ``d``."""
    if d.month == 12:
        return season(d.year, "WI")
    if d.month <= 2:
        return season(d.year - 1, "WI")
    return season(d.year, SEASON_ORDER[(d.month - 3) // 3 + 1])


def quarter_of(d: dt.date) -> Period:
    return quarter(d.year, (d.month - 1) // 3 + 1)


def containing(unit: str, d: dt.date) -> Period:
    """The period of the given unit that contains ``d``."""
    if unit == "day":
        return day(d)
    if unit == "week":
        return week(d)
    if unit == "weekend":
        return weekend(d)
    if unit == "month":
        return month(d.year, d.month)
    if unit == "season":
        return season_of(d)
    if unit == "quarter":
        return quarter_of(d)
    if unit == "half":
        return half(d.year, 1 if d.month <= 6 else 2)
    if unit == "decade":
        return decade(d.year)
    return year(d.year)


def shift(period: Period, unit: str, count: int) -> Period:
    """Move ``period`` by ``count`` units ("a year earlier": unit year, count -1), keeping its own kind.

    A quarter moved by a year is the same quarter a year before (TimeML ``1988-Q3`` for "a year
    earlier" after "the third quarter" of 1989).
    """
    start = period.start
    if unit == "day":
        moved = start + count * ONE_DAY
    elif unit in ("week", "weekend"):
        moved = start + 7 * count * ONE_DAY
    else:
        months = {"month": 1, "season": 3, "quarter": 3, "half": 6, "year": 12, "decade": 120}[unit] * count
        moved_year, moved_month = add_months(start.year, start.month, months)
        moved = safe_date(moved_year, moved_month, start.day) or month(moved_year, moved_month).end
    return containing(period.unit, moved)


def part_of(period: Period, part: str) -> tuple[dt.date, dt.date]:
    """First and last day of the early, mid or late third of ``period`` (late September: 21 to 30)."""
    if period.unit in ("year", "decade", "half"):
        months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        step = months // 3
        index = {"early": 0, "mid": 1, "late": 2}[part]
        first_year, first_month = add_months(period.start.year, period.start.month, index * step)
        span = step if part != "late" else months - 2 * step
        last_year, last_month = add_months(first_year, first_month, span - 1)
        return dt.date(first_year, first_month, 1), month(last_year, last_month).end
    days = (period.end - period.start).days + 1
    third = days // 3
    if part == "early":
        return period.start, period.start + (max(third, 1) - 1) * ONE_DAY
    if part == "mid":
        return period.start + third * ONE_DAY, period.start + (
            2 * third - 1
        ) * ONE_DAY if third else period.end
    return period.start + 2 * third * ONE_DAY, period.end
