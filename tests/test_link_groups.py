"""Linking in groups (link.groups, the Ray engine's linking): groups never share a blocking key, and
linking them apart then replaying the decisions leaves exactly the rows of one sequential run."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from triangulate.engines import open_engine
from triangulate.ingest.pipeline import ingest
from triangulate.link.cluster import Linker, pending_events
from triangulate.link.groups import link_job, link_jobs, replay
from triangulate.settings import Settings
from triangulate.store.db import Store

SETTINGS = Settings(workers=1)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The example corpus ingested and extracted, nothing linked yet."""
    db = tmp_path_factory.mktemp("groups") / "extracted.db"
    with Store.open(db) as store:
        ingest(store, [EXAMPLES / "corpus"], settings=SETTINGS)
        with open_engine(SETTINGS) as engine:
            engine.extract(store)
    return db


def copy_of(db: Path, tmp_path: Path, name: str) -> Store:
    shutil.copyfile(db, tmp_path / name)
    return Store.open(tmp_path / name)


def rows(store: Store) -> dict[str, list[tuple]]:
    """Every row linking writes (timestamps aside), in a fixed order."""
    queries = {
        "members": "SELECT event_id, incident_id, doc_id, score, decision FROM incident_events ORDER BY event_id",
        "incidents": "SELECT id, kind, event_type, mode, merged_into, n_documents FROM incidents ORDER BY id",
        "keys": "SELECT key, incident_id FROM incident_keys ORDER BY key, incident_id",
        "history": "SELECT incident_id, version, cause, change FROM incident_history ORDER BY id",
        "terms": "SELECT term, df FROM term_df ORDER BY term",
    }
    return {name: [tuple(r) for r in store.query(sql)] for name, sql in queries.items()}


def sequential_and_grouped(db: Path, tmp_path: Path, choose=lambda store, role: pending_events(store, role)):
    """Link main then background events one way and the other; return both stores' rows and the groups."""
    sizes = []
    with copy_of(db, tmp_path, "seq.db") as seq, copy_of(db, tmp_path, "grouped.db") as grouped:
        for role in ("main", "background"):
            Linker(seq, SETTINGS).link(choose(seq, role))
            ids = choose(grouped, role)
            jobs = link_jobs(grouped, SETTINGS, ids)
            sizes.append(sorted(len(j.events) for j in jobs))
            report = replay(grouped, ids, [link_job(job, SETTINGS) for job in jobs])
            assert report.events == len(ids)
        return rows(seq), rows(grouped), sizes


def test_grouped_linking_leaves_the_rows_of_one_run(extracted, tmp_path):
    seq, grouped, sizes = sequential_and_grouped(extracted, tmp_path)
    assert seq["members"] and any(d[4] != "new" for d in seq["members"]), "some events joined incidents"
    assert grouped == seq
    assert sum(sizes[0]) > 20


def dated_only(store: Store, role: str) -> list[int]:
    """Pending events without word keys (firmly dated, typed): the month keys of each event type
    then form groups of their own."""
    linker = Linker(store, SETTINGS)
    ids = pending_events(store, role)
    linker.index_terms(ids)
    return [e for e in ids if not any(k.startswith("w:") for k in linker.keys(e))]


def test_several_groups_share_no_key_and_link_as_one_run(extracted, tmp_path):
    with copy_of(extracted, tmp_path, "probe.db") as store:
        jobs = link_jobs(store, SETTINGS, dated_only(store, "main"))
        assert len(jobs) >= 2, "the dated subset splits by event type"
        linker = Linker(store, SETTINGS)
        keys = [set().union(*(linker.keys(e) for e in job.events)) for job in jobs]
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                assert not a & b, "two groups never share a blocking key"
    seq, grouped, sizes = sequential_and_grouped(extracted, tmp_path, dated_only)
    assert len(sizes[0]) >= 2
    assert grouped == seq


def test_groups_carry_the_stored_incidents_they_can_join(extracted, tmp_path):
    """Half the reports are linked first; the rest, linked in groups, join those incidents exactly as one run would."""
    with copy_of(extracted, tmp_path, "half.db") as store:
        docs = [r[0] for r in store.query("SELECT id FROM documents ORDER BY id")]
        first = set(docs[: len(docs) // 2])
        for role in ("main", "background"):
            Linker(store, SETTINGS).link(
                [
                    e
                    for e in pending_events(store, role)
                    if store.query("SELECT doc_id FROM events WHERE id = ?", (e,))[0][0] in first
                ]
            )
    half = tmp_path / "half.db"
    seq, grouped, _ = sequential_and_grouped(half, tmp_path)
    assert grouped == seq
    stored = {r[1] for r in rows(Store.open(half))["members"]}
    joined_stored = {m[1] for m in seq["members"] if m[1] in stored and m[4] != "new"}
    assert joined_stored, "later reports joined incidents stored before"


@pytest.mark.slow
def test_ray_engine_links_groups_like_the_driver(extracted, tmp_path):
    ray = pytest.importorskip("ray", reason="the Ray engine tests need Ray: pip install 'triangulate[ray]'")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        with copy_of(extracted, tmp_path, "seq.db") as seq, copy_of(extracted, tmp_path, "ray.db") as on_ray:
            ids = dated_only(seq, "main")
            assert dated_only(on_ray, "main") == ids  # (which counts the same documents' terms in both)
            Linker(seq, SETTINGS).link(ids)
            with open_engine(Settings(engine="ray", group_link_min_events=1)) as engine:
                assert len(link_jobs(on_ray, SETTINGS, ids)) >= 2
                report = engine.link(on_ray, ids)
            assert report.events == len(ids)
            expected, got = rows(seq), rows(on_ray)
            for table in expected:
                assert got[table] == expected[table], table
    finally:
        ray.shutdown()


def test_small_batches_and_the_local_engine_link_next_to_the_store(extracted, tmp_path):
    with (
        copy_of(extracted, tmp_path, "local.db") as store,
        open_engine(Settings(group_link_min_events=1)) as engine,
    ):
        assert not engine.links_in_groups
        report = engine.link(store, pending_events(store, "main"))
        assert report.events > 0
    with sqlite3.connect(tmp_path / "local.db") as conn:
        assert conn.execute("SELECT count(*) FROM incident_events").fetchone()[0] == report.events
