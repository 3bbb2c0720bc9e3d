"""Analyst review: the actions (merge, split, correct, verdict, undo) above linking and reconciliation."""

from triangulate.review.actions import (
    FIELD_NAMES,
    VERDICTS,
    Reviewer,
    ReviewResult,
    correct_field,
    merge_incidents,
    rebuild,
    set_claim_verdict,
    split_incident,
    undo,
)
from triangulate.store.review import audit_entries, claim_key, link_constraint

__all__ = [
    "FIELD_NAMES",
    "VERDICTS",
    "ReviewResult",
    "Reviewer",
    "audit_entries",
    "claim_key",
    "correct_field",
    "link_constraint",
    "merge_incidents",
    "rebuild",
    "set_claim_verdict",
    "split_incident",
    "undo",
]
