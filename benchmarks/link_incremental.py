"""Incremental linking cost per new document against the size of the store (issue 8, 4b / 5b).

Run: .venv/bin/python benchmarks/link_incremental.py [--sizes 1000,10000,100000] [--docs 50] [--no-save] [--profile update]

Builds one store per size with that many synthetic incidents, written directly with SQL (documents,
events with full records, place mentions, extractions, incidents with a stored record,
incident_events, incident_keys from the real ``blocking_keys``, term_df/term_docs, background-of
links). Incidents spread over ten years, nine event types and 300 cities, so a month key holds
about 0.3% of the store's incidents: hundreds at 100k, as in a real corpus. Then the same new
reports (already extracted: their events are inserted before the clock starts; about half are
follow-ups of a stored incident, a tenth weakly dated) go into every store, one per update, in
three ways, each on a fresh copy of the stores:

- ``link``: ``Linker.link`` on the pending main events, then on the pending background events;
- ``update``: ``triangulate.pipeline.run.update`` as it is wired now, extraction stubbed out
  (link, date propagation, consolidation, background links and reconciliation of the stale incidents);
- ``update-scoped``: the same steps limited by hand to the incidents the run touched
  (``propagate_dates(store, touched)``, ``consolidate``, ``link_background``, ``reconcile(store, touched)``).

Sizes are interleaved document by document in one process, so load on a shared machine hits all
sizes alike; the ratios against the smallest store are the figures to trust. Memory: the peak
resident size of the measuring process and, per size, the Python heap peak of one update
(tracemalloc, a separate pass). Writes benchmarks/results/link_incremental.json.
Targets: 100k/1k <= 2 and under 50 ms per document at 100k.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ingest_throughput import _reset_peak_rss, _status_mb  # noqa: E402

from triangulate.engines import LocalEngine  # noqa: E402
from triangulate.extract.pipeline import ExtractReport  # noqa: E402
from triangulate.link.cluster import Linker, blocking_keys, pending_events  # noqa: E402
from triangulate.link.consolidate import KEY_TERMS, consolidate  # noqa: E402
from triangulate.link.dates import propagate_dates, unlink_documents  # noqa: E402
from triangulate.link.features import STOP, features_from_row  # noqa: E402
from triangulate.link.incremental import link_background, touched_incidents  # noqa: E402
from triangulate.reconcile.record import reconcile  # noqa: E402
from triangulate.settings import Settings  # noqa: E402
from triangulate.store.db import Store  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "link_incremental.json"
PROFILE = ROOT / "benchmarks" / "results" / "link_incremental_profile.txt"
TYPES = [
    ("ASSAULT", "firearms", 30),
    ("ASSAULT", "explosives", 12),
    ("ASSAULT", "abduction", 6),
    ("FIGHT", "clash", 12),
    ("FIGHT", "aerial", 6),
    ("PROTEST", "", 10),
    ("ARREST", "", 10),
    ("CAPTURE", "", 4),
    ("OTHER", "", 10),
]
GROUPS = [
    "Northern Liberation Front",
    "Jund al-Jibal",
    "Islamic State",
    "al-Shabaab",
    "Boko Haram",
    "Taliban",
    "unknown gunmen",
    "the army",
    "police",
    "Free Valley Brigade",
    "Red Hand",
    "People's Guard",
]
OUTLETS = [
    "Harbor Wire",
    "Meridian Press",
    "Daily Courier",
    "Northern Ledger",
    "Frontier Times",
    "Radio Free Steppe",
]
START = date(2015, 1, 1)
DAYS = 3652
OLD = "2026-01-01T00:00:00+00:00"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


class World:
    """Fixed vocabulary, places and names shared by the stored incidents and the new reports."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        self.vocab = [w for w in dict.fromkeys(_word(rng) for _ in range(9000)) if w not in STOP][:6000]
        self.zipf = [1 / (i + 1) for i in range(len(self.vocab))]
        self.cum = list(_accumulate(self.zipf))
        countries = [(f"C{i:02d}", _word(rng).title()) for i in range(12)]
        self.cities = []
        for n in range(300):
            code, name = countries[n % len(countries)]
            lat, lon = rng.uniform(-30, 50), rng.uniform(-20, 100)
            self.cities.append(
                {
                    "name": _word(rng).title(),
                    "country": name,
                    "country_code": code,
                    "admin1": f"{code}.{n % 7}",
                    "latitude": lat,
                    "longitude": lon,
                    "geonameid": 100000 + n,
                }
            )
        self.surnames = [_word(rng).title() for _ in range(400)]


