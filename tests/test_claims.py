"""Claims and denials: who takes a stance, and sentences where nobody does (issue 23)."""

from __future__ import annotations

import pytest

from tests.conftest import extract_report
from triangulate.extract.events.claims import SentenceInfo, find_claims


def stances(text: str) -> list[tuple[str, str]]:
    return [(c.speaker, c.stance) for c in find_claims(1, SentenceInfo(text, 0, 0), [])]


@pytest.mark.parametrize(
    "text",
    [
        "No group had claimed responsibility for the attack till the filing of this report.",
        "Nobody has claimed responsibility.",
        "No organisation has so far claimed it.",
        "No one denied it.",
        "The Taliban did not claim the attack.",
        "The Pakistani Taliban has yet to claim responsibility.",
        "The group has not claimed the attack.",
        "The ministry did not deny the report.",
    ],
)
def test_absent_and_negated_stances_are_not_claims(text):
    assert [s for s in stances(text) if s[1] in ("claims", "denies", "confirms")] == []


def test_a_stated_claim_and_denial_are_kept():
    assert stances("The NLF claimed responsibility for the blast.") == [("The NLF", "claims")]
    assert ("The army", "denies") in stances("The army denied the report.")


def extracted(nlp, title: str, body: str):
    return extract_report(nlp, title, body, published="2024-04-26")


def test_a_denial_of_the_earlier_attack_is_not_the_reports(nlp):
    out = extracted(
        nlp,
        "Bomb at fruit market kills eight",
        "A bomb hidden in a fruit cart killed eight people at the Gulbahar fruit market in Peshawar on Thursday, "
        "police said. The device at the vegetable market on Charsadda Road was detonated by remote control. "
        "Investigators have not said whether the same network carried out both attacks. "
        "The Northern Liberation Front had denied any part in the earlier bombing.",
    )
    main = next(e for e in out.events if e.role == "main")
    assert not [c for c in main.claims if c.stance == "denies"]
    assert any(c.stance == "denies" for c in out.claims)  # kept with the report, attached to no event of it


def test_a_title_case_headline_names_no_speaker(nlp):
    out = extracted(
        nlp,
        "Militant Group Claims Bombing Of Peshawar Fruit Market",
        "Eight people were killed when a bomb exploded at a crowded fruit market in Peshawar on Thursday. "
        "The Northern Liberation Front (NLF) claimed responsibility in a statement.",
    )
    speakers = {c.speaker for c in out.claims if c.stance == "claims"}
    assert "Militant Group" not in speakers
    assert any("Northern Liberation Front" in s or s == "NLF" for s in speakers), speakers


def test_one_group_under_its_name_and_its_acronym_is_one_claimant():
    from triangulate.reconcile.status import one_name_per_speaker

    names = one_name_per_speaker({"NLF", "Northern Liberation Front", "Amaq"})
    assert names == {
        "NLF": "Northern Liberation Front",
        "Northern Liberation Front": "Northern Liberation Front",
        "Amaq": "Amaq",
    }
