"""Incremental clustering: each new event joins the best incident found through blocking keys,
or starts a new one. Decisions and scores are stored; locked (human) memberships are never moved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

from triangulate.link.features import EventFeatures, features_from_row
from triangulate.link.score import score
from triangulate.settings import Settings
from triangulate.store.db import Store, utcnow


@dataclass(slots=True)
class LinkReport:
    """What one linking run did."""

    events: int = 0
    joined: int = 0
    created: int = 0
    decisions: list[tuple[int, int, float, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        return f"link: {self.events} events, {self.joined} joined an incident, {self.created} new incidents"


def blocking_keys(f: EventFeatures) -> set[str]:
    """Index keys under which an event (and its incident) can be found."""
    keys: set[str] = set()
    if f.start and f.end and (f.end - f.start).days <= 400:
        day = f.start - timedelta(days=31)
        while day <= f.end + timedelta(days=31):
            keys.add(f"t:{f.event_type}:{day:%Y-%m}")
            day += timedelta(days=28)
    elif f.published:
        for delta in (-31, 0, 31):
            keys.add(f"t:{f.event_type}:{f.published + timedelta(days=delta):%Y-%m}")
    keys.update(f"v:{v.split()[-1]}" for v in f.victims | f.soft_victims if v.split())
    keys.update(f"p:{f.event_type}:{p}" for p in f.perpetrators if f.start is None)
    if f.geonameid and f.place_precision == "city":
        keys.add(f"g:{f.event_type}:{f.geonameid}")
    if f.start is None and f.published is None:
        keys.add(f"u:{f.event_type}")
    return keys


class Linker:
    """Links pending events of a store into incidents."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.threshold = settings.link_threshold
        self._features: dict[int, EventFeatures] = {}

    def features(self, event_id: int) -> EventFeatures:
        """Features of a stored event (cached for this run)."""
        cached = self._features.get(event_id)
        if cached is None:
            row = self.store.conn.execute(
                "SELECT e.*, d.text AS doc_text, d.published AS published FROM events e JOIN documents d ON d.id = e.doc_id "
                "WHERE e.id = ?", (event_id,)).fetchone()
            cached = features_from_row(row, row["doc_text"], row["published"])
            self._features[event_id] = cached
        return cached

    def candidates(self, keys: set[str], doc_id: int) -> dict[int, list[int]]:
        """Incidents sharing a key, with their member events (never events of the same document)."""
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = self.store.query(
            f"SELECT DISTINCT ie.incident_id, ie.event_id FROM incident_keys k JOIN incident_events ie ON ie.incident_id = k.incident_id "
            f"WHERE k.key IN ({marks}) AND k.incident_id NOT IN (SELECT incident_id FROM incident_events WHERE doc_id = ?)",
            (*keys, doc_id))
        out: dict[int, list[int]] = {}
        for r in rows:
            out.setdefault(r[0], []).append(r[1])
        return out

    def link(self, event_ids: list[int]) -> LinkReport:
        """Link each event, in order, inside one transaction per event."""
        report = LinkReport()
        for event_id in event_ids:
            f = self.features(event_id)
            keys = blocking_keys(f)
            best_id, best_score = None, 0.0
            for incident_id, members in self.candidates(keys, f.doc_id).items():
                member_scores = [score(f, self.features(m)) for m in members]
                if min(member_scores) == 0.0:
                    continue
                value = max(member_scores)
                if value > best_score:
                    best_id, best_score = incident_id, value
            with self.store.transaction() as conn:
                if best_id is not None and best_score >= self.threshold:
                    decision = "joined"
                    report.joined += 1
                    incident_id = best_id
                else:
                    decision = "new"
                    report.created += 1
                    now = utcnow()
                    incident_id = int(conn.execute(
                        "INSERT INTO incidents (kind, event_type, mode, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                        (f.role, f.event_type, f.mode, now, now)).lastrowid or 0)
                conn.execute("INSERT OR REPLACE INTO incident_events (event_id, incident_id, doc_id, score, decision, added_at)"
                             " VALUES (?, ?, ?, ?, ?, ?)", (event_id, incident_id, f.doc_id, round(best_score, 4), decision, utcnow()))
                conn.executemany("INSERT INTO incident_keys (key, incident_id) VALUES (?, ?)", [(k, incident_id) for k in keys])
                if f.role == "main":
                    conn.execute("UPDATE incidents SET kind = 'main' WHERE id = ?", (incident_id,))
                conn.execute("INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES "
                             "(?, (SELECT version FROM incidents WHERE id = ?), ?, ?, ?)",
                             (incident_id, incident_id, utcnow(), f"document {f.doc_id}",
                              json.dumps({"event": event_id, "decision": decision, "score": round(best_score, 4)})))
            report.events += 1
            report.decisions.append((event_id, incident_id, best_score, decision))
        return report


def pending_events(store: Store, role: str | None = None) -> list[int]:
    """Asserted events not yet in an incident, main events first."""
    sql = ("SELECT id FROM events WHERE modality = 'asserted' AND id NOT IN (SELECT event_id FROM incident_events)"
           + (" AND role = ?" if role else "") + " ORDER BY CASE role WHEN 'main' THEN 0 ELSE 1 END, doc_id, id")
    return [r[0] for r in store.query(sql, (role,) if role else ())]
