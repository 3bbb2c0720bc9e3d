"""TempEval-3 TBAQ (TimeBank + AQUAINT) scoring of the time resolver.

The corpus lives outside the repository (../shared/data/tempeval3_tbaq, third-party news that
must not be committed). Tests that read it are marked ``data`` and skip, naming the folder, where
it is absent; the parsing and normalisation tests run everywhere on a small synthetic file.

Floors are pinned a little below the measured values (gold-span DATE accuracy 0.809 overall,
TimeBank 0.809, AQUAINT 0.810; end-to-end span F1 0.927, (span, value) F1 0.800).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from triangulate.evaluate.tempeval import evaluate, load_corpus, load_document, normalise_gold

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tempeval3_tbaq"

FLOORS = {
    "gold_span_date_accuracy": {"overall": 0.79, "TimeBank": 0.79, "AQUAINT": 0.79},
    "end_to_end_span_f1": {"overall": 0.90, "TimeBank": 0.90, "AQUAINT": 0.90},
    "end_to_end_value_f1": {"overall": 0.77, "TimeBank": 0.77, "AQUAINT": 0.77},
}

SAMPLE = """<?xml version="1.0" ?>
<TimeML>
<DOCID>SAMPLE</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-08" temporalFunction="false" functionInDocument="CREATION_TIME">19980808</TIMEX3></DCT>
<TEXT>
The embassy was <EVENT eid="e1" class="OCCURRENCE">bombed</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-08-07" functionInDocument="NONE">Friday</TIMEX3> &amp; searched for <TIMEX3 tid="t2" type="DURATION" value="P2D" functionInDocument="NONE">two days</TIMEX3>; it is <TIMEX3 tid="t3" type="DATE" value="PRESENT_REF" functionInDocument="NONE">now</TIMEX3> closed, as it was in <TIMEX3 tid="t4" type="DATE" value="1998-W7" functionInDocument="NONE">the week</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture
def tbaq() -> Path:
    if not (DATA / "TimeBank").is_dir():
        pytest.skip(
            f"TempEval-3 TBAQ data not found at {DATA} (it lives in ../shared/data beside the checkout)"
        )
    return DATA


def test_load_document_keeps_offsets(tmp_path: Path) -> None:
    path = tmp_path / "SAMPLE.tml"
    path.write_text(SAMPLE, encoding="utf-8")
    document = load_document(path, "TimeBank")
    assert document.dct == "1998-08-08"
    assert str(document.anchor.date) == "1998-08-08"
    assert "&" in document.text and "<" not in document.text
    assert [(t.tid, t.type, t.value, t.text) for t in document.timexes] == [
        ("t1", "DATE", "1998-08-07", "Friday"),
        ("t2", "DURATION", "P2D", "two days"),
        ("t3", "DATE", "PRESENT_REF", "now"),
        ("t4", "DATE", "1998-W7", "the week"),
    ]
    for timex in document.timexes:
        assert document.text[timex.start : timex.end] == timex.text


@pytest.mark.parametrize(
    "gold,normalised",
    [
        ("2000-W7", "2000-W07"),
        ("1989-W43-WE", "1989-W43-WE"),
        ("2000-01-05TEV", "2000-01-05"),
        ("1998-08-07T10:35", "1998-08-07"),
        ("PAST_REF", "PAST_REF"),
        ("1989-Q3", "1989-Q3"),
        ("199", "199"),
    ],
)
def test_normalise_gold(gold: str, normalised: str) -> None:
    assert normalise_gold(gold) == normalised


def test_evaluate_on_a_sample_folder(tmp_path: Path) -> None:
    (tmp_path / "TimeBank").mkdir()
    (tmp_path / "TimeBank" / "SAMPLE.tml").write_text(SAMPLE, encoding="utf-8")
    report = evaluate(tmp_path)
    overall = report["corpora"]["overall"]
    assert overall["documents"] == 1
    assert overall["gold_span"]["date"]["n"] == 3
    assert overall["gold_span"]["date"]["correct"] == 2  # Friday, now; "the week" is no date alone
    assert overall["end_to_end"]["span"]["recall"] == pytest.approx(2 / 3, abs=1e-3)


def test_evaluate_refuses_an_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no TimeML"):
        evaluate(tmp_path)


@pytest.mark.data
def test_gold_offsets_match_the_text(tbaq: Path) -> None:
    documents = list(load_corpus(tbaq))
    assert len(documents) == 256
    for document in documents:
        assert document.anchor.date is not None, document.name
        for timex in document.timexes:
            assert document.text[timex.start : timex.end] == timex.text


@pytest.mark.data
def test_tempeval_floors(tbaq: Path) -> None:
    report = evaluate(tbaq)
    corpora = report["corpora"]
    for corpus, floor in FLOORS["gold_span_date_accuracy"].items():
        measured = corpora[corpus]["gold_span"]["date"]["accuracy"]
        assert measured >= floor, f"{corpus}: gold-span DATE accuracy {measured} < floor {floor}"
    for corpus, floor in FLOORS["end_to_end_span_f1"].items():
        measured = corpora[corpus]["end_to_end"]["span"]["f1"]
        assert measured >= floor, f"{corpus}: end-to-end span F1 {measured} < floor {floor}"
    for corpus, floor in FLOORS["end_to_end_value_f1"].items():
        measured = corpora[corpus]["end_to_end"]["value"]["f1"]
        assert measured >= floor, f"{corpus}: end-to-end value F1 {measured} < floor {floor}"
    assert corpora["overall"]["gold_span"]["date"]["n"] == 1505
