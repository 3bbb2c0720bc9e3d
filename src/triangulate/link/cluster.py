"""Incremental clustering: each new event joins the best incident found through blocking keys,
or starts a new one. Decisions and scores are stored; locked (human) memberships are never moved."""

from __future__ import annotations

import heapq
import json
import math
from dataclasses import dataclass, field
from datetime import timedelta

from triangulate.link.constraints import Constraints
from triangulate.link.features import EventFeatures, features_from_row, terms_of
from triangulate.link.keyindex import KeyIndex
from triangulate.link.score import score
from triangulate.link.text import TermIndex, name_counts, term_counts
from triangulate.link.writes import EventRef, merge_incidents, record_decision
from triangulate.settings import Settings
from triangulate.store.db import Store
from triangulate.tuning import tuned


@dataclass(slots=True)
class LinkReport:
    """What one linking run did."""

    events: int = 0
    joined: int = 0
    created: int = 0
    decisions: list[tuple[int, int, float, str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, float]] = field(
        default_factory=list
    )  # (event, kept, merged, score) bridges
    consolidated: int = 0  # incidents merged into another by consolidation (link.consolidate)

    def summary(self) -> str:
        """One line for the terminal."""
        merged = f", {self.consolidated} merged with look-alike incidents" if self.consolidated else ""
        return f"link: {self.events} events, {self.joined} joined an incident, {self.created} new incidents{merged}"


TERM_KEYS = 8
# Incidents scored per event. Far above what a key shared by a real follow-up report needs (see
# rank_candidates), and fixed, so the work per new event does not grow with the store. At 25, 50 and
# 200 the GVC and ECB+ tuning splits cluster alike, and benchmarks/link_incremental.py finds as many
# follow-ups at 25 as at 200 (docs/performance.md), at half the cost at 100k.
MAX_CANDIDATES = tuned("link.max_candidates")
# Members of an incident an event is scored against: all of them up to this size, then the earliest
# and the latest half each, so a story covered by hundreds of outlets costs no more than one covered
# by a dozen. The hard constraints are still tested against every member.
MAX_EXEMPLARS = tuned("link.max_exemplars")


def exemplars(members: list[int], limit: int = MAX_EXEMPLARS) -> list[int]:
    """The member events an incident is scored by: all when few, else the first and last ``limit // 2``."""
    ordered = sorted(members)
    if len(ordered) <= limit:
        return ordered
    half = limit // 2
    return ordered[:half] + ordered[-half:]


