"""The document-level entity layer (extract/events/people.py) and report details (extract/events/details.py),
on the real spaCy pipeline, and their reconciliation into an incident's victims and suspects."""

from __future__ import annotations

import pytest

from tests.conftest import extract_report
from triangulate.ingest.clean import split_headline
from triangulate.reconcile.people import merge_people


def main_event(nlp, title: str, body: str, published: str = "2016-03-08"):
    return next(e for e in extract_report(nlp, title, body, published).events if e.role == "main")


def people(event, role: str) -> dict[str, object]:
    return {p.name: p for p in event.people if p.role == role}


def test_victim_and_arrested_suspect_across_sentences(nlp):
    event = main_event(
        nlp,
        "Arrest made in deadly east side shooting",
        "DAYTON, Ohio (WXYZ) - Police have arrested a man in last week's fatal shooting. "
        "Marcus Dell, 34, was shot in the 2400 block of East Fifth Street around 9:40 p.m. Friday. "
        "He died at the hospital. On Monday, detectives took Tyrone Beal, 22, into custody. "
        "Beal was charged with murder, Sgt. Lena Ortiz said.",
    )
    victims, suspects = people(event, "victim"), people(event, "suspect")
    assert list(victims) == ["Marcus Dell"]
    assert victims["Marcus Dell"].age == 34 and victims["Marcus Dell"].status == "killed"
    assert "Tyrone Beal" in suspects and suspects["Tyrone Beal"].age == 22
    assert "Lena Ortiz" not in victims and "Lena Ortiz" not in suspects  # a speaker is no participant
    assert event.city.value == "Dayton" and event.state.value == "Ohio"
    assert event.address.value == "2400 block of East Fifth Street"
    assert [t.value for t in event.times_of_day if t.precision == "clock"] == ["9:40 p.m."]


def test_headline_grammar_makes_the_subject_a_victim(nlp):
    event = main_event(
        nlp,
        "Jonah Whitfield shot dead outside convenience store",
        "A 19-year-old man was killed Tuesday night outside a store on Maple Avenue. "
        "Police said they have no suspects.",
    )
    assert "Jonah Whitfield" in people(event, "victim")
    assert "Jonah Whitfield" not in people(event, "suspect")


def test_identified_as_and_residence(nlp):
    event = main_event(
        nlp,
        "Woman wounded in shooting",
        "A woman was wounded early Sunday morning. Police identified the victim as Carla Menendez, 41, "
        "of Springfield. Officers arrested Dale Price, 29, of Riverton, who was armed with a pellet gun.",
    )
    victim = people(event, "victim")["Carla Menendez"]
    assert victim.age == 41 and victim.residence == "Springfield"
    suspect = people(event, "suspect")["Dale Price"]
    assert suspect.residence == "Riverton" and suspect.status == "arrested"
    assert [w.value for w in event.weapons] == ["pellet gun"]
    assert [t.value for t in event.times_of_day if t.precision == "part-of-day"] == ["morning"]


def test_dateline_state_abbreviation_and_numbered_address(nlp):
    event = main_event(
        nlp,
        "Man hurt in shooting",
        "REDDING, Calif. - A man was shot Saturday at 1415 Pine Street, police said. "
        "He was taken to a hospital with a gunshot wound to the leg.",
    )
    assert event.city.value == "Redding" and event.state.value == "California"
    assert event.address.value == "1415 Pine Street" and event.address.precision == "address"


@pytest.mark.parametrize(
    "title, headline, site",
    [
        (
            "Man critical after Kensington shooting | 6abc.com",
            "Man critical after Kensington shooting",
            "6abc.com",
        ),
        (
            "Two Wounded In South Side Shooting « CBS Chicago",
            "Two Wounded In South Side Shooting",
            "CBS Chicago",
        ),
        (
            "What we know: the shooting | National News - KRCR Home",
            "What we know: the shooting",
            "National News - KRCR Home",
        ),
        ("Man shot - police say he was armed", "Man shot - police say he was armed", ""),
    ],
)
def test_headline_furniture_is_split_from_the_headline(title, headline, site):
    assert split_headline(title) == (headline, site)


def test_an_incident_lists_each_person_once_across_reports():
    ev = {"doc_id": 1, "quote": "q"}
    merged = merge_people(
        [
            (1, {"name": "Marcus Dell", "role": "victim", "age": 34, "status": "killed"}, ev),
            (2, {"name": "Dell", "role": "victim", "age": None, "status": "killed"}, ev),
            (2, {"name": "Tyrone Beal", "role": "suspect", "age": 22, "status": "arrested"}, ev),
            (3, {"name": "Tyrone Beal", "role": "suspect", "age": 23, "status": "charged"}, ev),
            (3, {"name": "Tyrone Beal", "role": "victim", "age": 22, "status": ""}, ev),
        ],
        groups={1: 1, 2: 2, 3: 2},
    )
    assert [(p["name"], p["age"], p["status"], p["independent"]) for p in merged["victims"]] == [
        ("Marcus Dell", 34, "killed", 2)
    ]
    assert [(p["name"], p["age"]) for p in merged["suspects"]] == [("Tyrone Beal", 22)]


