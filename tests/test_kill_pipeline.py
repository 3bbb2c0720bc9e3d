"""Killing `triangulate run` (ingest, extract, link, reconcile) at random moments never leaves a
half-applied update, and a rerun ends exactly where an uninterrupted run ends.

Each round starts from an empty store and kills the run several times, each kill aimed at a stage
(the test watches the store from outside and fires once the stage is under way), then reruns it to
the end and compares with a clean run. The stage each kill hit is read back from what the store
holds. Counts are printed for docs/reliability.md.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from triangulate.reconcile.record import stale_incidents
from triangulate.store.db import Store

STAGES = ("ingest", "extract", "link", "reconcile")
# What each round aims at, in pipeline order; a stage already passed is skipped.
PLAN = ("ingest", "ingest", "extract", "extract", "extract", "link", "link", "reconcile", "reconcile")
MIN_KILLS, MIN_PER_STAGE, MAX_ROUNDS = 50, 6, 12
BANDS_PER_DOC = 32  # minhash_permutations 128 / 4 rows per band


def _command(corpus: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "triangulate.cli",
        "run",
        str(corpus),
        "--manifest",
        str(EXAMPLES / "corpus_manifest.jsonl"),
        "--db",
        str(db),
        "--setting",
        "batch_size",
        "4",
    ]


def _connect(db: Path) -> sqlite3.Connection | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None, timeout=30)
        conn.execute("SELECT count(*) FROM ingest_runs").fetchone()
        return conn
    except sqlite3.Error:
        return None


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def _stage(conn: sqlite3.Connection, db: Path) -> str:
    """The stage with work left in the store: where a run killed now was, or would start."""
    last = conn.execute("SELECT status FROM ingest_runs ORDER BY id DESC LIMIT 1").fetchone()
    if last is None or last[0] != "done":
        return "ingest"
    if _count(conn, "SELECT count(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM extractions)"):
        # After linking, only re-extraction of newly dated reports leaves documents unextracted.
        return "redate" if _count(conn, "SELECT count(*) FROM incident_events") else "extract"
    if _count(
        conn,
        "SELECT count(*) FROM events WHERE modality = 'asserted' AND role IN ('main', 'background') "
        "AND id NOT IN (SELECT event_id FROM incident_events)",
    ):
        return "link"
    if stale_incidents(Store(conn, str(db))):
        return "reconcile"
    return "done"


def _progress(conn: sqlite3.Connection, stage: str) -> int:
    """Rows the stage has committed so far: a kill is fired some commits into the stage."""
    table = {
        "ingest": "documents",
        "extract": "extractions",
        "redate": "extractions",
        "link": "incident_events",
        "reconcile": "incident_history",
    }[stage]
    return _count(conn, f"SELECT count(*) FROM {table}")


RANK = {"ingest": 0, "extract": 1, "link": 2, "redate": 2, "reconcile": 3, "done": 4}


def _last_run(db: Path) -> int:
    conn = _connect(db)
    if conn is None:
        return 0
    try:
        return _count(conn, "SELECT coalesce(max(id), 0) FROM ingest_runs")
    finally:
        conn.close()


def _kill_during(cmd: list[str], db: Path, target: str, rng: random.Random) -> bool:
    """Start the run and SIGKILL it a random number of commits into ``target``; False if it finished first."""
    before = _last_run(db)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    conn, start, wait_for = None, None, rng.randint(0, {"ingest": 6, "extract": 2, "link": 25}.get(target, 0))
    delay = rng.uniform(0.0, 0.15 if target == "extract" else 0.04)
    try:
        while proc.poll() is None:
            conn = conn or _connect(db)
            stage = ""
            # What the store says before this process has written its ingest run is the last run's state.
            if conn is not None and _count(conn, "SELECT coalesce(max(id), 0) FROM ingest_runs") > before:
                try:
                    stage = _stage(conn, db)
                except sqlite3.Error:
                    pass
            if stage and RANK[stage] == RANK[target] or (target == "extract" and stage == "redate"):
                start = _progress(conn, stage) if start is None else start  # type: ignore[arg-type]
                if _progress(conn, stage) - start >= wait_for:  # type: ignore[arg-type]
                    time.sleep(delay)
                    break
            elif (
                stage and RANK[stage] > RANK[target]
            ):  # the stage ended before enough commits: kill in the next one
                break
            time.sleep(0.003)
        if proc.poll() is not None:
            return False
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True
    finally:
        if conn is not None:
            conn.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _violations(db: Path) -> list[str]:
    """Invariants that hold after every commit; a half-applied batch or update breaks one of them."""
    conn = sqlite3.connect(db)
    try:
        checks = {
            "integrity_check": "SELECT CASE WHEN (SELECT integrity_check FROM pragma_integrity_check) = 'ok' THEN 0 ELSE 1 END",
            "foreign keys": "SELECT count(*) FROM pragma_foreign_key_check",
            "document without signature": "SELECT count(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM minhash_signatures)",
            "document with partial bands": f"SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM minhash_bands b "
            f"WHERE b.doc_id = d.id) != {BANDS_PER_DOC}",
            "extraction output of an unextracted document": "SELECT count(*) FROM (SELECT doc_id FROM mentions UNION "
            "SELECT doc_id FROM events UNION SELECT doc_id FROM claims) WHERE doc_id NOT IN (SELECT doc_id FROM extractions)",
            "membership with the wrong document": "SELECT count(*) FROM incident_events ie JOIN events e ON e.id = ie.event_id "
            "WHERE e.doc_id != ie.doc_id",
            "membership of a merged incident": "SELECT count(*) FROM incident_events WHERE incident_id IN "
            "(SELECT id FROM incidents WHERE merged_into IS NOT NULL)",
            "keys of a merged incident": "SELECT count(*) FROM incident_keys WHERE incident_id IN "
            "(SELECT id FROM incidents WHERE merged_into IS NOT NULL)",
            "merged incident with documents": "SELECT count(*) FROM incidents WHERE merged_into IS NOT NULL AND n_documents != 0",
            "history ahead of its incident": "SELECT count(*) FROM incident_history h JOIN incidents i ON i.id = h.incident_id "
            "WHERE h.version > i.version",
        }
        out = [f"{name}: {n}" for name, sql in checks.items() if (n := _count(conn, sql))]
        # An incident that reconcile will not look at again must agree with its members.
        stale = set(stale_incidents(Store(conn, str(db))))
        for row in conn.execute(
            "SELECT id, n_documents, record FROM incidents WHERE merged_into IS NULL "
            "AND kind != 'retired' AND record != '{}'"
        ):
            if row[0] in stale:
                continue
            members = {
                r[0]
                for r in conn.execute("SELECT doc_id FROM incident_events WHERE incident_id = ?", (row[0],))
            }
            recorded = set(json.loads(row[2]).get("documents") or [])
            if row[1] != len(members) or recorded != members:
                out.append(
                    f"incident {row[0]}: counts {row[1]} and record {sorted(recorded)} disagree with "
                    f"members {sorted(members)}, and it is not marked stale"
                )
        return out
    finally:
        conn.close()


def _result(db: Path) -> dict[str, object]:
    """Everything a user sees, keyed by document names (ids may differ between runs)."""
    conn = sqlite3.connect(db)
    try:
        names = {r[0]: Path(r[1]).name for r in conn.execute("SELECT id, source FROM documents")}
        documents = sorted(
            (names[r[0]], r[1], r[2], r[3])
            for r in conn.execute("SELECT id, content_hash, published, published_source FROM documents")
        )
        duplicates = sorted(
            (names[r[0]], names[r[1]], r[2])
            for r in conn.execute("SELECT doc_id, of_doc_id, kind FROM duplicates")
        )
        events = sorted(
            (names[r[0]], r[1], r[2], r[3], r[4], r[5])
            for r in conn.execute(
                "SELECT doc_id, role, event_type, modality, date, date_precision FROM events"
            )
        )
        incidents = {}
        for row in conn.execute(
            "SELECT id, kind, title, status, n_documents, n_independent, killed, date_start, "
            "country_code, place_precision, record FROM incidents "
            "WHERE merged_into IS NULL AND kind != 'retired' AND n_documents > 0"
        ):
            members = conn.execute(
                "SELECT ie.doc_id, e.role FROM incident_events ie JOIN events e ON e.id = ie.event_id "
                "WHERE ie.incident_id = ?",
                (row[0],),
            ).fetchall()
            key = (row[1], tuple(sorted({f"{names[d]}:{role}" for d, role in members})))
            fields = {k: v.get("chosen") for k, v in (json.loads(row[10]).get("fields") or {}).items()}
            incidents[key] = (*row[2:10], sorted(fields.items()))
        return {"documents": documents, "duplicates": duplicates, "events": events, "incidents": incidents}
    finally:
        conn.close()


def _differences(got: dict[str, object], want: dict[str, object]) -> list[str]:
    out = []
    for part in want:
        a, b = got[part], want[part]
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            out += [f"{part}: only after kills {k}: {a[k]}" for k in a.keys() - b.keys()]
            out += [f"{part}: only in the clean run {k}: {b[k]}" for k in b.keys() - a.keys()]
            out += [f"{part}: {k}: {a[k]} != {b[k]}" for k in a.keys() & b.keys() if a[k] != b[k]]
        else:
            out += [f"{part}: only after kills {x}" for x in a if x not in b]  # type: ignore[union-attr]
            out += [f"{part}: only in the clean run {x}" for x in b if x not in a]  # type: ignore[union-attr]
    return out


@pytest.mark.slow
def test_sigkill_during_run_then_rerun_matches_clean_run(tmp_path: Path) -> None:
    started = time.perf_counter()
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES / "corpus", corpus)
    clean = tmp_path / "clean.db"
    subprocess.run(_command(corpus, clean), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    want = _result(clean)
    assert not _violations(clean)

    rng = random.Random(20240917)
    hits: Counter[str] = Counter()
    missed = rounds = 0
    while rounds < MAX_ROUNDS and (
        sum(hits.values()) < MIN_KILLS or min(hits[s] for s in STAGES) < MIN_PER_STAGE
    ):
        rounds += 1
        db = tmp_path / f"round{rounds}.db"
        cmd = _command(corpus, db)
        for target in PLAN:
            if not _kill_during(cmd, db, target, rng):
                missed += 1
                continue
            conn = _connect(db)
            hit = _stage(conn, db) if conn is not None else "ingest"
            if conn is not None:
                conn.close()
            hits[hit] += 1
            if db.exists():
                problems = _violations(db)
                assert not problems, f"round {rounds}, kill aimed at {target}, hit {hit}: {problems}"
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert not _violations(db)
        conn = _connect(db)
        assert conn is not None and _stage(conn, db) == "done"
        conn.close()
        differences = _differences(_result(db), want)
        assert not differences, (
            f"round {rounds}: the rerun after kills differs from a clean run:\n" + "\n".join(differences)
        )
        db.unlink()

    total = sum(hits.values())
    print(
        f"\nkill-pipeline: {total} kills survived in {rounds} rounds ({missed} runs finished before their kill); "
        f"per stage: {dict(sorted(hits.items()))}; every rerun matched the clean run; "
        f"{time.perf_counter() - started:.0f} s"
    )
    assert total >= MIN_KILLS
    assert all(hits[s] >= MIN_PER_STAGE for s in STAGES), hits
