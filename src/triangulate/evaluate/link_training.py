"""Train the same-incident pair model (``triangulate/data/pair_model.json``) on the train splits.

    triangulate train-pair-model --data-dir ../shared [--stores DIR] [--out FILE]

Each corpus is run through the whole pipeline in the order news arrives (gva_dev and GVC by publication
date, ECB+ shuffled with seed 7), so the events are what linking meets. Pairs are the main events of two
reports that share a blocking key (``link.cluster.blocking_keys``) inside one split, with no hard
constraint between them; a pair is positive when the gold puts both reports in one incident. The
logistic regression is fitted on the train splits (gva_dev's train half, GVC train, ECB+ topics 1-22),
each corpus weighing the same, and its average precision is reported on the dev splits (gva_dev's dev
half, GVC dev, ECB+ topics 23-35), which select it. Test splits are never read.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from triangulate.evaluate.linking import Corpus, ecbplus_corpus, gva_dev_corpus, gvc_corpus
from triangulate.link.pair_model import FILE_NAME, PairModel

C = 1.0  # inverse L2 strength (sklearn's default)
SHIPPED = Path(__file__).parents[1] / "data" / FILE_NAME
ECB_SEED = 7


@dataclass(frozen=True, slots=True)
class Source:
    """A training corpus (``evaluate.linking``'s reading of it) and the order its reports are fed in."""

    name: str
    corpus: Corpus
    order: list[int]  # indices into the corpus file's lines

    @property
    def gold(self) -> dict[str, tuple[str, str]]:
        """Report id -> (gold incident, split)."""
        return {d: (c, self.corpus.split_of[d]) for d, c in self.corpus.gold.items()}


def sources(data_dir: Path) -> list[Source]:
    """gva_dev by date, GVC by date (ties as ``../shared/checks/reorder.py`` breaks them) and ECB+ shuffled with
    seed 7, with their splits (test splits marked, never used)."""
    gva, gvc, ecb = gva_dev_corpus(data_dir), gvc_corpus(data_dir), ecbplus_corpus(data_dir)
    raw = _lines(gvc.path)
    by_dct = sorted(range(len(raw)), key=lambda i: (json.loads(raw[i]).get("dct") or "", raw[i] + "\n"))
    return [
        Source("gva_dev", gva, gva.orders()["date"]),
        Source("gvc", gvc, by_dct),
        Source("ecbplus", ecb, ecb.orders()[f"shuffle-{ECB_SEED}"]),
    ]


def _lines(path: Path) -> list[str]:
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def build_store(source: Source, path: Path) -> Path:
    """Run the pipeline on the source's reports, in their order, into ``path`` (kept if it exists)."""
    from triangulate.ingest.readers.base import FieldMap
    from triangulate.pipeline.run import run
    from triangulate.store.db import Store

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = _lines(source.corpus.path)
    fed = path.with_suffix(".jsonl")
    fed.write_text("".join(lines[i] + "\n" for i in source.order), encoding="utf-8")
    with Store.open(path) as store:
        run(store, [fed], fmt="jsonl", field_map=FieldMap.parse(source.corpus.mapping))
    return path


def blocked_pairs(store_path: Path, gold: dict[str, tuple[str, str]]) -> list[dict]:  # type: ignore[type-arg]
    """Every pair of main events of one split that shares a blocking key and no hard constraint forbids:
    ``{"split", "y", "x"}`` with the features of :func:`triangulate.link.score.pair_features`. ``gold`` maps a
    report's id (else its source) to its gold incident and split."""
    from triangulate.link.cluster import Linker, blocking_keys
    from triangulate.link.score import pair_features
    from triangulate.settings import Settings
    from triangulate.store.db import Store

    with Store.open(store_path) as store:
        linker = Linker(store, Settings())
        rows = store.query(
            "SELECT e.id, COALESCE(NULLIF(d.external_id, ''), d.source) FROM events e JOIN documents d ON d.id = e.doc_id"
            " WHERE e.role = 'main' AND e.modality = 'asserted' ORDER BY e.id"
        )
        report = {event: ext for event, ext in rows if ext in gold and gold[ext][1] != "test"}
        features = {event: linker.features(event) for event in report}
    keyed: dict[str, list[int]] = defaultdict(list)
    for event, f in features.items():
        for key in blocking_keys(f):
            keyed[key].append(event)
    pairs = sorted(
        {
            (a, b)
            for events in keyed.values()
            for a, b in itertools.combinations(sorted(events), 2)
            if gold[report[a]][1] == gold[report[b]][1] and features[a].doc_id != features[b].doc_id
        }
    )
    out = []
    for a, b in pairs:
        x = pair_features(features[a], features[b])
        if x is not None:
            out.append(
                {"split": gold[report[a]][1], "y": int(gold[report[a]][0] == gold[report[b]][0]), "x": x}
            )
    return out


def fit(pairs: dict[str, list[dict]], c: float = C) -> tuple[PairModel, dict[str, dict[str, float]]]:  # type: ignore[type-arg]
    """The logistic regression on the train pairs (each corpus weighing the same), and average precision per
    corpus and split (train, dev)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    names = sorted(next(iter(p for ps in pairs.values() for p in ps))["x"])

    def matrix(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[type-arg]
        return np.array([[r["x"][n] for n in names] for r in rows]), np.array([r["y"] for r in rows])

    xs, ys, ws = [], [], []
    for rows in pairs.values():
        train = [r for r in rows if r["split"] == "train"]
        x, y = matrix(train)
        xs.append(x)
        ys.append(y)
        ws.append(np.full(len(y), 1.0 / len(y)))
    weight = np.concatenate(ws)
    model = LogisticRegression(C=c, max_iter=5000).fit(
        np.vstack(xs), np.concatenate(ys), sample_weight=weight * len(weight)
    )
    scores: dict[str, dict[str, float]] = {}
    for corpus, rows in pairs.items():
        for split in ("train", "dev"):
            part = [r for r in rows if r["split"] == split]
            if part and any(r["y"] for r in part):
                x, y = matrix(part)
                scores.setdefault(corpus, {})[split] = round(
                    float(average_precision_score(y, model.decision_function(x))), 4
                )
    weights = {n: round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True)}
    counts = {
        corpus: {
            "train_pairs": sum(r["split"] == "train" for r in rows),
            "train_positive": sum(r["y"] for r in rows if r["split"] == "train"),
        }
        for corpus, rows in pairs.items()
    }
    provenance = {
        "command": "triangulate train-pair-model --data-dir ../shared",
        "trained_on": "gva_dev train half (by date), GVC train (by date), ECB+ topics 1-22 (shuffled, seed 7)",
        "selected_on": "gva_dev dev half, GVC dev, ECB+ topics 23-35",
        "C": c,
        "pairs": counts,
        "average_precision": scores,
    }
    return PairModel(weights, round(float(model.intercept_[0]), 4), provenance), scores


def train(data_dir: Path, stores: Path | None = None, out: Path | None = None, c: float = C) -> PairModel:
    """Build (or reuse, from ``stores``) the corpora's stores, fit the model and write it to ``out`` (default: the
    shipped ``triangulate/data/pair_model.json``)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = stores or Path(tmp)
        pairs = {
            s.name: blocked_pairs(build_store(s, folder / f"{s.name}.db"), s.gold) for s in sources(data_dir)
        }
    model, _ = fit(pairs, c)
    (out or SHIPPED).write_text(model.to_json(), encoding="utf-8")
    return model
