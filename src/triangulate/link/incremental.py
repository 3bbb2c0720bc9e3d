"""Scoped upkeep after an incremental linking run: the incidents it touched and their background links.

``triangulate.pipeline.run.update`` rebuilds every 'background-of' link and reconciles every stale
incident per run, which costs a scan of the whole store; these functions do the same work for the
incidents a run touched only (see benchmarks/link_incremental.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from triangulate.store.db import Store


def touched_incidents(store: Store, decisions: Iterable[tuple[int, int, float, str]]) -> set[int]:
    """Live incidents that a linking run's decisions (``LinkReport.decisions``) changed.

    A bridge merge moves the members of the younger incident into the decision's incident, so the
    decisions name every incident left with changed members.
    """
    ids = {incident_id for _, incident_id, _, _ in decisions}
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    return {
        r[0]
        for r in store.query(
            f"SELECT id FROM incidents WHERE id IN ({marks}) AND merged_into IS NULL", tuple(ids)
        )
    }


def link_background(store: Store, incident_ids: Iterable[int]) -> None:
    """Refresh the 'background-of' links (background incident -> main incident of the same document)
    of the given incidents only.

    A link involving an incident can only be supported by a document with events in it, so deleting
    every link that touches these incidents (or was recorded for one of their documents) and
    inserting those their documents support gives the same links as rebuilding all of them.
    """
    ids = sorted(set(incident_ids))
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    with store.transaction() as conn:
        docs = [
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT doc_id FROM incident_events WHERE incident_id IN ({marks})", ids
            )
        ]
        for column in ("from_incident", "to_incident"):
            conn.execute(
                f"DELETE FROM incident_links WHERE kind = 'background-of' AND {column} IN ({marks})", ids
            )
        if not docs:
            return
        dmarks = ",".join("?" * len(docs))
        conn.execute(
            f"DELETE FROM incident_links WHERE kind = 'background-of' AND doc_id IN ({dmarks})", docs
        )
        conn.execute(
            f"""INSERT OR IGNORE INTO incident_links (from_incident, to_incident, kind, doc_id)
               SELECT DISTINCT b.incident_id, m.incident_id, 'background-of', b.doc_id
               FROM incident_events b JOIN events eb ON eb.id = b.event_id AND eb.role = 'background'
               JOIN incident_events m ON m.doc_id = b.doc_id JOIN events em ON em.id = m.event_id AND em.role = 'main'
               WHERE b.incident_id != m.incident_id AND b.doc_id IN ({dmarks})""",
            docs,
        )
