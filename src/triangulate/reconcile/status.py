"""Verification status of an incident (rules in docs/verification.md)."""

from __future__ import annotations

from triangulate.reconcile.fields import FieldRecord


def verification(
    fields: dict[str, FieldRecord], claims: list[dict[str, object]], n_independent: int
) -> dict[str, object]:
    """Who claims, who denies, who could not verify, and the overall status label."""
    by = {
        stance: sorted({str(c["speaker"]) for c in claims if c["stance"] == stance})
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
