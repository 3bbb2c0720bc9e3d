"""Event triggers in context (triangulate.extract.events.triggers) on the real spaCy model."""

from __future__ import annotations

import pytest

from triangulate.extract.events.triggers import find_triggers
from triangulate.extract.nlp import load_base_model


@pytest.fixture(scope="module")
def nlp():
    return load_base_model("")


def types(nlp, text: str) -> set[str]:
    return {t.event_type for sent in nlp(text).sents for t in find_triggers(sent)}


@pytest.mark.parametrize(
    "text",
    [
        "The 7.6-magnitude quake killed at least two people in Manokwari.",
        "A powerful earthquake struck Aceh on Tuesday, killing 22 people.",
        "Five people were killed in the earthquake, officials said.",
        "The quake, which killed 34, destroyed hundreds of homes.",
        "Two people died in the floods.",
        "Five people were killed by the temblor, according to the UN.",
    ],
)
def test_a_natural_disaster_is_not_an_assault(nlp, text):
    assert "ASSAULT" not in types(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed five people in Aceh.",
        "Gunfire killed two protesters near the square.",
        "A bomb blast killed 12 people in Kabul.",
        "Militants killed three soldiers after the earthquake relief convoy stopped.",
    ],
)
def test_violence_stays_an_assault(nlp, text):
    assert "ASSAULT" in types(nlp, text)
