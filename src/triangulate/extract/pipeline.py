"""The extraction stage: run the spaCy pipeline with triangulate's components over stored documents."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language

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
            config = {"actors_file": settings.actors_file} if name == "triangulate_actors_v1" else {}
            nlp.add_pipe(name, config=config)
    return nlp


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


def _contexts(store: Store, ids: list[int], nlp: Language) -> Iterator[tuple[object, DocContext]]:
    for doc_id in ids:
        row = store.conn.execute("SELECT id, text, title, published, published_precision, published_source, dateline "
                                 "FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            continue
        doc = nlp.make_doc(row["text"])
        ctx = DocContext(doc_id=row["id"], published=row["published"], published_precision=row["published_precision"],
                         published_source=row["published_source"], dateline=row["dateline"],
                         title_end=len(row["title"]) if row["text"].startswith(row["title"]) else 0)
        ctx.dateline_end = _dateline_end(row["text"], ctx.title_end)
        doc._.tri = ctx
        yield doc, ctx


def extract(store: Store, settings: Settings | None = None, doc_ids: list[int] | None = None, redo: bool = False,
            progress: Callable[[int], None] | None = None) -> ExtractReport:
    """Extract mentions, events and claims for pending documents; one failing document is recorded and skipped."""
    settings = settings or Settings()
    nlp = build_pipeline(settings)
    ids = pending_documents(store, doc_ids, redo)
    report = ExtractReport()
    pairs = _contexts(store, ids, nlp)
    docs = (doc for doc, _ in pairs)
    batch: list[DocContext] = []
    for doc in nlp.pipe(docs, batch_size=settings.nlp_batch_size):
        batch.append(doc._.tri)
        doc._.tri = None
        if len(batch) >= settings.batch_size:
            _save(store, batch, report)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _save(store, batch, report)
        if progress:
            progress(len(batch))
    return report


def _save(store: Store, batch: list[DocContext], report: ExtractReport) -> None:
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
