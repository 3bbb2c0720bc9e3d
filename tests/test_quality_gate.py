"""Quality gate: scores on the seeds, the example corpus and the public benchmarks may not fall below
the floors pinned in tests/quality_floors.json (raise a floor when you beat it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, SHARED
from triangulate.evaluate.seeds import score_seeds
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


def test_example_corpus_meets_floors(tmp_path):
    store = Store.open(tmp_path / "ex.db")
    run(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
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


def linking_scores(tmp_path: Path, source: Path, mapping: str, gold: dict[str, str]) -> dict:
    """Run the whole pipeline on a benchmark file and score its documents' incidents against ``gold``."""
    from triangulate.evaluate.clusters import score_clusters
    from triangulate.export.incidents import incident_rows_native
    from triangulate.ingest.readers.base import FieldMap

    with Store.open(tmp_path / "bench.db") as store:
        run(store, [source], fmt="jsonl", field_map=FieldMap.parse(mapping))
        names = {r[0]: r[1] for r in store.query("SELECT id, external_id FROM documents")}
        predicted: dict[str, str] = {}
        for row in incident_rows_native(store):
            for doc in row["main_documents"]:
                predicted.setdefault(names[doc], str(row["id"]))
    return score_clusters(gold, predicted)


def gvc_gold(records: list[dict]) -> dict[str, str]:
    return {r["doc_id"]: str(r["incident_id"]) for r in records if r["split_bugert2021"] == "dev"}


def ecbplus_gold(records: list[dict]) -> dict[str, str]:
    return {r["doc_id"]: str(r["subtopic"]) for r in records if 36 <= int(r["topic"]) <= 45}


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.parametrize(("name", "path", "mapping", "gold_of", "floor"), [
    ("GVC", "gvc/gvc_docs_fulltext.jsonl", "text=text,published=dct,title=title,url=url,id=doc_id", gvc_gold, "gvc_dev_b3_f1"),
    ("ECB+", "ecbplus/ecbplus_docs_text.jsonl", "text=text,id=doc_id", ecbplus_gold, "ecbplus_test_b3_f1"),
])
def test_linking_meets_floor(tmp_path, name, path, mapping, gold_of, floor):
    data = SHARED / "data" / path
    if not data.is_file():
        pytest.skip(f"{name} not found at {data} (../shared/data beside the checkout)")
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = linking_scores(tmp_path, data, mapping, gold_of(records))
    assert result["b3_f1"] >= FLOORS[floor], result
