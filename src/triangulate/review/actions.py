"""Analyst review: merge, split, field corrections and claim verdicts, with an audit log and undo.

Human decisions are stored as constraints the pipeline respects on every re-run:

* field corrections and claim verdicts live in ``review_overrides`` and are laid over the machine
  record by :func:`triangulate.reconcile.overrides.apply_review_overrides`, which ``reconcile`` calls for each record it builds;
* memberships an analyst touched are locked (``incident_events.locked = 1``), which the linker
  never moves;
* merges and splits also record must-link / cannot-link document pairs (``review_pairs``), which
  the linker can consult through :func:`triangulate.store.review.link_constraint`.

Every action checks the incident's ``version`` (optimistic locking: a stale version raises
ConflictError, HTTP 409), bumps it, and writes one ``audit_log`` row (who, when, before, after,
reason) that :func:`undo` can revert.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from triangulate.errors import ConfigError, ConflictError, NotFoundError
from triangulate.link.incremental import link_background
from triangulate.reconcile.overrides import persist_overrides
from triangulate.reconcile.record import FIELDS, reconcile
from triangulate.store.db import Store, utcnow

FIELD_NAMES = FIELDS
VERDICTS = ("verified", "false")
MAX_VALUE = 500
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class Reviewer:
    """Who acts: a user id (None for scripts) and a display name."""

    name: str
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """What an action did: its audit entry and the incidents it touched, with their new versions."""

    audit_id: int
    incident_id: int
    versions: dict[int, int]
    other_incident: int | None = None


def rebuild(store: Store, incident_ids: list[int]) -> None:
    """Refresh the background links of incidents whose members changed and reconcile them (with the overrides)."""
    ids = sorted(set(incident_ids))
    link_background(store, ids)
    reconcile(store, ids)


# --------------------------------------------------------------------------------------------
# Helpers shared by the actions


def _incident(conn: sqlite3.Connection, incident_id: int) -> sqlite3.Row:
    row = conn.execute(
        "SELECT id, kind, event_type, mode, version, merged_into, n_documents, record FROM incidents WHERE id = ?",
        (incident_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no incident {incident_id}", "check the incident id")
    return row


def _live(conn: sqlite3.Connection, incident_id: int, version: int | None) -> sqlite3.Row:
    row = _incident(conn, incident_id)
    if row["merged_into"] is not None:
        raise ConflictError(
            f"incident {incident_id} was merged into incident {row['merged_into']}",
            f"open incident {row['merged_into']} and review it there",
        )
    if version is None:
        raise ConfigError(
            f"the version of incident {incident_id} is missing", "send the version you loaded with the change"
        )
    if int(version) != row["version"]:
        raise ConflictError(
            f"incident {incident_id} changed since you loaded it (you sent version {version}, it is now at "
            f"version {row['version']})",
            "reload the incident, check the changes and apply yours again",
        )
    return row


def _reason(reason: str, required: bool = False) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ConfigError("a reason is required", "say briefly why you make this change")
    if len(reason) > MAX_REASON:
        raise ConfigError(
            f"reason too long ({len(reason)} characters)", f"keep it under {MAX_REASON} characters"
        )
    return reason


def _bump(
    conn: sqlite3.Connection, incident_id: int, who: Reviewer, action: str, change: dict[str, Any]
) -> int:
    conn.execute(
        "UPDATE incidents SET version = version + 1, updated_at = ? WHERE id = ?", (utcnow(), incident_id)
    )
    version = conn.execute("SELECT version FROM incidents WHERE id = ?", (incident_id,)).fetchone()[0]
    conn.execute(
        "INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES (?, ?, ?, ?, ?)",
        (
            incident_id,
            version,
            utcnow(),
            f"review: {action} by {who.name}",
            json.dumps(change, ensure_ascii=False),
        ),
    )
    return int(version)


def _audit(
    conn: sqlite3.Connection,
    who: Reviewer,
    action: str,
    incident_id: int,
    *,
    other: int | None = None,
    version_before: int,
    version_after: int,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str,
    undoes: int | None = None,
) -> int:
    return int(
        conn.execute(
            "INSERT INTO audit_log (at, user_id, user_name, action, incident_id, other_incident, version_before, version_after,"
            " before, after, reason, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                utcnow(),
                who.user_id,
                who.name,
                action,
                incident_id,
                other,
                version_before,
                version_after,
                json.dumps(before, ensure_ascii=False),
                json.dumps(after, ensure_ascii=False),
                reason,
                undoes,
            ),
        ).lastrowid
        or 0
    )


def _versions(store: Store, ids: list[int]) -> dict[int, int]:
    return {
        i: store.conn.execute("SELECT version FROM incidents WHERE id = ?", (i,)).fetchone()[0] for i in ids
    }


def _docs(conn: sqlite3.Connection, incident_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT doc_id FROM incident_events WHERE incident_id = ? ORDER BY doc_id",
            (incident_id,),
        )
    ]


def _memberships(
    conn: sqlite3.Connection, incident_id: int, doc_ids: list[int] | None = None
) -> list[list[Any]]:
    sql = "SELECT event_id, doc_id, locked, decision FROM incident_events WHERE incident_id = ?"
    args: list[Any] = [incident_id]
    if doc_ids is not None:
        sql += f" AND doc_id IN ({','.join('?' * len(doc_ids))})"
        args += doc_ids
    return [list(r) for r in conn.execute(sql + " ORDER BY event_id", args)]


def _pairs(conn: sqlite3.Connection, left: list[int], right: list[int], kind: str, audit_id: int) -> None:
    rows = {(min(a, b), max(a, b)) for a in left for b in right if a != b}
    conn.executemany(
        "INSERT OR REPLACE INTO review_pairs (doc_a, doc_b, kind, audit_id, created_at) VALUES (?, ?, ?, ?, ?)",
        [(a, b, kind, audit_id, utcnow()) for a, b in sorted(rows)],
    )


# --------------------------------------------------------------------------------------------
# Actions


def correct_field(
    store: Store, incident_id: int, field: str, value: str, *, version: int | None, who: Reviewer, reason: str
) -> ReviewResult:
    """Set a field's value by hand (kept across pipeline re-runs)."""
    if field not in FIELD_NAMES:
        raise ConfigError(f"unknown field {field!r}", f"use one of {', '.join(FIELD_NAMES)}")
    value = (value or "").strip()
    if not value:
        raise ConfigError("the new value is empty", "give the corrected value")
    if len(value) > MAX_VALUE:
        raise ConfigError(
            f"value too long ({len(value)} characters)", f"keep it under {MAX_VALUE} characters"
        )
    reason = _reason(reason, required=True)
    with store.transaction() as conn:
        row = _live(conn, incident_id, version)
        record = json.loads(row["record"] or "{}")
        current = ((record.get("fields") or {}).get(field) or {}).get("chosen", "")
        previous = conn.execute(
            "SELECT id FROM review_overrides WHERE incident_id = ? AND kind = 'field' AND target = ? AND active = 1",
            (incident_id, field),
        ).fetchall()
        conn.execute(
            "UPDATE review_overrides SET active = 0 WHERE incident_id = ? AND kind = 'field' AND target = ? AND active = 1",
            (incident_id, field),
        )
        override = int(
            conn.execute(
                "INSERT INTO review_overrides (incident_id, kind, target, value, reason, user_name, created_at) VALUES (?, 'field', ?, ?, ?, ?, ?)",
                (incident_id, field, value, reason, who.name, utcnow()),
            ).lastrowid
            or 0
        )
        new_version = _bump(
            conn, incident_id, who, "correct field", {"changed": {field: [current, value]}, "reason": reason}
        )
        audit_id = _audit(
            conn,
            who,
            "correct-field",
            incident_id,
            version_before=row["version"],
            version_after=new_version,
            before={"field": field, "value": current, "overrides": [r[0] for r in previous]},
            after={"field": field, "value": value, "override": override},
            reason=reason,
        )
        conn.execute("UPDATE review_overrides SET audit_id = ? WHERE id = ?", (audit_id, override))
    persist_overrides(store, incident_id)
    return ReviewResult(audit_id, incident_id, _versions(store, [incident_id]))


