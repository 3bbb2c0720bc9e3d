"""Data for the incident and document pages, assembled from the store (no HTML here except the
escaped, highlighted document text, built segment by segment)."""

from __future__ import annotations

import json
import logging
from typing import Any

from markupsafe import Markup, escape

from triangulate.errors import NotFoundError, TriangulateError
from triangulate.review import FIELD_NAMES, audit_entries, claim_key
from triangulate.store.db import Store
from triangulate.web.security import safe_url

log = logging.getLogger(__name__)

FIELD_LABELS = {
    "event_type": "Event type",
    "perpetrator": "Perpetrator",
    "victims": "Victims / target",
    "victim_rank": "Victim rank",
    "date": "Date",
    "country": "Country",
    "place": "Place",
    "killed": "Killed",
    "wounded": "Wounded",
    "captured": "Captured / kidnapped",
    "city": "City",
    "state": "State / region",
    "address": "Street location",
    "time": "Time",
    "part_of_day": "Part of the day",
    "weapon": "Weapon",
}
HISTORY_LABELS = {
    **FIELD_LABELS,
    "n_documents": "Reports",
    "n_independent": "Independent sources",
    "status": "Status",
}
STANCE_LABELS = {
    "claims": "claims",
    "denies": "denies",
    "confirms": "confirms",
    "could-not-verify": "could not verify",
    "no-comment": "no comment",
    "attributes-to-source": "attributes to a source",
}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _brief_html(store: Store, incident_id: int) -> Markup | None:
    """The brief, if the optional module is there (imported lazily) and the incident has a record."""
    try:
        from triangulate.reconcile.brief import brief
    except ImportError:
        return None
    try:
        # The brief module escapes every source string itself (reconcile/brief.py render(fmt="html")).
        return Markup(brief(store, incident_id, fmt="html"))
    except TriangulateError as exc:
        log.info("no brief for incident %s: %s", incident_id, exc)
        return None


def _history(store: Store, incident_id: int) -> list[dict[str, Any]]:
    out = []
    for r in store.query(
        "SELECT id, version, at, cause, change FROM incident_history WHERE incident_id = ? ORDER BY id DESC LIMIT 200",
        (incident_id,),
    ):
        try:
            change = json.loads(r["change"])
        except ValueError:
            change = {}
        out.append(
            {"at": r["at"], "version": r["version"], "cause": r["cause"], "summary": summarise_change(change)}
        )
    return out


def summarise_change(change: dict[str, Any]) -> str:
    """One readable line for an incident_history change."""
    parts = []
    for name, (before, after) in (change.get("changed") or {}).items():
        parts.append(f"{HISTORY_LABELS.get(name, name)}: {before or '—'} → {after or '—'}")
    if "decision" in change:
        what = {
            "joined": "report joined",
            "new": "new incident from report",
            "joined-bridging": "report joined (bridging)",
            "bridge-merge": f"merged incident {change.get('merged')}",
            "merge-by-review": f"merged incident {change.get('merged')}",
            "merged-into": f"merged into incident {change.get('into')}",
            "split-by-review": f"documents {', '.join(map(str, change.get('documents', [])))} split off into incident "
            f"{change.get('new_incident')}",
            "split-from": f"split from incident {change.get('from')}",
        }.get(change["decision"], change["decision"])
        if "event" in change:
            what += f" (event {change['event']}, score {change.get('score')})"
        parts.append(what)
    if "claim" in change:
        c = change["claim"]
        parts.append(
            f"{c.get('speaker')} {STANCE_LABELS.get(c.get('stance'), c.get('stance'))}: marked {c.get('verdict')}"
        )
    if "undo" in change:
        parts.append(f"undid review entry {change['undo']}")
    if change.get("reason"):
        parts.append(f"reason: {change['reason']}")
    return "; ".join(parts) or json.dumps(change, ensure_ascii=False)[:200]


