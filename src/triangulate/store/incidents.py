"""Reading what an incident's record is built from: member events with their documents, copies, persons named
and claims, as one :class:`~triangulate.records.IncidentEvidence`."""

from __future__ import annotations

import json

from triangulate.records import IncidentEvidence, MemberReport, PersonMention
from triangulate.store.db import Store


def incident_evidence(store: Store, incident_id: int) -> IncidentEvidence:
    """The member reports of an incident (in document order), the copies among their documents, the persons
    the documents name and the claims attached to the member events."""
    rows = store.query(
        "SELECT e.id, e.doc_id, e.record, d.title, d.outlet, d.published, d.source, d.external_id, d.text FROM incident_events ie "
        "JOIN events e ON e.id = ie.event_id JOIN documents d ON d.id = e.doc_id WHERE ie.incident_id = ? ORDER BY e.doc_id",
        (incident_id,),
    )
    members = [
        MemberReport(
            r["id"],
            r["doc_id"],
            json.loads(r["record"]),
            r["text"],
            r["title"],
            r["outlet"],
            r["published"],
            r["source"],
            r["external_id"],
        )
        for r in rows
    ]
    doc_ids = tuple(sorted({m.doc_id for m in members}))
    evidence = IncidentEvidence(incident_id, members)
    if doc_ids:
        marks = ",".join("?" * len(doc_ids))
        if len(doc_ids) > 1:
            evidence.copies = [
                (r[0], r[1])
                for r in store.query(
                    f"SELECT doc_id, of_doc_id FROM duplicates WHERE doc_id IN ({marks})", doc_ids
                )
            ]
        evidence.persons = [
            PersonMention(
                m["doc_id"],
                m["value"],
                tuple(json.loads(m["attrs"]).get("roles", [])),
                m["sentence"],
                m["start"],
                m["end"],
            )
            for m in store.query(
                f"SELECT doc_id, value, attrs, sentence, start, end FROM mentions WHERE kind = 'person' AND doc_id IN ({marks})",
                doc_ids,
            )
        ]
    evidence.claims = [
        dict(r)
        for r in store.query(
            "SELECT c.doc_id, c.speaker, c.speaker_kind, c.stance, c.text, c.content, c.start, c.end FROM claims c "
            "JOIN incident_events ie ON ie.event_id = c.event_id WHERE ie.incident_id = ? ORDER BY c.doc_id, c.start",
            (incident_id,),
        )
    ]
    return evidence
