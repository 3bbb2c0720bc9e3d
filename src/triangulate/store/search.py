"""The free-text index of incidents, ``incident_search`` (FTS5).

Triggers on ``incidents`` (migration 10) put every inserted or updated incident into
``incident_search_dirty``; :func:`refresh_search_index` re-indexes those rows. The pipeline calls it at the
end of every update, the web app at start-up and after each review action; requests only read it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from triangulate.errors import StoreError
from triangulate.store.db import Store

log = logging.getLogger(__name__)

DOC_TEXT_CHARS = 20_000
CHUNK = 400


def _values(field: dict[str, Any] | None) -> list[str]:
    if not field:
        return []
    return [str(field.get("chosen") or "")] + [str(c.get("value") or "") for c in field.get("candidates", [])]


def _content(conn: sqlite3.Connection, row: sqlite3.Row) -> tuple[str, str, str, str, str]:
    record = json.loads(row["record"] or "{}")
    fields = record.get("fields") or {}
    field_text = " ".join(v for f in fields.values() for v in _values(f))
    speakers = [str(c.get("speaker") or "") for c in record.get("claims", [])]
    doc_ids = [int(d) for d in record.get("documents", [])]
    actors = _values(fields.get("perpetrator")) + _values(fields.get("victims")) + speakers
    docs_text = []
    if doc_ids:
        marks = ",".join("?" * len(doc_ids))
        for d in conn.execute(
            f"SELECT title, outlet, substr(text, 1, {DOC_TEXT_CHARS}) AS text FROM documents WHERE id IN ({marks})",
            doc_ids,
        ):
            docs_text.append(f"{d['title']}\n{d['outlet']}\n{d['text']}")
        actors += [
            m[0]
            for m in conn.execute(
                f"SELECT DISTINCT value FROM mentions WHERE kind IN ('actor', 'person') AND doc_id IN ({marks})",
                doc_ids,
            )
        ]
    places = _values(fields.get("place")) + _values(fields.get("country")) + [row["country_code"] or ""]
    for c in (fields.get("place") or {}).get("candidates", []):
        places.append(str((c.get("detail") or {}).get("admin1") or ""))
    return (row["title"] or "", field_text, " ".join(actors), " ".join(places), "\n".join(docs_text))


def refresh_search_index(store: Store, busy_timeout_ms: int | None = None) -> int:
    """Re-index every incident marked dirty; returns how many were processed.

    With ``busy_timeout_ms`` the refresh gives up quietly (returning 0) when another writer holds
    the database longer than that, so a page request never waits on a pipeline run.
    """
    conn = store.conn
    if conn.execute("SELECT 1 FROM incident_search_dirty LIMIT 1").fetchone() is None:
        return 0
    if busy_timeout_ms is not None:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    try:
        done = 0
        with store.transaction():
            while True:
                ids = [
                    r[0]
                    for r in conn.execute("SELECT incident_id FROM incident_search_dirty LIMIT ?", (CHUNK,))
                ]
                if not ids:
                    break
                marks = ",".join("?" * len(ids))
                conn.execute(f"DELETE FROM incident_search WHERE rowid IN ({marks})", ids)
                rows = conn.execute(
                    f"SELECT id, title, record, country_code FROM incidents WHERE id IN ({marks})"
                    " AND merged_into IS NULL AND n_documents > 0",
                    ids,
                ).fetchall()
                conn.executemany(
                    "INSERT INTO incident_search (rowid, title, fields, actors, places, documents) VALUES (?, ?, ?, ?, ?, ?)",
                    [(r["id"], *_content(conn, r)) for r in rows],
                )
                conn.execute(f"DELETE FROM incident_search_dirty WHERE incident_id IN ({marks})", ids)
                done += len(ids)
        return done
    except Exception as exc:  # a busy database: keep serving with the index as it is
        if isinstance(exc, StoreError | sqlite3.OperationalError) and busy_timeout_ms is not None:
            log.info("search index refresh skipped: %s", exc)
            return 0
        raise
    finally:
        if busy_timeout_ms is not None:
            conn.execute("PRAGMA busy_timeout = 30000")