def summarise_audit(entry: dict[str, Any]) -> str:
    """One readable line for an audit entry (before → after)."""
    b, a = entry["before"], entry["after"]
    action = entry["action"]
    if action == "correct-field":
        return (
            f"{FIELD_LABELS.get(a.get('field'), a.get('field'))}: {b.get('value') or '—'} → {a.get('value')}"
        )
    if action == "claim-verdict":
        return f"{a.get('speaker')} {STANCE_LABELS.get(a.get('stance'), a.get('stance'))}: {b.get('verdict') or 'unreviewed'} → {a.get('verdict')}"
    if action == "merge":
        return f"merged incident {a.get('merged')} into incident {entry['incident_id']}"
    if action == "split":
        return f"documents {', '.join(map(str, a.get('documents', [])))} moved to new incident {a.get('new_incident')}"
    if action == "undo":
        return f"undid entry {b.get('entry')} ({b.get('action')})"
    return action


def incident_view(store: Store, incident_id: int) -> dict[str, Any]:
    """Everything the incident page shows."""
    row = store.conn.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None or (row["kind"] == "retired" and row["merged_into"] is None):
        raise NotFoundError(
            f"no incident {incident_id}", "it may have been split or retired; go back to the list"
        )
    record = json.loads(row["record"] or "{}")
    sources = sorted(record.get("sources", []), key=lambda s: (s.get("group", 0), s["id"]))
    doc_ids = [s["id"] for s in sources]
    urls = {}
    if doc_ids:
        marks = ",".join("?" * len(doc_ids))
        urls = {
            r[0]: safe_url(r[1])
            for r in store.query(f"SELECT id, url FROM documents WHERE id IN ({marks})", tuple(doc_ids))
        }
    groups: list[dict[str, Any]] = []
    for s in sources:
        s["url"] = urls.get(s["id"], "")
        if groups and groups[-1]["group"] == s.get("group"):
            groups[-1]["sources"].append(s)
        else:
            groups.append({"group": s.get("group"), "sources": [s]})
    fields = record.get("fields") or {}
    matrix = []
    for name in [n for n in FIELD_NAMES if n in fields] + [n for n in fields if n not in FIELD_NAMES]:
        f = fields[name]
        cands = f.get("candidates", [])
        if not cands and not f.get("review"):
            continue
        cells = []
        for s in sources:
            values = [(i, c) for i, c in enumerate(cands) if s["id"] in c.get("documents", [])]
            quote = next(
                (
                    e.get("quote")
                    for _, c in values
                    for e in c.get("evidence", [])
                    if e.get("doc_id") == s["id"]
                ),
                "",
            )
            cells.append(
                {
                    "doc": s["id"],
                    "values": [
                        {
                            "letter": LETTERS[i % 26],
                            "index": i,
                            "value": c["value"],
                            "chosen": c["value"] == f.get("chosen"),
                        }
                        for i, c in values
                    ],
                    "quote": quote or "",
                }
            )
        matrix.append(
            {
                "name": name,
                "label": FIELD_LABELS.get(name, name),
                "chosen": f.get("chosen", ""),
                "rule": f.get("rule", ""),
                "confidence": f.get("confidence", 0),
                "contradiction": bool(f.get("contradiction")),
                "review": f.get("review"),
                "cells": cells,
                "candidates": [
                    {
                        "letter": LETTERS[i % 26],
                        "value": c["value"],
                        "documents": c.get("documents", []),
                        "independent": c.get("independent", 0),
                        "chosen": c["value"] == f.get("chosen"),
                    }
                    for i, c in enumerate(cands)
                ],
            }
        )
    verdicts = {claim_key(c): c.get("review") for c in record.get("claims", []) if c.get("review")}
    claims = []
    for c in store.query(
        "SELECT c.id, c.doc_id, c.speaker, c.speaker_kind, c.stance, c.content, c.text, c.start, c.end FROM claims c "
        "JOIN incident_events ie ON ie.event_id = c.event_id WHERE ie.incident_id = ? ORDER BY c.stance, c.doc_id, c.start",
        (incident_id,),
    ):
        claim = dict(c)
        claim["stance_label"] = STANCE_LABELS.get(claim["stance"], claim["stance"])
        claim["review"] = verdicts.get(claim_key(claim))
        claims.append(claim)
    links = [
        dict(r)
        for r in store.query(
            "SELECT l.kind, l.to_incident AS other, 'out' AS direction, i.title, i.date_start, i.kind AS other_kind, i.status FROM incident_links l "
            "JOIN incidents i ON i.id = l.to_incident WHERE l.from_incident = ? "
            "UNION SELECT l.kind, l.from_incident, 'in', i.title, i.date_start, i.kind, i.status FROM incident_links l "
            "JOIN incidents i ON i.id = l.from_incident WHERE l.to_incident = ? ORDER BY 5",
            (incident_id, incident_id),
        )
    ]
    audit = audit_entries(store, incident_id)
    for entry in audit:
        entry["summary"] = summarise_audit(entry)
    merged_from = [
        dict(r)
        for r in store.query(
            "SELECT id, title FROM incidents WHERE merged_into = ? ORDER BY id", (incident_id,)
        )
    ]
    return {
        "row": dict(row),
        "record": record,
        "status": record.get("status") or {},
        "sources": sources,
        "groups": groups,
        "matrix": matrix,
        "claims": claims,
        "links": links,
        "history": _history(store, incident_id),
        "audit": audit,
        "brief": _brief_html(store, incident_id) if row["merged_into"] is None else None,
        "merged_from": merged_from,
        "contradictions": [m["label"] for m in matrix if m["contradiction"]],
    }


