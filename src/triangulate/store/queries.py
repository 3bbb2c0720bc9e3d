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
           FROM documents d ORDER BY d.id LIMIT ? OFFSET ?""",
        (limit, offset),
    )
    return [
        DocumentRow(
            r["id"], r["title"], r["outlet"], r["published"], r["published_precision"], r["source"], r["dup"]
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """An incident as listed."""

    id: int
    kind: str
    title: str
    date: str
    status: str
    n_documents: int
    n_independent: int


def list_incidents(store: Store, limit: int = 50, offset: int = 0) -> list[IncidentRow]:
    """Live incidents, main ones first, most documents first."""
    rows = store.query(
        "SELECT id, kind, title, date_start, status, n_documents, n_independent FROM incidents WHERE merged_into IS NULL "
        "AND n_documents > 0 ORDER BY kind DESC, n_documents DESC, id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [IncidentRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]
