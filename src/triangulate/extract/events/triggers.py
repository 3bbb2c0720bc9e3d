"""Trigger words over lemmas: which token starts which (type, mode), and its modality."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

# lemma -> (type, mode); nouns and verbs share the table.
LEMMAS: dict[str, tuple[str, str]] = {
    "behead": ("ASSAULT", "execution"),
    "beheading": ("ASSAULT", "execution"),
    "decapitate": ("ASSAULT", "execution"),
    "decapitation": ("ASSAULT", "execution"),
    "execute": ("ASSAULT", "execution"),
    "execution": ("ASSAULT", "execution"),
    "murder": ("ASSAULT", ""),
    "kill": ("ASSAULT", ""),
    "killing": ("ASSAULT", ""),
    "massacre": ("ASSAULT", ""),
    "attack": ("ASSAULT", ""),
    "assault": ("ASSAULT", ""),
    "stab": ("ASSAULT", "melee"),
    "stabbing": ("ASSAULT", "melee"),
    "shooting": ("ASSAULT", "firearms"),
    "gunman": ("ASSAULT", "firearms"),
    "gunfire": ("ASSAULT", "firearms"),
    "kidnap": ("ASSAULT", "abduction"),
    "kidnapping": ("ASSAULT", "abduction"),
    "abduct": ("ASSAULT", "abduction"),
    "abduction": ("ASSAULT", "abduction"),
    "hostage": ("ASSAULT", "hostage-taking"),
    "bomb": ("ASSAULT", "explosives"),
    "bombing": ("ASSAULT", "explosives"),
    "explosion": ("ASSAULT", "explosives"),
    "blast": ("ASSAULT", "explosives"),
    "ied": ("ASSAULT", "explosives"),
    "explode": ("ASSAULT", "explosives"),
    "detonate": ("ASSAULT", "explosives"),
    "airstrike": ("FIGHT", "aerial"),
    "strike": ("FIGHT", "aerial"),
    "raid": ("FIGHT", "aerial"),
    "shell": ("FIGHT", "shelling"),
    "shelling": ("FIGHT", "shelling"),
    "clash": ("FIGHT", "clash"),
    "siege": ("FIGHT", "clash"),
    "offensive": ("FIGHT", "clash"),
    "counteroffensive": ("FIGHT", "clash"),
    "capture": ("CAPTURE", ""),
    "prisoner": ("CAPTURE", ""),
    "arrest": ("ARREST", ""),
    "detain": ("ARREST", ""),
    "apprehend": ("ARREST", ""),
    "nab": ("ARREST", ""),
    "bust": ("ARREST", ""),
    "custody": ("ARREST", ""),
    "martyr": ("ASSAULT", ""),
    "storm": ("ASSAULT", ""),
    "ambush": ("ASSAULT", ""),
    "snatch": ("ASSAULT", "abduction"),
    "protest": ("PROTEST", ""),
    "demonstration": ("PROTEST", ""),
    "rally": ("PROTEST", ""),
    "march": ("PROTEST", ""),
    "protester": ("PROTEST", ""),
    "demonstrator": ("PROTEST", ""),
    "sit": ("PROTEST", ""),
}
THREAT_LEMMAS = {"threaten", "threat", "vow", "warn", "pledge", "promise"}
REPORT_VERBS = {
    "release",
    "show",
    "post",
    "publish",
    "circulate",
    "purport",
    "appear",
    "claim",
    "depict",
    "feature",
}
SPEECH_VERBS = {"say", "declare", "tell", "announce", "state", "add"}
_TERRITORY = {
    "swath",
    "swathe",
    "territory",
    "town",
    "city",
    "village",
    "area",
    "ground",
    "control",
    "base",
    "airport",
    "district",
    "province",
    "region",
    "hill",
    "position",
    "stronghold",
    "bridge",
    "road",
    "checkpoint",
}
AIR_WORDS = {"air", "aerial", "drone", "jet", "warplane", "airstrike"}


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger token with its type, mode and modality."""

    token: Token
    event_type: str
    mode: str
    modality: str


