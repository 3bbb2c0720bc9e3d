"""The extraction stage: run the spaCy pipeline with triangulate's components over stored documents."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from triangulate.extract import components
from triangulate.extract.context import DocContext
from triangulate.extract.nlp import load_base_model
from triangulate.settings import Settings
from triangulate.store.db import Store, utcnow
from triangulate.store.extraction import save_extraction

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ExtractReport:
    """What one extraction run did."""

    documents: int = 0
    mentions: int = 0
    events: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"extract: {self.documents} documents, {self.mentions} mentions, {self.events} events, "
                f"{self.claims} claims, {len(self.errors)} errors")


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


def pending_documents(store: Store, doc_ids: list[int] | None = None, redo: bool = False) -> list[int]:
    """Documents not yet extracted (or the given ones)."""
    if doc_ids is not None:
        return doc_ids
    if redo:
        return [r[0] for r in store.query("SELECT id FROM documents ORDER BY id")]
    return [r[0] for r in store.query(
        "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM extractions) ORDER BY id")]


def _dateline_end(text: str, title_end: int) -> int:
    """End offset of a dateline opening the first body paragraph ('KESTREL CITY, March 14, 2024 (AP) --')."""
    from triangulate.ingest.boilerplate import DATELINE

    body_start = title_end + (len(text[title_end:]) - len(text[title_end:].lstrip()))
    match = DATELINE.match(text[body_start:])
    return body_start + match.end() if match else 0


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """What extraction needs of one stored document; small and picklable, so engines can ship it to workers."""

    doc_id: int
    text: str
    title: str = ""
    published: str = ""
    published_precision: str = "unknown"
    published_source: str = "unknown"
    dateline: str = ""


def document_inputs(store: Store, ids: Iterable[int]) -> Iterator[DocumentInput]:
    """Inputs for the given documents, read one at a time (ids no longer stored are skipped)."""
    for doc_id in ids:
        row = store.conn.execute("SELECT id, text, title, published, published_precision, published_source, dateline "
                                 "FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is not None:
            yield DocumentInput(row["id"], row["text"], row["title"], row["published"], row["published_precision"],
                                row["published_source"], row["dateline"])


def _make_doc(nlp: Language, item: DocumentInput) -> Doc:
    doc = nlp.make_doc(item.text)
    ctx = DocContext(doc_id=item.doc_id, published=item.published, published_precision=item.published_precision,
                     published_source=item.published_source, dateline=item.dateline,
                     title_end=len(item.title) if item.text.startswith(item.title) else 0)
    ctx.dateline_end = _dateline_end(item.text, ctx.title_end)
    doc._.tri = ctx
    return doc


def _finish(doc: Doc) -> DocContext:
    ctx: DocContext = doc._.tri
    doc._.tri = None
    return ctx


def extract_batch(nlp: Language, items: Sequence[DocumentInput], batch_size: int = 32) -> list[DocContext]:
    """Extract a batch of documents, in order. Runs wherever an engine puts it (this process, a worker, a Ray actor).

    Components record their own failures on the document. A failure outside them (the tokenizer, the
    parser) sends the batch through one document at a time, so only the broken document is marked.
    """
    try:
        return [_finish(doc) for doc in nlp.pipe((_make_doc(nlp, item) for item in items), batch_size=batch_size)]
    except Exception:  # one broken document must not cost the batch
        log.debug("batch failed; retrying one document at a time", exc_info=True)
    out = []
    for item in items:
        try:
            out.append(_finish(nlp(_make_doc(nlp, item))))
        except Exception as exc:
            out.append(DocContext(doc_id=item.doc_id, errors=[f"spaCy pipeline: {type(exc).__name__}: {exc}"]))
    return out


def extract(store: Store, settings: Settings | None = None, doc_ids: list[int] | None = None, redo: bool = False,
            progress: Callable[[int], None] | None = None) -> ExtractReport:
    """Extract mentions, events and claims for pending documents with the engine the settings name.

    One failing document is recorded and skipped.
    """
    from triangulate.engines import open_engine

    with open_engine(settings or Settings()) as engine:
        return engine.extract(store, doc_ids=doc_ids, redo=redo, progress=progress)


def save_contexts(store: Store, batch: Sequence[DocContext], report: ExtractReport) -> None:
    """Store one batch of extraction output in one transaction, recording per-document errors."""
    with store.transaction() as conn:
        for ctx in batch:
            if ctx.errors:
                for err in ctx.errors:
                    conn.execute("INSERT INTO document_errors (source, stage, reason, hint, doc_id, created_at) "
                                 "VALUES (?, 'extract', ?, ?, ?, ?)",
                                 (f"document {ctx.doc_id}", err, "report this document; other documents were extracted",
                                  ctx.doc_id, utcnow()))
                report.errors.extend(f"document {ctx.doc_id}: {e}" for e in ctx.errors)
                ctx.mentions, ctx.events, ctx.claims = [], [], []
            save_extraction(conn, ctx)
            report.documents += 1
            report.mentions += len(ctx.mentions)
            report.events += len(ctx.events)
            report.claims += len(ctx.claims)
