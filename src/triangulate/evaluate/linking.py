"""``triangulate eval gvc|ecbplus|gva-dev``: document-to-incident clustering of the whole pipeline on GVC,
ECB+ and gva_dev, beside the two TF-IDF baselines (``evaluate.baselines``) tuned on the tuning splits.

Every document of the corpus is ingested (the other splits' documents act as distractors) in the order
news arrives, never grouped by gold incident: by publication date where the corpus has dates, and in
three orders shuffled with fixed seeds; the mean and the spread (max - min) over those orders are
reported beside each order's score. A document's incident is its main event's incident, as in
``../shared/checks/linking_eval.py``.
"""

from __future__ import annotations

import json
import random
import statistics
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

    def orders(self) -> dict[str, list[int]]:
        """The arrival orders it is evaluated in: by publication date (where it has dates; ties in file order),
        then shuffled with each of ``SEEDS``."""
        out: dict[str, list[int]] = {}
        if any(self.days):
            out["date"] = sorted(range(len(self.ids)), key=lambda i: (self.days[i] or date.min, i))
        for seed in SEEDS:
            order = list(range(len(self.ids)))
            random.Random(seed).shuffle(order)
            out[f"shuffle-{seed}"] = order
        return out


SEEDS = (7, 11, 23)


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gvc_corpus(data_dir: Path) -> Corpus:
    path = need(data_dir / "data" / "gvc" / "gvc_docs_fulltext.jsonl", "GVC documents")
    rows = _records(path)
    return Corpus(
        path,
        "text=text,published=dct,title=title,url=url,id=doc_id",
        [r["doc_id"] for r in rows],
        [r["text"] for r in rows],
        [date.fromisoformat(r["dct"][:10]) if r.get("dct") else None for r in rows],
        {r["doc_id"]: str(r["incident_id"]) for r in rows},
        {r["doc_id"]: r["split_bugert2021"] for r in rows},
    )


def ecbplus_corpus(data_dir: Path) -> Corpus:
    path = need(data_dir / "data" / "ecbplus" / "ecbplus_docs_text.jsonl", "ECB+ documents")
    rows = _records(path)
    # Topics 36-45 are the test topics of the usual split; 1-22 train and 23-35 dev, both used for tuning.
    return Corpus(
        path,
        "text=text,id=doc_id",
        [r["doc_id"] for r in rows],
        [r["text"] for r in rows],
        [None] * len(rows),
        {r["doc_id"]: str(r["subtopic"]) for r in rows},
        {
            r["doc_id"]: "test" if int(r["topic"]) >= 36 else "dev" if int(r["topic"]) >= 23 else "train"
            for r in rows
        },
    )


def gva_dev_corpus(data_dir: Path) -> Corpus:
    """gva_dev: 1,839 US shooting reports of 1,077 incidents; halves ``train`` (tuned on) and ``dev`` by incident."""
    path = need(data_dir / "data" / "gva_dev" / "documents.jsonl", "gva_dev documents")
    rows = _records(path)
    return Corpus(
        path,
        "text=text,published=published,title=title,url=url,id=doc_id",
        [r["doc_id"] for r in rows],
        [f"{r.get('title') or ''}\n\n{r['text']}" for r in rows],
        [date.fromisoformat(r["published"][:10]) if r.get("published") else None for r in rows],
        {r["doc_id"]: str(r["incident_id"]) for r in rows},
        {r["doc_id"]: r["half"] for r in rows},
    )


def ours(corpus: Corpus, order: list[int] | None = None) -> dict[str, str]:
    """Each document's incident after ``triangulate run`` on the whole corpus, fed in ``order`` (indices into
    the corpus file's lines; default: by publication date, else shuffled with the first seed)."""
    from triangulate.export.incidents import incident_rows_native
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.run import run
    from triangulate.store.db import Store

    if order is None:
        order = next(iter(corpus.orders().values()))
    lines = [x for x in corpus.path.read_text(encoding="utf-8").splitlines() if x.strip()]
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "eval.db") as store:
        fed = Path(tmp) / corpus.path.name
        fed.write_text("".join(lines[i] + "\n" for i in order), encoding="utf-8")
        run(store, [fed], fmt="jsonl", field_map=FieldMap.parse(corpus.mapping))
        names = {r[0]: r[1] for r in store.query("SELECT id, external_id FROM documents")}
        predicted: dict[str, str] = {}
        for row in incident_rows_native(store):
            for doc in row["main_documents"]:
                predicted.setdefault(names[doc], str(row["id"]))
        return predicted


def in_orders(corpus: Corpus, splits: tuple[str, ...]) -> dict[str, Any]:
    """Our clustering of each split in every arrival order, with the mean and spread of B3 and pairwise F1."""
    runs = {name: ours(corpus, order) for name, order in corpus.orders().items()}
    out: dict[str, Any] = {}
    for split in splits:
        scores = {name: score_clusters(corpus.gold_for(split), predicted) for name, predicted in runs.items()}
        summary: dict[str, Any] = {"orders": scores}
        for metric in ("b3_f1", "pair_f1"):
            values = [r[metric] for r in scores.values()]
            summary[f"{metric}_mean"] = round(statistics.fmean(values), 4)
            summary[f"{metric}_spread"] = round(max(values) - min(values), 4)
        out[split] = summary
    return out


def _tuning_splits(split: str) -> tuple[str, ...]:
    """Where the baselines' thresholds are tuned: the tuning splits (train, dev) other than the scored one."""
    return tuple(s for s in ("train", "dev") if s != split)


def compare(corpus: Corpus, split: str, tune_splits: tuple[str, ...]) -> dict[str, Any]:
    """Our clustering (every arrival order, mean and spread) and both baselines on ``split``; the baselines'
    thresholds tuned on ``tune_splits``."""
    gold, tune_gold = corpus.gold_for(split), corpus.gold_for(*tune_splits)
    sim = similarities(corpus.texts)
    out: dict[str, Any] = {
        "split": split,
        "tuned_on": list(tune_splits),
        "ours": in_orders(corpus, (split,))[split],
        "baseline_tfidf": tuned(agglomerate(sim), corpus.ids, tune_gold, gold),
    }
    if any(corpus.days):
        out["baseline_tfidf_7day_window"] = tuned(
            agglomerate(windowed(sim, corpus.days, 7)), corpus.ids, tune_gold, gold
        )
    else:
        out["baseline_tfidf_7day_window"] = {"skipped": "the corpus has no publication dates"}
    return out


@evaluation(
    "gvc",
    "GVC document-to-incident clustering (B3, pairwise) by date and in 3 shuffles, beside TF-IDF average-linkage baselines tuned on the other tuning splits (train+dev for test).",
)
def gvc(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return compare(gvc_corpus(data_dir), str(options.split), _tuning_splits(str(options.split)))


@evaluation(
    "ecbplus",
    "ECB+ subtopic clustering in 3 shuffles (dev = topics 23-35, test = 36-45), beside TF-IDF baselines tuned on the other tuning splits (topics 1-35 for test).",
)
def ecbplus(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return compare(ecbplus_corpus(data_dir), str(options.split), _tuning_splits(str(options.split)))


@evaluation(
    "gva-dev",
    "gva_dev: US shooting reports to incidents by date and in 3 shuffles (split dev = the evaluated half), beside TF-IDF baselines tuned on the train half.",
    splits=("train", "dev"),
    default="dev",
)
def gva_dev(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    return compare(
        gva_dev_corpus(data_dir), str(options.split), ("train",) if options.split == "dev" else ("dev",)
    )
