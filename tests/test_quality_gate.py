"""Quality gate: scores on the seeds, the example corpus and the public benchmarks may not fall below
the floors pinned in tests/quality_floors.json (raise a floor when you beat it)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, SHARED
from triangulate.evaluate.seeds import score_seeds
from triangulate.evaluate.truth import examples_by_date
from triangulate.pipeline.run import run
from triangulate.store.db import Store

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())


def test_seeds_meet_floors(tmp_path):
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"seed reports not found at {SHARED / 'seeds'}")
    from triangulate.evaluate.registry import run_evaluation

    result = run_evaluation("seeds", SHARED)
    assert result["clustering"]["b3_f1"] >= FLOORS["seeds_b3_f1"]
    assert result["field_accuracy"] >= FLOORS["seeds_field_accuracy"]
    assert result["background"]["found"] >= FLOORS["seeds_background_found"], result["background"]


def _examples_in(order: str) -> list[Path]:
    """The example reports as news arrives (publication date) or shuffled with a fixed seed; never in the
    files' own order, which groups the reports of one incident."""
    if order == "date":
        return examples_by_date(EXAMPLES / "corpus", EXAMPLES / "corpus_manifest.jsonl")
    files = sorted((EXAMPLES / "corpus").glob("*.txt"))
    random.Random(int(order.removeprefix("shuffle-"))).shuffle(files)
    return files


@pytest.mark.parametrize("order", ["date", "shuffle-7"])
def test_example_corpus_meets_floors(tmp_path, order):
    store = Store.open(tmp_path / "ex.db")
    run(store, _examples_in(order), manifest=EXAMPLES / "corpus_manifest.jsonl")
    result = score_seeds(store, json.loads((EXAMPLES / "gold.json").read_text()))
    assert result["clustering"]["b3_p"] >= FLOORS["examples_b3_precision"], result["clustering"]
    assert result["clustering"]["b3_f1"] >= FLOORS["examples_b3_f1"], result["clustering"]


@pytest.mark.data
def test_tempeval_meets_floor():
    data = SHARED / "data" / "tempeval3_tbaq"
    if not data.is_dir():
        pytest.skip(f"TempEval-3 data not found at {data} (../shared/data beside the checkout)")
    from triangulate.evaluate.tempeval import evaluate

    overall = evaluate(data)["corpora"]["overall"]["gold_span"]["date"]["accuracy"]
    assert overall >= FLOORS["tempeval3_gold_span_date_accuracy"]


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "path", "floors"),
    [
        ("gvc", "gvc/gvc_docs_fulltext.jsonl", {"dev": ("gvc_dev_b3_f1",)}),
        ("ecbplus", "ecbplus/ecbplus_docs_text.jsonl", {"dev": ("ecbplus_dev_b3_f1",)}),
        ("gva_dev", "gva_dev/documents.jsonl", {"dev": ("gva_dev_dev_b3_f1", "gva_dev_dev_pair_f1")}),
    ],
)
def test_linking_meets_floor(name, path, floors):
    """The whole pipeline on every document of the corpus, fed as news arrives (by publication date, ECB+
    shuffled with seed 7), scored on the dev splits; test splits are reported by ``triangulate eval``, never gated."""
    from triangulate.evaluate.clusters import score_clusters
    from triangulate.evaluate.linking import ecbplus_corpus, gva_dev_corpus, gvc_corpus, ours

    if not (SHARED / "data" / path).is_file():
        pytest.skip(f"{name} not found at {SHARED / 'data' / path} (../shared/data beside the checkout)")
    corpus = {"gvc": gvc_corpus, "ecbplus": ecbplus_corpus, "gva_dev": gva_dev_corpus}[name](SHARED)
    predicted = ours(corpus)
    for split, names in floors.items():
        result = score_clusters(corpus.gold_for(split), predicted)
        for floor in names:
            metric = "pair_f1" if floor.endswith("pair_f1") else "b3_f1"
            assert result[metric] >= FLOORS[floor], (split, floor, result)
