"""An incident's victims and suspects: the people its reports name, one entry per person across reports.

Two reports' people are one person when their names are compatible ('Munn' and 'Ronald Munn'). Each person keeps
the longest spelling of the name, the age and status most sources give, and the evidence of every report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from triangulate.reconcile.fields import name_compatible

ROLES = ("victim", "suspect")


@dataclass(slots=True)
class PersonRecord:
    """One person of an incident as its reports describe them."""

    name: str
    role: str
    ages: Counter[int] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    genders: Counter[str] = field(default_factory=Counter)
    residences: Counter[str] = field(default_factory=Counter)
    documents: list[int] = field(default_factory=list)
    evidence: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self, groups: dict[int, int]) -> dict[str, object]:
        """JSON-ready: the chosen values, and how many independent sources name the person."""

        def top(counter: Counter) -> object:  # type: ignore[type-arg]
            return counter.most_common(1)[0][0] if counter else None

        return {
            "name": self.name,
            "role": self.role,
            "age": top(self.ages),
            "status": top(self.statuses) or None,
            "gender": top(self.genders),
            "residence": top(self.residences),
            "ages_stated": sorted(self.ages),
            "documents": self.documents,
            "independent": len({groups.get(d, d) for d in self.documents}),
            "evidence": self.evidence,
        }


def merge_people(
    entries: list[tuple[int, dict[str, object], dict[str, object]]], groups: dict[int, int]
) -> dict[str, list[dict[str, object]]]:
    """``entries``: (document id, person as extracted, evidence). Returns {"victims": [...], "suspects": [...]}.

    A person named a victim in one report and a suspect in another keeps the role most reports give.
    """
    people: list[PersonRecord] = []
    votes: dict[int, Counter[str]] = {}
    for doc_id, person, evidence in entries:
        role = str(person.get("role") or "")
        name = str(person.get("name") or "")
        if role not in ROLES or len(name.split()) < 1:
            continue
        home = next((p for p in people if name_compatible(p.name, name)), None)
        if home is None:
            home = PersonRecord(name=name, role=role)
            people.append(home)
        elif len(name) > len(home.name) and len(name.split()) >= len(home.name.split()):
            home.name = name
        votes.setdefault(id(home), Counter())[role] += 1
        if isinstance(person.get("age"), int):
            home.ages[int(person["age"])] += 1  # type: ignore[arg-type]
        for key, counter in (
            ("status", home.statuses),
            ("gender", home.genders),
            ("residence", home.residences),
        ):
            if person.get(key):
                counter[str(person[key])] += 1
        if doc_id not in home.documents:
            home.documents.append(doc_id)
        home.evidence.append(evidence)
    out: dict[str, list[dict[str, object]]] = {"victims": [], "suspects": []}
    for p in people:
        p.role = votes[id(p)].most_common(1)[0][0]
        out[p.role + "s"].append(p.as_dict(groups))
    return out