def _accumulate(xs: list[float]) -> list[float]:
    total, out = 0.0, []
    for x in xs:
        total += x
        out.append(total)
    return out


def incident_spec(world: World, rng: random.Random) -> dict:
    """What the reports of one incident agree on."""
    etype, mode, _ = rng.choices(TYPES, [t[2] for t in TYPES])[0]
    return {
        "type": etype,
        "mode": mode,
        "day": START + timedelta(days=rng.randrange(DAYS)),
        "city": rng.choice(world.cities),
        "group": rng.choice(GROUPS) if rng.random() < 0.6 else "",
        "victim": f"{rng.choice('ARSMKJ')}. {rng.choice(world.surnames)}" if rng.random() < 0.2 else "",
        "killed": rng.choice([0, 1, 2, 3, 4, 5, 7, 9, 12, 20, 35]),
        "words": rng.choices(world.vocab[300:], k=12),
    }


def report(
    world: World, rng: random.Random, spec: dict, *, soft: bool = False
) -> tuple[dict, str, str, Counter[str]]:
    """One report of an incident: (event record, text, published day, term counts)."""
    day = spec["day"] + timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))
    words = (
        rng.choices(world.vocab, cum_weights=world.cum, k=170)
        + spec["words"] * 2
        + [spec["city"]["name"].lower()] * 3
    )
    text = (
        f"{spec['city']['name'].upper()} ({rng.choice(OUTLETS)}) -- "
        + " ".join(words)
        + (f" {spec['group']} claimed" if spec["group"] else "")
        + (f" {spec['victim']} died" if spec["victim"] else "")
    )
    counts = Counter(w for w in words if w not in STOP)
    precision = "day" if not soft else "month"
    value = f"{spec['day']:%Y-%m-%d}" if precision == "day" else f"{spec['day']:%Y-%m}"
    participants = []
    if spec["group"]:
        participants.append(
            {
                "role": "perpetrator",
                "kind": "organization",
                "name": spec["group"],
                "canonical": spec["group"],
                "attrs": {},
            }
        )
    if spec["victim"]:
        participants.append(
            {
                "role": "victim",
                "kind": "person",
                "name": spec["victim"],
                "canonical": spec["victim"],
                "attrs": {},
            }
        )
    killed = max(0, spec["killed"] + rng.choice([0, 0, 0, 1, 2]))
    record = {
        "event_type": spec["type"],
        "mode": spec["mode"],
        "role": "main",
        "summary": " ".join(words[:30]),
        "trigger_start": 0,
        "trigger_end": 6,
        "date": {
            "value": value,
            "start": "",
            "end": "",
            "precision": precision,
            "qualifier": "",
            "anchor_source": "metadata",
            "rule": "no-anchor" if soft else "weekday-before-anchor",
        },
        "place": dict(spec["city"], precision="city"),
        "participants": participants,
        "counts": [{"field": "killed", "low": killed, "high": killed, "vague": False}],
    }
    return record, text, f"{day:%Y-%m-%d}", counts


