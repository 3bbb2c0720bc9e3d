"""Field reconciliation: candidate values with their sources, a chosen value, contradictions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Candidate:
    """One value a field takes in some sources."""

    value: str
    documents: list[int] = field(default_factory=list)
    evidence: list[dict[str, object]] = field(default_factory=list)
    independent: int = 0
    detail: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class FieldRecord:
    """A reconciled field."""

    name: str
    candidates: list[Candidate] = field(default_factory=list)
    chosen: str = ""
    rule: str = ""
    confidence: float = 0.0
    contradiction: bool = False

    def add(self, value: str, doc_id: int, evidence: dict[str, object], compatible, detail=None) -> None:  # type: ignore[no-untyped-def]
        """Add a value; merge with a compatible candidate (keeping the more precise value)."""
        for cand in self.candidates:
            if compatible(cand.value, value):
                if len(value) > len(cand.value):
                    cand.value = value
                    cand.detail = detail or cand.detail
                if doc_id not in cand.documents:
                    cand.documents.append(doc_id)
                cand.evidence.append(evidence)
                return
        self.candidates.append(Candidate(value, [doc_id], [evidence], detail=detail or {}))

    def settle(self, groups: dict[int, int], n_groups: int) -> None:
        """Count independent sources, choose the best-supported value, flag contradictions."""
        for cand in self.candidates:
            cand.independent = len({groups.get(d, d) for d in cand.documents})
        if not self.candidates:
            self.rule = "no source gives a value"
            return
        ranked = sorted(
            self.candidates, key=lambda c: (c.independent, len(c.documents), len(c.value)), reverse=True
        )
        self.candidates = ranked
        self.chosen = ranked[0].value
        # A value only a background mention gives (one source) does not contradict the reports
        # about the incident itself; it stays listed as a candidate.
        weighty = [
            c for c in ranked if c.independent >= 2 or any(e.get("role") == "main" for e in c.evidence)
        ]
        self.contradiction = len(weighty) > 1
        if self.contradiction and ranked[0].independent == ranked[1].independent:
            self.rule = "sources disagree equally; the most precise value is shown first"
        elif self.contradiction:
            self.rule = "value supported by most independent sources"
        else:
            self.rule = "all sources that give a value agree"
        self.confidence = round(ranked[0].independent / max(n_groups, 1), 3)


def same(a: str, b: str) -> bool:
    """Exact (case-insensitive) agreement."""
    return a.casefold() == b.casefold()


def date_compatible(a: str, b: str) -> bool:
    """'2015-10' agrees with '2015-10-31', and '2015-W48' with '2015-11-24': one interval holds the other."""
    from triangulate.link.features import interval

    (a0, a1), (b0, b1) = interval(a, "", ""), interval(b, "", "")
    if None in (a0, a1, b0, b1):
        return a.startswith(b) or b.startswith(a)
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)  # type: ignore[operator]


def name_compatible(a: str, b: str) -> bool:
    """'Khasayev' agrees with 'Magomed Khasayev': one name's words are a subset of the other's."""
    wa, wb = set(a.casefold().split()), set(b.casefold().split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)
