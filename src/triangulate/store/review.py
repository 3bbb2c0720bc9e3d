"""Stored human decisions the pipeline respects: field corrections and claim verdicts (``review_overrides``),
must-link and cannot-link document pairs (``review_pairs``) and the audit log. Reading only; the review actions
that write them are in :mod:`triangulate.review`, and laying overrides over a record is reconciliation's
(:mod:`triangulate.reconcile.overrides`).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from triangulate.store.db import Store


def _family(conn: sqlite3.Connection, incident_id: int) -> list[int]:
    """An incident and every incident merged into it (directly or through a chain)."""
    rows = conn.execute(
        "WITH RECURSIVE fam(id) AS (SELECT ? UNION SELECT i.id FROM incidents i JOIN fam ON i.merged_into = fam.id)"
        " SELECT id FROM fam",
        (incident_id,),
    ).fetchall()
    return [r[0] for r in rows]


def active_overrides(store: Store, incident_id: int) -> list[dict[str, Any]]:
    """Active overrides of an incident (and of incidents merged into it), oldest first."""
    family = _family(store.conn, incident_id)
    marks = ",".join("?" * len(family))
    return [
        dict(r)
        for r in store.query(
            f"SELECT * FROM review_overrides WHERE active = 1 AND incident_id IN ({marks}) ORDER BY id",
            tuple(family),
        )
    ]


def claim_key(claim: dict[str, Any]) -> str:
    """A claim's identity that survives re-extraction: document and character span."""
    return f"{claim.get('doc_id')}:{claim.get('start')}:{claim.get('end')}"


def link_constraint(store: Store, doc_a: int, doc_b: int) -> str | None:
    """'must-link', 'cannot-link' or None for two documents, from analysts' merges and splits."""
    a, b = sorted((doc_a, doc_b))
    try:
        row = store.conn.execute(
            "SELECT kind FROM review_pairs WHERE doc_a = ? AND doc_b = ? ORDER BY kind = 'cannot-link' DESC",
            (a, b),
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def cannot_link_pairs(store: Store) -> set[tuple[int, int]]:
    """The (lower, higher) document pairs analysts split apart (none in a store without review tables)."""
    try:
        return {
            (r[0], r[1])
            for r in store.conn.execute("SELECT doc_a, doc_b FROM review_pairs WHERE kind = 'cannot-link'")
        }
    except sqlite3.OperationalError:
        return set()


def audit_entries(store: Store, incident_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Audit entries that concern an incident (as the kept or the other side), newest first."""
    rows = store.query(
        "SELECT * FROM audit_log WHERE incident_id = ? OR other_incident = ? ORDER BY id DESC LIMIT ?",
        (incident_id, incident_id, limit),
    )
    out = []
    for r in rows:
        entry = dict(r)
        entry["before"], entry["after"] = json.loads(r["before"]), json.loads(r["after"])
        out.append(entry)
    return out
