"""Exact and near duplicates on the example corpus: recorded, never dropped."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLES
from triangulate.export.documents import document_rows
from triangulate.ingest.pipeline import ingest


def test_example_corpus_duplicates_point_to_originals(store):
    gold = json.loads((EXAMPLES / "gold.json").read_text())
    report = ingest(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
    names = {r["id"]: r["source"].rsplit("/", 1)[-1] for r in document_rows(store)}
    rows = {names[r["id"]]: r for r in document_rows(store)}
    assert len(rows) == len(list((EXAMPLES / "corpus").glob("*.txt")))
    for copy, original in gold["duplicates"]["exact"]:
        assert names[rows[copy]["duplicate_of"]] == original
    for copy, original in gold["duplicates"]["near"]:
        assert names[rows[copy]["near_duplicate_of"]] == original
    flagged = {n for n, r in rows.items() if r["duplicate_of"] or r["near_duplicate_of"]}
    expected = {c for c, _ in gold["duplicates"]["exact"]} | {c for c, _ in gold["duplicates"]["near"]}
    assert flagged == expected
    assert report.exact_duplicates == len(gold["duplicates"]["exact"])


def test_manifest_metadata_wins(store):
    ingest(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
    manifest = [
        json.loads(x) for x in (EXAMPLES / "corpus_manifest.jsonl").read_text().splitlines() if x.strip()
    ]
    rows = {r["source"].rsplit("/", 1)[-1]: r for r in document_rows(store)}
    for entry in manifest:
        row = rows[entry["file"]]
        assert row["outlet"] == entry["outlet"]
        assert row["url"] == entry["url"]
        if entry.get("published"):
            assert row["published"] == entry["published"] and row["published_source"] == "metadata"
