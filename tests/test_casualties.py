"""Casualties a report implies without a number (extract/events/casualties.py), ages that are not counts, a
county that names its state, and the wounded person who later died (reconcile/record.py), on the real pipeline."""

from __future__ import annotations

import pytest

from tests.conftest import extract_report
from triangulate.extract.events.casualties import add_implied_counts
from triangulate.extract.events.counts import find_counts
from triangulate.reconcile.fields import FieldRecord, same
from triangulate.reconcile.record import _died_of_wounds
from triangulate.records import Person


def main_event(nlp, title: str, body: str):
    return next(e for e in extract_report(nlp, title, body).events if e.role == "main")


def counts(event) -> dict[str, tuple[int, bool]]:
    return {c.field: (c.low, c.implied) for c in event.counts if c.field in ("killed", "wounded")}


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Teen shot, killed in Greensburg",
            "Police are investigating after a teenager was shot on Main Street Monday.",
            {"killed": (1, True)},
        ),
        (
            "Police: 5-year-old dies from gunshot after negligent discharge",
            "Officers were called to a shooting at a home around 10 p.m. Friday. The boy was taken to a hospital.",
            {"killed": (1, True)},
        ),
        (
            "Boy accidentally shot in Houston",
            "A young boy was shot and wounded at a home in east Houston, police said. "
            "He was in critical condition at last check.",
            {"wounded": (1, True)},
        ),
        (
            "Shooting under investigation",
            "A 16-year-old student died from a gunshot wound to the head early Tuesday.",
            {"killed": (1, True)},
        ),
        (
            "Two teens shot dead at party",
            "Two teenagers were killed and three people were wounded at a party.",
            {"killed": (2, False), "wounded": (3, False)},
        ),
        (
            "14 shot, one fatally, on the West Side",
            "A pair of gunmen opened fire at a party early Saturday, police said.",
            {"killed": (1, True), "wounded": (13, True)},
        ),
        (
            "Four people shot overnight in Suffolk",
            "Four people were shot early Sunday morning on the 100 block of North Capital Street.",
            {"wounded": (4, True)},
        ),
        (
            "Gunman opens fire at a bar",
            "A gunman shot six people at a bar early Sunday, police said. Two men were killed and four "
            "people were wounded.",
            {"killed": (2, False), "wounded": (4, False)},
        ),
    ],
)
def test_implied_casualties(nlp, title, body, expected):
    assert counts(main_event(nlp, title, body)) == expected


def test_named_victims_killed_are_counted(nlp):
    event = main_event(nlp, "Shooting on Elm Street", "Police are investigating a shooting on Elm Street.")
    event.counts = []
    event.people = [
        Person("Marcus Dell", role="victim", status="killed", evidence=(0, 8)),
        Person("Tyrone Beal", role="victim", status="killed", evidence=(10, 20)),
        Person("Lena Ortiz", role="other"),
    ]
    add_implied_counts(event, nlp("Shooting on Elm Street\n\nPolice are investigating a shooting."), 22)
    assert counts(event) == {"killed": (2, True)}


def test_an_age_is_not_a_count():
    assert find_counts("Police said he shot and killed 16-year-old Jane Doe.") == []
    assert [(c.field, c.low) for c in find_counts("The gunman killed 16 people.")] == [("killed", 16)]


def test_a_county_names_its_state(nlp):
    event = main_event(
        nlp,
        "Three people dead east of Bozeman",
        "Deputies in Gallatin County found three people shot dead at a ranch on Friday, the sheriff said.",
    )
    assert event.state is not None and event.state.value == "Montana"


def _field(name: str, values: list[tuple[str, int]]) -> FieldRecord:
    f = FieldRecord(name)
    for value, doc in values:
        f.add(value, doc, {"doc_id": doc}, same)
    f.settle({1: 1, 2: 2}, 2)
    return f


def test_the_one_wounded_person_who_died_is_not_also_wounded():
    killed, wounded = _field("killed", [("1", 2)]), _field("wounded", [("1", 1)])
    _died_of_wounds(killed, wounded)
    assert killed.chosen == "1" and wounded.chosen == ""
    assert wounded.candidates and "later died" in wounded.rule
    survivors = _field("wounded", [("2", 1)])
    _died_of_wounds(killed, survivors)
    assert survivors.chosen == "2"
