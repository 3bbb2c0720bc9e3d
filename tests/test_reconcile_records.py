"""Reconciliation as a function of records: an incident's evidence in, its record out, no database."""

from __future__ import annotations

from triangulate.reconcile.record import incident_record
from triangulate.records import (
    Count,
    Event,
    IncidentEvidence,
    MemberReport,
    Participant,
    PersonMention,
    TimeValue,
)
from triangulate.store.extraction import event_record

SHOOTING = (
    "Police said two men were killed in a shooting on Main Street on Friday night. "
    "Officers found the victims, Capt. John Rivers and Paul Adams, near a bar."
)
REWRITE = (
    "Three men were killed when a gunman opened fire outside a bar on Friday, officials said. "
    "The shooting on Main Street is the city's third this year, a spokesman said."
)


def member(
    event_id: int,
    doc_id: int,
    text: str,
    killed: int,
    *,
    implied: bool = False,
    wounded: int | None = None,
    perpetrator: str = "",
) -> MemberReport:
    killed_at = text.find("killed")
    event = Event(
        doc_id=doc_id,
        role="main",
        event_type="ASSAULT",
        mode="firearms",
        trigger="killed",
        trigger_start=killed_at,
        trigger_end=killed_at + 6,
        sentence=0,
        date=TimeValue("2024-05-03", "day", "weekday before publication"),
        counts=[
            Count(
                "killed",
                killed,
                killed,
                text=str(killed),
                start=killed_at - 9,
                end=killed_at - 5,
                implied=implied,
            )
        ],
    )
    if wounded is not None:
        event.counts.append(Count("wounded", wounded, wounded, implied=True))
    if perpetrator:
        start = text.find(perpetrator)
        event.participants.append(
            Participant(
                "perpetrator", perpetrator, perpetrator, "armed_group", start, start + len(perpetrator)
            )
        )
    return MemberReport(
        event_id,
        doc_id,
        event_record(event),
        text,
        title=f"report {doc_id}",
        outlet=f"outlet {doc_id}",
        published="2024-05-04",
        source=f"report-{doc_id}.txt",
    )


def test_two_independent_reports_corroborate_and_their_tolls_contradict():
    record = incident_record(IncidentEvidence(7, [member(1, 10, SHOOTING, 2), member(2, 11, REWRITE, 3)]))
    assert record["id"] == 7 and record["documents"] == [10, 11] and record["n_independent"] == 2
    killed = record["fields"]["killed"]
    assert {c["value"] for c in killed["candidates"]} == {"2", "3"}
    assert killed["contradiction"] is True
    assert "killed" in record["status"]["contradictions"] and record["status"]["label"] == "contested"
    assert record["fields"]["date"]["chosen"] == "2024-05-03"
    assert [s["group"] for s in record["sources"]] == [10, 11]


def test_a_copy_is_one_source_and_agreeing_copies_do_not_corroborate():
    evidence = IncidentEvidence(
        8, [member(1, 10, SHOOTING, 2), member(2, 11, SHOOTING, 2)], copies=[(11, 10)]
    )
    record = incident_record(evidence)
    assert record["n_independent"] == 1 and record["status"]["label"] == "single-source"
    assert {s["group"] for s in record["sources"]} == {10}
    assert record["fields"]["killed"]["chosen"] == "2" and not record["fields"]["killed"]["contradiction"]


def test_one_implied_wounded_who_died_is_counted_once():
    shot = "A man was shot on Main Street on Friday and later killed, police said."
    record = incident_record(
        IncidentEvidence(9, [member(1, 10, shot, 1, implied=True, wounded=1), member(2, 11, SHOOTING, 1)])
    )
    assert record["fields"]["killed"]["chosen"] == "1"
    assert record["fields"]["wounded"]["chosen"] == ""
    assert "later died" in record["fields"]["wounded"]["rule"]


def test_a_victims_rank_comes_from_the_persons_the_reports_name():
    event = member(1, 10, SHOOTING, 2)
    rivers = SHOOTING.find("John Rivers")
    event.event["participants"] = [
        {
            "role": "victim",
            "name": "John Rivers",
            "canonical": "John Rivers",
            "kind": "person",
            "start": rivers,
            "end": rivers + 11,
            "attrs": {},
        }
    ]
    persons = [
        PersonMention(10, "John Rivers", ("captain",), 1, rivers, rivers + 11),
        PersonMention(10, "Paul Adams", ("captain",), 1, rivers + 16, rivers + 26),
    ]
    record = incident_record(IncidentEvidence(10, [event], persons=persons))
    rank = record["fields"]["victim_rank"]
    assert rank["chosen"] == "captain"
    assert [c["detail"]["person"] for c in rank["candidates"]] == ["John Rivers"]
    assert rank["candidates"][0]["evidence"][0]["quote"].startswith(
        "Officers found the victims, Capt. John Rivers"
    )


def test_no_members_give_an_empty_record():
    record = incident_record(IncidentEvidence(11))
    assert record["documents"] == [] and record["n_documents"] == 0 and record["events"] == []


def test_a_passing_mention_is_listed_apart_and_does_not_corroborate():
    mention = member(2, 11, REWRITE, 3)
    mention.event["role"] = "background"
    record = incident_record(IncidentEvidence(12, [member(1, 10, SHOOTING, 2), mention]))
    assert record["reports"] == [10] and record["mentions"] == [11] and record["n_reports"] == 1
    assert record["documents"] == [10, 11] and record["n_independent"] == 1
    assert record["status"]["label"] == "single-source"
    assert [(s["id"], s["kind"]) for s in record["sources"]] == [(10, "report"), (11, "mention")]
    assert not record["fields"]["killed"][
        "contradiction"
    ]  # a mention's other toll is listed, not a contradiction


def test_an_incident_known_only_from_mentions_counts_its_mentions():
    first, second = member(1, 10, SHOOTING, 2), member(2, 11, REWRITE, 2)
    first.event["role"] = second.event["role"] = "background"
    record = incident_record(IncidentEvidence(13, [first, second]))
    assert record["reports"] == [10, 11] and record["mentions"] == [] and record["n_independent"] == 2


def test_a_copy_repeats_no_claim():
    claim = {
        "doc_id": 10,
        "speaker": "NLF",
        "speaker_kind": "armed_group",
        "stance": "claims",
        "text": "NLF claimed responsibility",
        "content": "",
        "start": 5,
        "end": 30,
    }
    evidence = IncidentEvidence(
        14,
        [member(1, 10, SHOOTING, 2), member(2, 11, SHOOTING, 2)],
        copies=[(11, 10)],
        claims=[claim, {**claim, "doc_id": 11}],
    )
    record = incident_record(evidence)
    assert [c["doc_id"] for c in record["claims"]] == [10]
    assert record["status"]["claimed_by"] == ["NLF"]
    independent = incident_record(IncidentEvidence(15, evidence.members, claims=evidence.claims))
    assert [c["doc_id"] for c in independent["claims"]] == [10, 11]  # two sources each state it
