"""How the web app answers while a pipeline run writes to its store: request rate, p50/p99 latency, errors.

Run: .venv/bin/python benchmarks/load_during_ingest.py [--reports 600] [--threads 3] [--idle-seconds 20] [--no-save]

Builds a store from the example corpus plus 200 generated reports, starts the real server
(`triangulate serve`, uvicorn on 127.0.0.1, a free port) on it, and hammers pages and the API from
``--threads`` clients (tests/live_server.py: lists, filters, search, one incident and document, map
data, CSV export, and a new anonymous session now and then, which is a write) in two phases:

* **idle**: nothing else touches the store, for ``--idle-seconds``;
* **during ingest**: a `triangulate run` subprocess ingests, extracts, links and reconciles
  ``--reports`` new reports into the same file; the phase lasts until it exits.

Both phases run in this process against the same server, so the printed ratios (during / idle)
compare like with like. The ingest is also timed alone, on a copy of the store, to show what the
load costs the writer. Errors are 5xx answers, failed requests and any body mentioning a locked
database; the server log is searched for "database is locked" and tracebacks too. Writes
benchmarks/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live_server import (  # noqa: E402  (the repository root goes on sys.path first)
    SERVER_ERROR_MARKERS,
    HammerResult,
    hammer,
    live_server,
    percentile,
    read_urls,
    start_run,
    write_corpus,
)

RESULTS = ROOT / "benchmarks" / "results" / "load.json"
EXAMPLES = ROOT / "examples"


def machine() -> dict[str, Any]:
    """CPU, cores, Python and SQLite versions, and the load average when the run started."""
    cpu = platform.machine()
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_1m_at_start": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def summarise(result: HammerResult, seconds: float) -> dict[str, Any]:
    """Requests, rate, latency percentiles, errors and status counts of one phase."""
    times = [s.seconds * 1000 for s in result.samples]
    per_url: dict[str, list[float]] = {}
    for s in result.samples:
        per_url.setdefault(s.url, []).append(s.seconds * 1000)
    return {
        "requests": len(times),
        "seconds": round(seconds, 2),
        "rate_rps": round(len(times) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(times, 0.50), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "max_ms": round(max(times, default=0.0), 1),
        "errors": len(result.errors),
        "locked": sum(1 for s in result.samples if "database is locked" in s.problem),
        "statuses": dict(sorted(Counter(str(s.status) for s in result.samples).items())),
        "first_errors": [
            {"url": s.url, "status": s.status, "problem": s.problem[:200]} for s in result.errors[:5]
        ],
        "p50_ms_by_url": {u: round(percentile(v, 0.5), 1) for u, v in sorted(per_url.items())},
    }


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def build_store(folder: Path) -> Path:
    """The example corpus and 200 generated reports through the real pipeline."""
    from triangulate.pipeline.run import run
    from triangulate.store.db import Store

    base = folder / "base"
    manifest = write_corpus(base, 200, seed=3)
    db = folder / "load.db"
    with Store.open(db) as store:
        run(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
        run(store, [base], manifest=manifest)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def time_ingest_alone(db: Path, reports: Path, manifest: Path, folder: Path) -> float:
    """Seconds the same `triangulate run` takes on a copy of the store with no web load."""
    copy = folder / "alone.db"
    shutil.copy(db, copy)
    started = time.monotonic()
    process = start_run([reports], copy, folder / "alone.log", manifest)
    if process.wait() != 0:
        raise SystemExit(f"ingest alone failed:\n{(folder / 'alone.log').read_text()}")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=600, help="reports ingested during the loaded phase")
    parser.add_argument("--threads", type=int, default=3, help="concurrent client threads")
    parser.add_argument("--idle-seconds", type=float, default=20.0, help="length of the idle phase")
    parser.add_argument(
        "--no-save", action="store_true", help="print only; leave benchmarks/results/load.json alone"
    )
    args = parser.parse_args()
    info = machine()
    with tempfile.TemporaryDirectory(prefix="tri-load-") as tmp:
        folder = Path(tmp)
        print("building the store ...", flush=True)
        db = build_store(folder)
        reports = folder / "incoming"
        manifest = write_corpus(reports, args.reports, seed=17)
        print(f"timing `triangulate run` on {args.reports} reports with no load ...", flush=True)
        alone_s = time_ingest_alone(db, reports, manifest, folder)
        with live_server(db, folder / "server.log") as server:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                urls = read_urls(client)
                for url in urls:  # warm-up: imports, templates, caches
                    client.get(url)
            print(f"idle phase: {args.idle_seconds:.0f} s, {args.threads} threads ...", flush=True)
            started = time.monotonic()
            idle = hammer(
                server.url,
                urls,
                threads=args.threads,
                until=lambda: time.monotonic() - started >= args.idle_seconds,
            )
            idle_s = time.monotonic() - started
            print("loaded phase: until `triangulate run` exits ...", flush=True)
            started = time.monotonic()
            writer = start_run([reports], db, folder / "run.log", manifest)
            during = hammer(
                server.url,
                urls,
                threads=args.threads,
                until=lambda: writer.poll() is not None,
                min_requests=50,
            )
            writer.wait()
            during_s = time.monotonic() - started
            run_log = (folder / "run.log").read_text(errors="replace")
            server_log = server.log()
        if writer.returncode != 0:
            raise SystemExit(f"`triangulate run` failed:\n{run_log}")
    idle_summary, during_summary = summarise(idle, idle_s), summarise(during, during_s)
    result = {
        "machine": info,
        "reports_ingested": args.reports,
        "threads": args.threads,
        "urls": urls,
        "ingest_summary": run_log.strip().splitlines()[-4:],
        "ingest_alone_s": round(alone_s, 2),
        "ingest_under_load_s": round(during_s, 2),
        "idle": idle_summary,
        "during_ingest": during_summary,
        "ratios_during_over_idle": {
            "rate": ratio(during_summary["rate_rps"], idle_summary["rate_rps"]),
            "p50": ratio(during_summary["p50_ms"], idle_summary["p50_ms"]),
            "p99": ratio(during_summary["p99_ms"], idle_summary["p99_ms"]),
        },
        "ingest_slowdown_under_load": ratio(during_s, alone_s),
        "server_log_markers": {m: server_log.count(m) for m in SERVER_ERROR_MARKERS},
    }
    print()
    print(f"{'phase':<16}{'requests':>9}{'rate r/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
    for name, s in (("idle", idle_summary), ("during ingest", during_summary)):
        print(
            f"{name:<16}{s['requests']:>9}{s['rate_rps']:>10}{s['p50_ms']:>9}{s['p99_ms']:>9}{s['max_ms']:>9}{s['errors']:>8}"
        )
    r = result["ratios_during_over_idle"]
    print(f"during / idle: rate x{r['rate']}, p50 x{r['p50']}, p99 x{r['p99']}")
    print(
        f"ingest of {args.reports} reports: {alone_s:.1f} s alone, {during_s:.1f} s under load "
        f"(x{result['ingest_slowdown_under_load']})"
    )
    print(f"server log: {result['server_log_markers']}")
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
