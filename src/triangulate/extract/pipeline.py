"""The extraction stage: run the spaCy pipeline with triangulate's components over documents, one
:class:`~triangulate.records.Extraction` per document. Engines decide where it runs; the store saves the records."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from triangulate.extract import EXTRACTOR_VERSION, components
from triangulate.extract.context import DocContext
from triangulate.extract.nlp import load_base_model
from triangulate.ingest.boilerplate import DATELINE
from triangulate.records import DocumentInput, Extraction
from triangulate.settings import Settings

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ExtractReport:
    """What one extraction run did."""

    documents: int = 0
    mentions: int = 0
    events: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, batch: Sequence[Extraction]) -> None:
        """Count a saved batch (a document with errors was saved without output)."""
        self.documents += len(batch)
        self.mentions += sum(len(e.mentions) for e in batch)
        self.events += sum(len(e.events) for e in batch)
        self.claims += sum(len(e.claims) for e in batch)

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"extract: {self.documents} documents, {self.mentions} mentions, {self.events} events, "
            f"{self.claims} claims, {len(self.errors)} errors"
        )


def build_pipeline(settings: Settings) -> Language:
    """The base model with triangulate's registered components appended (once per process)."""
    nlp = load_base_model(settings.spacy_model)
    for name in components.STAGES:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, config=_stage_config(name, settings))
    return nlp


def _stage_config(name: str, settings: Settings) -> dict[str, str]:
    """The settings a stage takes as factory config (its user data files)."""
    if name == "triangulate_actors_v1":
        return {"actors_file": settings.actors_file}
    if name == "triangulate_times_v1":
        return {"reference_events_file": settings.reference_events_file}
    return {}


def _dateline_end(text: str, title_end: int) -> int:
    """End offset of a dateline opening the first body paragraph ('KESTREL CITY, March 14, 2024 (AP) --')."""
    body_start = title_end + (len(text[title_end:]) - len(text[title_end:].lstrip()))
    match = DATELINE.match(text[body_start:])
    return body_start + match.end() if match else 0


def _make_doc(nlp: Language, item: DocumentInput) -> Doc:
    doc = nlp.make_doc(item.text)
    ctx = DocContext(
        doc_id=item.doc_id,
        published=item.published,
        published_precision=item.published_precision,
        published_source=item.published_source,
        dateline=item.dateline,
        title_end=len(item.title) if item.text.startswith(item.title) else 0,
    )
    ctx.dateline_end = _dateline_end(item.text, ctx.title_end)
    doc._.tri = ctx
    return doc


def _finish(doc: Doc) -> Extraction:
    ctx: DocContext = doc._.tri
    doc._.tri = None
    return Extraction(ctx.doc_id, ctx.mentions, ctx.events, ctx.claims, ctx.errors, EXTRACTOR_VERSION)


def extract_batch(nlp: Language, items: Sequence[DocumentInput], batch_size: int = 32) -> list[Extraction]:
    """Extract a batch of documents, in order. Runs wherever an engine puts it (this process, a worker, a Ray actor).

    Components record their own failures on the document. A failure outside them (the tokenizer, the
    parser) sends the batch through one document at a time, so only the broken document is marked.
    """
    try:
        return [
            _finish(doc) for doc in nlp.pipe((_make_doc(nlp, item) for item in items), batch_size=batch_size)
        ]
    except Exception:  # one broken document must not cost the batch
        log.debug("batch failed; retrying one document at a time", exc_info=True)
    out = []
    for item in items:
        try:
            out.append(_finish(nlp(_make_doc(nlp, item))))
        except Exception as exc:
            out.append(
                Extraction(
                    item.doc_id,
                    errors=[f"spaCy pipeline: {type(exc).__name__}: {exc}"],
                    extractor_version=EXTRACTOR_VERSION,
                )
            )
    return out
