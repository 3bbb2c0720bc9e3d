"""Build and store the reconciled record of each incident."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from triangulate.reconcile.fields import FieldRecord, date_compatible, name_compatible, same
from triangulate.reconcile.independence import source_groups
from triangulate.reconcile.overrides import apply_review_overrides, title_from
from triangulate.reconcile.people import merge_people
from triangulate.reconcile.status import verification
from triangulate.records import IncidentEvidence
from triangulate.store.db import Store, utcnow
from triangulate.store.incidents import incident_evidence

FIELDS = (
    "event_type",
    "perpetrator",
    "victims",
    "victim_rank",
    "date",
    "country",
    "place",
    "killed",
    "wounded",
    "captured",
    "city",
    "state",
    "address",
    "time",
    "part_of_day",
    "weapon",
)
# Report details (extract/events/details.py) and the fields they fill; only a report's main event gives them.
DETAIL_FIELDS = (("city", "city"), ("state", "state"), ("address", "address"))
RANKS = ("captain", "colonel", "lieutenant", "general", "major", "sergeant", "private")


def _place_compatible(a: str, b: str) -> bool:
    return a.casefold() in b.casefold() or b.casefold() in a.casefold()


def build_record(store: Store, incident_id: int) -> dict[str, object]:
    """Reconcile one incident from its member events, documents and claims, as stored."""
    return incident_record(incident_evidence(store, incident_id))


def incident_record(evidence: IncidentEvidence) -> dict[str, object]:
    """The reconciled record of one incident: every field with its candidates, support and contradictions,
    the people, the sources and their independence, the claims and the verification status."""
    incident_id, rows = evidence.incident_id, evidence.members
    doc_ids = sorted({r.doc_id for r in rows})
    # Reports are the documents whose main event this incident is; the others only mention it (a background
    # sentence). Independent sources, and so corroboration, count reports only.
    reports = sorted({r.doc_id for r in rows if r.event.get("role") == "main"}) or doc_ids
    groups = source_groups({r.doc_id: r.text for r in rows}, evidence.copies)
    n_groups = len(set(groups.values()))
    n_reporting = len({groups[d] for d in reports})
    fields = {name: FieldRecord(name) for name in FIELDS}
    people: list[tuple[int, dict[str, object], dict[str, object]]] = []
    written: set[str] = set()  # fields some report gives a written count of
    for r in rows:
        rec = r.event
        doc = r.doc_id
        text = r.text

        def ev_at(
            span: object,
            label: str = "",
            _doc: int = doc,
            _text: str = text,
            _rec: dict = rec,
            _event: int = r.event_id,
        ) -> dict[str, object]:
            start, end = (
                span
                if isinstance(span, (list, tuple)) and len(span) == 2 and span[0] >= 0
                else (_rec.get("trigger_start", 0), _rec.get("trigger_end", 0))
            )
            return {
                "doc_id": _doc,
                "event_id": _event,
                "role": _rec.get("role", ""),
                "start": start,
                "end": end,
                "text": label or _text[start:end],
                "quote": _sentence_around(_text, int(start), int(end)),
            }

        ev = ev_at(None)
        kind = rec["event_type"] + (f"/{rec['mode']}" if rec.get("mode") else "")
        fields["event_type"].add(kind, doc, ev, lambda a, b: a.split("/")[0] == b.split("/")[0])
        for p in rec.get("participants", []):
            if p.get("kind") == "description":
                continue
            target = (
                "perpetrator"
                if p["role"] == "perpetrator"
                else "victims"
                if p["role"] in ("victim", "target")
                else None
            )
            if target:
                fields[target].add(
                    p["canonical"] or p["name"],
                    doc,
                    ev_at((p.get("start", -1), p.get("end", -1)), p["name"])
                    if p.get("start", -1) >= 0
                    else ev,
                    name_compatible,
                    {"kind": p.get("kind") or ""},
                )
        date = rec.get("date")
        if date and date.get("value") and not date["value"].startswith("X"):
            fields["date"].add(
                date["value"],
                doc,
                ev_at(rec.get("date_span")),
                date_compatible,
                {
                    "precision": date.get("precision"),
                    "qualifier": date.get("qualifier"),
                    "rule": date.get("rule"),
                },
            )
        place = rec.get("place") or {}
        if place.get("country"):
            fields["country"].add(
                str(place["country"]),
                doc,
                ev_at(rec.get("place_span")),
                same,
                {"country_code": place.get("country_code")},
            )
            if place.get("precision") in ("city", "admin1"):
                fields["place"].add(
                    str(place.get("name")),
                    doc,
                    ev_at(rec.get("place_span")),
                    _place_compatible,
                    {k: place.get(k) for k in ("admin1", "latitude", "longitude", "precision", "geonameid")},
                )
        if rec.get("role") == "main":
            _add_details(rec, fields, people, doc, ev_at)
        for count in rec.get("counts", []):
            name = {"kidnapped": "captured"}.get(count["field"], count["field"])
            if name in fields:
                value = (
                    str(count["low"]) if count["low"] == count["high"] else f"{count['low']}-{count['high']}"
                )
                fields[name].add(
                    value,
                    doc,
                    ev_at((count.get("start", -1), count.get("end", -1))),
                    same,
                    {"vague": count.get("vague")},
                )
                if not count.get("implied"):
                    written.add(name)
    _victim_ranks(evidence, fields)
    for f in fields.values():
        f.settle(groups, n_groups)
    if "wounded" not in written:
        _died_of_wounds(fields["killed"], fields["wounded"])
    persons = merge_people(people, groups)
    claims = distinct_claims(evidence.claims, evidence.copies)
    docs = [
        {
            "id": r.doc_id,
            "title": r.title,
            "outlet": r.outlet or None,
            "published": r.published or None,
            "source": r.source,
            "external_id": r.external_id or None,
            "group": groups[r.doc_id],
            "kind": "report" if r.doc_id in reports else "mention",
        }
        for r in {r.doc_id: r for r in rows}.values()
    ]
    status = verification(fields, claims, n_reporting)
    return {
        "id": incident_id,
        "documents": doc_ids,
        "sources": docs,
        "n_documents": len(doc_ids),
        "reports": reports,
        "mentions": [d for d in doc_ids if d not in reports],
        "n_reports": len(reports),
        "n_independent": n_reporting,
        "independence": "duplicates, and documents sharing >=5% of word 8-grams (reused wire text), count as one source",
        "fields": {name: asdict(f) for name, f in fields.items()},
        "victims": persons["victims"],
        "suspects": persons["suspects"],
        "claims": claims,
        "status": status,
        "events": [r.event_id for r in rows],
    }


def distinct_claims(claims: list[dict[str, Any]], copies: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The claims, each statement once: a copy of a report (exact or near duplicate) repeats its claims."""
    original = dict(copies)

    def root(doc: int) -> int:
        seen = {doc}
        while doc in original and original[doc] not in seen:
            doc = original[doc]
            seen.add(doc)
        return doc

    out, keys = [], set()
    for claim in claims:
        key = (root(int(claim["doc_id"])), claim.get("speaker"), claim.get("stance"), claim.get("text"))
        if key not in keys:
            keys.add(key)
            out.append(claim)
    return out


