"""Consolidation: incidents whose reports read alike are merged, the recall step after event linking.

Event linking keeps apart what its hard constraints forbid, and a follow-up report dated by the
hearing or the funeral, or a feature that names the incident only by its story, is left as an
incident of its own. Here two main incidents merge when the group-average TF-IDF cosine of their
main documents reaches ``consolidate_threshold``, best pair first (average-linkage agglomeration),
unless their named victims disagree, their dates or publication dates lie more than a year apart,
the pair model reads their main events as different incidents (mean log-odds below ``MIN_LOG_ODDS``),
an analyst split their reports apart, or both hold memberships an analyst fixed. A victim or a date
that the other incident's reports also state is no disagreement: the wife named beside the husband
tried for her murder, the killing that a verdict story recounts. Candidates come from ``d:`` keys in
``incident_keys``: each main document's most distinctive words. Only incidents that changed in this
run are merged, into any stored incident.
"""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from triangulate.link.cluster import Linker, exemplars
from triangulate.link.features import EventFeatures, iso_day
from triangulate.link.pair_model import pair_model
from triangulate.link.score import FIRM, _names_match, _type, _victims, pair_features
from triangulate.link.text import TermIndex, term_counts
from triangulate.link.writes import merge_incidents
from triangulate.settings import Settings
from triangulate.store.db import Store
from triangulate.store.review import cannot_link_pairs
from triangulate.tuning import tuned

KEY_TERMS = tuned(
    "consolidate.key_terms"
)  # the most distinctive words of an incident's reports, as its d: keys
KEY_MAX_DF = 200  # ... among words in at most this many documents (or 0.5% of them, if more)
MAX_CANDIDATES = tuned(
    "consolidate.max_candidates"
)  # incidents compared per changed incident, those sharing the most keys
# Reports of one incident may date it by the hearing or the funeral, but not by another year: dates
# (or publication dates) further apart than this keep two incidents apart; event linking allows two days.
MAX_GAP_DAYS = tuned("consolidate.max_gap_days")
KEY = "d:"
# Two incidents alike in words merge only if the pair model, on average over their main events, does not put
# them below this log-odds (-2: odds of 1 to 7.4).
MIN_LOG_ODDS = tuned("consolidate.min_log_odds")


@dataclass(slots=True)
class Profile:
    """An incident's main documents, the sum of their unit TF-IDF vectors, its main events and what
    :meth:`Consolidator.kept_apart` reads of them (worked out once per profile)."""

    docs: set[int]
    total: dict[str, float]
    events: list[int]
    terms: set[str]
    sides: list[EventFeatures]  # one main event per distinct named victims and date
    main_type: EventFeatures  # a main event of the incident's most frequent type
    days: set[date]  # firm day dates that two or more of its reports give
    published: tuple[date, date] | None  # the range of its reports' publication dates
    version: int = 0


def _far_apart(a: EventFeatures, b: EventFeatures) -> bool:
    """Event dates of day to month precision (inferred ones too) more than ``MAX_GAP_DAYS`` apart."""
    if a.precision not in FIRM or b.precision not in FIRM:
        return False
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return False
    return max((a.start - b.end).days, (b.start - a.end).days) > MAX_GAP_DAYS


def _gap_days(a: tuple[date, date] | None, b: tuple[date, date] | None) -> int:
    """Days between two ranges of publication dates (0 when they overlap or one is unknown)."""
    if a is None or b is None:
        return 0
    return max((a[0] - b[1]).days, (b[0] - a[1]).days, 0)