def _compound_text(tok: Token) -> str:
    return " ".join(t.lower_ for t in tok.children if t.dep_ in ("compound", "amod")) + " " + tok.lower_


def classify(tok: Token) -> tuple[str, str] | None:
    """(type, mode) if the token is an event trigger in context, else None."""
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "NOUN", "PROPN") and lemma not in ("beheading",):
        return None
    if lemma == "shoot" or (lemma == "shot" and tok.pos_ == "VERB"):
        if any(c.lower_ == "down" for c in tok.children):
            return ("FIGHT", "shoot-down")
        if (
            any(c.lower_ == "dead" for c in tok.children) or tok.nbor(1).lower_ == "dead"
            if tok.i + 1 < len(tok.doc)
            else False
        ):
            return ("ASSAULT", "firearms")
        return ("ASSAULT", "firearms")
    if lemma == "sit" and not (
        tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 1].text == "-" and tok.doc[tok.i + 2].lower_ == "in"
    ):
        return None
    if lemma == "march" and tok.ent_type_ == "DATE":
        return None
    if lemma == "gun" and any(c.lower_ == "down" for c in tok.children):
        return ("ASSAULT", "firearms")
    if lemma == "hold":
        objects = {c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass")} | (
            {tok.head.lemma_.lower()} if tok.dep_ == "acl" else set()
        )
        if objects & {"hostage", "captive"}:
            return ("ASSAULT", "hostage-taking")
        if objects & {"suspect", "militant", "gang", "man", "men", "accused", "member", "cell", "people"}:
            return ("ARREST", "")
        return None
    if lemma == "take" and any(c.lower_ in ("prisoner", "hostage", "captive") for c in tok.children):
        return (
            ("CAPTURE", "")
            if any(c.lower_ == "prisoner" for c in tok.children)
            else ("ASSAULT", "hostage-taking")
        )
    if (
        lemma == "set"
        and any(c.lower_ == "off" for c in tok.children)
        and any(c.lemma_ == "bomb" for c in tok.subtree)
    ):
        return ("ASSAULT", "explosives")
    if lemma == "blow" and any(c.lower_ == "up" for c in tok.children):
        return ("ASSAULT", "explosives")
    if (
        lemma in ("kill", "killing")
        and tok.dep_ in ("advcl", "xcomp", "acl", "conj")
        and classify_head(tok.head)
    ):
        return None
    if lemma in ("kill", "wound", "injure") and any(
        c.dep_ == "nsubj" and classify_head(c) for c in tok.children
    ):
        return None
    if lemma in _HARM and _natural_cause(tok):
        return None  # "the quake killed 34": a disaster, not an assault (its report becomes an OTHER event)
    if tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() not in LEMMAS:
        return None
    if lemma in ("prisoner", "hostage") and tok.head.lemma_ in ("take", "hold"):
        return None
    if lemma in ("bomb",) and tok.head.lemma_ == "set":
        return None
    if lemma in ("strike", "raid") and not (
        AIR_WORDS & set(_compound_text(tok).split()) or tok.lower_.startswith("air")
    ):
        return None
    if lemma == "attack" and AIR_WORDS & set(_compound_text(tok).split()):
        return ("FIGHT", "aerial")
    if (
        lemma in ("bombing", "bomb")
        and tok.pos_ == "NOUN"
        and (_state_bombing(tok) or tok.head.lemma_ in ("fall", "drop", "rain"))
    ):
        return ("FIGHT", "aerial")
    if lemma == "execution" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("beheading",):
        return None
    if lemma == "capture" and tok.pos_ == "NOUN":
        return None
    if lemma in ("capture", "seize", "take") and any(
        c.dep_ == "dobj" and (c.ent_type_ in ("GPE", "LOC", "FAC") or c.lemma_ in _TERRITORY)
        for c in tok.children
    ):
        return None
    return LEMMAS.get(lemma) or LEMMAS.get(tok.lower_)


