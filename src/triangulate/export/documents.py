"""The documents export: one record per stored document (format documented in docs/formats.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from triangulate.export.core import exporter
from triangulate.export.writers import Row
from triangulate.store.db import Store

DOCUMENT_COLUMNS = [
    "id",
    "source",
    "external_id",
    "title",
    "outlet",
    "outlet_source",
    "cited_sources",
    "credits",
    "url",
    "published",
    "published_precision",
    "published_source",
    "dateline",
    "language",
    "content_hash",
    "word_count",
    "text",
    "duplicate_of",
    "near_duplicate_of",
    "errors",
]


@exporter("documents")
def document_rows(store: Store, schema: str = "native") -> Iterator[Row]:
    """Every document with its duplicate relations and recorded errors."""
    dups: dict[int, dict[str, object]] = {}
    for row in store.query("SELECT doc_id, of_doc_id, kind, similarity FROM duplicates"):
        dups.setdefault(row["doc_id"], {})[row["kind"]] = row["of_doc_id"]
    errors: dict[int, list[str]] = {}
    for row in store.query("SELECT doc_id, stage, reason FROM document_errors WHERE doc_id IS NOT NULL"):
        errors.setdefault(row["doc_id"], []).append(f"{row['stage']}: {row['reason']}")
    for row in store.conn.execute("SELECT * FROM documents ORDER BY id"):
        doc_id = row["id"]
        yield {
            "id": doc_id,
            "source": row["source"],
            "external_id": row["external_id"],
            "title": row["title"],
            "outlet": row["outlet"] or None,
            "outlet_source": row["outlet_source"] or None,
            "cited_sources": json.loads(row["cited_sources"]),
            "credits": json.loads(row["credits"]),
            "url": row["url"] or None,
            "published": row["published"] or None,
            "published_precision": row["published_precision"],
            "published_source": row["published_source"],
            "dateline": row["dateline"] or None,
            "language": row["language"],
            "content_hash": row["content_hash"],
            "word_count": row["word_count"],
            "text": row["text"],
            "duplicate_of": dups.get(doc_id, {}).get("exact"),
            "near_duplicate_of": dups.get(doc_id, {}).get("near"),
            "errors": errors.get(doc_id, []),
        }