# ------------------------------------------------------------------------------------------
# Document page: highlighted text


def _event_spans(record: dict[str, Any]) -> list[tuple[int, int]]:
    spans = [(record.get("trigger_start", -1), record.get("trigger_end", -1))]
    for key in ("date_span", "place_span"):
        if isinstance(record.get(key), list) and len(record[key]) == 2:
            spans.append(tuple(record[key]))  # type: ignore[arg-type]
    spans += [(p.get("start", -1), p.get("end", -1)) for p in record.get("participants", [])]
    spans += [(c.get("start", -1), c.get("end", -1)) for c in record.get("counts", [])]
    return [(int(a), int(b)) for a, b in spans if a is not None and b is not None and 0 <= a < b]


def document_view(store: Store, doc_id: int) -> dict[str, Any]:
    """The document, its marks (mentions, counts, event triggers, claims) and the records they feed."""
    row = store.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no document {doc_id}", "go back to the document list")
    doc = dict(row)
    doc["safe_url"] = safe_url(doc["url"])
    text = doc["text"]
    events = []
    for e in store.query(
        "SELECT e.id, e.role, e.event_type, e.mode, e.record, ie.incident_id FROM events e "
        "LEFT JOIN incident_events ie ON ie.event_id = e.id WHERE e.doc_id = ? ORDER BY e.id",
        (doc_id,),
    ):
        rec = json.loads(e["record"])
        events.append(
            {
                "id": e["id"],
                "role": e["role"],
                "type": e["event_type"] + (f"/{e['mode']}" if e["mode"] else ""),
                "incident": e["incident_id"],
                "record": rec,
                "spans": _event_spans(rec),
            }
        )

    def feeds(start: int, end: int) -> dict[str, Any] | None:
        for ev in events:
            if any(a < end and start < b for a, b in ev["spans"]):
                return ev
        return None

    marks: list[dict[str, Any]] = []
    for m in store.query(
        "SELECT id, kind, start, end, text, value, precision, attrs FROM mentions WHERE doc_id = ? ORDER BY start",
        (doc_id,),
    ):
        marks.append(
            {
                "kind": m["kind"],
                "start": m["start"],
                "end": m["end"],
                "text": m["text"],
                "value": m["value"],
                "precision": m["precision"],
                "source": f"mention {m['id']}",
            }
        )
    for ev in events:
        rec = ev["record"]
        for c in rec.get("counts", []):
            if c.get("start", -1) >= 0:
                value = str(c["low"]) if c.get("low") == c.get("high") else f"{c.get('low')}-{c.get('high')}"
                marks.append(
                    {
                        "kind": "count",
                        "start": c["start"],
                        "end": c["end"],
                        "text": text[c["start"] : c["end"]],
                        "value": f"{c.get('field')}: {value}",
                        "precision": "vague" if c.get("vague") else "exact",
                        "source": f"event {ev['id']}",
                    }
                )
        if rec.get("trigger_start", -1) >= 0 and rec.get("trigger_end", 0) > rec["trigger_start"]:
            marks.append(
                {
                    "kind": "event",
                    "start": rec["trigger_start"],
                    "end": rec["trigger_end"],
                    "text": text[rec["trigger_start"] : rec["trigger_end"]],
                    "value": ev["type"],
                    "precision": ev["role"],
                    "source": f"event {ev['id']}",
                }
            )
    claims = [
        {
            "kind": "claim",
            "start": c["start"],
            "end": c["end"],
            "text": c["text"],
            "value": f"{c['speaker']} {c['stance']}",
            "precision": c["stance"],
            "source": f"claim {c['id']}",
            "content": c["content"],
            "event_id": c["event_id"],
        }
        for c in store.query(
            "SELECT id, start, end, text, speaker, stance, content, event_id FROM claims WHERE doc_id = ? ORDER BY start",
            (doc_id,),
        )
    ]
    by_event = {ev["id"]: ev for ev in events}
    for n, m in enumerate(marks + claims):
        m["n"] = n
        ev = by_event.get(m.get("event_id")) if m["kind"] == "claim" else None
        ev = ev or feeds(m["start"], m["end"])
        m["event"] = ev["id"] if ev else None
        m["event_type"] = ev["type"] if ev else ""
        m["incident"] = ev["incident"] if ev else None
    incidents = [
        dict(r)
        for r in store.query(
            "SELECT DISTINCT i.id, i.title, i.kind, i.status, i.date_start FROM incident_events ie JOIN incidents i ON i.id = ie.incident_id "
            "WHERE ie.doc_id = ? ORDER BY i.kind DESC, i.id",
            (doc_id,),
        )
    ]
    kinds = sorted({m["kind"] for m in marks + claims})
    return {
        "doc": doc,
        "html": highlight(text, marks, claims),
        "marks": sorted(marks + claims, key=lambda m: (m["start"], m["n"])),
        "events": events,
        "incidents": incidents,
        "kinds": kinds,
    }


