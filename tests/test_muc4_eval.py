"""The GTT template scorer on hand-made examples, the truecaser, and a MUC-4 dev slice end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from triangulate.evaluate.gtt_score import (
    best_mapping,
    gold_templates,
    injective_mappings,
    normalize_string,
    score,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"


def T(kind: str, **roles: list[list[str]]) -> dict:
    return {
        "incident_type": kind,
        **{r: roles.get(r, []) for r in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")},
    }


def test_normalize_like_gtt() -> None:
    assert normalize_string('The "Santo Tomas" presidential farm') == "santo tomas presidential farm"
    assert normalize_string("a  car-bomb, the") == "carbomb"
    assert normalize_string("Members of the FMLN") == "members of fmln"


def test_injective_mappings_in_product_order() -> None:
    maps = list(injective_mappings(2, 2))
    # itertools.product([0, 1, -1], repeat=2) minus (0, 0) and (1, 1)
    assert maps == [
        {0: 0, 1: 1},
        {0: 0, 1: -1},
        {0: 1, 1: 0},
        {0: 1, 1: -1},
        {0: -1, 1: 0},
        {0: -1, 1: 1},
        {0: -1, 1: -1},
    ]
    assert list(injective_mappings(0, 3)) == [{}]


def test_one_document_by_hand() -> None:
    gold = {
        "d": [
            T("attack", PerpInd=[["guerrillas", "guerrilla column"]], Victim=[["cerezo"]], Target=[["farm"]]),
            T("arson", Target=[["tank truck", "truck"]]),
        ]
    }
    pred = {
        "d": [
            T("attack", PerpInd=[["the guerrillas"]], Victim=[["peasant"]]),
            T("arson", Target=[["Truck"]], Weapon=[["dynamite"]]),
        ]
    }
    r = score(pred, gold)
    # pairs attack-attack and arson-arson; incident type 2/2 both ways
    assert (r["incident_type"]["p_num"], r["incident_type"]["p_den"], r["incident_type"]["r_den"]) == (
        2,
        2,
        2,
    )
    # PerpInd: 'guerrillas' right (1/1), gold entity found (1/1)
    assert (r["PerpInd"]["p"], r["PerpInd"]["r"]) == (1.0, 1.0)
    # Victim: 'peasant' wrong (0/1), 'cerezo' missed (0/1)
    assert (r["Victim"]["p_den"], r["Victim"]["r_den"], r["Victim"]["p_num"]) == (1, 1, 0)
    # Target: 'truck' right (1/1); gold 'farm' and 'tank truck|truck': 1 of 2
    assert (r["Target"]["p"], r["Target"]["r"]) == (1.0, 0.5)
    # Weapon: 'dynamite' spurious
    assert (r["Weapon"]["p_num"], r["Weapon"]["p_den"], r["Weapon"]["r_den"]) == (0, 1, 0)
    # micro: correct 2+1+0+1+0 = 4 of predicted 2+1+1+1+1 = 6, of gold 2+1+1+2 = 6
    assert r["micro_avg"]["p_num"] == 4 and r["micro_avg"]["p_den"] == 6
    assert r["micro_avg"]["r_num"] == 4 and r["micro_avg"]["r_den"] == 6
    assert r["micro_avg"]["f1"] == pytest.approx(4 / 6)


def test_wrong_type_counts_as_spurious_and_missing() -> None:
    gold = {"d": [T("bombing", Weapon=[["bomb"]])]}
    pred = {"d": [T("attack", Weapon=[["bomb"]])]}
    r = score(pred, gold)
    # 'attack' is not a substring of 'bombing': nothing matches; 2 predicted, 2 gold, 0 right
    assert (r["micro_avg"]["p_num"], r["micro_avg"]["p_den"], r["micro_avg"]["r_den"]) == (0, 2, 2)
    # but 'attack' matches 'attack / bombing'
    r = score(pred, {"d": [T("attack / bombing", Weapon=[["bomb"]])]})
    assert r["micro_avg"]["f1"] == 1.0


def test_best_mapping_and_unmatched_templates() -> None:
    gold = [T("attack", Victim=[["a"]]), T("attack", Victim=[["b"]])]
    pred = [T("attack", Victim=[["b"]]), T("attack", Victim=[["c"]]), T("kidnapping")]
    mapping, r = best_mapping(pred, gold)
    # pred 0 -> gold 1 ('b' right); pred 1 -> gold 0 (type right, 'c' wrong); pred 2 unmatched
    assert mapping[0] == 1 and mapping[2] == -1
    # types: 2 right of 3 predicted, of 2 gold; victims 1 right of 2 predicted, 1 of 2 gold
    assert (r["micro_avg"]["p_num"], r["micro_avg"]["p_den"]) == (3, 5)
    assert (r["micro_avg"]["r_num"], r["micro_avg"]["r_den"]) == (3, 4)
    assert r["micro_avg"]["f1"] == pytest.approx(2 * (3 / 5) * (3 / 4) / (3 / 5 + 3 / 4))


def test_predicted_entity_with_two_mentions_needs_both() -> None:
    gold = {"d": [T("attack", PerpOrg=[["fmln", "farabundo marti national liberation front"]])]}
    assert (
        score({"d": [T("attack", PerpOrg=[["fmln", "farabundo marti national liberation front"]])]}, gold)[
            "PerpOrg"
        ]["p"]
        == 1.0
    )
    assert score({"d": [T("attack", PerpOrg=[["fmln", "urng"]])]}, gold)["PerpOrg"]["p"] == 0.0


def test_several_documents_sum_counts_and_missing_predictions() -> None:
    gold = {"a": [T("attack", Victim=[["x"]])], "b": [T("bombing", Weapon=[["bomb"]])], "c": []}
    pred = {"a": [T("attack", Victim=[["x"]])], "c": [T("attack")]}
    r = score(pred, gold)
    # a: 2/2 right; b: 2 missing; c: 1 spurious -> P 2/3, R 2/4
    assert r["micro_avg"]["p"] == pytest.approx(2 / 3) and r["micro_avg"]["r"] == pytest.approx(0.5)


def test_gold_templates_drop_empty_entities_and_duplicates() -> None:
    raw = [
        {
            "incident_type": "attack",
            "PerpInd": [[["guerrillas", 3]], []],
            "PerpOrg": [],
            "Target": [],
            "Victim": [],
            "Weapon": [],
        }
    ] * 2
    assert gold_templates(raw) == [T("attack", PerpInd=[["guerrillas"]])]


def test_gold_scores_itself_perfectly() -> None:
    gold = {
        "d": [
            T("attack", PerpInd=[["men", "gunmen"]], Victim=[["x"], ["y"]]),
            T("kidnapping", Victim=[["z"]]),
        ]
    }
    assert score(gold, gold)["micro_avg"]["f1"] == 1.0


def test_muc_type_mapping() -> None:
    from triangulate.evaluate.muc4 import muc_type

    assert muc_type("ASSAULT", "explosives") == "bombing"
    assert muc_type("ASSAULT", "abduction") == "kidnapping"
    assert muc_type("ASSAULT", "firearms") == "attack"
    assert muc_type("ASSAULT", "arson") == "arson"
    assert muc_type("FIGHT", "clash") is None and muc_type("ARREST", "") is None


def test_truecaser_keeps_offsets() -> None:
    from triangulate.evaluate.truecase import build_truecaser

    tc = build_truecaser(["the farabundo marti national liberation front (fmln) attacked."])
    text = "guerrillas of the fmln attacked the farm near san salvador.  president cerezo said so."
    out = tc(text)
    assert len(out) == len(text) and out.lower() == text
    assert out.startswith("Guerrillas") and "FMLN" in out and "San Salvador" in out and "Cerezo" in out
    assert "  President" in out


@pytest.mark.data
def test_muc4_dev_slice() -> None:
    if not (SHARED / "data" / "muc4" / "processed" / "dev.json").exists():
        pytest.skip(
            f"MUC-4 data not found at {SHARED / 'data' / 'muc4'} (../shared/data beside the checkout)"
        )
    from triangulate.evaluate.muc4 import evaluate

    result = evaluate(SHARED, "dev", limit=30)
    assert result["documents"] == 30
    for setting in ("pipeline", "rules"):
        assert set(result[setting]) >= {
            "incident_type",
            "PerpInd",
            "PerpOrg",
            "Target",
            "Victim",
            "Weapon",
            "micro_avg",
        }
        assert 0 < result[setting]["micro_avg"]["f1"] <= 100
