"""Verification status of an incident (rules in docs/verification.md)."""

from __future__ import annotations

import re

from triangulate.reconcile.fields import FieldRecord


def verification(
    fields: dict[str, FieldRecord], claims: list[dict[str, object]], n_independent: int
) -> dict[str, object]:
    """Who claims, who denies, who could not verify, and the overall status label."""
    names = one_name_per_speaker({str(c["speaker"]) for c in claims})
    by = {
        stance: sorted({names[str(c["speaker"])] for c in claims if c["stance"] == stance})
        for stance in (
            "claims",
            "denies",
            "confirms",
            "could-not-verify",
            "no-comment",
            "attributes-to-source",
        )
    }
    perpetrators = {c.value for c in fields["perpetrator"].candidates}
    claimants = by["claims"]
    competing = len({c for c in claimants if c in perpetrators or c not in ("unnamed",)}) > 1
    contradictions = [
        name
        for name, f in fields.items()
        if f.contradiction and name in ("date", "killed", "perpetrator", "country")
    ]
    if by["denies"] and (claimants or n_independent >= 1):
        label = "denied" if not contradictions else "contested"
    elif competing or contradictions:
        label = "contested"
    elif n_independent >= 2:
        label = "corroborated"
    elif claimants and set(claimants) <= perpetrators:
        label = "claimed-only"
    else:
        label = "single-source"
    return {
        "label": label,
        "corroborated_by": n_independent,
        "claimed_by": claimants,
        "denied_by": by["denies"],
        "confirmed_by": by["confirms"],
        "could_not_verify": by["could-not-verify"],
        "no_comment": by["no-comment"],
        "attributed_to": by["attributes-to-source"],
        "contradictions": contradictions,
        "claimmode": "video" if claimants else "",
    }


def acronym(name: str) -> str:
    """The initials of a name's capitalised words ('Northern Liberation Front' -> 'NLF')."""
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]*", name))


def one_name_per_speaker(speakers: set[str]) -> dict[str, str]:
    """Each speaker's name, an acronym written as the full name it abbreviates among the others ('NLF' ->
    'Northern Liberation Front'), so one group is counted, and shown, once."""
    full = {acronym(s): s for s in speakers if len(s.split()) >= 2 and len(acronym(s)) >= 2}
    return {s: full.get(s, s) if s.isupper() and " " not in s else s for s in speakers}
