"""Scan a text for time expressions and resolve each against the report's anchor.

The scan is head-driven (see :mod:`.patterns`). Resolution keeps a *reference period*, the last
date the text mentioned, so "the previous day" or "a year earlier" count from it (HeidelTime's
approach); with none yet, they count from the anchor. A coarse anchor (a month or a year) never
yields an invented day: a relative expression is resolved at both ends of the anchor period and,
where the answers differ, the value falls back to the anchor's own period, with bounds covering both.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, replace

from triangulate.extract.times import periods
from triangulate.extract.times.anchor import Anchor
from triangulate.extract.times.patterns import (
    CLASS_PATTERNS,
    FUTURE_CUE,
    HEADS,
    PREFIX_WORDS,
    PREVIOUS_WORD,
    QUALIFIER_WORDS,
    RULE_PATTERNS,
    head_class,
)
from triangulate.extract.times.resolve import Direction, Resolved, resolve
from triangulate.extract.times.rules import Expr, parse
from triangulate.records import TimeValue

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_CLAUSE_BEFORE = 80
_CLAUSE_AFTER = 20
_TENSED_KINDS = frozenset({"weekday", "month_day", "month", "season", "holiday"})
_CAPITALISED_HEADS = frozenset({"month", "weekday"})
# Head classes that never begin an expression: some prefix word must come first ("last night").
_PREFIXED_HEADS = frozenset({"unit", "tod", "quarter", "half"})
_YEARLESS_KINDS = frozenset({"month_day", "month", "season", "holiday", "quarter", "half"})


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression found in a text: ``text == input[start:end]``, and its resolved value."""

    start: int
    end: int
    text: str
    value: TimeValue


def find_times(text: str, anchor: Anchor, *, include_refs: bool = True) -> list[TimeMention]:
    """Find and resolve every date expression in ``text`` against the report's ``anchor``.

    Args:
        text: the document text; offsets in the result index into it.
        anchor: the report's own date (see :func:`parse_anchor`).
        include_refs: keep TimeML's ``PRESENT_REF`` / ``PAST_REF`` / ``FUTURE_REF`` mentions
            ("now", "recently", "the future"); they have precision ``unknown``.

    Returns:
        Mentions in text order, not overlapping. Durations ("for two decades", "36-year-old") are
        not dates and are not returned. ``value.anchor`` and ``value.anchor_source`` name the anchor
        when the value depends on it; they are ``""`` and ``"unknown"`` for dates the text states in
        full and for values counted from an earlier date in the text (rule ending ``+ref``).

    Examples:
        >>> from triangulate.extract.times import Anchor
        >>> [m.value.value for m in find_times("Released on Wednesday.", Anchor(dt.date(2015, 12, 3)))]
        ['2015-12-02']
    """
    return _scan(text, anchor, standalone=False, include_refs=include_refs, direction=None)


def resolve_expression(expression: str, anchor: Anchor, *, direction: Direction = "past") -> TimeValue | None:
    """Resolve one time expression given alone ("late last month", "since August 2014").

    Used to score gold spans: the string is vouched to be a time expression, so the cues that guard
    running text are relaxed ("May", "1990", "summer" alone are accepted). A leading preposition sets
    the qualifier. When the string holds several expressions, the longest wins.

    Args:
        expression: the expression, optionally with a preposition ("on Wednesday").
        anchor: the report's own date.
        direction: ``"future"`` when the context is known to speak of the future ("will meet
            Thursday"); bare weekdays, yearless dates and months then resolve forwards.
    """
    mentions = _scan(expression, anchor, standalone=True, include_refs=True, direction=direction)
    if not mentions:
        return None
    return max(mentions, key=lambda m: (m.end - m.start, -m.start)).value


