"""Consolidation (link.consolidate): incidents whose reports read alike merge after event linking,
never across the hard negatives of the example corpus, and never against an analyst's split."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from triangulate import review
from triangulate.evaluate.seeds import score_seeds
from triangulate.link.consolidate import Consolidator, consolidate
from triangulate.pipeline.run import run
from triangulate.reconcile.record import stale_incidents
from triangulate.settings import Settings
from triangulate.store.db import Store

GOLD = json.loads((EXAMPLES / "gold.json").read_text())
GOLD_OF = {doc: inc["id"] for inc in GOLD["incidents"] for doc in inc["documents"]}


def main_groups(store: Store) -> list[set[str]]:
    """The main documents (file names) of each live incident that has any."""
    groups: dict[int, set[str]] = {}
    for incident_id, source in store.query(
        "SELECT ie.incident_id, d.source FROM incident_events ie JOIN events e ON e.id = ie.event_id AND e.role = 'main'"
        " JOIN documents d ON d.id = ie.doc_id JOIN incidents i ON i.id = ie.incident_id WHERE i.merged_into IS NULL"
    ):
        groups.setdefault(incident_id, set()).add(Path(source).name)
    return list(groups.values())


@pytest.fixture(scope="module")
def linked_store(tmp_path_factory) -> Path:
    """The example corpus linked as by default, but without consolidation."""
    db = tmp_path_factory.mktemp("consolidate") / "linked.db"
    with Store.open(db) as store:
        run(
            store,
            [EXAMPLES / "corpus"],
            manifest=EXAMPLES / "corpus_manifest.jsonl",
            settings=Settings(consolidate_threshold=0.0),
        )
    return db


def strand_one_report_per_incident(store: Store) -> list[str]:
    """Move the main events of the last report of each incident with three or more into an incident of
    their own (a follow-up that event linking missed); return the stranded reports' file names."""
    main = (
        "SELECT ie.event_id, ie.doc_id, d.source FROM incident_events ie JOIN events e ON e.id = ie.event_id AND e.role = 'main'"
        " JOIN documents d ON d.id = ie.doc_id WHERE ie.incident_id = ?"
    )
    stranded = []
    for (incident_id,) in store.query(
        "SELECT id FROM incidents WHERE merged_into IS NULL AND kind = 'main' ORDER BY id"
    ):
        members = store.query(main, (incident_id,))
        if len({m["doc_id"] for m in members}) < 3:
            continue
        last = max(m["doc_id"] for m in members)
        with store.transaction() as conn:
            new = conn.execute(
                "INSERT INTO incidents (kind, event_type, mode, created_at, updated_at) SELECT kind, event_type,"
                " mode, created_at, updated_at FROM incidents WHERE id = ?",
                (incident_id,),
            ).lastrowid
            conn.executemany(
                "UPDATE incident_events SET incident_id = ? WHERE event_id = ?",
                [(new, m["event_id"]) for m in members if m["doc_id"] == last],
            )
        stranded.append(Path(next(m["source"] for m in members if m["doc_id"] == last)).name)
    return stranded


def test_consolidation_brings_back_reports_that_linking_left_alone(linked_store, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copyfile(linked_store, db)
    with Store.open(db) as store:
        stranded = strand_one_report_per_incident(store)
        assert len(stranded) >= 5
        merges = consolidate(store, Settings(), stale_incidents(store))
        groups = main_groups(store)
    assert len(merges) >= len(stranded), (
        merges
    )  # and any follow-up that event linking left apart (the Mardan arrests)
    for group in groups:
        assert len({GOLD_OF[name] for name in group if name in GOLD_OF}) <= 1, (
            f"a merge across gold incidents: {group}"
        )
    for name in stranded:
        assert len(next(g for g in groups if name in g)) > 1, f"{name} rejoined its incident"


def test_default_run_keeps_the_example_corpus_hard_negatives_apart(tmp_path):
    """Two Peshawar market bombings a week apart, and a drone strike and the protest against it, read alike."""
    with Store.open(tmp_path / "ex.db") as store:
        run(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
        assert score_seeds(store, GOLD)["clustering"]["b3_p"] == 1.0


def test_consolidation_never_undoes_an_analyst_split(linked_store, tmp_path):
    db = tmp_path / "split.db"
    shutil.copyfile(linked_store, db)
    with Store.open(db) as store:
        incident_id, version = next(
            (r[0], r[1])
            for r in store.query(
                "SELECT i.id, i.version FROM incidents i WHERE i.merged_into IS NULL AND i.kind = 'main' AND i.n_documents >= 3"
                " ORDER BY i.id"
            )
        )
        doc = store.query("SELECT max(doc_id) FROM incident_events WHERE incident_id = ?", (incident_id,))[0][
            0
        ]
        result = review.split_incident(
            store, incident_id, [doc], version=version, who=review.Reviewer("test"), reason="two events"
        )
        with store.transaction() as conn:  # forget the locks: the analyst's cannot-link pairs alone must hold
            conn.execute("UPDATE incident_events SET locked = 0")
        assert (
            consolidate(store, Settings(), stale_incidents(store) + [incident_id, result.incident_id]) == []
        )
        moved = store.query("SELECT incident_id FROM incident_events WHERE doc_id = ?", (doc,))
        assert {r[0] for r in moved} != {incident_id}


def test_a_victim_or_date_the_other_reports_state_is_no_disagreement(linked_store):
    """``_named_in`` and ``_dated_in`` read the other incident's own reports: its text and its time mentions."""
    with Store.open(linked_store) as store:
        consolidator = Consolidator(store, Settings())
        incident_id = store.query(
            "SELECT id FROM incidents WHERE merged_into IS NULL AND kind = 'main' AND n_documents >= 2"
            " ORDER BY id"
        )[0][0]
        profile = consolidator.profile(incident_id)
        assert profile is not None
        docs = ",".join(map(str, sorted(profile.docs)))
        text = store.query("SELECT text FROM documents WHERE id = ?", (min(profile.docs),))[0][0]
        word = max(text.split(), key=len).strip(".,;:\"'()").lower()
        assert consolidator._named_in({word}, profile)
        assert not consolidator._named_in({word, "zebulon quartermaine"}, profile), "every name must occur"
        stated = next(
            json.loads(r[0])
            for r in store.query(
                f"SELECT attrs FROM mentions WHERE kind = 'time' AND doc_id IN ({docs}) AND json_extract(attrs, '$.start') != ''"
                " AND json_extract(attrs, '$.start') = json_extract(attrs, '$.end')"
            )
        )
        on = date.fromisoformat(stated["start"])
        side = profile.sides[0]
        assert consolidator._dated_in(replace(side, start=on, end=on), profile)
        later = on + timedelta(days=2000)
        assert not consolidator._dated_in(replace(side, start=later, end=later), profile)
