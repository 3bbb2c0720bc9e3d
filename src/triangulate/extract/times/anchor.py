"""The anchor: the report's own publication date, against which relative expressions resolve."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import get_args

from triangulate.extract.times import periods
from triangulate.records import DateSource, Precision

_PRECISIONS = frozenset(get_args(Precision))
_SOURCES = frozenset(get_args(DateSource))
_PUBLISHED = re.compile(
    r"\s*(?P<y>\d{4})(?:-?W(?P<w>\d{2})|-?(?P<m>\d{2})(?:-?(?P<d>\d{2}))?)?(?:[T\s].*)?\s*$"
)
FINENESS = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4, "decade": 5, "unknown": 6}


@dataclass(frozen=True, slots=True)
class Anchor:
    """The report's own date. ``date`` is the first day of the period ``precision`` names.

    An anchor of precision ``month`` with date 2017-05-01 stands for "some day in May 2017":
    resolution never invents a day inside it.
    """

    date: dt.date | None
    precision: Precision = "day"
    source: DateSource = "metadata"

    @property
    def known(self) -> bool:
        return self.date is not None and self.precision != "unknown"

    def period(self) -> periods.Period | None:
        """The stretch of calendar the anchor stands for (one day for a day-precision anchor).

        None when unknown, or when the stretch leaves datetime's years 1 to 9999 (the ISO week of
        9999-12-31 ends in the year 10000, the winter of 0001-01-15 starts in the year 0).
        """
        if self.date is None or self.precision == "unknown":
            return None
        unit = {
            "day": "day",
            "week": "week",
            "month": "month",
            "season": "season",
            "year": "year",
            "decade": "decade",
        }
        try:
            return periods.containing(unit[self.precision], self.date)
        except (ValueError, OverflowError):
            return None

    def iso(self) -> str:
        """The anchor as an ISO value of its own precision ('2015-12-03', '2017-05', '2017')."""
        found = self.period()
        return found.value if found else ""


def parse_anchor(published: str, precision: str, source: str) -> Anchor:
    """Build the anchor from the ``documents`` table columns (``''`` means unknown).

    Args:
        published: ``'2015-12-03'``, ``'2017-05'``, ``'2017'``, ``'2015-W49'`` or an ISO datetime.
        precision: the stored ``published_precision``; a precision finer than what ``published``
            spells out is coarsened to it, and ``''``/``'unknown'`` is read off ``published``.
        source: the stored ``published_source``; anything unrecognised becomes ``'unknown'``.

    Returns:
        An :class:`Anchor`; its ``date`` is None when ``published`` is empty or not a date.

    Examples:
        >>> parse_anchor("2017-10-03", "day", "byline")
        Anchor(date=datetime.date(2017, 10, 3), precision='day', source='byline')
        >>> parse_anchor("2017-05", "", "inferred").precision
        'month'
    """
    src: DateSource = source if source in _SOURCES else "unknown"  # type: ignore[assignment]
    match = _PUBLISHED.match(published or "")
    if not match:
        return Anchor(None, "unknown", src)
    y = int(match["y"])
    try:
        if match["w"]:
            date = dt.date.fromisocalendar(y, int(match["w"]), 1)
            spelled: Precision = "week"
        elif match["d"]:
            date, spelled = dt.date(y, int(match["m"]), int(match["d"])), "day"
        elif match["m"]:
            date, spelled = dt.date(y, int(match["m"]), 1), "month"
        else:
            date, spelled = dt.date(y, 1, 1), "year"
    except ValueError:
        return Anchor(None, "unknown", src)
    stated: Precision = precision if precision in _PRECISIONS and precision != "unknown" else spelled  # type: ignore[assignment]
    chosen = stated if FINENESS[stated] >= FINENESS[spelled] else spelled
    found = Anchor(date, chosen, src).period()
    if found is None:  # e.g. "9999-W52": its week runs past 9999-12-31
        return Anchor(None, "unknown", src)
    return Anchor(found.start, chosen, src)
