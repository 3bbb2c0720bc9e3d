"""ACLED and GTD views of an incident: columns another tool can load without surprises (issue 23)."""

from __future__ import annotations

from triangulate.export.schemas import COLUMNS, to_schema


def incident(victim: str, kind: str, killed: str) -> dict:
    return {
        "id": 3,
        "event_type": "ASSAULT",
        "mode": "explosives",
        "date": "2024-04-25",
        "fields": {
            "victims": {"chosen": victim, "candidates": [{"value": victim, "detail": {"kind": kind}}]},
            "killed": {"chosen": killed, "candidates": []},
            "country": {"chosen": "Pakistan", "candidates": []},
        },
        "verification": {"label": "corroborated"},
        "sources": [{"outlet": "Harbor Wire"}, {"outlet": "Meridian Press"}, {"outlet": "Harbor Wire"}],
    }


def test_an_unknown_toll_stays_empty_and_outlets_are_listed_once():
    row = to_schema(incident("market", "physical", ""), "acled")
    assert row["fatalities"] == "" and row["source"] == "Harbor Wire; Meridian Press"
    assert to_schema(incident("market", "physical", "8"), "acled")["fatalities"] == 8
    assert to_schema(incident("market", "physical", ""), "gtd")["nkill"] == ""


def test_actor2_holds_actors_only():
    assert to_schema(incident("market", "physical", "8"), "acled")["actor2"] == ""
    assert to_schema(incident("Muhammad Zubair", "person", "8"), "acled")["actor2"] == "Civilians (Pakistan)"
    assert to_schema(incident("Frontier Corps", "state_force", "8"), "acled")["actor2"] == "Frontier Corps"


def test_every_column_is_in_the_codebook():
    for schema in ("acled", "gtd"):
        assert set(to_schema(incident("market", "physical", ""), schema)) == set(COLUMNS[schema])