@pytest.mark.parametrize(
    ("body", "victim"),
    [
        (
            "Officers responded to a shooting near Elm Avenue. Officers found Robert Hayes, who was pronounced dead at the scene.",
            "Robert Hayes",
        ),
        (
            "According to the county coroner, 36-year-old Maria Lopez was found shot and killed inside the home.",
            "Maria Lopez",
        ),
        (
            "A store owner was fatally shot during a robbery. David Kim, owner of the market, had gunshot wounds to his chest.",
            "David Kim",
        ),
        (
            "A man was found in a car on Friday. The coroner's office identified him Monday as James Walker of Selma.",
            "James Walker",
        ),
        (
            "Michael Brown had just left his grandmother's home when he was shot several times in the parking lot.",
            "Michael Brown",
        ),
        (
            "Four people were wounded on Main Street. Injured were Taylor Moore, Sidra Lamb, and Jamil Boyd.",
            "Sidra Lamb",
        ),
        (
            "A girl was shot in Brooklyn on Sunday. Police have identified the girl as Zion Willis of Canarsie.",
            "Zion Willis",
        ),
        (
            "Police say Thomas Lane was showing his friends a handgun when he accidentally shot himself.",
            "Thomas Lane",
        ),
        (
            "Officers responded to a shooting on Elm Street. Jonathan Kaufman was pronounced dead at the scene.",
            "Jonathan Kaufman",
        ),
    ],
)
def test_victim_cues_beyond_the_shooting_verb(nlp, body, victim):
    event = main_event(nlp, "Man dies after shooting", body)
    assert victim in people(event, "victim"), [(p.name, p.role) for p in event.people]


def test_a_surname_read_as_a_place_does_not_move_the_city(nlp):
    """'Jackson' the suspect is no evidence that 'Baltimore' lies in Ohio (where a small Baltimore and a
    Jackson lie)."""
    event = main_event(
        nlp,
        "Mother, boy fatally shot in Baltimore",
        "A mother and her son were found fatally shot Thursday morning in Baltimore, police said. "
        "Baltimore police arrested Darnell Jackson, 31, on Friday. Jackson was charged with murder, "
        "and Jackson is held without bail in Baltimore.",
    )
    assert event.city.value == "Baltimore" and event.state.value == "Maryland"


def test_a_dateline_after_page_furniture_and_the_city_the_report_is_about(nlp):
    event = main_event(
        nlp,
        "Child hospitalized after shooting self in hand",
        "(WISH Photo)\n\nINDIANAPOLIS (WISH) - A child shot himself in the hand on the city's north east "
        "side Tuesday, police in Indianapolis said.",
    )
    assert event.city.value == "Indianapolis" and event.state.value == "Indiana"
    event = main_event(
        nlp,
        "2 dead, 3 injured in early morning shooting",
        "Two people were killed in a shooting at about 1 a.m. near 37th and Nash streets, Nash police "
        "chief said. Milwaukee police said the victims were taken to a Milwaukee hospital. Milwaukee "
        "officers are still searching for the gunman.",
    )
    assert event.city.value == "Milwaukee" and event.state.value == "Wisconsin"


def test_a_main_event_without_a_day_takes_the_ledes_day_or_the_publication_day(nlp):
    """ "It happened Friday night" names the day of the shooting the trigger's sentence does not date; a report
    that names no day at all happened on or before the day it was published."""
    event = main_event(
        nlp,
        "Kids looking for snakes find gun instead, one child shot",
        "Children looking for snakes stumbled upon a loaded shotgun.\n\nThe shotgun went off, hurting a "
        "9-year-old boy.\n\nIt happened Friday night at an apartment complex on the southeast side.",
        published="2015-07-21",
    )
    assert (event.date.value, event.date.precision) == ("2015-07-17", "day")
    event = main_event(
        nlp,
        "5 shot outside Detroit home",
        "DETROIT - Five people were shot outside a home on Murray Hill Street on the west side. Among the "
        "victims were an 8-year-old boy and a 16-year-old girl.",
        published="2013-08-04",
    )
    assert (event.date.value, event.date.qualifier, event.date.rule) == (
        "2013-08-04",
        "on-or-before",
        "publication-day",
    )