def rank_candidates(postings: dict[str, set[int]], exclude: set[int], limit: int) -> list[int]:
    """The ``limit`` incidents sharing the most specific keys with an event, best first.

    Each shared key weighs its inverse frequency among the candidates, log(1 + total / postings):
    a city, victim or rare-word key held by a handful of incidents outweighs a month key held by
    hundreds. Ties go to the newer incident.
    """
    total = len(set().union(*postings.values())) if postings else 0
    weight: dict[int, float] = {}
    for ids in postings.values():
        w = math.log1p(total / len(ids))
        for incident_id in ids:
            if incident_id not in exclude:
                weight[incident_id] = weight.get(incident_id, 0.0) + w
    if len(weight) <= limit:
        return sorted(weight)
    return sorted(heapq.nlargest(limit, weight, key=lambda i: (weight[i], i)))


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

    def __init__(self, store: Store, settings: Settings, max_candidates: int = MAX_CANDIDATES) -> None:
        self.store = store
        self.threshold = settings.link_threshold
        # Merging two incidents on one event's word is riskier than joining one: ask for more evidence.
        self.bridge_threshold = 2 * settings.link_threshold
        self._features: dict[int, EventFeatures] = {}
        self._epochs: dict[int, int] = {}  # term epoch at which each not yet complete event was read
        self._complete: set[int] = set()
        self.terms = TermIndex(store)
        self.max_candidates = max_candidates
        self.constraints = Constraints(self.light)
        self.postings = KeyIndex(store.conn)
        self._members: dict[int, list[int]] = {}
        self._apart: set[tuple[int, int]] = set()  # incident pairs a hard constraint keeps apart

    def features(self, event_id: int) -> EventFeatures:
        """Features of a stored event, text vector and regions included (cached for this run)."""
        cached = self.light(event_id)
        if event_id not in self._complete:
            self._complete_features(cached)
        return cached

    def keys(self, event_id: int) -> set[str]:
        """The event's blocking keys; its text vector is computed only where the keys use it (word keys)."""
        light = self.light(event_id)
        weak = light.start is None or light.soft_date or light.event_type == "OTHER"
        return blocking_keys(self.features(event_id) if weak else light)

    def light(self, event_id: int) -> EventFeatures:
        """Features without the text vector, terms and regions: enough for the hard constraints."""
        cached = self._features.get(event_id)
        if cached is None:
            self._load([event_id])
            cached = self._features[event_id]
        return cached

    def _load(self, event_ids: list[int]) -> None:
        """Read the light features of events not yet cached, in batches of one query."""
        missing = [e for e in dict.fromkeys(event_ids) if e not in self._features]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            for row in self.store.conn.execute(
                "SELECT e.*, d.published AS published, d.outlet AS outlet FROM events e JOIN documents d ON d.id = e.doc_id "
                f"WHERE e.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                # The document text is read only if the event survives the hard constraints.
                self._features[row["id"]] = features_from_row(row, "", row["published"], with_terms=False)
                self._epochs[row["id"]] = self.terms.epoch
        # A document not yet counted is counted when first met, as it always was, whatever the scores.
        fresh = self.terms.not_indexed(self._features[e].doc_id for e in missing if e in self._features)
        for e in missing:
            if e in self._features and self._features[e].doc_id in fresh:
                self.features(e)

    def _complete_features(self, cached: EventFeatures) -> None:
        """Add terms, TF-IDF vector and regions, counting the document's terms if it is new."""
        epoch = self._epochs.pop(cached.event_id)
        doc_text = self.store.conn.execute(
            "SELECT text FROM documents WHERE id = ?", (cached.doc_id,)
        ).fetchone()[0]
        if cached.role == "main":
            cached.text = doc_text
        cached.terms = terms_of(cached.text)
        counts = term_counts(cached.text)
        if not self.terms.indexed(cached.doc_id):
            self.terms.add(cached.doc_id, counts if cached.text == doc_text else term_counts(doc_text))
            epoch = self.terms.epoch
        # The vector is the one the event would have had when first read in this run, so completing
        # it later (only if a candidate survives the hard constraints) changes no score.
        cached.vector = self.terms.vector(counts, at=epoch)
        cached.names = self.terms.vector(name_counts(cached.text), at=epoch)
        cached.regions = self._regions(cached.doc_id)
        cached.text = ""  # read again if ever needed: a run keeps the features of every event it meets
        self._complete.add(cached.event_id)

    def _regions(self, doc_id: int) -> set[str]:
        """Admin1 regions (country-qualified) the document names, datelines excluded."""
        out = set()
        for row in self.store.query(
            "SELECT attrs FROM mentions WHERE doc_id = ? AND kind = 'place'", (doc_id,)
        ):
            attrs = json.loads(row[0])
            if attrs.get("role") != "dateline" and attrs.get("admin1") and attrs.get("country_code"):
                out.add(f"{attrs['country_code']}:{attrs['admin1']}")
        return out

    def candidates(self, keys: set[str], doc_id: int) -> dict[int, list[int]]:
        """Incidents sharing a key, with their member events (never events of the same document).

        At most ``max_candidates`` incidents are kept, those sharing the most specific keys: a month
        key holds every incident of that type and month, so without the cap the incidents scored for
        one event would grow with the store.
        """
        if not keys:
            return {}
        postings = self.postings.postings(keys)
        own = {
            r[0]
            for r in self.store.conn.execute(
                "SELECT incident_id FROM incident_events WHERE doc_id = ?", (doc_id,)
            )
        }
        ranked = rank_candidates(postings, own, self.max_candidates)
        if not ranked:
            return {}
        return self.members(ranked)

    def members(self, incident_ids: list[int]) -> dict[int, list[int]]:
        """The member events of each incident that has any (their light features loaded).

        Read from the store once per :meth:`link` call, then kept up to date by the linker's own
        writes, the only ones during a call: a large incident is not read again for every report.
        The lists only ever grow within a call (a bridge appends the other incident's members).
        """
        missing = [i for i in incident_ids if i not in self._members]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            for incident_id, event_id in self.store.conn.execute(
                f"SELECT incident_id, event_id FROM incident_events WHERE incident_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                self._members.setdefault(incident_id, []).append(event_id)
        for incident_id in missing:
            self._load(self._members.setdefault(incident_id, []))
        return {i: self._members[i] for i in incident_ids if self._members[i]}

    def any_forbidden(self, ours: list[int], theirs: list[int]) -> bool:
        """Whether a hard constraint forbids any pair of the two groups of events (see :mod:`link.constraints`)."""
        return self.constraints.forbidden(self.constraints.summary(ours), self.constraints.summary(theirs))

    def _scored(self, f: EventFeatures) -> list[tuple[float, int]]:
        """(score, incident) for every candidate incident no hard constraint forbids, best first.

        An incident scores the mean of the event's scores with its exemplars: a report joins an incident
        that it agrees with as a whole, not one member of it, so look-alike shootings of one city do not
        chain into one incident report by report (gva_dev dev half, docs/quality.md).
        """
        out = []
        candidates = self.candidates(blocking_keys(f), f.doc_id)
        for incident_id, members in candidates.items():
            # One forbidden member rules the incident out: test that before any text work.
            if self.constraints.event_forbidden(f.event_id, incident_id, members):
                continue
            scores = [score(f, self.features(m)) for m in exemplars(members)]
            # A background mention joins the reference event its best match names (the first version's rule).
            out.append((sum(scores) / len(scores) if f.role == "main" else max(scores), incident_id))
        return sorted(out, reverse=True)

    def link(self, event_ids: list[int]) -> LinkReport:
        """Link each event, in order, inside one transaction per event.

        An event that clears the threshold with two incidents bridges them: they are merged into
        the older one, unless a human fixed the membership of both (locked events).
        """
        report = LinkReport()
        self.index_terms(event_ids)
        self._members, self._apart = {}, set()
        self.constraints.forget()
        self.postings.forget()
        for event_id in event_ids:
            f = self.features(event_id)
            keys = blocking_keys(f)
            scored = self._scored(f)
            passing = [(v, i) for v, i in scored if v >= self.threshold]
            best_score = scored[0][0] if scored else 0.0
            with self.store.transaction() as conn:
                target: int | None = None
                decision = "new"
                if passing:
                    decision = "joined"
                    target = passing[0][1]
                    for value, other in passing[1:]:
                        if value >= self.bridge_threshold and self._bridge(conn, target, other, f, value):
                            report.merges.append((event_id, min(target, other), max(target, other), value))
                            target = min(target, other)
                            decision = "joined-bridging"
                event = EventRef(event_id, f.doc_id, f.role, f.event_type, f.mode)
                incident_id = record_decision(conn, event, keys, target, best_score, decision)
            self.postings.added(incident_id, keys)
            if target is None:
                self._members[incident_id] = [event_id]
            elif incident_id in self._members:
                self._members[incident_id].append(event_id)
            report.joined += target is not None
            report.created += target is None
            report.events += 1
            report.decisions.append((event_id, incident_id, best_score, decision))
        return report

    def index_terms(self, event_ids: list[int]) -> None:
        """Count the terms of the events' documents not counted yet, before any vector is read.

        Every text vector of a run then uses the same document frequencies, whatever the order or the
        group in which its events are linked (``link.groups`` relies on it).
        """
        docs = [
            r[0]
            for start in range(0, len(event_ids), 500)
            for r in self.store.conn.execute(
                f"SELECT doc_id FROM events WHERE id IN ({','.join('?' * len(event_ids[start : start + 500]))}) ORDER BY id",
                event_ids[start : start + 500],
            )
        ]
        for doc_id in sorted(self.terms.not_indexed(docs)):
            text = self.store.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
            self.terms.add(doc_id, term_counts(text))

    def _bridge(self, conn, a: int, b: int, f: EventFeatures, value: float) -> bool:  # type: ignore[no-untyped-def]
        """Merge incidents ``a`` and ``b`` that one event links to both; False when not allowed."""
        keep, gone = min(a, b), max(a, b)
        if keep == gone:
            return False
        members = self.members([keep, gone])
        if keep not in members or gone not in members or (keep, gone) in self._apart:
            return False
        if self.constraints.forbidden(
            self.constraints.incident(keep, members[keep]), self.constraints.incident(gone, members[gone])
        ):
            self._apart.add((keep, gone))  # members only grow: a forbidden pair stays forbidden
            return False
        # The two incidents must agree with each other on average (group-average linkage, over their
        # exemplars), not only with the event that bridges them.
        cross = [
            score(self.features(x), self.features(y))
            for x in exemplars(members[keep])
            for y in exemplars(members[gone])
        ]
        if sum(cross) / len(cross) < self.threshold:
            return False
        locked = {
            i: conn.execute(
                "SELECT count(*) FROM incident_events WHERE incident_id = ? AND locked = 1", (i,)
            ).fetchone()[0]
            for i in (keep, gone)
        }
        if locked[keep] and locked[gone]:
            return False
        merge_incidents(conn, keep, gone, f.doc_id, value)
        self.postings.merged(keep, gone)
        self._members[keep].extend(self._members.pop(gone))
        return True


def forget_links(store: Store) -> None:
    """Forget every machine linking decision, so that every event is pending again (batch mode).

    Human decisions (locked memberships) are kept and never moved.
    """
    with store.transaction() as conn:
        conn.execute("DELETE FROM incident_events WHERE locked = 0")
        conn.execute("DELETE FROM incident_keys")
        conn.execute("DELETE FROM incident_links WHERE kind = 'background-of'")
        conn.execute(
            "UPDATE incidents SET kind = 'retired', n_documents = 0 WHERE id NOT IN "
            "(SELECT incident_id FROM incident_events)"
        )


def pending_events(store: Store, role: str | None = None) -> list[int]:
    """Asserted events not yet in an incident: main events first, and reports with a date of their own
    before undated ones, so an undated report meets incidents that dated reports have already formed."""
    # link_pending (kept by triggers, migration 13) holds just the unlinked events: no scan of all events.
    # An IN list over link_pending's rowids: a join may get a Bloom filter built by scanning events.
    sql = (
        "SELECT e.id FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.id IN (SELECT event_id FROM link_pending)"
        " AND e.modality = 'asserted'"
        + (" AND e.role = ?" if role else "")
        + " ORDER BY CASE e.role WHEN 'main' THEN 0 ELSE 1 END, d.published = '', e.doc_id, e.id"
    )
    return [r[0] for r in store.query(sql, (role,) if role else ())]
