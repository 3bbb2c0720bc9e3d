"""Claims and denials: who takes a stance, and sentences where nobody does (issue 23)."""

from __future__ import annotations

import pytest

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