def _lower(text: str) -> str:
    """Lowercase without moving offsets (``str.lower`` can lengthen a few non-ASCII letters)."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def _starts(reversed_low: str, head: int, lookback: int, floor: int) -> list[int]:
    """Where a match holding the head at ``head`` may begin, leftmost first: the head itself and
    the run of up to ``lookback`` prefix words just before it ("late last" in "late last month").

    Words are read backwards with one anchored match each on the reversed text, which is cheaper
    than listing every word of a window.
    """
    length = len(reversed_low)
    starts = [head]
    position = length - head
    while len(starts) <= lookback:
        previous = PREVIOUS_WORD.match(reversed_low, position)
        if previous is None:
            break
        word = previous.group(1)[::-1]
        start = length - previous.end()
        if start < floor or not (word in PREFIX_WORDS or word[0].isdigit()):
            break
        starts.append(start)
        position = previous.end()
    starts.reverse()
    return starts


def _scan(
    text: str, anchor: Anchor, *, standalone: bool, include_refs: bool, direction: Direction | None
) -> list[TimeMention]:
    low = _lower(text)
    reversed_low = low[::-1]
    span = anchor.period()
    mentions: list[TimeMention] = []
    last_end = 0
    ref: periods.Period | None = None
    for head in HEADS.finditer(" " + low):
        position = head.start(head.lastgroup or 0) - 1  # the prepended space shifts offsets by one
        if position < last_end:
            continue
        kind = head_class(head)
        if kind in _CAPITALISED_HEADS and not standalone and text[position].islower():
            continue  # "may have", "march on": month and weekday names are capitalised in prose
        pattern, lookback, rules = CLASS_PATTERNS[kind]
        starts = _starts(reversed_low, position, lookback, last_end)
        if len(starts) == 1 and kind in _PREFIXED_HEADS and low[head.end() - 1 : head.end()] != "-":
            continue  # "years", "night", "quarter" only start an expression as "year-ago"
        for start in starts:
            found = _match_at(pattern, rules, low, text, start, position, standalone)
            if found is None:
                continue
            match, expr = found
            if expr.kind == "ref" and not include_refs:
                last_end = match.end()
                break
            tense = direction or "past"
            if direction is None and expr.kind in _TENSED_KINDS:
                tense = clause_tense(text, match.start(), match.end())
            try:
                resolved = _resolve_with_anchor(expr, span, tense, ref)
            except (ValueError, OverflowError):  # a date outside datetime's years 1..9999
                resolved = None
            if resolved is None:
                continue
            value = _time_value(
                expr, resolved, anchor, span, _preceding_qualifier(reversed_low, match.start())
            )
            end = match.end()
            mentions.append(TimeMention(match.start(), end, text[match.start() : end], value))
            last_end = end
            # Chaining anaphora drifts ("a year earlier" twice), and a coarse-anchor fallback is the
            # anchor's period with widened bounds, not a date the text named: neither becomes the reference.
            if not resolved.rule.endswith(("+ref", "+coarse-anchor")):
                ref = _period_of(resolved) or ref
            break
    return mentions


def _match_at(
    pattern: re.Pattern[str],
    rules: tuple[str, ...],
    low: str,
    text: str,
    start: int,
    head: int,
    standalone: bool,
) -> tuple[re.Match[str], Expr] | None:
    """The first rule of the class that matches at ``start``, covers the head and passes its guard."""
    match = pattern.match(low, start)
    if match is None or match.end() <= head:
        return None
    rule = match.lastgroup or ""
    expr = parse(match, rule, text, standalone)
    if expr is not None:
        return match, expr
    for later in rules[rules.index(rule) + 1 :]:
        match = RULE_PATTERNS[later].match(low, start)
        if match is None or match.end() <= head:
            continue
        expr = parse(match, later, text, standalone)
        if expr is not None:
            return match, expr
    return None


def clause_tense(text: str, start: int, end: int) -> Direction:
    """``future`` when the clause around an expression speaks of the future ("will meet Thursday").

    The window is the clause: up to :data:`_CLAUSE_BEFORE` characters back, cut at a sentence break
    or comma, and :data:`_CLAUSE_AFTER` ahead. A whole-sentence window misfires on a "will" that
    belongs to another clause; on TimeBank + AQUAINT the clause window is the better of the two.
    """
    left = max(0, start - _CLAUSE_BEFORE)
    for mark in (". ", "\n", ", "):
        found = text.rfind(mark, left, start)
        if found >= 0:
            left = max(left, found + 1)
    window = " " + text[left : end + _CLAUSE_AFTER].lower()
    return "future" if FUTURE_CUE.search(window) else "past"


_QUALIFIER_LEADS = frozenset({words[0] for words in QUALIFIER_WORDS} | {"the"})


def _preceding_qualifier(reversed_low: str, start: int) -> str:
    """The qualifier a preposition just before ``start`` gives ("since", "before", "about"...)."""
    words: list[str] = []
    position = len(reversed_low) - start
    while len(words) < 4:
        previous = PREVIOUS_WORD.match(reversed_low, position)
        if previous is None:
            break
        words.append(previous.group(1)[::-1])
        position = previous.end()
        if len(words) == 1 and words[0] not in _QUALIFIER_LEADS:
            break  # the common case: no preposition of interest before the expression
    if words and words[0] == "the":
        words.pop(0)
    for size in (3, 2, 1):
        found = QUALIFIER_WORDS.get(tuple(words[:size]))
        if found:
            return found
    return ""


def _resolve_with_anchor(
    expr: Expr, span: periods.Period | None, direction: Direction, ref: periods.Period | None
) -> Resolved | None:
    """Resolve against the anchor period ``span`` (None when unknown); see the module docstring."""
    if span is None:
        return resolve(expr, None, direction, ref)
    if span.precision == "day":
        return resolve(expr, span.start, direction, ref)
    early = resolve(expr, span.start, direction, ref)
    late = resolve(expr, span.end, direction, ref)
    if early is None or late is None:
        return early or late
    if not early.used_anchor:
        return early
    start = min(d for d in (early.start, late.start) if d) if early.start or late.start else None
    end = max(d for d in (early.end, late.end) if d) if early.end or late.end else None
    if early.value == late.value:
        return replace(late, start=start, end=end)
    if expr.kind in _YEARLESS_KINDS:  # the day is stated, only the year is open: the later reading
        return replace(late, rule=late.rule + "+coarse-anchor")
    if expr.kind == "weekday" and not expr.rel and span.precision == "week":
        # A bare weekday in a report of a known week is that week's: the week before's would be "last Wednesday".
        return replace(late, rule=late.rule + "+anchor-week")
    return Resolved(
        span.value, span.precision, early.rule + "+coarse-anchor", start, end, early.qualifier, True
    )


def _time_value(
    expr: Expr, resolved: Resolved, anchor: Anchor, span: periods.Period | None, cue: str
) -> TimeValue:
    start, end, qualifier = resolved.start, resolved.end, resolved.qualifier
    used = resolved.used_anchor
    if expr.kind == "ref" and span is not None:
        used = True
        if resolved.value == "PRESENT_REF":
            start, end = span.start, span.end
        elif resolved.value == "PAST_REF":
            end, qualifier = span.end, "before"
        else:
            start, qualifier = span.start, "after"
    if used and span is None:
        used = False
    return TimeValue(
        value=resolved.value,
        precision=resolved.precision,
        rule=resolved.rule,
        start=_iso(start),
        end=_iso(end),
        qualifier=cue or qualifier or "on",
        anchor=span.value if used and span is not None else "",
        anchor_source=anchor.source if used else "unknown",
    )


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _period_of(resolved: Resolved) -> periods.Period | None:
    """The period a resolved value names, to serve as the reference for anaphora."""
    if resolved.start is None or resolved.precision == "unknown":
        return None
    value = resolved.value
    if resolved.precision == "week":
        unit = "weekend" if value.endswith("-WE") else "week"
    elif resolved.precision == "season":
        unit = "quarter" if "-Q" in value else "season"
    elif resolved.precision == "year":
        unit = "half" if "-H" in value else "year"
    else:
        unit = resolved.precision
    return periods.containing(unit, resolved.start)
