"""Analysts' decisions laid over a machine-built incident record: field corrections, claim verdicts, rejected
denials. Reconciliation calls :func:`apply_review_overrides` for each record it builds."""

from __future__ import annotations

import copy
import json
import sqlite3
from typing import Any

from triangulate.store.db import Store, utcnow
from triangulate.store.review import active_overrides, claim_key


def _restore(node: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Take back an earlier application of an override (so applying is idempotent and undoable)."""
    review = node.pop("review", None)
    if review and "machine" in review:
        for key in keys:
            if key in review["machine"]:
                node[key] = review["machine"][key]


def apply_review_overrides(store: Store, incident_id: int, record: dict[str, Any]) -> dict[str, Any]:
    """Lay the analysts' decisions over a machine-built incident record and return the new record.

    Field corrections replace ``fields[name].chosen`` (the machine's choice is kept under
    ``fields[name].review.machine``); claim verdicts add ``claims[i].review``; a denial marked false
    no longer makes the incident "denied". The function is idempotent, takes back overrides that
    were undone, and returns ``record`` unchanged for a store without review tables.

    Args:
        store: the open store.
        incident_id: the incident the record belongs to.
        record: the record as ``reconcile.record.build_record`` returns it (not modified).

    Returns:
        A new record with the overrides applied.
    """
    try:
        overrides = active_overrides(store, incident_id)
    except sqlite3.OperationalError:  # a store opened without the web migration
        return record
    if not overrides and not _has_review_marks(record):
        return record
    out = copy.deepcopy(record)
    fields = out.setdefault("fields", {})
    for f in fields.values():
        _restore(f, ("chosen", "rule", "confidence"))
    for c in out.get("claims", []):
        c.pop("review", None)
    status = out.get("status") or {}
    _restore(status, ("label", "denied_by"))
    by_field = {o["target"]: o for o in overrides if o["kind"] == "field"}
    by_claim = {o["target"]: o for o in overrides if o["kind"] == "claim"}
    for name, o in by_field.items():
        f = fields.setdefault(
            name, {"candidates": [], "chosen": "", "rule": "", "confidence": 0.0, "contradiction": False}
        )
        f["review"] = {
            "value": o["value"],
            "by": o["user_name"],
            "at": o["created_at"],
            "reason": o["reason"],
            "override": o["id"],
            "machine": {k: f.get(k) for k in ("chosen", "rule", "confidence")},
        }
        f["chosen"], f["confidence"] = o["value"], 1.0
        f["rule"] = (
            f"set by analyst {o['user_name']}: {o['reason']}"
            if o["reason"]
            else f"set by analyst {o['user_name']}"
        )
    rejected = set()
    for c in out.get("claims", []):
        o = by_claim.get(claim_key(c))
        if o:
            c["review"] = {
                "verdict": o["value"],
                "by": o["user_name"],
                "at": o["created_at"],
                "reason": o["reason"],
                "override": o["id"],
            }
            if o["value"] == "false" and c.get("stance") == "denies":
                rejected.add(c.get("speaker"))
    if status:
        still = [
            s
            for s in status.get("denied_by", [])
            if s not in rejected
            or any(
                c.get("speaker") == s
                and c.get("stance") == "denies"
                and (c.get("review") or {}).get("verdict") != "false"
                for c in out.get("claims", [])
            )
        ]
        if still != status.get("denied_by", []):
            machine = {"label": status.get("label"), "denied_by": status.get("denied_by", [])}
            status["denied_by"] = still
            if status.get("label") == "denied" and not still:
                status["label"] = (
                    "corroborated" if int(out.get("n_independent") or 0) >= 2 else "single-source"
                )
            status["review"] = {"machine": machine, "rejected_denials": sorted(rejected)}
        out["status"] = status
    out["review"] = {"overrides": len(overrides)}
    if by_field:
        out["title"] = title_from({k: v.get("chosen", "") for k, v in fields.items()})
    return out


def _has_review_marks(record: dict[str, Any]) -> bool:
    return bool(record.get("review")) or any("review" in f for f in (record.get("fields") or {}).values())


def title_from(chosen: dict[str, str]) -> str:
    """An incident title from chosen values (the same wording as reconcile.record's titles)."""
    what = chosen.get("event_type") or "event"
    who = chosen.get("perpetrator") or "unknown perpetrator"
    whom = f" against {chosen['victims']}" if chosen.get("victims") else ""
    where = (
        f" in {chosen.get('place') or chosen.get('country')}"
        if (chosen.get("place") or chosen.get("country"))
        else ""
    )
    when = f" ({chosen['date']})" if chosen.get("date") else ""
    return f"{what} by {who}{whom}{where}{when}"


def persist_overrides(store: Store, incident_id: int) -> None:
    """Apply overrides to the stored record and its summary columns (no version change)."""
    row = store.conn.execute("SELECT record FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None or not row["record"] or row["record"] == "{}":
        return
    record = json.loads(row["record"])
    new = apply_review_overrides(store, incident_id, record)
    if new is record:
        return
    chosen = {k: v.get("chosen", "") for k, v in new.get("fields", {}).items()}
    killed = str(chosen.get("killed") or "").split("-")[0]
    with store.transaction() as conn:
        conn.execute(
            "UPDATE incidents SET record = ?, title = ?, status = ?, killed = ?, date_start = ?, updated_at = ? WHERE id = ?",
            (
                json.dumps(new, ensure_ascii=False),
                new.get("title") or "",
                (new.get("status") or {}).get("label", "single-source"),
                int(killed) if killed.isdigit() else None,
                chosen.get("date") or "",
                utcnow(),
                incident_id,
            ),
        )
