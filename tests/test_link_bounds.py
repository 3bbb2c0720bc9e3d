"""Bounded linking work (issue 8): hard constraints tested once per pair of constraint keys, large
incidents scored by exemplars, and incidents_stale naming exactly the incidents to reconcile."""

from __future__ import annotations

import itertools
import math

import pytest

from tests.conftest import EXAMPLES
from triangulate.link.cluster import MAX_EXEMPLARS, Linker, exemplars
from triangulate.link.score import EVEN_SCORE, LOGIT_SCALE, evidence, forbidden, learned, score
from triangulate.pipeline.run import run
from triangulate.reconcile.record import stale_incidents
from triangulate.settings import Settings
from triangulate.store.db import Store


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("bounds") / "corpus.db")
    run(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
    return store


def test_exemplars_keep_small_incidents_whole_and_cap_large_ones():
    assert exemplars([5, 3, 9]) == [3, 5, 9]
    many = list(range(100, 0, -1))
    chosen = exemplars(many)
    assert len(chosen) == MAX_EXEMPLARS
    assert chosen[: MAX_EXEMPLARS // 2] == list(range(1, MAX_EXEMPLARS // 2 + 1)), "the earliest reports"
    assert chosen[MAX_EXEMPLARS // 2 :] == list(range(101 - MAX_EXEMPLARS // 2, 101)), "the latest reports"


def test_an_incident_holds_each_key_once(corpus_store):
    rows = corpus_store.query(
        "SELECT count(*), count(DISTINCT key || ' ' || incident_id) FROM incident_keys"
    )[0]
    assert rows[0] > 0 and rows[0] == rows[1], "a member joining its incident adds only the keys it lacked"


def test_any_forbidden_agrees_with_every_pair(corpus_store):
    events = [
        r[0] for r in corpus_store.query("SELECT id FROM events WHERE modality = 'asserted' ORDER BY id")
    ]
    assert len(events) >= 20
    linker = Linker(corpus_store, Settings())
    groups = [events[i : i + 4] for i in range(0, len(events), 4)]
    checked = forbidden_pairs = 0
    for a, b in itertools.combinations(groups[:12], 2):
        brute = any(forbidden(linker.features(x), linker.features(y)) for x in a for y in b)
        assert linker.any_forbidden(a, b) == brute
        assert linker.any_forbidden(a, b) == brute, "cached verdicts give the same answer"
        checked += 1
        forbidden_pairs += brute
    assert checked == 66 and 0 < forbidden_pairs < checked, "both verdicts occur in the sample"


def test_an_event_against_a_growing_incident_agrees_with_every_pair(corpus_store):
    """The per-(value, incident) progress cache re-tests only the values an incident gained since."""
    events = [
        r[0] for r in corpus_store.query("SELECT id FROM events WHERE modality = 'asserted' ORDER BY id")
    ]
    linker = Linker(corpus_store, Settings())
    outcomes = set()
    for incident_id, size in enumerate((3, 6, 12), start=900_000):
        members: list[int] = []
        for grow in range(size):
            members.append(events[(grow * 7 + incident_id) % len(events)])
            for e in events[:40]:
                brute = any(forbidden(linker.features(e), linker.features(m)) for m in members)
                assert linker.constraints.event_forbidden(e, incident_id, members) == brute
                outcomes.add(brute)
    assert outcomes == {True, False}


def test_the_key_index_follows_the_linkers_own_writes(corpus_store):
    from triangulate.link.keyindex import KeyIndex

    index = KeyIndex(corpus_store.conn)
    key, incident_id = corpus_store.query("SELECT key, incident_id FROM incident_keys ORDER BY key LIMIT 1")[
        0
    ]
    stored = {r[0] for r in corpus_store.query("SELECT incident_id FROM incident_keys WHERE key = ?", (key,))}
    assert index.postings({key, "no-such-key"}) == {key: stored}
    index.added(10**9, [key, "no-such-key"])
    assert index.postings([key])[key] == stored | {10**9}
    assert index.postings(["no-such-key"]) == {"no-such-key": {10**9}}
    index.merged(incident_id, 10**9)
    assert index.postings([key, "no-such-key"]) == {key: stored, "no-such-key": {incident_id}}


def test_score_is_the_sum_of_the_evidence_to_the_last_bit(corpus_store):
    """``score`` is the model's log-odds, which ``evidence`` splits into one contribution per feature."""
    events = [
        r[0] for r in corpus_store.query("SELECT id FROM events WHERE modality = 'asserted' ORDER BY id")
    ]
    linker = Linker(corpus_store, Settings())
    features = [linker.features(e) for e in events[:60]]
    allowed = 0
    pairs = {True: 0, False: 0}
    for a, b in itertools.combinations(features, 2):
        parts = evidence(a, b)
        if parts is None:
            assert score(a, b) == 0.0
        elif learned(a, b):
            odds = math.fsum(
                [math.fsum(v for k, v in parts.items() if k != "type_clash"), parts["type_clash"]]
            )
            assert score(a, b) == max(EVEN_SCORE + odds / LOGIT_SCALE, 1e-6)
        else:
            assert score(a, b) == max(sum(parts.values()), 1e-6), (
                "a background mention keeps the hand-set score"
            )
        pairs[learned(a, b)] += parts is not None
        allowed += parts is not None
    assert 0 < allowed < len(features) * (len(features) - 1) // 2, "pairs both forbidden and scored"
    assert pairs[True] and pairs[False], "pairs of main events and pairs with a background event, both scored"


def test_update_leaves_no_stale_incident_and_membership_changes_mark_them(corpus_store):
    assert stale_incidents(corpus_store) == []
    incident_id, event_id = corpus_store.query(
        "SELECT incident_id, event_id FROM incident_events ORDER BY event_id LIMIT 1"
    )[0]
    with corpus_store.transaction() as conn:
        conn.execute("UPDATE incident_events SET score = score WHERE event_id = ?", (event_id,))
    assert stale_incidents(corpus_store) == [], "a write that keeps the membership changes nothing"
    other = corpus_store.query(
        "SELECT id FROM incidents WHERE merged_into IS NULL AND kind != 'retired' AND id != ? "
        "ORDER BY id LIMIT 1",
        (incident_id,),
    )[0][0]
    with corpus_store.transaction() as conn:
        conn.execute("UPDATE incident_events SET incident_id = ? WHERE event_id = ?", (other, event_id))
    assert stale_incidents(corpus_store) == sorted({incident_id, other})
    with corpus_store.transaction() as conn:
        conn.execute("UPDATE incident_events SET incident_id = ? WHERE event_id = ?", (incident_id, event_id))
    run(corpus_store, [])
    assert stale_incidents(corpus_store) == [], "the next run reconciles them"
