"""End-to-end throughput: ingest, extract, link and reconcile against bare ``en_core_web_sm`` ``nlp.pipe``
on the same texts, in the same run; peak memory per stage; the Ray engine against local.

Run: .venv/bin/python benchmarks/end_to_end.py [--docs 1000 10000] [--words 190] [--ray]
Writes benchmarks/results/end_to_end.json and the table between the end-to-end markers in docs/performance.md.

Real reports: ``--real ../shared/data/gva_dev/documents.jsonl`` runs the chain on that JSONL corpus (fields text,
title, published, url, doc_id) instead of synthetic texts, prints the comparison and saves nothing (the corpus is
third-party news: nothing of it is written to the repository).

Each measurement runs in a fresh subprocess, so peak memory is per run. The texts are synthetic
reports from ``ingest_throughput.py`` (planted wire copies included), trimmed to about ``--words``
words; the baseline reads the very texts our run stored.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = ROOT / "benchmarks" / "results" / "end_to_end.json"
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
START_MARK = "<!-- end-to-end-benchmark:start -->"
END_MARK = "<!-- end-to-end-benchmark:end -->"
GDELT_DOCS_PER_S = 8.4
BACKFILL_DOCS, BACKFILL_SECONDS = 100_000_000, 7 * 86_400

from ingest_throughput import _reset_peak_rss as _reset_peak  # noqa: E402 - after the sys.path entry
from ingest_throughput import _status_mb  # noqa: E402


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def write_corpus(folder: Path, n: int, words: int) -> None:
    """N synthetic txt reports of about ``words`` words (whole paragraphs kept)."""
    import random

    from ingest_throughput import CorpusMaker, render_txt

    rng = random.Random(8)
    folder.mkdir(parents=True)
    for article in CorpusMaker(7).corpus(n):
        kept, count = [], 0
        for para in article.paragraphs:
            if count >= words:
                break
            kept.append(para)
            count += len(para.split())
        article.paragraphs = kept
        (folder / f"doc{article.index:06d}.txt").write_text(render_txt(article, rng), encoding="utf-8")


REAL_FIELDS = "text=text,published=published,title=title,url=url,id=doc_id"


def child_ours(corpus: Path, db: Path, engine_name: str, workers: int) -> dict[str, object]:
    """The whole chain, stage by stage, with wall time and peak memory per stage."""
    from triangulate.engines import open_engine
    from triangulate.ingest.pipeline import ingest
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.run import update
    from triangulate.settings import Settings
    from triangulate.store.db import Store

    settings = Settings(engine=engine_name, workers=workers)
    stages: dict[str, dict[str, float | None]] = {}
    store = Store.open(db)
    started = time.perf_counter()
    with open_engine(settings) as engine:
        field_map = FieldMap.parse(REAL_FIELDS) if corpus.suffix == ".jsonl" else None
        for name, step in (
            ("ingest", lambda: ingest(store, [corpus], settings=settings, field_map=field_map)),
            ("extract", lambda: engine.extract(store)),
            ("link + reconcile", lambda: update(store, settings, engine)),
        ):
            _reset_peak()
            t = time.perf_counter()
            step()
            stages[name] = {
                "seconds": round(time.perf_counter() - t, 2),
                "driver_peak_mb": _status_mb("VmHWM"),
            }
    total = time.perf_counter() - started
    stages["extract"]["workers_peak_mb"] = (
        round(_children_peak_mb(), 1) if workers != 1 and engine_name == "local" else None
    )
    docs = store.query("SELECT count(*) FROM documents")[0][0]
    words = sum(len(r[0].split()) for r in store.query("SELECT text FROM documents"))
    incidents = store.query("SELECT count(*) FROM incidents WHERE merged_into IS NULL AND n_documents > 0")[
        0
    ][0]
    store.close()
    return {
        "seconds": round(total, 2),
        "docs": docs,
        "words": words,
        "incidents": incidents,
        "stages": stages,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def child_bare(db: Path) -> dict[str, object]:
    """Bare en_core_web_sm nlp.pipe (one process) over the texts our run stored."""
    import sqlite3

    from triangulate.extract.nlp import load_base_model

    texts = [r[0] for r in sqlite3.connect(db).execute("SELECT text FROM documents ORDER BY id")]
    nlp = load_base_model("")
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return {"seconds": round(time.perf_counter() - started, 2), "docs": len(texts)}


def _child(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed: {' '.join(args)}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(n: int, words: int, ray: bool, real: Path | None = None) -> dict[str, object]:
    """One corpus size (or the real corpus): ours (local, default workers) and the bare baseline; Ray too when asked."""
    with tempfile.TemporaryDirectory(prefix="tri-e2e-") as tmp:
        corpus = real.resolve() if real else Path(tmp) / "corpus"
        if real is None:
            write_corpus(corpus, n, words)
        ours = _child("ours", str(corpus), str(Path(tmp) / "local.db"), "local", "0")
        bare = _child("bare", str(Path(tmp) / "local.db"))
        out: dict[str, object] = {"docs": ours["docs"], "words": ours["words"], "local": ours, "bare": bare}
        if ray:
            out["ray"] = _child("ours", str(corpus), str(Path(tmp) / "ray.db"), "ray", "0")
    ours_rate = ours["docs"] / ours["seconds"]
    bare_rate = bare["docs"] / bare["seconds"]
    out.update(
        ours_docs_per_s=round(ours_rate, 1),
        ours_words_per_s=round(ours["words"] / ours["seconds"]),
        bare_docs_per_s=round(bare_rate, 1),
        bare_words_per_s=round(ours["words"] / bare["seconds"]),
        ratio=round(ours_rate / bare_rate, 3),
    )
    if ray:
        out["ray_over_local"] = round(ours["seconds"] / out["ray"]["seconds"], 3)
    return out


def projection(rate_per_core: float) -> dict[str, float]:
    """Cores needed for GDELT's stream and for a 100-million-article back-fill in a week."""
    backfill = BACKFILL_DOCS / BACKFILL_SECONDS
    return {
        "docs_per_s_per_core": round(rate_per_core, 1),
        "gdelt_cores": round(GDELT_DOCS_PER_S / rate_per_core, 2),
        "backfill_docs_per_s": round(backfill, 1),
        "backfill_cores": round(backfill / rate_per_core, 1),
    }


