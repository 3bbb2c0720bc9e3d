"""GVC field comparison (dates, places, counts, names, ages, streets), arrival order, the naive NER baseline and
a small end-to-end slice."""

from __future__ import annotations

from pathlib import Path

import pytest

from triangulate.evaluate.field_scores import (
    GoldPerson,
    NameCounts,
    address_matches,
    address_words,
    age_hits,
    arrival_order,
    first_state,
    gold_people,
    gold_streets,
    is_name,
    naive_date,
    naive_fields,
    name_words,
    same_person,
    stated,
    street_stated,
)
from triangulate.evaluate.gvc_fields import (
    SCORED,
    GoldIncident,
    Scored,
    city_names,
    compare,
    count_matches,
    date_matches,
    fold,
    gold_of,
    parse_range,
    score_level,
    table,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = GoldIncident("1", "2016-07-23", "Chicago (Englewood)", "Illinois", 1, 0)


def test_gold_record() -> None:
    record = {
        "incident_id": 610379,
        "gva": {
            "date": "July 23, 2016",
            "state": "Texas",
            "city_or_county": "Bastrop",
            "num_killed": 4,
            "num_injured": 1,
        },
    }
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
    pred = {
        "date": "2016-07-23",
        "city": "Englewood",
        "state": "Illinois",
        "killed": (1, 1),
        "injured": (None, None),
    }
    assert all(compare(pred, GOLD).values())
    wrong = {
        "date": "2016-07",
        "city": "Chicago Heights",
        "state": "Indiana",
        "killed": (2, 2),
        "injured": (1, 1),
    }
    assert compare(wrong, GOLD) == {
        "date": False,
        "date_within_precision": True,
        "city": False,
        "state": False,
        "killed": False,
        "injured": False,
    }
    assert not any(compare(None, GOLD).values())


PARTICIPANTS = [
    {"Type": " Victim", "Name": " Erica Rodriguez", "Age": " 21", "Status": " Killed"},
    {"Type": " Victim", "Name": " Lorena Nino", "Age": " 2", "Status": " Injured"},
    {"Type": " Victim", "Status": " Killed"},
    {"Type": " Subject-Suspect", "Name": " Alejandro Martinez Jr.", "Age": " 20", "Status": " Killed"},
]


def test_gold_people_and_address() -> None:
    record = {
        "incident_id": 610379,
        "gva": {
            "date": "July 23, 2016",
            "state": "Texas",
            "city_or_county": "Bastrop",
            "address": " 202 Childers Drive",
            "num_killed": 4,
            "num_injured": 1,
            "participants": PARTICIPANTS,
        },
    }
    gold = gold_of(record)
    assert gold.address == "202 Childers Drive"
    assert gold.victims == (
        GoldPerson("Erica Rodriguez", 21),
        GoldPerson("Lorena Nino", 2),
        GoldPerson("", None),
    )
    assert (
        gold.suspects
        == gold_people(record["gva"], "Subject-Suspect")
        == (GoldPerson("Alejandro Martinez Jr.", 20),)
    )


def test_name_matching() -> None:
    assert same_person("Erica Rodriguez", "Erica Rodriguez") and same_person(
        "Alejandro Martinez", "Alejandro Martinez Jr."
    )
    assert same_person("Rodriguez", "Erica Rodriguez") and same_person("Erica Rodriguez", "Rodriguez")
    assert not same_person("Alejandro Rodriguez", "Erica Rodriguez") and not same_person(
        "Erica Nino", "Erica Rodriguez"
    )
    assert is_name("Erica Rodriguez") and not is_name("a 24-year-old man") and not is_name("Rodriguez")
    words = set(name_words("Police named Paula NINO, 20."))
    assert stated("Lorena Nino", words) and not stated("Erica Rodriguez", words) and not stated("", words)


def test_name_counts() -> None:
    gold = (GoldPerson("Erica Rodriguez", 21), GoldPerson("Lorena Nino", 2), GoldPerson("Paula Nino", 20))
    text_words = set(name_words("Erica Rodriguez, 21, died; Paula Nino was hurt."))
    counts = NameCounts()
    # Lorena Nino is "stated" (her surname is a word of the text); the unknown name counts against precision only.
    counts.add(["Erica Rodriguez", "John Doe"], gold, text_words)
    assert (counts.gold, counts.right_gold, counts.predicted, counts.right_predicted) == (3, 1, 2, 1)
    assert counts.precision == 0.5 and counts.recall == 1 / 3
    assert abs(counts.f1 - 2 * 0.5 * (1 / 3) / (0.5 + 1 / 3)) < 1e-12
    counts.add(
        [], (GoldPerson("Ann Lee"),), set(name_words("no names here"))
    )  # not stated: no gold, no prediction
    assert (counts.gold, counts.predicted) == (3, 2)
    assert NameCounts().f1 == 0.0


def test_age_hits() -> None:
    gold = (GoldPerson("Erica Rodriguez", 21), GoldPerson("Paula Nino", 20), GoldPerson("Lorena Nino", None))
    preds = [
        {"name": "Erica Rodriguez", "age": 21},
        {"name": "Paula Nino", "age": None},
        {"name": "Lorena Nino", "age": 2},
    ]
    assert age_hits(preds, gold) == (2, 1)  # Lorena's age is not in GVA: not scored
    assert age_hits([{"name": "Erica Rodriguez", "age": "22"}], gold) == (1, 0)
    assert age_hits([], gold) == (0, 0)


def test_address_normalisation() -> None:
    assert (
        address_words("202 Childers Dr.") == address_words("202 childers drive") == ["202", "childers", "dr"]
    )
    assert address_words("N. Athol Ave") == address_words("North Athol Avenue")
    assert address_words("Seventh Street") == address_words("7th St.")
    assert (
        gold_streets("200 block of Childers Drive")
        == gold_streets("202 Childers Drive")
        == [["childers", "dr"]]
    )
    assert gold_streets("700-block of East McHaney Drive") == [["e", "mchaney", "dr"]]
    assert gold_streets("Laurel and Linden avenues") == [["laurel"], ["linden", "ave"]]
    assert gold_streets("") == [] and gold_streets("1200") == [["1200"]]


def test_address_matching() -> None:
    assert address_matches("202 Childers Drive", "200 block of Childers Drive")
    assert address_matches("200 block of Childers Dr.", "202 Childers Drive")
    assert address_matches("Childers Drive", "202 Childers Drive")
    assert not address_matches("202 Childers Lane", "202 Childers Drive")
    assert not address_matches("Childers", "202 Childers Drive")
    assert not address_matches(None, "202 Childers Drive") and not address_matches("202 Childers Drive", "")
    assert address_matches("Laurel Avenue and Linden Avenue", "Laurel and Linden avenues")
    text = "Shots were fired on Childers Dr. late Saturday."
    assert street_stated("202 Childers Drive", [text]) and street_stated("202 Childers Drive", ["x", text])
    assert not street_stated("5400 block of Louise Street", [text]) and not street_stated("", [text])


def test_arrival_order() -> None:
    records = [
        {"doc_id": "b", "dct": "2016-07-24"},
        {"doc_id": "c", "dct": "2016-01-02"},
        {"doc_id": "a", "dct": "2016-07-24"},
        {"doc_id": "d", "dct": "2015-12-31"},
    ]
    assert [r["doc_id"] for r in arrival_order(records)] == ["d", "c", "a", "b"]
    assert arrival_order([]) == []


def _item(ours: dict | None, baseline: dict | None, texts: tuple[str, ...]) -> Scored:  # type: ignore[type-arg]
    gold = GoldIncident(
        "1",
        "2016-07-23",
        "Bastrop",
        "Texas",
        4,
        1,
        "202 Childers Drive",
        (GoldPerson("Erica Rodriguez", 21), GoldPerson("Paula Nino", 20)),
        (GoldPerson("Alejandro Martinez", 20),),
    )
    return Scored(ours, baseline, gold, texts)


def test_score_level() -> None:
    text = (
        "Erica Rodriguez, 21, and Paula Nino, 20, died at 202 Childers Drive; Alejandro Martinez shot them."
    )
    ours = {
        "date": "2016-07-23",
        "city": "Bastrop",
        "state": "Texas",
        "killed": (4, 4),
        "injured": (1, 1),
        "victims": [{"name": "Erica Rodriguez", "age": 21}, {"name": "a woman", "age": 20}],
        "suspects": [{"name": "Alejandro Martinez", "age": 19}],
        "address": "200 block of Childers Drive",
    }
    base = {
        "date": "2016-07-24",
        "city": "Bastrop",
        "state": "",
        "victims": [{"name": "Paula Nino"}],
        "suspects": [{"name": "Erica Rodriguez"}],
    }
    out = score_level([_item(ours, base, (text,)), _item(None, None, ("Nothing named.",))])
    assert list(out) == list(SCORED)
    assert out["date"] == {"ours": 0.5, "baseline": 0.0, "lift": 0.5, "n": 2}
    assert out["killed"]["baseline"] is None and out["killed"]["lift"] is None
    assert out["victims_precision"] == {
        "ours": 1.0,
        "baseline": 1.0,
        "lift": 0.0,
        "n": 1,
    }  # "a woman" is no name
    assert out["victims_recall"]["ours"] == 0.5 and out["victims_recall"]["n"] == 2
    assert out["suspects_precision"]["baseline"] == 0.0 and out["suspects_recall"]["ours"] == 1.0
    assert out["ages"] == {"ours": 0.5, "baseline": None, "lift": None, "n": 2}
    assert out["address"] == {
        "ours": 1.0,
        "baseline": None,
        "lift": None,
        "n": 1,
    }  # the second names no street
    assert score_level([])["date"]["n"] == 0


def test_table_lines() -> None:
    level = score_level([_item(None, None, ("x",))])
    result = {
        "split": "dev",
        "document_level": level,
        "all": {"split": "all", "document_level": level, "incident_level": level},
    }
    lines = table(result).splitlines()
    assert len(lines) == 2 + 3 * len(SCORED)
    assert lines[2].startswith("| dev | document | date | 0.000 | 0.000 | 0.000 | 1 |")
    assert any(line.startswith("| all | incident | killed | 0.000 | - | - | 1 |") for line in lines)


def test_naive_baseline_with_the_pipeline_model() -> None:
    from triangulate.evaluate.roles import distinct_persons, ner_entities
    from triangulate.extract.nlp import load_base_model

    text = (
        "Police in Austin, Texas said John Smith was shot on July 23, 2016 by Robert Jones. "
        "John Smith died at the scene, police said."
    )
    ents = next(ner_entities([text]))
    assert ents == [
        (e.label_, e.text) for e in load_base_model()(text).ents
    ]  # the project's own loader and model
    fields = naive_fields(ents, "2016-07-25")
    persons = distinct_persons(ents)
    assert sorted(persons) == sorted(set(t for lab, t in ents if lab == "PERSON"))  # each name once
    assert fields["victims"] == [{"name": n} for n in persons[:1]]
    assert fields["suspects"] == [{"name": n} for n in persons[1:2]]
    gpes = [t for lab, t in ents if lab == "GPE"]
    assert fields["city"] == (gpes[0] if gpes else "")
    assert fields["state"] == first_state(gpes) and (fields["state"] == "Texas") == ("Texas" in gpes)
    dates = [t for lab, t in ents if lab == "DATE"]
    assert fields["date"] == naive_date(dates[0] if dates else None, "2016-07-25")


def test_naive_date_and_state() -> None:
    assert naive_date("July 23, 2016", "2016-07-25") == "2016-07-23"
    assert naive_date("Saturday", "2016-07-25") == "2016-07-23"  # resolved back from Monday's publication day
    assert naive_date(None, "2016-07-25") is None and naive_date("", "") is None
    assert first_state(["Austin", "texas", "Ohio"]) == "Texas" and first_state(["Austin"]) == ""


@pytest.mark.data
def test_gvc_slice() -> None:
    if not (SHARED / "data" / "gvc" / "gvc_docs_fulltext.jsonl").exists():
        pytest.skip(f"GVC data not found at {SHARED / 'data' / 'gvc'} (../shared/data beside the checkout)")
    from triangulate.evaluate.gvc_fields import build_store, evaluate_documents, evaluate_incidents

    docs = evaluate_documents(SHARED, "dev", limit=30)
    assert docs["documents"] == 30 and docs["document_level"]["date"]["n"] == 30
    assert "incident_level" not in docs and docs["order"].startswith("publication date")
    assert 0 < docs["document_level"]["date_within_precision"]["ours"] <= 1
    incidents = evaluate_incidents(SHARED, "dev", limit=30)  # the same cached store
    assert (
        incidents["gold_incidents"] >= 2
        and incidents["incident_level"]["date"]["n"] == incidents["gold_incidents"]
    )
    assert set(incidents["incident_level"]) == set(SCORED) == set(incidents["document_level"])
    for line in incidents["incident_level"].values():
        assert line["baseline"] is None or abs(line["lift"] - (line["ours"] - line["baseline"])) < 1e-3
    # The documents went in by publication date, not in the file's (grouped by incident) order.
    store, records = build_store(SHARED, "dev", limit=30)
    fed = [r["external_id"] for r in store.query("SELECT external_id FROM documents ORDER BY id")]
    assert fed == [r["doc_id"] for r in records] == [r["doc_id"] for r in arrival_order(records)]
    assert [r["dct"] for r in records] == sorted(r["dct"] for r in records)
