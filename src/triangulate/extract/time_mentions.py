"""Time mentions: every date expression resolved against the report's own date.

When the report's date is unknown, a yearless date ("May 8") takes the first year that puts it
on or after the latest date the report states with a year ("a July 2016 U.S. air strike"): a
report narrates its past, so it postdates what it dates explicitly. Such values are marked
``inferred`` with a lower confidence, and are replaced when the report is dated later (for
example from the other reports of its incident).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc

from triangulate.extract.context import context
from triangulate.extract.times import TimeMention, find_times, parse_anchor
from triangulate.records import Mention, TimeValue

EXTRACTOR = "triangulate.times.v1"
_YEARLESS = re.compile(r"^XXXX-(\d{2})(?:-(\d{2}))?$")
_EXPLICIT = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _latest_explicit(found: list[TimeMention]) -> date | None:
    latest = None
    for item in found:
        m = _EXPLICIT.match(item.value.value)
        if m and item.value.rule and "no-anchor" not in item.value.rule and item.value.precision in ("day", "month"):
            d = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
            latest = d if latest is None or d > latest else latest
    return latest


def _after(value: TimeValue, floor: date) -> TimeValue:
    m = _YEARLESS.match(value.value)
    if not m:
        return value
    month, day = int(m.group(1)), int(m.group(2) or 0)
    year = floor.year
    if (month, day or 31) < (floor.month, floor.day):
        year += 1
    iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    start = f"{iso}-01" if not day else iso
    end = iso if day else f"{iso}-{[31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]:02d}"
    return replace(value, value=iso, start=start, end=end, rule=value.rule + "+year-after-latest-explicit-date",
                   anchor=floor.isoformat(), anchor_source="inferred")


def tag_times(doc: Doc) -> None:
    """Add a time mention for each date expression in the document."""
    ctx = context(doc)
    anchor = parse_anchor(ctx.published, ctx.published_precision, ctx.published_source)
    found = find_times(doc.text, anchor)
    floor = _latest_explicit(found) if anchor.date is None else None
    for item in found:
        value = _after(item.value, floor) if floor else item.value
        confidence = 0.9 if value.precision != "unknown" else 0.3
        if value.anchor_source == "inferred":
            confidence *= 0.6
        ctx.mentions.append(Mention(
            doc_id=ctx.doc_id, kind="time", start=item.start, end=item.end, sentence=ctx.sentence_of(item.start),
            text=item.text, value=value.value, precision=value.precision,
            attrs={"start": value.start, "end": value.end, "qualifier": value.qualifier, "rule": value.rule,
                   "anchor": value.anchor, "anchor_source": value.anchor_source},
            extractor=EXTRACTOR, extractor_version="1", confidence=round(confidence, 3)))