def table(result: dict[str, object]) -> str:
    rows = [
        "| docs | words/doc | ours docs/s | ours words/s | bare spaCy docs/s | ratio | ingest s | extract s | "
        "link + reconcile s | peak MB (driver / workers) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["sizes"]:
        st = r["local"]["stages"]
        peak = max(v["driver_peak_mb"] or 0 for v in st.values())
        rows.append(
            f"| {r['docs']:,} | {r['words'] / r['docs']:.0f} | {r['ours_docs_per_s']} | {r['ours_words_per_s']:,} | "
            f"{r['bare_docs_per_s']} | **{r['ratio']:.2f}** | {st['ingest']['seconds']} | {st['extract']['seconds']} | "
            f"{st['link + reconcile']['seconds']} | {peak:.0f} / {st['extract']['workers_peak_mb'] or 0:.0f} |"
        )
    lines = ["\n".join(rows), ""]
    ray = [r for r in result["sizes"] if "ray" in r]
    for r in ray:
        lines.append(
            f"Ray engine (local Ray instance, this machine) on {r['docs']:,} documents: {r['ray']['seconds']} s against "
            f"{r['local']['seconds']} s for the local engine (local/ray = {r['ray_over_local']:.2f})."
        )
    p = result["projection"]
    lines += [
        "",
        f"Projection from the measured {p['docs_per_s_per_core']} docs/s per core: GDELT's ~{GDELT_DOCS_PER_S} "
        f"articles/s needs **{p['gdelt_cores']} cores**; a 100-million-article back-fill in a week "
        f"({p['backfill_docs_per_s']} docs/s) needs **{p['backfill_cores']:.0f} cores**, at the whole chain's rate on the "
        "largest run. Extraction spreads over a cluster; linking only as far as the blocking keys split a batch into "
        "groups (one group on these corpora, see below), and reconciliation runs on the driver, so their single-core "
        "rate (documents / the link + reconcile seconds above) caps a back-fill until blocking partitions the stream.",
    ]
    return "\n".join(lines)


def write_doc(result: dict[str, object]) -> None:
    text = PERFORMANCE_DOC.read_text(encoding="utf-8")
    block = f"{START_MARK}\n{table(result)}\n{END_MARK}"
    if START_MARK in text:
        head, rest = text.split(START_MARK, 1)
        text = head + block + rest.split(END_MARK, 1)[1]
    else:
        text = text.rstrip() + "\n\n## End-to-end throughput\n\n" + block + "\n"
    PERFORMANCE_DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--words", type=int, default=190)
    parser.add_argument("--ray", action="store_true", help="Also run the Ray engine on the first size.")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument(
        "--real", type=Path, help="A JSONL corpus of real reports to run instead (nothing is saved)."
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        out = (
            child_ours(Path(rest[0]), Path(rest[1]), rest[2], int(rest[3]))
            if kind == "ours"
            else child_bare(Path(rest[0]))
        )
        print(json.dumps(out))
        return
    if args.real:
        if not args.real.is_file():
            raise SystemExit(
                f"{args.real}: no such corpus (pass the path of a JSONL file, e.g. ../shared/data/gva_dev/documents.jsonl)"
            )
        r = measure(0, 0, False, args.real)
        print(
            f"{args.real}: {r['docs']} docs, {r['words'] / r['docs']:.0f} words/doc: ours {r['ours_docs_per_s']} docs/s, "
            f"bare spaCy {r['bare_docs_per_s']} docs/s, ratio {r['ratio']:.2f}; stages {r['local']['stages']}"
        )
        return
    sizes = []
    for i, n in enumerate(args.docs):
        r = measure(n, args.words, args.ray and i == 0)
        sizes.append(r)
        print(
            f"{r['docs']:>6} docs: ours {r['ours_docs_per_s']} docs/s ({r['ours_words_per_s']} words/s), bare spaCy "
            f"{r['bare_docs_per_s']} docs/s, ratio {r['ratio']:.2f}; stages {r['local']['stages']}"
            + (f"; ray {r['ray']['seconds']} s vs local {r['local']['seconds']} s" if "ray" in r else "")
        )
    cores = os.cpu_count() or 1
    largest = sizes[-1]
    result = {
        "benchmark": "end_to_end",
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": {
            "cpu": platform.processor() or platform.machine(),
            "cores": cores,
            "python": platform.python_version(),
        },
        "target_ratio": 0.6,
        "sizes": sizes,
        "projection": projection(largest["ours_docs_per_s"] / cores),
    }
    print(table(result))
    if not args.no_save:
        RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        write_doc(result)


if __name__ == "__main__":
    main()
