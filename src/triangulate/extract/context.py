"""Per-document context attached to spaCy Docs: the report's date anchor, its dateline, outputs and errors."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc

from triangulate.records import Claim, Event, Mention


@dataclass(slots=True)
class DocContext:
    """Inputs and outputs of extraction for one document."""

    doc_id: int
    published: str = ""
    published_precision: str = "unknown"
    published_source: str = "unknown"
    dateline: str = ""
    title_end: int = 0
    dateline_end: int = 0
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)

    def in_dateline(self, char: int) -> bool:
        """Whether a character offset lies in the dateline opening the body ('KESTREL CITY, March 14 --')."""
        return self.title_end <= char < self.dateline_end

    def sentence_of(self, char: int) -> int:
        """Index of the sentence holding a character offset."""
        return max(0, bisect.bisect_right(self.sentence_starts, char) - 1)


if not Doc.has_extension("tri"):
    Doc.set_extension("tri", default=None)


def context(doc: Doc) -> DocContext:
    """The DocContext of a Doc (created empty when missing)."""
    ctx = doc._.tri
    if ctx is None:
        ctx = DocContext(doc_id=0)
        doc._.tri = ctx
    if not ctx.sentence_starts and doc.has_annotation("SENT_START"):
        ctx.sentence_starts = [s.start_char for s in doc.sents]
    return ctx