def _non_overlapping(spans: list[dict[str, Any]], length: int) -> list[dict[str, Any]]:
    out, last = [], 0
    for m in sorted(spans, key=lambda m: (m["start"], -(m["end"] - m["start"]))):
        if m["start"] >= last and m["end"] <= length and m["end"] > m["start"]:
            out.append(m)
            last = m["end"]
    return out


def _attrs(m: dict[str, Any]) -> str:
    pairs = {
        "class": f"m m-{m['kind']}",
        "data-n": m["n"],
        "data-kind": m["kind"],
        "data-value": m["value"],
        "data-precision": m["precision"] or "",
        "data-event": m["event"] or "",
        "data-type": m["event_type"] or "",
        "data-incident": m["incident"] or "",
        "tabindex": "0",
        "title": f"{m['kind']}: {m['value']}" + (f" ({m['precision']})" if m["precision"] else ""),
    }
    return " ".join(f'{k}="{escape(str(v))}"' for k, v in pairs.items())


def highlight(text: str, marks: list[dict[str, Any]], claims: list[dict[str, Any]]) -> Markup:
    """The document text as HTML: every segment escaped, mentions in <mark>, claims in an outer <span>.

    Overlapping mentions keep the earliest (longest) one; a mention crossing a claim's edge is cut
    at that edge so the HTML stays well nested.
    """
    inner = _non_overlapping(marks, len(text))
    outer = _non_overlapping(claims, len(text))
    points = sorted({0, len(text), *(p for m in inner + outer for p in (m["start"], m["end"]))})
    out: list[str] = []
    ci = mi = 0
    open_claim: dict[str, Any] | None = None
    for a, b in zip(points, points[1:], strict=False):
        while ci < len(outer) and outer[ci]["end"] <= a:
            ci += 1
        while mi < len(inner) and inner[mi]["end"] <= a:
            mi += 1
        claim = outer[ci] if ci < len(outer) and outer[ci]["start"] <= a < outer[ci]["end"] else None
        mark = inner[mi] if mi < len(inner) and inner[mi]["start"] <= a < inner[mi]["end"] else None
        if claim is not open_claim:
            if open_claim is not None:
                out.append("</span>")
            if claim is not None:
                out.append("<span " + _attrs(claim).replace('class="m m-claim"', 'class="claim"', 1) + ">")
            open_claim = claim
        segment = escape(text[a:b])
        out.append(f"<mark {_attrs(mark)}>{segment}</mark>" if mark is not None else str(segment))
    if open_claim is not None:
        out.append("</span>")
    return Markup("".join(out))
