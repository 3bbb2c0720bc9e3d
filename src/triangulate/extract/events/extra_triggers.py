"""Triggers the lemma lexicon of triggers.py lacks: arson, robbery and forced work stoppages (MUC-4 types).

Proposed ontology additions (data/ontology.yaml): ASSAULT modes ``arson`` (GTD Facility/Infrastructure Attack)
and ``robbery`` (GTD Unknown), PROTEST mode ``armed-strike`` (a work stoppage imposed by an armed group).
Hook (triggers.find_triggers, after the lexicon)::

    out += [Trigger(t, ty, mode, modality(t)) for t, ty, mode in extra_triggers(sent) if t.i not in seen]
"""

from __future__ import annotations

from spacy.tokens import Span, Token

ARSON = {"arson", "torch", "firebomb", "incendiary"}
ROBBERY = {"rob", "robbery", "steal", "loot", "looting", "holdup", "hold-up", "theft", "assault"}
_ROB_OBJECTS = {
    "bank",
    "store",
    "money",
    "cash",
    "vehicle",
    "weapon",
    "arm",
    "supermarket",
    "payroll",
    "truck",
    "car",
}
STOPPAGE = {"stoppage", "strike", "paro"}


def _burn(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if lemma in ARSON:
        return True
    if lemma == "burn" and tok.pos_ == "VERB":
        return any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children) or tok.dep_ == "acl"
    if lemma == "set" and any(c.lower_ in ("fire", "ablaze", "afire") for c in tok.subtree):
        return True
    return (
        lemma == "fire" and tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.lemma_ == "set"
    )


def extra_triggers(sent: Span) -> list[tuple[Token, str, str]]:
    """(token, type, mode) for arson, robbery and armed-strike triggers in one sentence."""
    out: list[tuple[Token, str, str]] = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("VERB", "NOUN"):
            continue
        if _burn(tok):
            out.append((tok, "ASSAULT", "arson"))
        elif lemma in ROBBERY and (
            lemma != "assault"
            or any(c.lemma_.lower() in _ROB_OBJECTS for c in tok.children if c.dep_ in ("dobj", "nsubjpass"))
        ):
            if (
                lemma in ("steal", "rob", "robbery", "loot", "looting", "holdup", "hold-up", "theft")
                or lemma == "assault"
            ):
                out.append((tok, "ASSAULT", "robbery"))
        elif lemma in STOPPAGE and tok.pos_ == "NOUN":
            mods = {c.lower_ for c in tok.children}
            if (
                lemma == "stoppage"
                or mods & {"armed", "transport", "general", "national"}
                and lemma == "strike"
            ):
                out.append((tok, "PROTEST", "armed-strike"))
    return out
