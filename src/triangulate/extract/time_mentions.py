"""Time mentions: every date expression resolved against the report's own date."""

from __future__ import annotations

from spacy.tokens import Doc

from triangulate.extract.context import context
from triangulate.extract.times import find_times, parse_anchor
from triangulate.records import Mention

EXTRACTOR = "triangulate.times.v1"


def tag_times(doc: Doc) -> None:
    """Add a time mention for each date expression in the document."""
    ctx = context(doc)
    anchor = parse_anchor(ctx.published, ctx.published_precision, ctx.published_source)
    for found in find_times(doc.text, anchor):
        value = found.value
        confidence = 0.9 if value.precision != "unknown" else 0.3
        if anchor.source == "inferred":
            confidence *= 0.7
        ctx.mentions.append(Mention(
            doc_id=ctx.doc_id, kind="time", start=found.start, end=found.end, sentence=ctx.sentence_of(found.start),
            text=found.text, value=value.value, precision=value.precision,
            attrs={"start": value.start, "end": value.end, "qualifier": value.qualifier, "rule": value.rule,
                   "anchor": value.anchor, "anchor_source": value.anchor_source},
            extractor=EXTRACTOR, extractor_version="1", confidence=round(confidence, 3)))
