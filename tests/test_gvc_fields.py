"""GVC field comparison (dates, places, counts) and a small end-to-end slice."""

from __future__ import annotations

from pathlib import Path

import pytest

from triangulate.evaluate.gvc_fields import (
    GoldIncident,
    city_names,
    compare,
    count_matches,
    date_matches,
    fold,
    gold_of,
    parse_range,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = GoldIncident("1", "2016-07-23", "Chicago (Englewood)", "Illinois", 1, 0)


def test_gold_record() -> None:
    record = {"incident_id": 610379, "gva": {"date": "July 23, 2016", "state": "Texas", "city_or_county": "Bastrop",
                                             "num_killed": 4, "num_injured": 1}}
    assert gold_of(record) == GoldIncident("610379", "2016-07-23", "Bastrop", "Texas", 4, 1)


def test_dates_exact_and_within_precision() -> None:
    assert date_matches("2016-07-23", "2016-07-23") == (True, True)
    assert date_matches("2016-07", "2016-07-23") == (False, True)
    assert date_matches("2016-07-22", "2016-07-23") == (False, False)
    assert date_matches("2016-07-20/2016-07-26", "2016-07-23") == (False, True)
    assert date_matches("XXXX-07-23", "2016-07-23") == (False, False)
    assert date_matches(None, "2016-07-23") == (False, False)


def test_city_names() -> None:
    assert city_names("Chicago (Englewood)") == {"chicago", "englewood"}
    assert city_names("Henry (county)") == {"henry", "henry county"}
    assert fold("St. Louis") == fold("Saint Louis") == "saint louis"
    assert fold("City of Bogotá") == "bogota"


def test_counts() -> None:
    assert count_matches(None, None, 0) and not count_matches(None, None, 2)
    assert count_matches(2, 4, 3) and not count_matches(2, 2, 3)
    assert parse_range("2-4") == (2, 4) and parse_range("3") == (3, 3) and parse_range("") == (None, None)


def test_compare() -> None:
    pred = {"date": "2016-07-23", "city": "Englewood", "state": "Illinois", "killed": (1, 1), "injured": (None, None)}
    assert all(compare(pred, GOLD).values())
    wrong = {"date": "2016-07", "city": "Chicago Heights", "state": "Indiana", "killed": (2, 2), "injured": (1, 1)}
    assert compare(wrong, GOLD) == {"date": False, "date_within_precision": True, "city": False, "state": False,
                                    "killed": False, "injured": False}
    assert not any(compare(None, GOLD).values())


@pytest.mark.data
def test_gvc_slice() -> None:
    if not (SHARED / "data" / "gvc" / "gvc_docs_fulltext.jsonl").exists():
        pytest.skip(f"GVC data not found at {SHARED / 'data' / 'gvc'} (../shared/data beside the checkout)")
    from triangulate.evaluate.gvc_fields import evaluate_documents, evaluate_incidents

    docs = evaluate_documents(SHARED, "dev", limit=30)
    assert docs["documents"] == 30 and docs["document_level"]["n"] == 30
    assert 0 < docs["document_level"]["date_within_precision"] <= 1
    incidents = evaluate_incidents(SHARED, "dev", limit=30)  # the same cached store
    assert incidents["gold_incidents"] >= 2 and incidents["incident_level"]["n"] == incidents["gold_incidents"]
    assert set(incidents["incident_level"]) == {"n", "date", "date_within_precision", "city", "state", "killed", "injured"}
