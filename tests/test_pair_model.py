"""The learned same-incident model (link/pair_model.py, link/score.py) and its training (evaluate/link_training.py),
on the real pipeline: reports of one shooting join, a look-alike shooting of the same city and day stays apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from triangulate.errors import ConfigError
from triangulate.evaluate.link_training import blocked_pairs, fit
from triangulate.ingest.clean import clean_text
from triangulate.link.cluster import Linker
from triangulate.link.pair_model import pair_model, parse_model
from triangulate.link.score import TYPE_CLASH_LOG_ODDS, evidence, pair_features
from triangulate.pipeline.run import run
from triangulate.settings import Settings
from triangulate.store.db import Store

REPORTS = [
    {
        "id": "a",
        "published": "2016-03-08",
        "title": "Man killed in shooting on Elm Street",
        "text": "SPRINGFIELD, Ill. - Marcus Dell, 34, was shot and killed in the 2400 block of Elm Street around 9:40 p.m. "
        "Monday, police said. Officers found him in the street. No arrests have been made.",
    },
    {
        "id": "b",
        "published": "2016-03-09",
        "title": "Victim in Elm Street shooting identified",
        "text": "SPRINGFIELD, Ill. - Police identified the man shot dead Monday night in the 2400 block of Elm Street as "
        "Marcus Dell, 34. He was shot around 9:40 p.m. and died at the scene. Police have no suspect.",
    },
    {
        "id": "c",
        "published": "2016-03-08",
        "title": "Woman wounded in shooting on Oak Avenue",
        "text": "SPRINGFIELD, Ill. - Tanya Reese, 27, was shot and wounded in the 900 block of Oak Avenue around 2:15 a.m. "
        "Monday, police said. She was taken to a hospital in serious condition. No arrests have been made.",
    },
]


@pytest.fixture(scope="module")
def shootings(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("pairs")
    path = folder / "reports.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    from triangulate.ingest.readers.base import FieldMap

    store = Store.open(folder / "pairs.db")
    run(
        store,
        [path],
        fmt="jsonl",
        field_map=FieldMap.parse("text=text,published=published,title=title,id=id"),
    )
    return store


def incident_of(store: Store) -> dict[str, int]:
    return {
        ext: inc
        for inc, ext in store.query(
            "SELECT ie.incident_id, d.external_id FROM incident_events ie JOIN events e ON e.id = ie.event_id "
            "JOIN documents d ON d.id = ie.doc_id WHERE e.role = 'main'"
        )
    }


def test_reports_of_one_shooting_join_and_a_look_alike_stays_apart(shootings):
    where = incident_of(shootings)
    assert where["a"] == where["b"], "same victim, block and clock time, a day apart"
    assert where["c"] != where["a"], "another victim, block and hour in the same city on the same day"


def test_pair_features_read_the_entity_layer_and_the_details(shootings):
    linker = Linker(shootings, Settings())
    main = {
        ext: linker.features(e)
        for e, ext in shootings.query(
            "SELECT e.id, d.external_id FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.role = 'main'"
        )
    }
    same, other = pair_features(main["a"], main["b"]), pair_features(main["a"], main["c"])
    assert same is not None and other is not None
    assert same["street_agree"] == 1.0 and same["clock_agree"] == 1.0 and same["people_shared"] > 0
    assert (
        other["street_conflict"] == 1.0 and other["clock_conflict"] == 1.0 and other["people_shared"] == 0.0
    )
    assert pair_model().log_odds(same) > 0 and pair_model().log_odds(same) > pair_model().log_odds(other) + 2
    parts = evidence(main["a"], main["c"])
    assert (
        parts is not None
        and parts["bias"] == pair_model().intercept
        and parts["type_clash"] in (0.0, TYPE_CLASH_LOG_ODDS)
    )


def test_the_shipped_model_says_what_made_it():
    model = pair_model()
    assert model.provenance["command"].startswith("triangulate train-pair-model")
    assert "train" in model.provenance["trained_on"] and "dev" in model.provenance["selected_on"]
    assert "test" not in model.provenance["trained_on"] + model.provenance["selected_on"]
    assert (
        model.weights["words"] > 0
        and model.weights["street_agree"] > 0
        and model.weights["street_conflict"] < 0
    )


def test_a_broken_model_file_is_a_config_error_with_a_hint():
    with pytest.raises(ConfigError) as err:
        parse_model('{"weights": {"words": "many"}}', "pair_model.json")
    assert "pair_model.json" in str(err.value) and "train-pair-model" in err.value.hint


def test_training_fits_pairs_of_a_real_store_and_reports_dev_precision(tmp_path):
    store = Store.open(tmp_path / "ex.db")
    run(store, [EXAMPLES / "corpus"], manifest=EXAMPLES / "corpus_manifest.jsonl")
    store.close()
    gold = json.loads((EXAMPLES / "gold.json").read_text())
    split = {
        doc: (inc["id"], "train" if i % 2 == 0 else "dev")
        for i, inc in enumerate(gold["incidents"])
        for doc in inc["documents"]
    }
    with Store.open(tmp_path / "ex.db") as again:
        sources = [r[0] for r in again.query("SELECT source FROM documents")]
    pairs = blocked_pairs(
        tmp_path / "ex.db", {s: split[Path(s).name] for s in sources if Path(s).name in split}
    )
    assert (
        {p["split"] for p in pairs} == {"train", "dev"}
        and any(p["y"] for p in pairs)
        and not all(p["y"] for p in pairs)
    )
    model, scores = fit({"examples": pairs})
    assert set(model.weights) == set(pairs[0]["x"]) and 0 <= scores["examples"]["train"] <= 1
    assert model.provenance["pairs"]["examples"]["train_pairs"] == sum(p["split"] == "train" for p in pairs)


def test_site_chrome_is_dropped_at_ingest():
    text = clean_text(
        "Boy, 16, dies in accidental shooting\n\nWe have sent you a verification email. Please check your "
        "email and click on the link to activate your profile.\n\nPlease enable Javascript to watch this "
        "video\n\nThe boy was shot Tuesday at a home on Pine Road, police said. Follow him on Twitter, "
        "his mother told reporters."
    ).text
    assert "verification" not in text and "Javascript" not in text
    assert "shot Tuesday" in text and "Follow him on Twitter" in text, "reporting that mentions Twitter stays"
