"""Time mentions: every date expression resolved against the report's own date.

A report with no date of its own gets years for its yearless dates, and possibly an inferred
month to resolve "late last month" against, from what it dates explicitly and from the
catalogued events it names (see :mod:`triangulate.extract.times.undated`). Such values are
marked ``inferred`` with a lower confidence, and are replaced when the report is dated later
(for example from the other reports of its incident).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from triangulate.extract import EXTRACTOR_VERSION
from triangulate.extract.context import context
from triangulate.extract.times import find_times, parse_anchor
from triangulate.extract.times.reference import ReferenceCatalogue
from triangulate.extract.times.undated import date_undated
from triangulate.records import Mention, TimeValue

EXTRACTOR = "triangulate.times.v1"


@dataclass(frozen=True, slots=True)
class TimeTagger:
    """The time stage: finds date expressions and stores each as a ``time`` mention."""

    catalogue: ReferenceCatalogue

    @classmethod
    def build(cls, reference_events_file: str = "") -> TimeTagger:
        """Load the reference-event catalogue (shipped, plus the user's file when given)."""
        return cls(ReferenceCatalogue.load(reference_events_file or None))

    def __call__(self, doc: Doc) -> None:
        """Add a time mention for each date expression in the document."""
        ctx = context(doc)
        anchor = parse_anchor(ctx.published, ctx.published_precision, ctx.published_source)
        found = find_times(doc.text, anchor)
        values = [item.value for item in found]
        if anchor.date is None and found:
            sentences = [(s.start_char, s.end_char) for s in doc.sents]
            dating = date_undated(found, self.catalogue.find(doc.text, sentences))
            values = dating.values
            if dating.anchor is not None:
                again = {(m.start, m.end): m.value for m in find_times(doc.text, dating.anchor)}
                values = [_known(v, again.get((m.start, m.end))) for m, v in zip(found, values, strict=True)]
        for item, value in zip(found, values, strict=True):
            confidence = 0.9 if value.precision != "unknown" else 0.3
            if value.anchor_source == "inferred":
                confidence *= 0.6
            ctx.mentions.append(
                Mention(
                    doc_id=ctx.doc_id,
                    kind="time",
                    start=item.start,
                    end=item.end,
                    sentence=ctx.sentence_of(item.start),
                    text=item.text,
                    value=value.value,
                    precision=value.precision,
                    attrs={
                        "start": value.start,
                        "end": value.end,
                        "qualifier": value.qualifier,
                        "rule": value.rule,
                        "anchor": value.anchor,
                        "anchor_source": value.anchor_source,
                    },
                    extractor=EXTRACTOR,
                    extractor_version=EXTRACTOR_VERSION,
                    confidence=round(confidence, 3),
                )
            )


def _known(value: TimeValue, with_month: TimeValue | None) -> TimeValue:
    """A value that only the inferred month resolves ("late last month") takes that resolution."""
    if value.precision == "unknown" and with_month is not None and with_month.precision != "unknown":
        return with_month
    return value
