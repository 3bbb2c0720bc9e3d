"""Incidents, events and mentions exports (native schema; ACLED/GTD schemas in export/schemas.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from triangulate.export.core import exporter
from triangulate.export.writers import Row
from triangulate.store.db import Store


def incident_rows_native(store: Store) -> Iterator[Row]:
    """Every live incident with its reconciled record."""
    for row in store.conn.execute(
        "SELECT * FROM incidents WHERE merged_into IS NULL AND n_documents > 0 ORDER BY id"
    ):
        record = json.loads(row["record"] or "{}")
        main_docs = [
            r[0]
            for r in store.query(
                "SELECT DISTINCT ie.doc_id FROM incident_events ie JOIN events e ON e.id = ie.event_id "
                "WHERE ie.incident_id = ? AND e.role = 'main' ORDER BY ie.doc_id",
                (row["id"],),
            )
        ]
        links = [
            dict(r)
            for r in store.query(
                "SELECT to_incident, kind FROM incident_links WHERE from_incident = ? "
                "UNION SELECT from_incident, 'has-background' FROM incident_links WHERE to_incident = ?",
                (row["id"], row["id"]),
            )
        ]
        yield {
            "id": row["id"],
            "kind": row["kind"],
            "title": row["title"],
            "event_type": row["event_type"],
            "mode": row["mode"],
            "status": row["status"],
            "date": row["date_start"] or None,
            "country_code": row["country_code"] or None,
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "place_precision": row["place_precision"],
            "killed": row["killed"],
            "n_documents": row["n_documents"],
            "n_reports": len(main_docs),
            "n_independent": row["n_independent"],
            "documents": record.get("documents", []),
            "main_documents": main_docs,
            "mention_documents": [d for d in record.get("documents", []) if d not in main_docs],
            "events": record.get("events", []),
            "sources": record.get("sources", []),
            "fields": record.get("fields", {}),
            "claims": record.get("claims", []),
            "verification": record.get("status", {}),
            "links": links,
            "version": row["version"],
            **incident_details(record),
        }


def incident_details(record: dict[str, object]) -> dict[str, object]:
    """The record's people and report details as plain values: victims and suspects (name, age, status), the
    city, state, street location, time of day (clock time and part of the day) and weapons."""
    fields: dict = record.get("fields") or {}  # type: ignore[assignment, type-arg]

    def chosen(name: str) -> str | None:
        return (fields.get(name) or {}).get("chosen") or None

    def person(p: dict) -> dict[str, object]:  # type: ignore[type-arg]
        return {k: p.get(k) for k in ("name", "age", "status", "gender", "residence", "independent")}

    return {
        "victims": [person(p) for p in record.get("victims") or []],  # type: ignore[attr-defined]
        "suspects": [person(p) for p in record.get("suspects") or []],  # type: ignore[attr-defined]
        "city": chosen("city"),
        "state": chosen("state"),
        "address": chosen("address"),
        "time": [t for t in (chosen("time"), chosen("part_of_day")) if t],
        "weapons": [c["value"] for c in (fields.get("weapon") or {}).get("candidates", [])][:2],
    }


@exporter("incidents")
def incident_rows(store: Store, schema: str = "native") -> Iterator[Row]:
    """Incidents in the native, ACLED-like or GTD-like schema."""
    if schema == "native":
        yield from incident_rows_native(store)
        return
    from triangulate.export.schemas import to_schema

    for row in incident_rows_native(store):
        yield to_schema(row, schema)


@exporter("events")
def event_rows(store: Store, schema: str = "native") -> Iterator[Row]:
    """Every event record with its evidence and claims."""
    for row in store.conn.execute(
        "SELECT e.*, d.source, d.external_id FROM events e JOIN documents d ON d.id = e.doc_id ORDER BY e.id"
    ):
        record = json.loads(row["record"])
        claims = [
            dict(c)
            for c in store.query(
                "SELECT speaker, speaker_kind, stance, text, content, start, end, sentence "
                "FROM claims WHERE event_id = ?",
                (row["id"],),
            )
        ]
        incident = store.conn.execute(
            "SELECT incident_id FROM incident_events WHERE event_id = ?", (row["id"],)
        ).fetchone()
        yield {
            "id": row["id"],
            "document": row["doc_id"],
            "source": row["source"],
            **record,
            "claims": claims,
            "incident": incident[0] if incident else None,
        }


@exporter("mentions")
def mention_rows(store: Store, schema: str = "native") -> Iterator[Row]:
    """Every mention with its normalised value, precision and evidence span."""
    for row in store.conn.execute(
        "SELECT m.*, d.source FROM mentions m JOIN documents d ON d.id = m.doc_id ORDER BY m.id"
    ):
        yield {
            "id": row["id"],
            "document": row["doc_id"],
            "source": row["source"],
            "kind": row["kind"],
            "text": row["text"],
            "value": row["value"],
            "precision": row["precision"],
            "start": row["start"],
            "end": row["end"],
            "sentence": row["sentence"],
            "attrs": json.loads(row["attrs"]),
            "extractor": row["extractor"],
            "extractor_version": row["extractor_version"],
            "confidence": row["confidence"],
        }
