"""``triangulate eval gvc|ecbplus``: document-to-incident clustering of the whole pipeline on GVC and
ECB+, beside the two TF-IDF baselines (``evaluate.baselines``) tuned on train and dev, as ours was.

Every document of the corpus is ingested (train and dev documents act as distractors); a document's
incident is its main event's incident, as in ``../shared/checks/linking_eval.py``.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from triangulate.evaluate.baselines import agglomerate, similarities, tuned, windowed
from triangulate.evaluate.clusters import score_clusters
from triangulate.evaluate.registry import EvalOptions, evaluation, need


@dataclass(frozen=True, slots=True)
class Corpus:
    """A clustering benchmark: documents, their gold clusters, and which split each belongs to."""

    path: Path
    mapping: str
    ids: list[str]
    texts: list[str]
    days: list[date | None]
    gold: dict[str, str]
    split_of: dict[str, str]

    def gold_for(self, *splits: str) -> dict[str, str]:
        return {d: c for d, c in self.gold.items() if "all" in splits or self.split_of[d] in splits}


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gvc_corpus(data_dir: Path) -> Corpus:
    path = need(data_dir / "data" / "gvc" / "gvc_docs_fulltext.jsonl", "GVC documents")
    rows = _records(path)
    return Corpus(path, "text=text,published=dct,title=title,url=url,id=doc_id", [r["doc_id"] for r in rows],
                  [r["text"] for r in rows], [date.fromisoformat(r["dct"][:10]) if r.get("dct") else None for r in rows],
                  {r["doc_id"]: str(r["incident_id"]) for r in rows}, {r["doc_id"]: r["split_bugert2021"] for r in rows})


def ecbplus_corpus(data_dir: Path) -> Corpus:
    path = need(data_dir / "data" / "ecbplus" / "ecbplus_docs_text.jsonl", "ECB+ documents")
    rows = _records(path)
    # Topics 36-45 are the test topics of the usual split; 1-35 are train and dev, used for tuning.
    return Corpus(path, "text=text,id=doc_id", [r["doc_id"] for r in rows], [r["text"] for r in rows], [None] * len(rows),
                  {r["doc_id"]: str(r["subtopic"]) for r in rows},
                  {r["doc_id"]: "test" if int(r["topic"]) >= 36 else "train" for r in rows})


def ours(corpus: Corpus) -> dict[str, str]:
    """Each document's incident after ``triangulate run`` on the whole corpus."""
    from triangulate.export.incidents import incident_rows_native
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.run import run
    from triangulate.store.db import Store

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "eval.db") as store:
        run(store, [corpus.path], fmt="jsonl", field_map=FieldMap.parse(corpus.mapping))
        names = {r[0]: r[1] for r in store.query("SELECT id, external_id FROM documents")}
        predicted: dict[str, str] = {}
        for row in incident_rows_native(store):
            for doc in row["main_documents"]:
                predicted.setdefault(names[doc], str(row["id"]))
        return predicted


def compare(corpus: Corpus, split: str, tune_splits: tuple[str, ...]) -> dict[str, Any]:
    """Our clustering and both baselines on ``split``; the baselines' thresholds tuned on ``tune_splits``."""
    gold, tune_gold = corpus.gold_for(split), corpus.gold_for(*tune_splits)
    sim = similarities(corpus.texts)
    out: dict[str, Any] = {"split": split, "tuned_on": list(tune_splits), "ours": score_clusters(gold, ours(corpus)),
                           "baseline_tfidf": tuned(agglomerate(sim), corpus.ids, tune_gold, gold)}
    if any(corpus.days):
        out["baseline_tfidf_7day_window"] = tuned(agglomerate(windowed(sim, corpus.days, 7)), corpus.ids, tune_gold, gold)
    else:
        out["baseline_tfidf_7day_window"] = {"skipped": "the corpus has no publication dates"}
    return out


@evaluation("gvc", "GVC document-to-incident clustering (B3, pairwise), beside TF-IDF average-linkage baselines tuned on train+dev.")
def gvc(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return compare(gvc_corpus(data_dir), options.split, ("train", "dev"))


@evaluation("ecbplus", "ECB+ subtopic clustering (test = topics 36-45), beside TF-IDF baselines tuned on topics 1-35.")
def ecbplus(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    split = "test" if options.split in ("test", "dev") else options.split
    return compare(ecbplus_corpus(data_dir), split, ("train",))
