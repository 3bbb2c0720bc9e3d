"""The engine interface: local (in-process or worker processes) and Ray give identical answers;
Ray stays optional; an engine failure is one clear error and keeps what was stored."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from triangulate.engines import LocalEngine, open_engine
from triangulate.errors import ConfigError, EngineError
from triangulate.ingest.pipeline import ingest
from triangulate.ingest.readers.base import FieldMap
from triangulate.pipeline.run import run
from triangulate.settings import Settings
from triangulate.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
GVC = ROOT.parent / "shared" / "data" / "gvc" / "gvc_docs_fulltext.jsonl"


def snapshot(db: Path) -> dict[str, object]:
    """Everything an engine can change: events, incident partitions and reconciled records."""
    conn = sqlite3.connect(db)
    try:
        events = conn.execute(
            "SELECT doc_id, role, event_type, modality, date, record FROM events ORDER BY id"
        ).fetchall()
        mentions = conn.execute("SELECT doc_id, kind, start, end, value FROM mentions ORDER BY id").fetchall()
        partition = sorted(
            tuple(sorted(json.loads(f"[{r[0]}]")))
            for r in conn.execute(
                "SELECT group_concat(DISTINCT doc_id) FROM incident_events GROUP BY incident_id"
            )
        )
        records = sorted(
            r[0]
            for r in conn.execute(
                "SELECT record FROM incidents WHERE merged_into IS NULL AND n_documents > 0"
            )
        )
        return {"events": events, "mentions": mentions, "partition": partition, "records": records}
    finally:
        conn.close()


def run_with(
    tmp_path: Path, name: str, settings: Settings, paths: list[Path], field_map: str = ""
) -> dict[str, object]:
    db = tmp_path / f"{name}.db"
    with Store.open(db) as store:
        report = run(store, paths, settings=settings, field_map=FieldMap.parse(field_map))
        assert report.extract.documents > 0 and not report.extract.errors
    return snapshot(db)


def test_worker_processes_give_the_same_answers_as_one_process(tmp_path):
    serial = run_with(tmp_path, "serial", Settings(workers=1), [CORPUS])
    parallel = run_with(tmp_path, "parallel", Settings(workers=2, parallel_min_documents=1), [CORPUS])
    assert serial["events"] and serial["partition"]
    assert parallel == serial


def test_local_engine_starts_processes_only_where_they_pay():
    engine = LocalEngine(Settings(workers=0, parallel_min_documents=200))
    assert engine.processes(10) == 1
    assert engine.processes(5000) == (os.cpu_count() or 1)
    assert LocalEngine(Settings(workers=3, parallel_min_documents=1)).processes(2) == 3


def test_unknown_engine_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        open_engine(Settings().with_value("engine", "spark"))


def test_engine_failure_is_one_error_and_keeps_stored_batches(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "f.db")
    ingest(store, [CORPUS])
    engine = LocalEngine(Settings(workers=1, batch_size=4))
    real = engine.map_extract

    def failing(items, count):
        for n, ctx in enumerate(real(items, count)):
            if n == 10:
                raise RuntimeError("worker lost")
            yield ctx

    monkeypatch.setattr(engine, "map_extract", failing)
    with pytest.raises(
        EngineError, match=r"local engine failed after 8 of \d+ documents: RuntimeError: worker lost"
    ):
        engine.extract(store)
    assert store.query("SELECT count(*) FROM extractions")[0][0] == 8
    monkeypatch.undo()
    assert (
        LocalEngine(Settings(workers=1)).extract(store).documents
        == store.query("SELECT count(*) FROM documents")[0][0] - 8
    )
    store.close()


def test_import_and_default_pipeline_work_without_ray(tmp_path):
    script = (
        "import sys; sys.modules['ray'] = None\n"
        "import triangulate\n"
        "from triangulate.store.db import Store\n"
        "from triangulate.pipeline.run import run\n"
        f"store = Store.open({str(tmp_path / 'n.db')!r})\n"
        f"report = run(store, [{str(CORPUS)!r}])\n"
        "assert report.incidents > 0, report.summary()\n"
        "print('incidents', report.incidents)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "incidents" in done.stdout


def test_ray_engine_without_ray_names_the_extra(tmp_path):
    db = tmp_path / "r.db"
    script = (
        "import sys; sys.modules['ray'] = None\n"
        "from triangulate.cli import main\n"
        f"sys.argv = ['triangulate', 'run', {str(CORPUS)!r}, '--db', {str(db)!r}, '--engine', 'ray']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "pip install 'triangulate[ray]'" in done.stderr


@pytest.fixture(scope="module")
def ray_local():
    """A local Ray instance started by the test (2 CPUs, no dashboard), shut down afterwards."""
    ray = pytest.importorskip("ray", reason="the Ray engine tests need Ray: pip install 'triangulate[ray]'")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_engine_gives_the_same_answers_on_the_example_corpus(tmp_path, ray_local):
    local = run_with(tmp_path, "local", Settings(), [CORPUS])
    on_ray = run_with(tmp_path, "ray", Settings(engine="ray", ray_actors=2), [CORPUS])
    assert local["partition"] and local["records"]
    assert on_ray == local


@pytest.mark.slow
@pytest.mark.data
def test_ray_engine_gives_the_same_answers_on_a_gvc_slice(tmp_path, ray_local):
    if not GVC.is_file():
        pytest.skip(f"GVC not found at {GVC} (it lives in ../shared/data beside the checkout)")
    source = tmp_path / "gvc.jsonl"
    with GVC.open(encoding="utf-8") as fh, source.open("w", encoding="utf-8") as out:
        for n, line in enumerate(fh):
            if n >= 60:
                break
            record = json.loads(line)
            out.write(json.dumps({k: record[k] for k in ("doc_id", "title", "dct", "url", "text")}) + "\n")
    mapping = "text=text,published=dct,title=title,url=url,id=doc_id"
    local = run_with(tmp_path, "local", Settings(workers=2, parallel_min_documents=1), [source], mapping)
    on_ray = run_with(tmp_path, "ray", Settings(engine="ray"), [source], mapping)
    assert len(local["partition"]) > 1
    assert on_ray == local
