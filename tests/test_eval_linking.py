"""The linking evaluation's TF-IDF baselines (evaluate.baselines) and `triangulate eval gvc`."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tests.conftest import SHARED
from triangulate.evaluate.baselines import agglomerate, cut, similarities, tuned, windowed

TEXTS = [
    "Gunmen killed three police officers at a checkpoint in Kestrel on Monday.",
    "Three police officers were shot dead at a Kestrel checkpoint, officials said.",
    "A checkpoint in Kestrel came under fire; three officers died.",
    "Floods swept through the river valley, leaving thousands homeless.",
    "Thousands were left homeless as floods hit the valley villages.",
    "The central bank raised interest rates by half a point.",
]
GOLD = {"a": "shooting", "b": "shooting", "c": "shooting", "d": "flood", "e": "flood", "f": "bank"}


def test_average_linkage_recovers_the_topics_and_heights_never_rise():
    merges = agglomerate(similarities(TEXTS))
    assert [m.height for m in merges] == sorted((m.height for m in merges), reverse=True)
    result = tuned(merges, list(GOLD), GOLD, GOLD)
    assert result["b3_f1"] == 1.0 and result["pred_clusters"] == 3, result
    assert len(set(cut(merges, len(TEXTS), 2.0))) == len(TEXTS), "above every height nothing merges"


def test_the_window_keeps_reports_weeks_apart_from_merging():
    sim = similarities(TEXTS)
    days = [date(2024, 1, 1), date(2024, 1, 2), date(2024, 3, 1), None, None, None]
    limited = windowed(sim, days, 7)
    assert limited[0, 2] == -np.inf and limited[0, 1] == sim[0, 1] and limited[3, 4] == sim[3, 4]
    clusters = cut(agglomerate(limited), len(TEXTS), 0.05)
    assert clusters[0] == clusters[1] != clusters[2]


@pytest.mark.data
@pytest.mark.slow
def test_eval_gvc_reports_ours_beside_both_baselines():
    if not (SHARED / "data" / "gvc" / "gvc_docs_fulltext.jsonl").is_file():
        pytest.skip(f"GVC not found under {SHARED / 'data'} (../shared/data beside the checkout)")
    from triangulate.evaluate.registry import EvalOptions, run_evaluation

    result = run_evaluation("gvc", SHARED, EvalOptions(split="test"))
    assert result["tuned_on"] == ["train", "dev"]
    assert result["baseline_tfidf"]["b3_f1"] == pytest.approx(0.959, abs=0.01), (
        "the issue's published baseline"
    )
    assert 0.0 < result["baseline_tfidf_7day_window"]["b3_f1"] <= 1.0
    orders = result["ours"]["orders"]
    assert list(orders) == ["date", "shuffle-7", "shuffle-11", "shuffle-23"], (
        "by date and three seeded shuffles, never by gold"
    )
    assert all(r["docs"] == 74 for r in orders.values()) and result["ours"]["b3_f1_mean"] >= 0.95
    values = [r["b3_f1"] for r in orders.values()]
    assert result["ours"]["b3_f1_spread"] == pytest.approx(max(values) - min(values), abs=1e-4)


def test_arrival_orders_are_by_date_then_seeded_shuffles_and_never_grouped(tmp_path):
    from triangulate.evaluate.linking import Corpus

    ids = [f"d{i}" for i in range(8)]
    days = [date(2024, 1, 9 - i) for i in range(8)]
    corpus = Corpus(
        tmp_path / "c.jsonl", "", ids, [""] * 8, days, dict.fromkeys(ids, "x"), dict.fromkeys(ids, "dev")
    )
    orders = corpus.orders()
    assert orders["date"] == list(range(7, -1, -1)), "earliest publication first"
    assert all(sorted(o) == list(range(8)) for o in orders.values())
    assert orders["shuffle-7"] != orders["shuffle-11"] and corpus.orders() == orders, (
        "fixed seeds: the same every run"
    )
    undated = Corpus(
        tmp_path / "c.jsonl",
        "",
        ids,
        [""] * 8,
        [None] * 8,
        dict.fromkeys(ids, "x"),
        dict.fromkeys(ids, "dev"),
    )
    assert list(undated.orders()) == ["shuffle-7", "shuffle-11", "shuffle-23"]


@pytest.mark.data
def test_gva_dev_corpus_is_read_by_date_with_its_halves():
    if not (SHARED / "data" / "gva_dev" / "documents.jsonl").is_file():
        pytest.skip(f"gva_dev not found under {SHARED / 'data'} (../shared/data beside the checkout)")
    from triangulate.evaluate.linking import gva_dev_corpus

    corpus = gva_dev_corpus(SHARED)
    assert len(corpus.ids) == 1839 and len(set(corpus.gold.values())) == 1077
    assert {s: sum(v == s for v in corpus.split_of.values()) for s in ("train", "dev")} == {
        "train": 925,
        "dev": 914,
    }
    by_date = corpus.orders()["date"]
    assert [corpus.days[i] for i in by_date] == sorted(corpus.days), "fed by publication date"
    merges = agglomerate(windowed(similarities(corpus.texts), corpus.days, 7))
    result = tuned(merges, corpus.ids, corpus.gold_for("train"), corpus.gold_for("dev"))
    assert 0.8 < result["b3_f1"] < 0.95, (
        "the 7-day TF-IDF baseline of the README (0.883 on the held-out share)"
    )


def test_eval_refuses_an_unknown_split():
    from click.testing import CliRunner

    from triangulate.cli import cli

    result = CliRunner().invoke(cli, ["eval", "ecbplus", "--split", "validation"])
    assert (
        result.exit_code == 2 and "'validation' is not one of 'train', 'dev', 'test', 'all'" in result.output
    )


def test_eval_checks_the_split_against_the_dataset():
    from click.testing import CliRunner

    from triangulate.cli import cli

    no_test = CliRunner().invoke(cli, ["eval", "gva-dev", "--split", "test"])
    assert no_test.exit_code == 1 and "gva-dev has no split 'test'" in no_test.output
    assert "use --split train or dev" in no_test.output and "Traceback" not in no_test.output
    no_splits = CliRunner().invoke(cli, ["eval", "seeds", "--split", "dev"])
    assert no_splits.exit_code == 1 and "seeds has no splits" in no_splits.output


def test_the_scored_split_is_never_a_baseline_tuning_split():
    from triangulate.evaluate.linking import _tuning_splits
    from triangulate.evaluate.registry import EVALUATIONS, EvalOptions, resolve_split

    assert _tuning_splits("dev") == ("train",) and _tuning_splits("test") == ("train", "dev")
    assert resolve_split("gva-dev", EVALUATIONS["gva-dev"], None) == "dev"
    assert resolve_split("ecbplus", EVALUATIONS["ecbplus"], "dev") == "dev"
    assert EvalOptions().split is None