class Consolidator:
    """Merges look-alike incidents among those that changed (see the module docstring)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.threshold = settings.consolidate_threshold
        self.terms = TermIndex(store)
        self.linker = Linker(store, settings)
        self._vectors: dict[int, dict[str, float]] = {}
        self._profiles: dict[int, Profile | None] = {}
        self._texts: dict[int, str] = {}
        self._dates: dict[int, list[tuple[date, date]]] = {}
        self._split = cannot_link_pairs(store)

    def _vector(self, doc_id: int) -> dict[str, float]:
        if doc_id not in self._vectors:
            text = self.store.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
            self._vectors[doc_id] = self.terms.vector(term_counts(text))
        return self._vectors[doc_id]

    def profile(self, incident_id: int) -> Profile | None:
        """The incident's profile, or None when it is not a live main incident."""
        if incident_id not in self._profiles:
            live = self.store.conn.execute(
                "SELECT 1 FROM incidents WHERE id = ? AND merged_into IS NULL AND kind = 'main'",
                (incident_id,),
            ).fetchone()
            rows = (
                self.store.query(
                    "SELECT ie.event_id, ie.doc_id FROM incident_events ie JOIN events e ON e.id = ie.event_id"
                    " WHERE ie.incident_id = ? AND e.role = 'main'",
                    (incident_id,),
                )
                if live
                else []
            )
            self._profiles[incident_id] = (
                self._build({r[1] for r in rows}, [r[0] for r in rows]) if rows else None
            )
        return self._profiles[incident_id]

    def _build(self, docs: set[int], events: list[int]) -> Profile:
        total: dict[str, float] = {}
        for d in sorted(docs):
            for t, w in self._vector(d).items():
                total[t] = total.get(t, 0.0) + w
        # A word most incidents share (a big city's name) finds nothing and costs a long posting list.
        common = max(KEY_MAX_DF, self.terms.documents // 200)
        df = self.terms.frequencies(total)
        ranked = sorted((kv for kv in total.items() if df[kv[0]] <= common), key=lambda kv: (-kv[1], kv[0]))
        features = [self.linker.light(e) for e in events]
        sides: dict[tuple[object, ...], EventFeatures] = {}
        for f in features:
            sides.setdefault(
                (
                    frozenset(f.victims),
                    frozenset(f.soft_victims),
                    f.start,
                    f.end,
                    f.soft_date,
                    f.precision,
                    f.address,
                ),
                f,
            )
        types = Counter(f.event_type for f in features)
        top = max(types, key=lambda t: (types[t], t))
        firm = Counter(
            f.start
            for f in features
            if f.precision == "day" and not f.soft_date and f.start is not None and f.start == f.end
        )
        published = [f.published for f in features if f.published]
        return Profile(
            docs,
            total,
            events,
            {t for t, _ in ranked[:KEY_TERMS]},
            list(sides.values()),
            next(f for f in features if f.event_type == top),
            {d for d, c in firm.items() if c >= 2 and d is not None},
            (min(published), max(published)) if published else None,
        )

    def similarity(self, a: Profile, b: Profile) -> float:
        """Mean cosine over every pair of their main documents."""
        small, large = (a.total, b.total) if len(a.total) <= len(b.total) else (b.total, a.total)
        return sum(w * large.get(t, 0.0) for t, w in small.items()) / (len(a.docs) * len(b.docs))

    def kept_apart(self, a: int, b: int) -> bool:
        """Whether a rule keeps two look-alike incidents apart: named victims that disagree, dates or
        publication dates a year apart (unless the other side's reports name that victim or state
        that date), unrelated types, two-report dates a week apart, an analyst's
        split, or memberships an analyst fixed on both sides."""
        pa, pb = self.profile(a), self.profile(b)
        if pa is None or pb is None:
            return True
        if any(
            _far_apart(x, y) and not (self._dated_in(x, pb) or self._dated_in(y, pa))
            for x in pa.sides
            for y in pb.sides
        ):
            return True
        if self._disagree(pa, pb, lambda f: f.victims, lambda x, y: _victims(x, y) is None):
            return True
        if self._disagree(
            pa,
            pb,
            lambda f: f.people_victims,
            lambda x, y: bool(
                x.people_victims and y.people_victims and not _names_match(x.people_victims, y.people_victims)
            ),
        ):
            return True  # the reports name different victims (the entity layer's)
        if self._disagree(
            pa,
            pb,
            lambda f: {f.address} if f.address else set(),
            lambda x, y: bool(x.address and y.address and x.address != y.address),
        ):
            return True  # two street locations ("the 3300 block of North Butler Avenue")
        if _gap_days(pa.published, pb.published) > MAX_GAP_DAYS:
            return True
        if self._model_odds(pa, pb) < MIN_LOG_ODDS:
            return True  # alike in words, but the pair model reads their main events as different incidents
        if _type(pa.main_type, pb.main_type) == 0.0:
            return True  # a protest and the strike it protests read alike
        if pa.days and pb.days and all(abs((x - y).days) > 2 for x in pa.days for y in pb.days):
            return True  # two incidents, each dated by two reports that agree, a week apart
        if any((x in pa.docs and y in pb.docs) or (x in pb.docs and y in pa.docs) for x, y in self._split):
            return True
        locked = [
            self.store.conn.execute(
                "SELECT count(*) FROM incident_events WHERE incident_id = ? AND locked = 1", (i,)
            ).fetchone()[0]
            for i in (a, b)
        ]
        return bool(locked[0] and locked[1])

    def _model_odds(self, pa: Profile, pb: Profile) -> float:
        """The pair model's mean log-odds over the two incidents' main events (exemplars), a pair that event
        linking's hard constraints forbid weighed with the worst value of the feature that forbids it."""
        model = pair_model()
        odds = [
            model.log_odds(x)
            for x in (
                pair_features(self.linker.features(e), self.linker.features(f), hard=False)
                for e in exemplars(pa.events)
                for f in exemplars(pb.events)
            )
            if x is not None
        ]
        return sum(odds) / len(odds) if odds else math.inf

    def _disagree(
        self,
        pa: Profile,
        pb: Profile,
        names: Callable[[EventFeatures], set[str]],
        clash: Callable[[EventFeatures, EventFeatures], bool],
    ) -> bool:
        """Whether two sides clash on a value (victims, a street location) that neither incident's reports also
        name: the wife named beside the husband tried for her murder is no sign of another incident."""
        return any(
            clash(x, y) and not (self._named_in(names(x), pb) or self._named_in(names(y), pa))
            for x in pa.sides
            for y in pb.sides
        )

    def _named_in(self, names: set[str], profile: Profile) -> bool:
        """Whether every one of ``names`` occurs in one of the profile's main documents: a victim the
        other incident's reports also name (the wife beside the husband tried for her murder, two
        defendants of one trial) is no sign of another incident."""
        if not names:
            return False
        texts = [self._text(d) for d in sorted(profile.docs)]
        return all(any(n in t for t in texts) for n in names)

    def _dated_in(self, side: EventFeatures, profile: Profile) -> bool:
        """Whether one of the profile's main documents states the side's date to the month or finer:
        the killing a verdict story recounts, the raid a trial story goes back to."""
        if side.start is None or side.end is None:
            return False
        for d in sorted(profile.docs):
            if d not in self._dates:
                spans = []
                for (attrs,) in self.store.conn.execute(
                    "SELECT attrs FROM mentions WHERE doc_id = ? AND kind = 'time'", (d,)
                ):
                    value = json.loads(attrs)
                    lo, hi = iso_day(value.get("start", "")), iso_day(value.get("end", ""))
                    if lo and hi and (hi - lo).days <= 31:
                        spans.append((lo, hi))
                self._dates[d] = spans
            if any(lo <= side.end and side.start <= hi for lo, hi in self._dates[d]):
                return True
        return False

    def _text(self, doc_id: int) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.store.conn.execute(
                "SELECT lower(text) FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()[0]
        return self._texts[doc_id]

    def candidates(self, incident_id: int) -> list[int]:
        """Live main incidents sharing a ``d:`` key (after writing this incident's own keys)."""
        p = self.profile(incident_id)
        if p is None:
            return []
        keys = [KEY + t for t in sorted(p.terms)]
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM incident_keys WHERE incident_id = ? AND key LIKE 'd:%'", (incident_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO incident_keys (key, incident_id) VALUES (?, ?)",
                [(k, incident_id) for k in keys],
            )
        if not keys:
            return []
        rows = self.store.conn.execute(
            f"SELECT incident_id FROM incident_keys WHERE key IN ({','.join('?' * len(keys))}) AND incident_id != ?"
            " GROUP BY incident_id ORDER BY count(*) DESC, incident_id DESC LIMIT ?",
            (*keys, incident_id, MAX_CANDIDATES),
        ).fetchall()
        return sorted(r[0] for r in rows)

    def _push(self, heap: list[tuple[float, int, int, int, int]], a: int) -> None:
        pa = self.profile(a)
        for b in self.candidates(a):
            pb = self.profile(b)
            if pa is not None and pb is not None:
                value = self.similarity(pa, pb)
                if value >= self.threshold:
                    heapq.heappush(heap, (-value, min(a, b), max(a, b), pa.version, pb.version))

    def run(self, incident_ids: list[int]) -> list[tuple[int, int, float]]:
        """Merge among ``incident_ids`` (and into stored incidents); return the (kept, merged, score) merges."""
        if self.threshold <= 0:
            return []
        heap: list[tuple[float, int, int, int, int]] = []
        for a in sorted(set(incident_ids)):
            self._push(heap, a)
        merges = []
        while heap:
            negative, keep, gone, version_keep, version_gone = heapq.heappop(heap)
            pk, pg = self._profiles.get(keep), self._profiles.get(gone)
            if pk is None or pg is None or pk.version != version_keep or pg.version != version_gone:
                continue  # one side merged or grew since: its fresh pairs were pushed then
            if self.kept_apart(keep, gone):
                continue
            with self.store.transaction() as conn:
                merge_incidents(conn, keep, gone, min(pg.docs), -negative, how="text")
            merged = self._build(pk.docs | pg.docs, pk.events + pg.events)
            merged.version = pk.version + 1
            self._profiles[keep], self._profiles[gone] = merged, None
            merges.append((keep, gone, -negative))
            self._push(heap, keep)
        return merges


def consolidate(store: Store, settings: Settings, incident_ids: list[int]) -> list[tuple[int, int, float]]:
    """Merge look-alike incidents among ``incident_ids`` (those whose members changed) and stored ones."""
    return Consolidator(store, settings).run(incident_ids)
