"""Incremental and batch linking on the example corpus: the difference is measured, not assumed."""

from __future__ import annotations

import json
import shutil

from tests.conftest import EXAMPLES
from triangulate.evaluate.clusters import score_clusters
from triangulate.export.incidents import incident_rows_native
from triangulate.pipeline.run import relink, run
from triangulate.reconcile.record import reconcile
from triangulate.settings import Settings
from triangulate.store.db import Store


def _partition(store: Store) -> dict[str, str]:
    names = {r[0]: r[1].rsplit("/", 1)[-1] for r in store.query("SELECT id, source FROM documents")}
    out: dict[str, str] = {}
    for row in incident_rows_native(store):
        for doc in row["main_documents"]:
            out.setdefault(names[doc], str(row["id"]))
    return out


def test_incremental_batches_match_batch_rebuild(tmp_path):
    files = sorted((EXAMPLES / "corpus").glob("*.txt"))
    store = Store.open(tmp_path / "inc.db")
    for i, chunk in enumerate((files[::3], files[1::3], files[2::3])):
        folder = tmp_path / f"batch{i}"
        folder.mkdir()
        for f in chunk:
            shutil.copy(f, folder / f.name)
        run(store, [folder], manifest=EXAMPLES / "corpus_manifest.jsonl")
    incremental = _partition(store)
    relink(
        store, Settings(), rebuild=True
    )  # `triangulate link --rebuild`: link everything again, then consolidate
    reconcile(store, [r[0] for r in store.query("SELECT id FROM incidents WHERE merged_into IS NULL")])
    batch = _partition(store)
    agreement = score_clusters(batch, incremental)
    gold = json.loads((EXAMPLES / "gold.json").read_text())
    gold_map = {d: inc["id"] for inc in gold["incidents"] for d in inc["documents"]}
    assert agreement["b3_f1"] >= 0.9, agreement
    assert score_clusters(gold_map, batch)["b3_p"] >= 0.95
    assert score_clusters(gold_map, incremental)["b3_p"] >= 0.95