class Writer:
    """Direct inserts with the store's schema (the store is migrated by Store.open first)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.doc_id = conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
        self.event_id = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]

    def document(self, text: str, published: str, city: dict) -> int:
        self.doc_id += 1
        d = self.doc_id
        self.conn.execute(
            "INSERT INTO documents (id, input_key, source, raw_hash, content_hash, title, outlet, published, published_precision,"
            " published_source, text, word_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'day', 'metadata', ?, ?, ?)",
            (
                d,
                f"bench:{d}",
                f"bench/{d}.txt",
                f"r{d}",
                f"c{d}",
                text[:60],
                "Harbor Wire",
                published,
                text,
                len(text.split()),
                OLD,
            ),
        )
        self.conn.execute(
            "INSERT INTO extractions (doc_id, status, extractor_version, extracted_at) VALUES (?, 'ok', 'bench', ?)",
            (d, OLD),
        )
        attrs = json.dumps({"role": "body", "admin1": city["admin1"], "country_code": city["country_code"]})
        self.conn.execute(
            "INSERT INTO mentions (doc_id, kind, start, end, sentence, text, value, attrs, extractor, extractor_version,"
            " confidence) VALUES (?, 'place', 0, 5, 0, ?, ?, ?, 'bench', '1', 1.0)",
            (d, city["name"], city["name"], attrs),
        )
        return d

    def event(self, doc_id: int, record: dict, role: str = "main") -> int:
        self.event_id += 1
        record = dict(record, role=role)
        place, dt = record["place"], record["date"]
        self.conn.execute(
            "INSERT INTO events (id, doc_id, role, event_type, mode, modality, date, date_precision, country_code, latitude, longitude,"
            " place_precision, record) VALUES (?, ?, ?, ?, ?, 'asserted', ?, ?, ?, ?, ?, 'city', ?)",
            (
                self.event_id,
                doc_id,
                role,
                record["event_type"],
                record["mode"],
                dt["value"],
                dt["precision"],
                place["country_code"],
                place["latitude"],
                place["longitude"],
                json.dumps(record),
            ),
        )
        return self.event_id


def build(path: Path, n: int, world: World, seed: int) -> dict:
    """A store with ``n`` synthetic incidents; returns counts."""
    started = time.perf_counter()
    Store.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    rng = random.Random(seed)
    w = Writer(conn)
    df: Counter[str] = Counter()
    later: list[tuple[int, int, dict, Counter[str], str]] = []  # events whose keys need the final df
    mains: list[int] = []
    main_events: set[int] = set()
    for incident_id in range(1, n + 1):
        spec = incident_spec(world, rng)
        conn.execute(
            "INSERT INTO incidents (id, kind, event_type, mode, date_start, country_code, title, status, n_documents,"
            " n_independent, killed, record, created_at, updated_at) VALUES (?, 'main', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                incident_id,
                spec["type"],
                spec["mode"],
                f"{spec['day']}",
                spec["city"]["country_code"],
                f"{spec['type']} in {spec['city']['name']}",
                "single-source",
                0,
                0,
                spec["killed"],
                "{}",
                OLD,
                OLD,
            ),
        )
        docs = rng.choices([1, 2, 3, 4, 6], [50, 25, 13, 8, 4])[0]
        for _ in range(docs):
            record, text, published, counts = report(world, rng, spec, soft=rng.random() < 0.08)
            d = w.document(text, published, spec["city"])
            df.update(counts.keys())
            e = w.event(d, record)
            main_events.add(e)
            later.append((e, incident_id, record, counts, text))
            if mains and rng.random() < 0.15:
                # A background mention of an earlier incident, linked to it.
                other = rng.choice(mains)
                row = conn.execute(
                    "SELECT record FROM events WHERE id = (SELECT min(event_id) FROM incident_events"
                    " WHERE incident_id = ?)",
                    (other,),
                ).fetchone()
                if row:
                    b = w.event(d, json.loads(row[0]), role="background")
                    later.append((b, other, json.loads(row[0]), counts, text))
        mains.append(incident_id)
        # Members are written as soon as their incident exists, so background picks find them.
        for e, inc, *_ in later[-(docs * 2) :]:
            if conn.execute("SELECT 1 FROM incident_events WHERE event_id = ?", (e,)).fetchone() is None:
                doc = conn.execute("SELECT doc_id FROM events WHERE id = ?", (e,)).fetchone()[0]
                conn.execute(
                    "INSERT INTO incident_events (event_id, incident_id, doc_id, score, decision, added_at)"
                    " VALUES (?, ?, ?, 0.5, 'joined', '2025-12-31T00:00:00+00:00')",
                    (e, inc, doc),
                )
    conn.executemany("INSERT INTO term_docs (doc_id) VALUES (?)", ((i,) for i in range(1, w.doc_id + 1)))
    conn.executemany("INSERT INTO term_df (term, df) VALUES (?, ?)", df.items())
    documents = w.doc_id
    totals: dict[int, Counter[str]] = {}
    for e, inc, _, counts, _ in later:
        if e in main_events:
            # Consolidation's d: keys: the incident's most distinctive words (link.consolidate.Profile).
            weights = {
                t: (1 + math.log(c)) * (math.log((documents + 1) / (df[t] + 1)) + 1)
                for t, c in counts.items()
            }
            norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
            totals.setdefault(inc, Counter()).update({t: v / norm for t, v in weights.items()})
    conn.executemany(
        "INSERT OR IGNORE INTO incident_keys (key, incident_id) VALUES (?, ?)",
        [
            (f"d:{t}", inc)
            for inc, total in totals.items()
            for t, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:KEY_TERMS]
        ],
    )
    for e, inc, record, counts, text in later:
        row = {
            "id": e,
            "doc_id": 0,
            "role": "main",
            "event_type": record["event_type"],
            "mode": record["mode"],
            "record": json.dumps(record),
        }
        f = features_from_row(row, text, "")
        if f.soft_date or f.event_type == "OTHER":
            weights = {
                t: (1 + math.log(c)) * (math.log((documents + 1) / (df[t] + 1)) + 1)
                for t, c in counts.items()
            }
            norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
            f.vector = {t: v / norm for t, v in weights.items()}
        conn.executemany(
            "INSERT OR IGNORE INTO incident_keys (key, incident_id) VALUES (?, ?)",
            [(k, inc) for k in blocking_keys(f)],
        )
    conn.execute(
        "UPDATE incidents SET n_documents = (SELECT count(DISTINCT doc_id) FROM incident_events ie"
        " WHERE ie.incident_id = incidents.id), n_independent = 1"
    )
    conn.execute(
        "UPDATE incidents SET record = json_object('documents', json('[]'), 'fields', json('{}'),"
        " 'status', json_object('label', status)), kind = CASE WHEN n_documents = 0 THEN 'retired' ELSE kind END"
    )
    conn.execute("""INSERT OR IGNORE INTO incident_links (from_incident, to_incident, kind, doc_id)
               SELECT DISTINCT b.incident_id, m.incident_id, 'background-of', b.doc_id
               FROM incident_events b JOIN events eb ON eb.id = b.event_id AND eb.role = 'background'
               JOIN incident_events m ON m.doc_id = b.doc_id JOIN events em ON em.id = m.event_id AND em.role = 'main'
               WHERE b.incident_id != m.incident_id""")
    # The records written above stand for reconciled ones: nothing is left for update() to reconcile.
    conn.execute("DELETE FROM incidents_stale")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    stats = {
        "incidents": n,
        "documents": documents,
        "events": w.event_id,
        "incident_keys": conn.execute("SELECT count(*) FROM incident_keys").fetchone()[0],
        "largest_month_key": conn.execute(
            "SELECT max(c) FROM (SELECT count(DISTINCT incident_id) c FROM incident_keys"
            " WHERE key LIKE 't:%' GROUP BY key)"
        ).fetchone()[0],
        "terms": len(df),
        "build_s": round(time.perf_counter() - started, 1),
        "size_mb": round(path.stat().st_size / 2**20, 1),
    }
    conn.close()
    return stats


def new_reports(world: World, paths: dict[int, Path], n: int, seed: int) -> list[dict[int, dict]]:
    """New reports, each as the version every store gets: half follow up incident number k of each store
    (k <= the smallest size; the store's own incident, so the follow-up can be found in every store), the
    other half report new incidents (the same report for every store)."""
    rng = random.Random(seed)
    smallest = min(paths)
    out = []
    for i in range(n):
        soft = i % 10 == 3
        if i % 2 == 0:
            inc, words, state = rng.randint(1, smallest), rng.choices(world.vocab[300:], k=12), rng.getstate()
            versions = {}
            for size, path in paths.items():
                conn = sqlite3.connect(path)
                row = conn.execute(
                    "SELECT e.record FROM incident_events ie JOIN events e ON e.id = ie.event_id"
                    " WHERE ie.incident_id = ? AND e.role = 'main' LIMIT 1",
                    (inc,),
                ).fetchone()
                conn.close()
                rec = json.loads(row[0])
                spec = {
                    "type": rec["event_type"],
                    "mode": rec["mode"],
                    "day": date.fromisoformat(rec["date"]["value"][:7] + "-01")
                    if len(rec["date"]["value"]) == 7
                    else date.fromisoformat(rec["date"]["value"]),
                    "city": rec["place"] | {},
                    "group": next((p["name"] for p in rec["participants"] if p["role"] == "perpetrator"), ""),
                    "victim": next((p["name"] for p in rec["participants"] if p["role"] == "victim"), ""),
                    "killed": rec["counts"][0]["low"],
                    "words": words,
                }
                spec["city"].pop("precision", None)
                rng.setstate(state)  # every store's version draws the same wording
                record, text, published, _ = report(world, rng, spec, soft=soft)
                versions[size] = {
                    "record": record,
                    "text": text,
                    "published": published,
                    "city": spec["city"],
                    "follows": inc,
                }
            out.append(versions)
        else:
            spec = incident_spec(world, rng)
            record, text, published, _ = report(world, rng, spec, soft=soft)
            out.append(
                dict.fromkeys(
                    paths,
                    {
                        "record": record,
                        "text": text,
                        "published": published,
                        "city": spec["city"],
                        "follows": None,
                    },
                )
            )
    return out


def insert_report(store: Store, item: dict) -> None:
    """Store an already-extracted report (document, extraction, place mention, main event)."""
    with store.transaction() as conn:
        w = Writer(conn)
        d = w.document(item["text"], item["published"], item["city"])
        w.event(d, item["record"])


class _NoExtraction(LocalEngine):
    """The local engine with extraction stubbed out: the new reports' events are already in the store."""

    def extract(
        self,
        store: Store,
        doc_ids: list[int] | None = None,
        redo: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> ExtractReport:
        return ExtractReport()


def step_link(store: Store, settings: Settings) -> None:
    """Linking only, as update() runs it: main events, then background events."""
    Linker(store, settings).link(pending_events(store, "main"))
    Linker(store, settings).link(pending_events(store, "background"))


def step_update(store: Store, settings: Settings) -> None:
    """triangulate.pipeline.run.update as wired now, without extraction."""
    from triangulate.pipeline import run as pipeline

    if "engine" in inspect.signature(pipeline.update).parameters:
        pipeline.update(store, settings, _NoExtraction(settings))
        return
    original = pipeline.extract  # type: ignore[attr-defined]
    pipeline.extract = lambda *a, **k: ExtractReport()  # type: ignore[attr-defined]
    try:
        pipeline.update(store, settings)
    finally:
        pipeline.extract = original  # type: ignore[attr-defined]


def step_scoped(store: Store, settings: Settings) -> None:
    """The post-extraction steps of update(), each limited to the incidents this run touched."""
    report = Linker(store, settings).link(pending_events(store, "main"))
    touched = touched_incidents(store, report.decisions)
    dated = propagate_dates(store, touched)
    if dated:
        touched |= unlink_documents(store, dated)
        # (re-extraction of the re-dated documents would run here)
        touched |= touched_incidents(
            store, Linker(store, settings).link(pending_events(store, "main")).decisions
        )
    merges = consolidate(store, settings, sorted(touched))
    touched |= {keep for keep, _, _ in merges}
    touched |= touched_incidents(
        store, Linker(store, settings).link(pending_events(store, "background")).decisions
    )
    link_background(store, touched)
    reconcile(store, sorted(touched))


STEPS: dict[str, Callable[[Store, Settings], None]] = {
    "link": step_link,
    "update": step_update,
    "update-scoped": step_scoped,
}


def measure(
    step: Callable[[Store, Settings], None],
    built: dict[int, Path],
    work: Path,
    items: list[dict[int, dict]],
    warmup: int,
    heap_docs: int,
) -> dict[int, dict]:
    """ms per document for each size, documents interleaved across sizes."""
    settings = Settings()
    stores = {}
    for n, path in built.items():
        copy = work / f"run-{n}.db"
        shutil.copyfile(path, copy)
        stores[n] = Store.open(copy)
    times: dict[int, list[float]] = {n: [] for n in stores}
    found: dict[int, list[bool]] = {n: [] for n in stores}
    for i, versions in enumerate(items):
        for n, store in stores.items():
            item = versions[n]
            insert_report(store, item)
            started = time.perf_counter()
            step(store, settings)
            if i >= warmup:
                times[n].append((time.perf_counter() - started) * 1000)
            if item["follows"] is not None:
                found[n].append(_joined(store, item["follows"]))
    out = {}
    for n, store in stores.items():
        tracemalloc.start()
        peaks = []
        for versions in items[:heap_docs]:
            insert_report(store, versions[n] | {"text": versions[n]["text"] + " again"})
            tracemalloc.reset_peak()
            step(store, settings)
            peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        ts = sorted(times[n])
        out[n] = {
            "median_ms": round(statistics.median(ts), 2),
            "p95_ms": round(ts[min(len(ts) - 1, math.ceil(0.95 * len(ts)) - 1)], 2),
            "mean_ms": round(statistics.fmean(ts), 2),
            "max_ms": round(ts[-1], 2),
            "n": len(ts),
            "follow_ups_found": f"{sum(found[n])}/{len(found[n])}",
            "python_heap_peak_mb": round(max(peaks) / 2**20, 2) if peaks else None,
        }
        store.close()
    return out


def _joined(store: Store, incident_id: int) -> bool:
    """Whether the newest main event sits in ``incident_id`` (or in the incident it was merged into)."""
    row = store.conn.execute(
        "SELECT incident_id FROM incident_events WHERE event_id = (SELECT max(id) FROM events WHERE role = 'main')"
    ).fetchone()
    target = incident_id
    while True:
        merged = store.conn.execute("SELECT merged_into FROM incidents WHERE id = ?", (target,)).fetchone()
        if not merged or merged[0] is None:
            break
        target = merged[0]
    return bool(row) and row[0] == target


def profile(way: str, size: int, path: Path, work: Path, items: list[dict[int, dict]]) -> None:
    """pyinstrument profile of ``way``, one new report per update, on a fresh copy of the store at ``path``."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("--profile needs pyinstrument: .venv/bin/pip install pyinstrument")
    copy = work / "profile.db"
    shutil.copyfile(path, copy)
    settings, profiler, times = Settings(), Profiler(interval=0.0005), []
    with Store.open(copy) as store:
        for i, versions in enumerate(items):
            insert_report(store, versions[size])
            if i >= 3:
                profiler.start()
            started = time.perf_counter()
            STEPS[way](store, settings)
            if i >= 3:
                profiler.stop()
                times.append((time.perf_counter() - started) * 1000)
    head = (
        f"Profile of `{way}` on the {size:,}-incident store of benchmarks/link_incremental.py, {len(times)} new reports one per"
        f" update (median {statistics.median(times):.1f} ms), {datetime.now(UTC).date()}.\n"
        f"Command: python benchmarks/link_incremental.py {' '.join(sys.argv[1:])}\n\n"
    )
    PROFILE.write_text(head + profiler.output_text(unicode=False, color=False, show_all=False))
    print(f"wrote {PROFILE.relative_to(ROOT)}")
    copy.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--docs", type=int, default=50, help="new reports per size and way (after 3 warm-up reports)"
    )
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--heap-docs", type=int, default=5, help="reports per size in the tracemalloc pass")
    parser.add_argument(
        "--keep", help="build (or reuse) the stores in this folder instead of a temporary one"
    )
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument(
        "--profile",
        metavar="WAY",
        choices=list(STEPS),
        help="also profile WAY on the largest store (needs pyinstrument) and write "
        + str(PROFILE.relative_to(ROOT)),
    )
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    world = World(args.seed)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="link-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    built, stats = {}, {}
    for n in sizes:
        path = folder / f"store-{n}-s{args.seed}.db"
        meta = path.with_suffix(".json")
        if not (path.exists() and meta.exists()):
            for old in folder.glob(f"{path.name}*"):
                old.unlink()
            stats[n] = build(path, n, world, args.seed + n)
            meta.write_text(json.dumps(stats[n]))
        else:
            stats[n] = json.loads(meta.read_text())
        built[n] = path
        print(
            f"store {n:>7,} incidents: {stats[n]['documents']:,} documents, {stats[n]['incident_keys']:,} keys, largest month key "
            f"{stats[n]['largest_month_key']} incidents, {stats[n]['size_mb']} MB (built in {stats[n]['build_s']} s)"
        )
    warmup = 3
    items = new_reports(world, built, args.docs + warmup, args.seed + 1)
    results: dict[str, dict] = {}
    _reset_peak_rss()
    for name in args.steps.split(","):
        results[name] = {
            str(n): v for n, v in measure(STEPS[name], built, folder, items, warmup, args.heap_docs).items()
        }
        base, top = results[name][str(sizes[0])], results[name][str(sizes[-1])]
        for n in sizes:
            r = results[name][str(n)]
            r["median_ratio"] = round(r["median_ms"] / base["median_ms"], 2)
            r["p95_ratio"] = round(r["p95_ms"] / base["p95_ms"], 2)
        results[name]["verdict"] = {
            "ratio_largest_smallest": top["median_ratio"],
            "flat_within_2x": top["median_ratio"] <= 2.0,
            "under_50ms_at_largest": top["median_ms"] < 50 and top["p95_ms"] < 50,
        }
        print(f"\n{name}")
        print(
            f"{'incidents':>10} {'median ms':>10} {'p95 ms':>8} {'ratio':>6} {'p95 ratio':>9} {'heap MB':>8} {'follow-ups found':>17}"
        )
        for n in sizes:
            r = results[name][str(n)]
            print(
                f"{n:>10,} {r['median_ms']:>10} {r['p95_ms']:>8} {r['median_ratio']:>6} {r['p95_ratio']:>9} {r['python_heap_peak_mb']:>8}"
                f" {r['follow_ups_found']:>17}"
            )
    if args.profile:
        profile(args.profile, sizes[-1], built[sizes[-1]], folder, items)
    hwm = _status_mb("VmHWM")
    peak = None if hwm is None else round(hwm, 1)
    print(f"\npeak RSS while measuring: {peak} MB")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    if args.no_save:
        return
    out = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "command": "python benchmarks/link_incremental.py " + " ".join(sys.argv[1:]),
        "new_documents_per_size": args.docs,
        "warmup": warmup,
        "stores": {str(n): s for n, s in stats.items()},
        "results": results,
        "peak_rss_mb": peak,
        "targets": {"ratio_largest_smallest_max": 2.0, "ms_per_document_at_largest_max": 50},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
