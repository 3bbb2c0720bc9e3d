"""Place mentions: toponyms from NER (and the dateline), geocoded jointly per document."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from spacy.tokens import Doc, Span

from triangulate.extract import EXTRACTOR_VERSION
from triangulate.extract.context import context
from triangulate.extract.places import Gazetteer, Place, country_for_demonym, resolve_toponyms
from triangulate.records import Mention

EXTRACTOR = "triangulate.places.v1"
_PLACE_LABELS = ("GPE", "LOC", "FAC")
# "Saint John St.", "Birch Street": street addresses are not gazetteer places.
_STREET_WORDS = {
    "st",
    "street",
    "avenue",
    "ave",
    "road",
    "rd",
    "drive",
    "dr",
    "boulevard",
    "blvd",
    "lane",
    "ln",
    "way",
    "highway",
    "hwy",
    "court",
    "ct",
    "place",
    "pl",
    "parkway",
    "pkwy",
    "terrace",
    "circle",
}


@dataclass(slots=True)
class PlaceTagger:
    """Callable component body holding the loaded gazetteer."""

    gazetteer: Gazetteer

    @classmethod
    def build(cls) -> PlaceTagger:
        """Load (building on first use) the offline gazetteer."""
        return cls(Gazetteer.load())

    def __call__(self, doc: Doc) -> None:
        ctx = context(doc)
        spans: list[Span] = []
        for ent in doc.ents:
            if ent.label_ in _PLACE_LABELS:
                spans.append(ent)
            elif ent.label_ in ("ORG", "PERSON") and self._strong_place(ent.text):
                spans.append(ent)
        spans = [_trim_article(s) for s in spans]
        # Two capitals alone are mostly US state or other abbreviations ("MT", "BZ"), not countries.
        spans = [
            s
            for s in spans
            if not (len(s.text) == 2 and s.text.isupper() and s.text not in ("US", "UK"))
            and s[-1].lower_.rstrip(".") not in _STREET_WORDS
        ]
        countries = {
            c for ent in doc.ents if ent.label_ == "NORP" for c in [country_for_demonym(ent.text)] if c
        }
        places = self._resolve(spans, countries)
        dateline_end = len(ctx.dateline) + (doc.text.find(ctx.dateline.upper()) if ctx.dateline else 0)
        for span, place in zip(spans, places, strict=True):
            attrs: dict[str, object] = {"ner_label": span.label_}
            if place is not None:
                attrs.update({k: v for k, v in asdict(place).items() if k not in ("name",)})
            if ctx.dateline and span.start_char <= dateline_end and span.text.upper() == ctx.dateline.upper():
                attrs["role"] = "dateline"
            ctx.mentions.append(
                Mention(
                    doc_id=ctx.doc_id,
                    kind="place",
                    start=span.start_char,
                    end=span.end_char,
                    sentence=ctx.sentence_of(span.start_char),
                    text=span.text,
                    value=place.name if place else "",
                    precision=place.precision if place else "unknown",
                    attrs=attrs,
                    extractor=EXTRACTOR,
                    extractor_version=EXTRACTOR_VERSION,
                    confidence=0.85 if place else 0.2,
                )
            )

    def _resolve(self, spans: list[Span], countries: set[str]) -> list[Place | None]:
        """Resolve the place entities jointly; a name NER read as a person ('Jackson', 'Howard') is resolved
        in their context but is no evidence for them, so a surname cannot pull 'Baltimore' to Ohio."""
        sure = [s.text for s in spans if s.label_ != "PERSON"]
        picks = iter(resolve_toponyms(sure, self.gazetteer, context_countries=countries) if sure else [])
        alone = {
            s.text: resolve_toponyms([*sure, s.text], self.gazetteer, context_countries=countries)[-1]
            for s in spans
            if s.label_ == "PERSON"
        }
        return [next(picks) if s.label_ != "PERSON" else alone[s.text] for s in spans]

    def _strong_place(self, text: str) -> bool:
        return any(
            c.precision in ("country", "admin1") or (c.population or 0) >= 100_000
            for c in self.gazetteer.candidates(text)
        )


def _trim_article(span: Span) -> Span:
    if span[0].lower_ == "the" and len(span) > 1:
        return Span(span.doc, span.start + 1, span.end, label=span.label_)
    return span