def _claim(conn: sqlite3.Connection, claim_id: int) -> sqlite3.Row:
    row = conn.execute(
        "SELECT c.id, c.doc_id, c.start, c.end, c.speaker, c.stance, ie.incident_id FROM claims c "
        "LEFT JOIN incident_events ie ON ie.event_id = c.event_id WHERE c.id = ?",
        (claim_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no claim {claim_id}", "check the claim id")
    if row["incident_id"] is None:
        raise ConfigError(
            f"claim {claim_id} belongs to no incident", "only claims about an incident can be reviewed"
        )
    return row


def set_claim_verdict(
    store: Store, claim_id: int, verdict: str, *, version: int | None, who: Reviewer, reason: str = ""
) -> ReviewResult:
    """Mark a claim (or denial) verified or false; ``version`` is that of the claim's incident."""
    if verdict not in VERDICTS:
        raise ConfigError(f"unknown verdict {verdict!r}", f"use one of {', '.join(VERDICTS)}")
    reason = _reason(reason)
    with store.transaction() as conn:
        claim = _claim(conn, claim_id)
        incident_id = claim["incident_id"]
        row = _live(conn, incident_id, version)
        key = f"{claim['doc_id']}:{claim['start']}:{claim['end']}"
        previous = conn.execute(
            "SELECT id, value FROM review_overrides WHERE incident_id = ? AND kind = 'claim' AND target = ? AND active = 1",
            (incident_id, key),
        ).fetchall()
        conn.execute(
            "UPDATE review_overrides SET active = 0 WHERE incident_id = ? AND kind = 'claim' AND target = ? AND active = 1",
            (incident_id, key),
        )
        override = int(
            conn.execute(
                "INSERT INTO review_overrides (incident_id, kind, target, value, reason, user_name, created_at) VALUES (?, 'claim', ?, ?, ?, ?, ?)",
                (incident_id, key, verdict, reason, who.name, utcnow()),
            ).lastrowid
            or 0
        )
        change = {
            "claim": {"speaker": claim["speaker"], "stance": claim["stance"], "verdict": verdict},
            "reason": reason,
        }
        new_version = _bump(conn, incident_id, who, "claim verdict", change)
        audit_id = _audit(
            conn,
            who,
            "claim-verdict",
            incident_id,
            version_before=row["version"],
            version_after=new_version,
            before={
                "claim": claim_id,
                "key": key,
                "verdict": previous[0]["value"] if previous else None,
                "overrides": [r["id"] for r in previous],
            },
            after={
                "claim": claim_id,
                "key": key,
                "verdict": verdict,
                "override": override,
                "speaker": claim["speaker"],
                "stance": claim["stance"],
            },
            reason=reason,
        )
        conn.execute("UPDATE review_overrides SET audit_id = ? WHERE id = ?", (audit_id, override))
    persist_overrides(store, incident_id)
    return ReviewResult(audit_id, incident_id, _versions(store, [incident_id]))


def merge_incidents(
    store: Store,
    keep: int,
    other: int,
    *,
    version: int | None,
    other_version: int | None = None,
    who: Reviewer,
    reason: str = "",
) -> ReviewResult:
    """Merge incident ``other`` into ``keep``: all its reports become members of ``keep`` (locked)."""
    if keep == other:
        raise ConfigError("cannot merge an incident with itself", "give the id of another incident")
    reason = _reason(reason)
    with store.transaction() as conn:
        a = _live(conn, keep, version)
        b = _incident(conn, other)
        if b["merged_into"] is not None or not b["n_documents"]:
            raise ConflictError(
                f"incident {other} is no longer live (merged or empty)", "reload and pick a live incident"
            )
        if other_version is not None and int(other_version) != b["version"]:
            raise ConflictError(
                f"incident {other} changed since you loaded it (you sent version {other_version}, "
                f"it is now at version {b['version']})",
                "reload both incidents and try again",
            )
        docs_a, docs_b = _docs(conn, keep), _docs(conn, other)
        before = {
            "keep_locks": _memberships(conn, keep),
            "other_members": _memberships(conn, other),
            "other_keys": [
                r[0] for r in conn.execute("SELECT key FROM incident_keys WHERE incident_id = ?", (other,))
            ],
            "other_links": [
                list(r)
                for r in conn.execute(
                    "SELECT from_incident, to_incident, kind, doc_id FROM incident_links WHERE from_incident = ? OR to_incident = ?",
                    (other, other),
                )
            ],
            "other_kind": b["kind"],
            "other_n_documents": b["n_documents"],
            "other_version": b["version"],
            "other_overrides": [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM review_overrides WHERE incident_id = ? AND active = 1", (other,)
                )
            ],
        }
        conn.execute("UPDATE incident_events SET locked = 1 WHERE incident_id = ?", (keep,))
        conn.execute(
            "UPDATE incident_events SET incident_id = ?, locked = 1, decision = 'merged-by-review' WHERE incident_id = ?",
            (keep, other),
        )
        conn.execute(
            "INSERT OR IGNORE INTO incident_keys (key, incident_id) SELECT key, ? FROM incident_keys WHERE incident_id = ?",
            (keep, other),
        )
        conn.execute("DELETE FROM incident_keys WHERE incident_id = ?", (other,))
        conn.execute(
            "UPDATE OR IGNORE incident_links SET from_incident = ? WHERE from_incident = ?", (keep, other)
        )
        conn.execute(
            "UPDATE OR IGNORE incident_links SET to_incident = ? WHERE to_incident = ?", (keep, other)
        )
        conn.execute(
            "DELETE FROM incident_links WHERE from_incident = ? OR to_incident = ? OR from_incident = to_incident",
            (other, other),
        )
        conn.execute(
            "UPDATE review_overrides SET incident_id = ? WHERE incident_id = ? AND active = 1", (keep, other)
        )
        conn.execute(
            "UPDATE incidents SET merged_into = ?, n_documents = 0, version = version + 1, updated_at = ? WHERE id = ?",
            (keep, utcnow(), other),
        )
        change = {"decision": "merge-by-review", "merged": other, "reason": reason}
        new_version = _bump(conn, keep, who, "merge", change)
        conn.execute(
            "INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES (?, ?, ?, ?, ?)",
            (
                other,
                b["version"] + 1,
                utcnow(),
                f"review: merge by {who.name}",
                json.dumps({"decision": "merged-into", "into": keep, "reason": reason}),
            ),
        )
        audit_id = _audit(
            conn,
            who,
            "merge",
            keep,
            other=other,
            version_before=a["version"],
            version_after=new_version,
            before=before,
            after={"merged": other, "documents": sorted(set(docs_a) | set(docs_b))},
            reason=reason,
        )
        _pairs(conn, docs_a, docs_b, "must-link", audit_id)
    rebuild(store, [keep])
    return ReviewResult(audit_id, keep, _versions(store, [keep, other]), other)


def split_incident(
    store: Store,
    incident_id: int,
    doc_ids: list[int],
    *,
    version: int | None,
    who: Reviewer,
    reason: str = "",
) -> ReviewResult:
    """Move the given reports out of an incident into a new incident (both memberships locked)."""
    reason = _reason(reason)
    wanted = sorted({int(d) for d in doc_ids})
    if not wanted:
        raise ConfigError(
            "no documents chosen to split off", "tick the reports that describe a different incident"
        )
    with store.transaction() as conn:
        row = _live(conn, incident_id, version)
        docs = _docs(conn, incident_id)
        strangers = [d for d in wanted if d not in docs]
        if strangers:
            raise ConfigError(
                f"documents {', '.join(map(str, strangers))} are not reports of incident {incident_id}",
                "choose among the incident's own documents",
            )
        if len(wanted) == len(docs):
            raise ConfigError("cannot split off every document", "leave at least one report in the incident")
        now = utcnow()
        new_id = int(
            conn.execute(
                "INSERT INTO incidents (kind, event_type, mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (row["kind"], row["event_type"], row["mode"], now, now),
            ).lastrowid
            or 0
        )
        before = {"locks": _memberships(conn, incident_id)}
        moved = _memberships(conn, incident_id, wanted)
        conn.execute("UPDATE incident_events SET locked = 1 WHERE incident_id = ?", (incident_id,))
        conn.execute(
            f"UPDATE incident_events SET incident_id = ?, locked = 1, decision = 'split-by-review' WHERE incident_id = ? "
            f"AND doc_id IN ({','.join('?' * len(wanted))})",
            (new_id, incident_id, *wanted),
        )
        conn.execute(
            "INSERT OR IGNORE INTO incident_keys (key, incident_id) SELECT key, ? FROM incident_keys WHERE incident_id = ?",
            (new_id, incident_id),
        )
        change = {
            "decision": "split-by-review",
            "documents": wanted,
            "new_incident": new_id,
            "reason": reason,
        }
        new_version = _bump(conn, incident_id, who, "split", change)
        conn.execute(
            "INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES (?, 1, ?, ?, ?)",
            (
                new_id,
                now,
                f"review: split by {who.name}",
                json.dumps(
                    {"decision": "split-from", "from": incident_id, "documents": wanted, "reason": reason}
                ),
            ),
        )
        audit_id = _audit(
            conn,
            who,
            "split",
            incident_id,
            other=new_id,
            version_before=row["version"],
            version_after=new_version,
            before=before,
            after={"new_incident": new_id, "documents": wanted, "moved": moved},
            reason=reason,
        )
        _pairs(conn, wanted, [d for d in docs if d not in wanted], "cannot-link", audit_id)
    rebuild(store, [incident_id, new_id])
    return ReviewResult(audit_id, incident_id, _versions(store, [incident_id, new_id]), new_id)


def undo(
    store: Store, audit_id: int, *, version: int | None, who: Reviewer, reason: str = ""
) -> ReviewResult:
    """Revert one review action (recorded as an 'undo' entry of its own). ``version`` is the incident's."""
    reason = _reason(reason)
    with store.transaction() as conn:
        entry = conn.execute("SELECT * FROM audit_log WHERE id = ?", (audit_id,)).fetchone()
        if entry is None:
            raise NotFoundError(f"no audit entry {audit_id}", "pick an entry from the incident's history")
        if entry["undone_by"] is not None:
            raise ConflictError(
                f"audit entry {audit_id} was already undone (by entry {entry['undone_by']})",
                "reload the incident to see its current state",
            )
        if entry["action"] == "undo":
            raise ConfigError("an undo cannot itself be undone", "make the change again instead")
        incident_id = entry["incident_id"]
        row = _live(conn, incident_id, version)
        before, after = json.loads(entry["before"]), json.loads(entry["after"])
        touched = [incident_id]
        action = entry["action"]
        if action in ("correct-field", "claim-verdict"):
            conn.execute("UPDATE review_overrides SET active = 0 WHERE id = ?", (after["override"],))
            for previous in before.get("overrides", []):
                conn.execute("UPDATE review_overrides SET active = 1 WHERE id = ?", (previous,))
            rebuild_needed = False
        elif action == "merge":
            other = int(entry["other_incident"])
            gone = _incident(conn, other)
            if gone["merged_into"] != incident_id:
                raise ConflictError(
                    f"incident {other} is no longer merged into {incident_id}", "reload the incident"
                )
            for event_id, _doc, locked, decision in before["other_members"]:
                conn.execute(
                    "UPDATE incident_events SET incident_id = ?, locked = ?, decision = ? WHERE event_id = ? AND incident_id = ?",
                    (other, locked, decision, event_id, incident_id),
                )
            for event_id, _doc, locked, _decision in before["keep_locks"]:
                conn.execute(
                    "UPDATE incident_events SET locked = ? WHERE event_id = ? AND incident_id = ?",
                    (locked, event_id, incident_id),
                )
            conn.executemany(
                "INSERT OR IGNORE INTO incident_keys (key, incident_id) VALUES (?, ?)",
                [(k, other) for k in before["other_keys"]],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO incident_links (from_incident, to_incident, kind, doc_id) VALUES (?, ?, ?, ?)",
                [tuple(link) for link in before["other_links"]],
            )
            for override in before["other_overrides"]:
                conn.execute("UPDATE review_overrides SET incident_id = ? WHERE id = ?", (other, override))
            conn.execute(
                "UPDATE incidents SET merged_into = NULL, kind = ?, n_documents = ?, version = version + 1, updated_at = ? "
                "WHERE id = ?",
                (before["other_kind"], before["other_n_documents"], utcnow(), other),
            )
            conn.execute("DELETE FROM review_pairs WHERE audit_id = ?", (audit_id,))
            touched.append(other)
            rebuild_needed = True
        elif action == "split":
            new_id = int(entry["other_incident"])
            for event_id, _doc, _locked, _decision in after["moved"]:
                conn.execute(
                    "UPDATE incident_events SET incident_id = ? WHERE event_id = ? AND incident_id = ?",
                    (incident_id, event_id, new_id),
                )
            for event_id, _doc, locked, decision in before["locks"]:
                conn.execute(
                    "UPDATE incident_events SET locked = ?, decision = ? WHERE event_id = ? AND incident_id = ?",
                    (locked, decision, event_id, incident_id),
                )
            conn.execute("DELETE FROM incident_keys WHERE incident_id = ?", (new_id,))
            conn.execute("DELETE FROM review_pairs WHERE audit_id = ?", (audit_id,))
            touched.append(new_id)
            rebuild_needed = True
        else:
            raise ConfigError(f"cannot undo a {action!r} entry", "make the change again instead")
        new_version = _bump(conn, incident_id, who, f"undo {action}", {"undo": audit_id, "reason": reason})
        undo_id = _audit(
            conn,
            who,
            "undo",
            incident_id,
            other=entry["other_incident"],
            version_before=row["version"],
            version_after=new_version,
            before={"entry": audit_id, "action": action},
            after={},
            reason=reason,
            undoes=audit_id,
        )
        conn.execute("UPDATE audit_log SET undone_by = ? WHERE id = ?", (undo_id, audit_id))
    if rebuild_needed:
        rebuild(store, touched)
    else:
        persist_overrides(store, incident_id)
    return ReviewResult(undo_id, incident_id, _versions(store, touched), entry["other_incident"])
