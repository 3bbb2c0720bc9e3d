"""Perpetrator and victim from the dependency parse, resolved to actor and person mentions."""

from __future__ import annotations

from spacy.tokens import Token

from triangulate.records import Mention, Participant

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_SPEECH = {"say", "deny", "tell", "report", "add", "state", "announce", "declare", "dub", "confirm"}
_PRONOUNS = {"he", "she", "it", "its", "they", "their", "his", "her", "i", "we", "our", "you", "them", "him"}


def mention_at(tok: Token, mentions: list[Mention], kinds: tuple[str, ...]) -> Mention | None:
    """The mention covering a token's subtree head (or the token itself)."""
    phrase = [
        tok,
        *[
            t
            for c in tok.children
            if c.dep_ in ("compound", "amod", "poss", "det", "nummod", "appos", "flat")
            for t in c.subtree
        ],
    ]
    lo = min(t.idx for t in phrase)
    hi = max(t.idx + len(t) for t in phrase)
    inside = [m for m in mentions if m.kind in kinds and lo <= m.start and m.end <= hi]
    exact = [m for m in inside if m.start <= tok.idx < m.end]
    return (exact or inside or [None])[0]


def _participant(role: str, tok: Token, mentions: list[Mention]) -> Participant:
    found = mention_at(tok, mentions, ("person", "actor"))
    phrase = " ".join(
        t.text for t in tok.subtree if t.dep_ not in ("relcl", "acl", "punct", "case") or t is tok
    )
    if found is None and tok.lower_ in _PRONOUNS:
        return Participant(
            role=role,
            name=tok.text,
            canonical="",
            kind="pronoun",  # type: ignore[arg-type]
            start=tok.idx,
            end=tok.idx + len(tok),
        )
    if found is not None:
        canonical = str(found.attrs.get("acts_for") or found.value)
        return Participant(
            role=role,
            name=found.text,
            canonical=canonical,
            kind=found.kind  # type: ignore[arg-type]
            if found.kind == "person"
            else str(found.attrs.get("type", "actor")),
            start=found.start,
            end=found.end,
        )
    return Participant(
        role=role,
        name=phrase[:80],
        canonical="",
        kind="description",  # type: ignore[arg-type]
        start=min(t.idx for t in tok.subtree),
        end=max(t.idx + len(t) for t in tok.subtree),
    )


def roles_for(trigger: Token, mentions: list[Mention]) -> list[Participant]:
    """Perpetrator and victim for a trigger, handling passive voice and noun triggers."""
    out: list[Participant] = []
    passive = (
        any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
        or trigger.tag_ == "VBN"
        and trigger.dep_ in ("acl", "advcl")
    )
    for child in trigger.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out.append(_participant("perpetrator", pobj, mentions))
        elif child.dep_ == "nsubj" and not passive:
            out.append(_participant("perpetrator", child, mentions))
        elif child.dep_ in ("nsubjpass",) or (child.dep_ == "dobj" and trigger.pos_ == "VERB"):
            out.append(_participant("victim", child, mentions))
        elif child.dep_ == "poss" and trigger.pos_ == "NOUN":
            found = mention_at(child, mentions, ("person",))
            out.append(_participant("victim" if found else "perpetrator", child, mentions))
        elif child.dep_ == "prep" and child.lower_ == "of" and trigger.pos_ == "NOUN":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out.append(_participant("victim", pobj, mentions))
    if trigger.dep_ == "acl" and trigger.tag_ == "VBN" and not any(p.role == "victim" for p in out):
        out.append(_participant("victim", trigger.head, mentions))
    if not any(p.role == "perpetrator" for p in out):
        node = trigger
        for _ in range(4):
            climbable = node.dep_ in ("xcomp", "advcl", "conj", "pcomp", "dobj") or (
                node.dep_ == "ccomp" and node.head.lemma_ == "claim"
            )
            if climbable and node.head is not node and node.head.lemma_ not in _SPEECH:
                node = node.head
                subj = [c for c in node.children if c.dep_ == "nsubj"]
                if subj:
                    candidate = _participant("perpetrator", subj[0], mentions)
                    if candidate.kind not in ("description", "news_outlet"):
                        out.append(candidate)
                    break
            else:
                break
    return out
