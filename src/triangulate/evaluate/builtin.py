"""Built-in evaluations: the seeds acceptance case, TempEval-3 dates, LGL/GeoWebNews geocoding."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from triangulate.evaluate.registry import EvalOptions, evaluation, need


@evaluation(
    "tempeval3",
    "Date normalisation on TempEval-3 TimeBank+AQUAINT: gold-span value accuracy, end-to-end F1.",
    splits=(),
)
def tempeval3(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    from triangulate.evaluate.tempeval import evaluate

    return evaluate(need(data_dir / "data" / "tempeval3_tbaq", "TempEval-3 data"))


@evaluation(
    "geo", "Toponym resolution on LGL and GeoWebNews, for gold spans and for our own NER spans.", splits=()
)
def geo(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    from triangulate.evaluate.geo import evaluate

    return evaluate(need(data_dir / "data" / "geoparsing", "geoparsing corpora"))


@evaluation(
    "seeds", "The five seed reports against gold.json: clustering, event fields, claims, mentions.", splits=()
)
def seeds(data_dir: Path, options: EvalOptions) -> dict[str, Any]:
    from triangulate.evaluate.seeds import score_seeds
    from triangulate.pipeline.run import run
    from triangulate.store.db import Store

    folder = need(data_dir / "seeds", "seed reports")
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "seeds.db")
        try:
            run(store, [folder])
            return score_seeds(store, gold)
        finally:
            store.close()
