"""Reading extraction's input and writing its output (mentions, events, claims) as records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict

from triangulate.records import DocumentInput, Event, Extraction
from triangulate.store.db import Store, utcnow


def pending_documents(store: Store, doc_ids: list[int] | None = None, redo: bool = False) -> list[int]:
    """Documents not yet extracted (or the given ones)."""
    if doc_ids is not None:
        return doc_ids
    if redo:
        return [r[0] for r in store.query("SELECT id FROM documents ORDER BY id")]
    return [
        r[0]
        for r in store.query(
            "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM extractions) ORDER BY id"
        )
    ]


def document_inputs(store: Store, ids: Iterable[int]) -> Iterator[DocumentInput]:
    """Inputs for the given documents, read one at a time (ids no longer stored are skipped)."""
    for doc_id in ids:
        row = store.conn.execute(
            "SELECT id, text, title, published, published_precision, published_source, dateline "
            "FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        if row is not None:
            yield DocumentInput(
                row["id"],
                row["text"],
                row["title"],
                row["published"],
                row["published_precision"],
                row["published_source"],
                row["dateline"],
            )


def outdated_extractions(store: Store, version: str) -> int:
    """How many documents were extracted by another extractor version than ``version``."""
    return int(
        store.conn.execute(
            "SELECT count(*) FROM extractions WHERE extractor_version != ?", (version,)
        ).fetchone()[0]
    )


def save_extractions(store: Store, batch: Sequence[Extraction]) -> list[str]:
    """Store one batch of extractions in one transaction. A document with errors is saved empty, marked
    ``error``, and its errors are logged in ``document_errors``; they are returned, one line each."""
    errors: list[str] = []
    with store.transaction() as conn:
        for ext in batch:
            if ext.errors:
                for err in ext.errors:
                    conn.execute(
                        "INSERT INTO document_errors (source, stage, reason, hint, doc_id, created_at) "
                        "VALUES (?, 'extract', ?, ?, ?, ?)",
                        (
                            f"document {ext.doc_id}",
                            err,
                            "report this document; other documents were extracted",
                            ext.doc_id,
                            utcnow(),
                        ),
                    )
                errors.extend(f"document {ext.doc_id}: {e}" for e in ext.errors)
                ext.mentions, ext.events, ext.claims = [], [], []
            save_extraction(conn, ext)
    return errors


def save_extraction(conn: sqlite3.Connection, ctx: Extraction) -> None:
    """Replace one document's extraction output (call inside a transaction)."""
    doc_id = ctx.doc_id
    conn.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM events WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
    conn.executemany(
        "INSERT INTO mentions (doc_id, kind, start, end, sentence, text, value, precision, attrs, extractor, extractor_version, confidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                m.kind,
                m.start,
                m.end,
                m.sentence,
                m.text,
                m.value,
                m.precision,
                json.dumps(m.attrs, ensure_ascii=False),
                m.extractor,
                m.extractor_version,
                m.confidence,
            )
            for m in ctx.mentions
        ],
    )
    for event in ctx.events:
        event.id = insert_event(conn, event)
        for claim in event.claims:
            claim.event_id = event.id
    for claim in ctx.claims:
        conn.execute(
            "INSERT INTO claims (doc_id, event_id, speaker, speaker_kind, stance, content, start, end, sentence, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                claim.event_id,
                claim.speaker,
                claim.speaker_kind,
                claim.stance,
                claim.content,
                claim.start,
                claim.end,
                claim.sentence,
                claim.text,
            ),
        )
    conn.execute(
        "INSERT OR REPLACE INTO extractions (doc_id, status, extractor_version, extracted_at) VALUES (?, ?, ?, ?)",
        (doc_id, "error" if ctx.errors else "done", ctx.extractor_version, utcnow()),
    )


def clear_extraction(conn: sqlite3.Connection, doc_ids: list[int]) -> None:
    """Drop documents' extraction output, so they are pending extraction again (inside a transaction,
    after their events were unlinked from incidents)."""
    rows = [(doc_id,) for doc_id in doc_ids]
    for table in ("claims", "events", "mentions", "extractions"):
        conn.executemany(f"DELETE FROM {table} WHERE doc_id = ?", rows)


def insert_event(conn: sqlite3.Connection, event: Event) -> int:
    """Store one event with its full record as JSON and flat columns for blocking."""
    record = event_record(event)
    date = event.date
    cur = conn.execute(
        "INSERT INTO events (doc_id, role, event_type, mode, modality, date, date_start, date_end, date_precision,"
        " country_code, latitude, longitude, place_precision, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event.doc_id,
            event.role,
            event.event_type,
            event.mode,
            event.modality,
            date.value if date else "",
            date.start if date else "",
            date.end if date else "",
            date.precision if date else "unknown",
            str(event.place.get("country_code") or ""),
            event.place.get("latitude"),
            event.place.get("longitude"),
            str(event.place.get("precision") or "unknown"),
            json.dumps(record, ensure_ascii=False),
        ),
    )
    return int(cur.lastrowid or 0)


def event_record(event: Event) -> dict[str, object]:
    """The event as a JSON-ready record (claims stored separately)."""
    record = asdict(event)
    record.pop("claims", None)
    record.pop("id", None)
    return record
