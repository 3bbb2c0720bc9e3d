"""Hard constraints between groups of events, tested once per distinct value of each part.

:func:`~triangulate.link.score.forbidden` is the OR of three tests that each read a few fields
(:data:`~triangulate.link.score.HARD_PARTS`): the dates, the country, the named victims. So "does a
constraint forbid any pair of these two groups" is the OR, over the parts, of the same question
asked of the distinct values of that part. The reports of one incident share a handful of dates
and one country, however many outlets they come from: an incident of a thousand reports costs a
handful of tests, where testing its distinct constraint keys (dates, places and victims together)
cost one test per report.
"""

from __future__ import annotations

from collections.abc import Callable

from triangulate.link.features import EventFeatures
from triangulate.link.score import HARD_PARTS

MAX_CACHED_VERDICTS = 1_000_000  # part-value pairs remembered per run
MAX_CACHED_PROGRESS = 500_000  # (part value, incident) checks remembered per run


class Values:
    """The distinct values of one part in a group of events, in the order met, each with one event holding it."""

    __slots__ = ("events", "numbers")

    def __init__(self) -> None:
        self.numbers: set[int] = set()
        self.events: list[tuple[int, int]] = []  # (value number, event holding it)

    def add(self, number: int, event_id: int) -> None:
        if number not in self.numbers:
            self.numbers.add(number)
            self.events.append((number, event_id))


Summary = tuple[Values, ...]


class Constraints:
    """Verdicts of the hard constraints for one linking run, from features read through ``light``."""

    def __init__(self, light: Callable[[int], EventFeatures]) -> None:
        self._light = light
        self._numbers: list[dict[object, int]] = [{} for _ in HARD_PARTS]
        self._parts: dict[int, tuple[int | None, ...]] = {}
        self._verdicts: dict[tuple[int, int, int], bool] = {}
        self._groups: dict[int, tuple[int, Summary]] = {}
        # (part, value, incident) -> how many of the incident's values that value is known to be allowed
        # with, or -1 when one forbids it: reports of one story share their dates, and an incident's
        # values only grow within a run, so the next report with that date tests only the new ones.
        self._progress: dict[tuple[int, int, int], int] = {}

    def parts(self, event_id: int) -> tuple[int | None, ...]:
        """The number of each part's value for the event; None where that part can forbid nothing."""
        found = self._parts.get(event_id)
        if found is None:
            f = self._light(event_id)
            found = self._parts[event_id] = tuple(
                numbers.setdefault(key, len(numbers)) if (key := part.key(f)) is not None else None
                for part, numbers in zip(HARD_PARTS, self._numbers, strict=True)
            )
        return found

    def summary(self, event_ids: list[int]) -> Summary:
        """The distinct part values of a group of events."""
        out = tuple(Values() for _ in HARD_PARTS)
        self._add(out, event_ids)
        return out

    def incident(self, incident_id: int, members: list[int]) -> Summary:
        """An incident's summary, kept up to date by reading only the members appended since the last
        call: the linker's member lists only grow within a run."""
        seen, out = self._groups.get(incident_id, (0, tuple(Values() for _ in HARD_PARTS)))
        self._add(out, members[seen:])
        self._groups[incident_id] = (len(members), out)
        return out

    def forget(self) -> None:
        """Drop what depends on incidents' members (re-read by each linking call); verdicts stay valid."""
        self._groups, self._progress = {}, {}

    def forbidden(self, a: Summary, b: Summary) -> bool:
        """Whether a hard constraint forbids any pair of events of the two groups."""
        return any(
            self._clash(n, ka, ea, b[n].events) is not None
            for n in range(len(HARD_PARTS))
            if b[n].events
            for ka, ea in a[n].events
        )

    def event_forbidden(self, event_id: int, incident_id: int, members: list[int]) -> bool:
        """Whether a hard constraint forbids the event joining the incident (same answer as :meth:`forbidden`)."""
        summary = self.incident(incident_id, members)
        for n, ka in enumerate(self.parts(event_id)):
            if ka is None or not summary[n].events:
                continue
            key = (n, ka, incident_id)
            done = self._progress.get(key, 0)
            if done < 0:
                return True
            theirs = summary[n].events
            if done < len(theirs):
                if len(self._progress) >= MAX_CACHED_PROGRESS:
                    self._progress.clear()
                clash = self._clash(n, ka, event_id, theirs[done:] if done else theirs)
                self._progress[key] = -1 if clash is not None else len(theirs)
                if clash is not None:
                    return True
        return False

    def _clash(self, n: int, ka: int, ea: int, theirs: list[tuple[int, int]]) -> int | None:
        """The first value of ``theirs`` that part ``n`` forbids with value ``ka`` (held by ``ea``), or None."""
        part = HARD_PARTS[n]
        for kb, eb in theirs:
            verdict = self._verdicts.get((n, ka, kb))
            if verdict is None:
                if len(self._verdicts) >= MAX_CACHED_VERDICTS:
                    self._verdicts.clear()  # a cache: a long back-fill must not hold every pair it met
                verdict = self._verdicts[(n, ka, kb)] = part.forbids(self._light(ea), self._light(eb))
            if verdict:
                return kb
        return None

    def _add(self, summary: Summary, event_ids: list[int]) -> None:
        for e in event_ids:
            for n, number in enumerate(self.parts(e)):
                if number is not None:
                    summary[n].add(number, e)
