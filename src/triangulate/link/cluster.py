"""Incremental clustering: each new event joins the best incident found through blocking keys,
or starts a new one. Decisions and scores are stored; locked (human) memberships are never moved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

from triangulate.link.features import EventFeatures, features_from_row
from triangulate.link.score import score
from triangulate.link.text import TermIndex, term_counts
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


TERM_KEYS = 8


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
    if f.vector and (f.start is None or f.soft_date or f.event_type == "OTHER"):
        # Weakly dated reports are found through their most distinctive words instead.
        keys.update(f"w:{term}" for term, _ in sorted(f.vector.items(), key=lambda kv: -kv[1])[:TERM_KEYS])
    return keys


class Linker:
    """Links pending events of a store into incidents."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.threshold = settings.link_threshold
        # Merging two incidents on one event's word is riskier than joining one: ask for more evidence.
        self.bridge_threshold = 2 * settings.link_threshold
        self._features: dict[int, EventFeatures] = {}
        self.terms = TermIndex(store)

    def features(self, event_id: int) -> EventFeatures:
        """Features of a stored event (cached for this run)."""
        cached = self._features.get(event_id)
        if cached is None:
            row = self.store.conn.execute(
                "SELECT e.*, d.text AS doc_text, d.published AS published FROM events e JOIN documents d ON d.id = e.doc_id "
                "WHERE e.id = ?", (event_id,)).fetchone()
            cached = features_from_row(row, row["doc_text"], row["published"])
            counts = term_counts(cached.text)
            self.terms.add(cached.doc_id, term_counts(row["doc_text"]))
            cached.vector = self.terms.vector(counts)
            cached.regions = self._regions(cached.doc_id)
            self._features[event_id] = cached
        return cached

    def _regions(self, doc_id: int) -> set[str]:
        """Admin1 regions (country-qualified) the document names, datelines excluded."""
        out = set()
        for row in self.store.query("SELECT attrs FROM mentions WHERE doc_id = ? AND kind = 'place'", (doc_id,)):
            attrs = json.loads(row[0])
            if attrs.get("role") != "dateline" and attrs.get("admin1") and attrs.get("country_code"):
                out.add(f"{attrs['country_code']}:{attrs['admin1']}")
        return out

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

    def _scored(self, f: EventFeatures) -> list[tuple[float, int]]:
        """(score, incident) for every candidate incident no hard constraint forbids, best first."""
        out = []
        for incident_id, members in self.candidates(blocking_keys(f), f.doc_id).items():
            member_scores = [score(f, self.features(m)) for m in members]
            if min(member_scores) > 0.0:
                out.append((max(member_scores), incident_id))
        return sorted(out, reverse=True)

    def link(self, event_ids: list[int]) -> LinkReport:
        """Link each event, in order, inside one transaction per event.

        An event that clears the threshold with two incidents bridges them: they are merged into
        the older one, unless a human fixed the membership of both (locked events).
        """
        report = LinkReport()
        for event_id in event_ids:
            f = self.features(event_id)
            keys = blocking_keys(f)
            scored = self._scored(f)
            passing = [(v, i) for v, i in scored if v >= self.threshold]
            best_score = scored[0][0] if scored else 0.0
            with self.store.transaction() as conn:
                if passing:
                    decision = "joined"
                    report.joined += 1
                    incident_id = passing[0][1]
                    for value, other in passing[1:]:
                        if value >= self.bridge_threshold and self._bridge(conn, incident_id, other, f, value):
                            incident_id = min(incident_id, other)
                            decision = "joined-bridging"
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
                else:
                    conn.execute("UPDATE incidents SET kind = 'background' WHERE id = ? AND kind = 'retired'", (incident_id,))
                conn.execute("INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES "
                             "(?, (SELECT version FROM incidents WHERE id = ?), ?, ?, ?)",
                             (incident_id, incident_id, utcnow(), f"document {f.doc_id}",
                              json.dumps({"event": event_id, "decision": decision, "score": round(best_score, 4)})))
            report.events += 1
            report.decisions.append((event_id, incident_id, best_score, decision))
        return report

    def _bridge(self, conn, a: int, b: int, f: EventFeatures, value: float) -> bool:  # type: ignore[no-untyped-def]
        """Merge incidents ``a`` and ``b`` that one event links to both; False when not allowed."""
        keep, gone = min(a, b), max(a, b)
        if keep == gone:
            return False
        members = {i: [r[0] for r in conn.execute("SELECT event_id FROM incident_events WHERE incident_id = ?", (i,))]
                   for i in (keep, gone)}
        cross = [score(self.features(x), self.features(y)) for x in members[keep] for y in members[gone]]
        # The two incidents must agree with each other on average (group-average linkage), not only
        # with the event that bridges them.
        if not cross or min(cross) == 0.0 or sum(cross) / len(cross) < self.threshold:
            return False
        locked = {i: conn.execute("SELECT count(*) FROM incident_events WHERE incident_id = ? AND locked = 1", (i,)).fetchone()[0]
                  for i in (keep, gone)}
        if locked[keep] and locked[gone]:
            return False
        conn.execute("UPDATE incident_events SET incident_id = ?, decision = 'merged-by-bridge' WHERE incident_id = ?", (keep, gone))
        conn.execute("UPDATE incident_keys SET incident_id = ? WHERE incident_id = ?", (keep, gone))
        conn.execute("UPDATE OR IGNORE incident_links SET from_incident = ? WHERE from_incident = ?", (keep, gone))
        conn.execute("UPDATE OR IGNORE incident_links SET to_incident = ? WHERE to_incident = ?", (keep, gone))
        conn.execute("DELETE FROM incident_links WHERE from_incident = ? OR to_incident = ? OR from_incident = to_incident",
                     (gone, gone))
        conn.execute("UPDATE incidents SET merged_into = ?, n_documents = 0 WHERE id = ?", (keep, gone))
        conn.execute("INSERT INTO incident_history (incident_id, version, at, cause, change) VALUES "
                     "(?, (SELECT version FROM incidents WHERE id = ?), ?, ?, ?)",
                     (keep, keep, utcnow(), f"document {f.doc_id}",
                      json.dumps({"decision": "bridge-merge", "merged": gone, "score": round(value, 4)})))
        return True


