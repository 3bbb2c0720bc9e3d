"""`triangulate eval examples`: reports versus mentions, independent sources, claims, foreign contradictions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triangulate.evaluate.truth import same_speaker, score_truth

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())

GOLD = {
    "duplicates": {"exact": [["c.txt", "b.txt"]]},
    "incidents": [
        {
            "id": "one",
            "documents": ["a.txt", "b.txt", "c.txt"],
            "mentioned_in": ["d.txt"],
            "killed": 8,
            "status": {"claimed_by": ["Northern Liberation Front (statement)"], "denied_by": []},
        },
        {
            "id": "two",
            "documents": ["d.txt"],
            "killed": 11,
            "status": {"claimed_by": [], "denied_by": ["Northern Liberation Front: 'not involved'"]},
        },
    ],
}
NAMES = {1: "a.txt", 2: "b.txt", 3: "c.txt", 4: "d.txt"}


def row(rid, main, mentions, independent, claimed=(), denied=(), killed=None):
    fields = {
        "killed": {
            "contradiction": bool(killed),
            "candidates": [
                {"value": v, "independent": 1, "evidence": [{"role": "main"}]} for v in (killed or [])
            ],
        }
    }
    return {
        "id": rid,
        "main_documents": main,
        "mention_documents": mentions,
        "n_independent": independent,
        "verification": {"claimed_by": list(claimed), "denied_by": list(denied)},
        "fields": fields,
    }


def test_a_perfect_answer_scores_one():
    rows = [
        row(1, [1, 2, 3], [4], 2, claimed=["NLF"]),
        row(2, [4], [], 1, denied=["Northern Liberation Front"]),
    ]
    result = score_truth(rows, NAMES, GOLD)
    assert result["reports"]["f1"] == result["mentions"]["f1"] == result["claims"]["f1"] == 1.0
    assert result["independent_sources_exact"] == 1.0 and result["foreign_contradictions"] == 0


def test_inflated_sources_a_lost_mention_and_a_foreign_toll_are_counted():
    rows = [
        row(1, [1, 2, 3], [], 3, claimed=["NLF", "Militant Group"], killed=["8", "11"]),
        row(2, [4], [], 1),
    ]
    result = score_truth(rows, NAMES, GOLD)
    assert result["mentions"]["recall"] == 0.0 and result["independent_sources_exact"] == 0.5
    assert result["claims"]["precision"] == 0.5 and result["claims"]["recall"] == 0.5
    assert result["foreign_contradictions"] == 1


def test_speakers_match_however_written():
    assert same_speaker("Northern Liberation Front", "NLF")
    assert same_speaker("Islamic State", "the Islamic State")
    assert not same_speaker("Jund al-Jibal", "Northern Liberation Front")


@pytest.mark.slow
def test_example_corpus_truth_meets_floors():
    from triangulate.evaluate.registry import run_evaluation

    result = run_evaluation("examples", Path("."))
    assert result["reports"]["f1"] >= FLOORS["examples_truth_reports_f1"], result
    assert result["mentions"]["f1"] >= FLOORS["examples_truth_mentions_f1"], result
    assert result["independent_sources_exact"] >= FLOORS["examples_truth_independent_exact"], result
    assert result["claims"]["f1"] >= FLOORS["examples_truth_claims_f1"], result
    assert result["foreign_contradictions"] <= FLOORS["examples_truth_foreign_contradictions_max"], result