def _died_of_wounds(killed: FieldRecord, wounded: FieldRecord) -> None:
    """One wounded person that reports only imply ("a man was shot") and a death in the same incident are one
    person, who died: early reports say shot, later ones died. Called only where no report writes a wounded count."""
    if not killed.chosen or killed.chosen.startswith("0") or wounded.chosen != "1":
        return
    if all(c.value == "1" for c in wounded.candidates):
        wounded.chosen = ""
        wounded.contradiction = False
        wounded.rule = "the one person the reports say was shot later died (killed)"
        wounded.confidence = 0.0


def _add_details(rec: dict, fields: dict[str, FieldRecord], people: list, doc: int, ev_at) -> None:  # type: ignore[no-untyped-def, type-arg]
    """A main event's people, city, state, street location, time of day and weapons, each with its evidence."""
    for person in rec.get("people") or []:
        if person.get("role") in ("victim", "suspect"):
            people.append(
                (
                    doc,
                    person,
                    ev_at(
                        person.get("evidence")
                        if (person.get("evidence") or [-1])[0] >= 0
                        else (person.get("mentions") or [None])[0],
                        person.get("name", ""),
                    ),
                )
            )
    for key, name in DETAIL_FIELDS:
        detail = rec.get(key)
        if detail and detail.get("value"):
            fields[name].add(
                str(detail["value"]),
                doc,
                ev_at((detail["start"], detail["end"])),
                _place_compatible if name != "address" else same,
                {"normalized": detail.get("normalized"), "precision": detail.get("precision")},
            )
    for detail in rec.get("times_of_day") or []:
        name = "time" if detail.get("precision") == "clock" else "part_of_day"
        fields[name].add(
            str(detail["value"]),
            doc,
            ev_at((detail["start"], detail["end"])),
            same,
            {"normalized": detail.get("normalized")},
        )
    for detail in rec.get("weapons") or []:
        fields["weapon"].add(
            str(detail["value"]),
            doc,
            ev_at((detail["start"], detail["end"])),
            same,
            {"normalized": detail.get("normalized")},
        )


