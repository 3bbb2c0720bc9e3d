"""Read-side queries shared by the CLI, the web app and exports."""

from __future__ import annotations

from dataclasses import dataclass

from triangulate.store.db import Store


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A document as listed (no text)."""

    id: int
    title: str
    outlet: str
    published: str
    published_precision: str
    source: str
    duplicate_of: int | None


def list_documents(store: Store, limit: int = 50, offset: int = 0) -> list[DocumentRow]:
    """Documents in id order with their duplicate relation, if any."""
    rows = store.query(
        """SELECT d.id, d.title, d.outlet, d.published, d.published_precision, d.source,
                  (SELECT of_doc_id FROM duplicates x WHERE x.doc_id = d.id ORDER BY kind LIMIT 1) AS dup
           FROM documents d ORDER BY d.id LIMIT ? OFFSET ?""", (limit, offset))
    return [DocumentRow(r["id"], r["title"], r["outlet"], r["published"], r["published_precision"], r["source"], r["dup"])
            for r in rows]