def rebuild(store: Store, settings: Settings) -> LinkReport:
    """Batch mode: forget every machine decision and link all events again in document order.

    Human decisions (locked memberships) are kept and never moved.
    """
    with store.transaction() as conn:
        conn.execute("DELETE FROM incident_events WHERE locked = 0")
        conn.execute("DELETE FROM incident_keys")
        conn.execute("DELETE FROM incident_links WHERE kind = 'background-of'")
        conn.execute("UPDATE incidents SET kind = 'retired', n_documents = 0 WHERE id NOT IN "
                     "(SELECT incident_id FROM incident_events)")
    linker = Linker(store, settings)
    report = linker.link(pending_events(store, "main"))
    more = linker.link(pending_events(store, "background"))
    report.events += more.events
    report.joined += more.joined
    report.created += more.created
    report.decisions += more.decisions
    return report


def pending_events(store: Store, role: str | None = None) -> list[int]:
    """Asserted events not yet in an incident: main events first, and reports with a date of their own
    before undated ones, so an undated report meets incidents that dated reports have already formed."""
    sql = ("SELECT e.id FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.modality = 'asserted'"
           " AND e.id NOT IN (SELECT event_id FROM incident_events)" + (" AND e.role = ?" if role else "")
           + " ORDER BY CASE e.role WHEN 'main' THEN 0 ELSE 1 END, d.published = '', e.doc_id, e.id")
    return [r[0] for r in store.query(sql, (role,) if role else ())]