_HARM = frozenset({"kill", "killing", "wound", "injure", "die", "death"})
# Natural hazards that kill. Not "fire" or "blast": gunfire and bomb blasts kill too.
HAZARDS = frozenset(
    {
        "earthquake",
        "quake",
        "temblor",
        "tremor",
        "aftershock",
        "tsunami",
        "flood",
        "flooding",
        "landslide",
        "mudslide",
        "storm",
        "hurricane",
        "typhoon",
        "cyclone",
        "tornado",
        "avalanche",
        "eruption",
        "volcano",
        "wildfire",
        "heatwave",
        "drought",
        "lightning",
    }
)


def _natural_cause(tok: Token) -> bool:
    """Whether a natural hazard is what kills or harms: its subject, its "in/by/from the quake", or the
    clause it hangs from ("a quake struck, killing 34"; "the quake, which killed 34")."""
    for child in tok.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in HAZARDS:
            return True
        if child.dep_ in ("prep", "agent") and child.lower_ in ("in", "by", "from", "after", "during"):
            if any(g.dep_ == "pobj" and g.lemma_.lower() in HAZARDS for g in child.children):
                return True
    head = tok.head
    if tok.dep_ in ("relcl", "acl", "amod", "nmod", "compound") and head.lemma_.lower() in HAZARDS:
        return True
    if tok.dep_ in ("advcl", "conj", "xcomp") and head is not tok:
        return any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in HAZARDS for c in head.children)
    return False


def classify_head(tok: Token) -> bool:
    """True when a token is itself a (non-generic) trigger: 'bombing ..., killing 224' counts for the bombing."""
    lemma = tok.lemma_.lower()
    return (
        lemma in LEMMAS
        and lemma not in ("kill", "killing")
        or lemma in ("set", "shoot", "blow", "strike", "raid")
    )


def _state_bombing(tok: Token) -> bool:
    """'Moscow has intensified its bombing of areas': a bombing campaign, not an explosive attack."""
    return tok.head.lemma_ in ("intensify", "step", "continue", "escalate") or any(
        c.dep_ == "poss" and c.lower_ in ("its", "their") for c in tok.children
    )


def modality(tok: Token) -> str:
    """asserted, negated, hypothetical, future or threatened, from the trigger's clause."""
    chain = [tok, *list(tok.ancestors)[:4]]
    for node in chain[:2]:
        if any(c.dep_ == "neg" for c in node.children):
            return "negated"
    for node in chain:
        if node.lemma_.lower() in THREAT_LEMMAS and node is not tok:
            return "threatened"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return "hypothetical"
        if node.dep_ in ("ROOT",):
            break
    for node in chain[:2]:
        if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll") for c in node.children):
            return "future"
    return "asserted"


def find_triggers(sent) -> list[Trigger]:  # type: ignore[no-untyped-def]
    """Triggers in one sentence span."""
    from triangulate.extract.events.extra_triggers import extra_triggers

    out = []
    for tok in sent:
        kind = classify(tok)
        if kind is not None:
            out.append(Trigger(tok, kind[0], kind[1], modality(tok)))
    seen = {t.token.i for t in out}
    out += [Trigger(t, kind, mode, modality(t)) for t, kind, mode in extra_triggers(sent) if t.i not in seen]
    return out


def in_video(tok: Token) -> bool:
    """True when the act is shown in a released video or footage (its date is only a bound)."""
    for node in [tok, *tok.ancestors]:
        if node.lemma_.lower() in REPORT_VERBS and any(
            w.lower_ in ("video", "footage", "recording") for w in node.subtree
        ):
            return True
    return any(w.lower_ in ("video", "footage") for w in tok.sent)
