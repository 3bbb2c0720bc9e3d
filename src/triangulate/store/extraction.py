"""Writing and reading extraction output: mentions, events, claims."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict

from triangulate.extract.context import DocContext
from triangulate.records import Event
from triangulate.store.db import utcnow

EXTRACTOR_VERSION = "1"


def save_extraction(conn: sqlite3.Connection, ctx: DocContext) -> None:
    """Replace one document's extraction output (call inside a transaction)."""
    doc_id = ctx.doc_id
    conn.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM events WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
    conn.executemany(
        "INSERT INTO mentions (doc_id, kind, start, end, sentence, text, value, precision, attrs, extractor, extractor_version, confidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(doc_id, m.kind, m.start, m.end, m.sentence, m.text, m.value, m.precision, json.dumps(m.attrs, ensure_ascii=False),
          m.extractor, m.extractor_version, m.confidence) for m in ctx.mentions])
    for event in ctx.events:
        event.id = insert_event(conn, event)
        for claim in event.claims:
            claim.event_id = event.id
    for claim in ctx.claims:
        conn.execute("INSERT INTO claims (doc_id, event_id, speaker, speaker_kind, stance, content, start, end, sentence, text)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (doc_id, claim.event_id, claim.speaker, claim.speaker_kind, claim.stance, claim.content, claim.start,
                      claim.end, claim.sentence, claim.text))
    conn.execute("INSERT OR REPLACE INTO extractions (doc_id, status, extractor_version, extracted_at) VALUES (?, ?, ?, ?)",
                 (doc_id, "error" if ctx.errors else "done", EXTRACTOR_VERSION, utcnow()))


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
        (event.doc_id, event.role, event.event_type, event.mode, event.modality, date.value if date else "",
         date.start if date else "", date.end if date else "", date.precision if date else "unknown",
         str(event.place.get("country_code") or ""), event.place.get("latitude"), event.place.get("longitude"),
         str(event.place.get("precision") or "unknown"), json.dumps(record, ensure_ascii=False)))
    return int(cur.lastrowid or 0)


def event_record(event: Event) -> dict[str, object]:
    """The event as a JSON-ready record (claims stored separately)."""
    record = asdict(event)
    record.pop("claims", None)
    record.pop("id", None)
    return record
