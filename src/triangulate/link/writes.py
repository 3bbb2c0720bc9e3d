"""The store writes of a linking decision, shared by the linker and by the replay of decisions made
in groups elsewhere (``link.groups``), so both leave exactly the same rows."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from triangulate.store.db import utcnow


@dataclass(frozen=True, slots=True)
class EventRef:
    """What the writes need of the event being linked."""

    event_id: int
    doc_id: int
    role: str
    event_type: str
    mode: str


def merge_incidents(
    conn: sqlite3.Connection, keep: int, gone: int, doc_id: int, value: float, how: str = "bridge"
) -> None:
    """Merge incident ``gone`` into ``keep`` (``how``: a bridging event, or consolidation by ``text``):
    members, keys and links move, ``gone`` points to ``keep``."""
    conn.execute(
        "UPDATE incident_events SET incident_id = ?, decision = ? WHERE incident_id = ?",
        (keep, f"merged-by-{how}", gone),
    )
    conn.execute("UPDATE OR IGNORE incident_keys SET incident_id = ? WHERE incident_id = ?", (keep, gone))
    conn.execute("DELETE FROM incident_keys WHERE incident_id = ?", (gone,))  # the keys ``keep`` already had
    conn.execute(
        "UPDATE OR IGNORE incident_links SET from_incident = ? WHERE from_incident = ?", (keep, gone)
    )
    conn.execute("UPDATE OR IGNORE incident_links SET to_incident = ? WHERE to_incident = ?", (keep, gone))
    conn.execute(
        "DELETE FROM incident_links WHERE from_incident = ? OR to_incident = ? OR from_incident = to_incident",
        (gone, gone),
    )
    conn.execute("UPDATE incidents SET merged_into = ?, n_documents = 0 WHERE id = ?", (keep, gone))
    conn.execute(
        "INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES "
        "(?, (SELECT version FROM incidents WHERE id = ?), ?, ?, ?)",
        (
            keep,
            keep,
            utcnow(),
            f"document {doc_id}",
            json.dumps({"decision": f"{how}-merge", "merged": gone, "score": round(value, 4)}),
        ),
    )


def record_decision(
    conn: sqlite3.Connection,
    event: EventRef,
    keys: set[str] | list[str],
    incident_id: int | None,
    score: float,
    decision: str,
) -> int:
    """Put the event in ``incident_id`` (a new incident when None) under its blocking keys; return the incident."""
    if incident_id is None:
        now = utcnow()
        incident_id = int(
            conn.execute(
                "INSERT INTO incidents (kind, event_type, mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (event.role, event.event_type, event.mode, now, now),
            ).lastrowid
            or 0
        )
    conn.execute(
        "INSERT OR REPLACE INTO incident_events (event_id, incident_id, doc_id, score, decision, added_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (event.event_id, incident_id, event.doc_id, round(score, 4), decision, utcnow()),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO incident_keys (key, incident_id) VALUES (?, ?)",
        [(k, incident_id) for k in keys],
    )
    if event.role == "main":
        conn.execute("UPDATE incidents SET kind = 'main' WHERE id = ?", (incident_id,))
    else:
        conn.execute(
            "UPDATE incidents SET kind = 'background' WHERE id = ? AND kind = 'retired'", (incident_id,)
        )
    conn.execute(
        "INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES "
        "(?, (SELECT version FROM incidents WHERE id = ?), ?, ?, ?)",
        (
            incident_id,
            incident_id,
            utcnow(),
            f"document {event.doc_id}",
            json.dumps({"event": event.event_id, "decision": decision, "score": round(score, 4)}),
        ),
    )
    return incident_id