def _victim_ranks(evidence: IncidentEvidence, fields: dict[str, FieldRecord]) -> None:
    """Ranks the sources give the named victims ('Capt.' in one sentence, 'colonel' in another)."""
    surnames = {c.value.split()[-1].casefold() for c in fields["victims"].candidates if c.value.split()}
    if not surnames or not evidence.members:
        return
    texts = {r.doc_id: r.text for r in evidence.members}
    for m in evidence.persons:
        if not m.value.split() or m.value.split()[-1].casefold() not in surnames:
            continue
        for rank in (r for r in m.roles if r in RANKS):
            quote = _sentence_around(texts[m.doc_id], m.start, m.end)
            fields["victim_rank"].add(
                rank,
                m.doc_id,
                {
                    "doc_id": m.doc_id,
                    "sentence": m.sentence,
                    "quote": quote,
                    "role": "main",
                    "start": m.start,
                    "end": m.end,
                    "text": m.value,
                },
                same,
                {"person": m.value},
            )


_BOUNDARY = re.compile(r"[.!?][\"'”’]?(?=\s)|\n")
_ABBREVIATIONS = {
    "capt",
    "sen",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "col",
    "lt",
    "gen",
    "gov",
    "sgt",
    "maj",
    "jr",
    "sr",
    "no",
    "u.s",
    "u.n",
    "rep",
    "prof",
    "mt",
    "ft",
    "sept",
    "oct",
    "nov",
    "dec",
    "jan",
    "feb",
    "aug",
    "vs",
}


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding a span, verbatim from the document."""
    lo, hi = 0, len(text)
    for m in _BOUNDARY.finditer(text):
        word = re.search(r"([\w.]+)$", text[max(0, m.start() - 6) : m.start()])
        if m.group(0) != "\n" and word and word.group(1).lower() in _ABBREVIATIONS:
            continue
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= max(end, start + 1) - 1:
            hi = m.end()
            break
    return text[lo:hi].strip()


# True for a stale id (alias s) whose incident is live: neither merged nor retired (nor deleted).
_LIVE = "coalesce((SELECT i.merged_into IS NULL AND i.kind != 'retired' FROM incidents i WHERE i.id = s.incident_id), 0)"


def stale_incidents(store: Store) -> list[int]:
    """Live incidents whose members changed since they were last reconciled (or never were).

    ``incidents_stale`` is kept by triggers on every membership change (migration 14), so this
    reads a short list instead of scanning every incident.
    """
    return [
        r[0]
        for r in store.query(
            # A correlated primary-key lookup per stale id: as a join, SQLite scans every incident (by
            # merged_into, or to build a Bloom filter), 12 ms at 100k incidents.
            f"SELECT s.incident_id FROM incidents_stale s WHERE {_LIVE} ORDER BY s.incident_id"
        )
    ]


def _changes(old: dict[str, object], new: dict[str, object]) -> dict[str, list[object]]:
    """Chosen values that changed, as {field: [before, after]}, plus document counts."""
    before = {k: v.get("chosen") for k, v in (old.get("fields") or {}).items()}  # type: ignore[union-attr]
    after = {k: v["chosen"] for k, v in new["fields"].items()}  # type: ignore[union-attr]
    out: dict[str, list[object]] = {
        k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v
    }
    for key in ("n_documents", "n_independent"):
        if old.get(key) != new.get(key):
            out[key] = [old.get(key), new.get(key)]
    if (old.get("status") or {}).get("label") != new["status"]["label"]:  # type: ignore[index]
        out["status"] = [(old.get("status") or {}).get("label"), new["status"]["label"]]  # type: ignore[union-attr, index]
    return out


def _cause(store: Store, incident_id: int, old: dict[str, object]) -> str:
    known = set(old.get("documents") or [])  # type: ignore[arg-type]
    new_docs = sorted(
        {
            r[0]
            for r in store.query("SELECT doc_id FROM incident_events WHERE incident_id = ?", (incident_id,))
        }
        - known
    )
    return (
        ("document " if len(new_docs) == 1 else "documents ") + ", ".join(map(str, new_docs))
        if new_docs
        else "reconcile"
    )


def reconcile(store: Store, incident_ids: list[int] | None = None) -> int:
    """Rebuild the records of the given incidents (by default those whose members changed).

    Counts and every other field are recomputed from all member reports each time, so nothing
    freezes at first sight. Each change is written to ``incident_history`` with the documents that
    caused it.
    """
    ids = incident_ids if incident_ids is not None else stale_incidents(store)
    if incident_ids is None:
        with store.transaction() as conn:  # merged and retired incidents have no record to rebuild
            conn.execute(f"DELETE FROM incidents_stale AS s WHERE NOT {_LIVE}")
    for incident_id in ids:
        # Analysts' corrections and verdicts are laid over every rebuilt record, so a re-run never undoes them.
        record = apply_review_overrides(store, incident_id, build_record(store, incident_id))
        flds = record["fields"]
        chosen = {k: v["chosen"] for k, v in flds.items()}  # type: ignore[union-attr]
        place = (
            next((c["detail"] for c in flds["place"]["candidates"]), {})
            if flds["place"]["candidates"]
            else {}
        )  # type: ignore[index]
        killed = chosen["killed"].split("-")[0] if chosen["killed"] else None
        title = title_from(chosen)
        record["title"] = title
        old_row = store.conn.execute(
            "SELECT record, version FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone()
        old = json.loads(old_row["record"] or "{}") if old_row else {}
        cause = _cause(store, incident_id, old)
        with store.transaction() as conn:
            conn.execute("DELETE FROM incidents_stale WHERE incident_id = ?", (incident_id,))
            if not record["documents"]:
                conn.execute(
                    "UPDATE incidents SET kind = 'retired', n_documents = 0 WHERE id = ?", (incident_id,)
                )
                continue
            changes = _changes(old, record)
            version = (old_row["version"] if old_row else 0) + (1 if changes and old else 0)
            date_field = flds["date"]
            conn.execute(
                "UPDATE incidents SET title = ?, status = ?, n_documents = ?, n_independent = ?, killed = ?, country_code = ?,"
                " latitude = ?, longitude = ?, place_precision = ?, date_start = ?, version = ?, record = ?, updated_at = ? WHERE id = ?",
                (
                    title,
                    record["status"]["label"],
                    record["n_documents"],
                    record["n_independent"],  # type: ignore[index]
                    int(killed) if killed and killed.isdigit() else None,
                    (
                        flds["country"]["candidates"][0]["detail"].get("country_code")
                        if flds["country"]["candidates"]
                        else ""
                    )
                    or "",  # type: ignore[index]
                    place.get("latitude"),
                    place.get("longitude"),
                    place.get("precision") or ("country" if chosen["country"] else "unknown"),
                    date_field["chosen"] or "",
                    version,
                    json.dumps(record, ensure_ascii=False),
                    utcnow(),
                    incident_id,
                ),
            )  # type: ignore[index]
            if changes:
                conn.execute(
                    "INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES (?, ?, ?, ?, ?)",
                    (
                        incident_id,
                        version,
                        utcnow(),
                        cause,
                        json.dumps({"changed": changes}, ensure_ascii=False),
                    ),
                )
    return len(ids)
