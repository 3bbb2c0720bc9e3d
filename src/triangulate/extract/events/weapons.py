"""Instruments of an attack: the weapon noun phrases around a trigger ("with dynamite", "a car bomb exploded").

Hook (for detector.EventExtractor._candidate, after ``roles_for``)::

    event.participants += instruments_for(tok)

Each instrument is a Participant(role="instrument", kind="weapon") whose name is the minimal noun phrase.
"""

from __future__ import annotations

from spacy.tokens import Token

from triangulate.records import Participant

WEAPON_HEADS = {
    "bomb",
    "dynamite",
    "explosive",
    "explosives",
    "grenade",
    "mine",
    "landmine",
    "rocket",
    "mortar",
    "missile",
    "rifle",
    "gun",
    "machinegun",
    "pistol",
    "revolver",
    "firearm",
    "weapon",
    "bullet",
    "shot",
    "shotgun",
    "submachinegun",
    "carbine",
    "launcher",
    "ied",
    "device",
    "charge",
    "stick",
    "knife",
    "machete",
    "molotov",
    "cocktail",
    "petard",
    "incendiary",
    "gasoline",
    "fuse",
    "detonator",
    "tnt",
    "ammonium",
    "nitrate",
    "shell",
    "projectile",
    "bazooka",
    "m-16",
    "ak-47",
    "fal",
    "uzi",
    "galil",
    "m-60",
    "rpg",
    "rpg-7",
    "arms",
    "booby",
    "trap",
    "artifact",
    "cylinder",
}
# heads that are weapons only with a telling modifier ("explosive device", "car bomb", "dynamite charge")
_NEED_MODIFIER = {
    "device",
    "charge",
    "stick",
    "cylinder",
    "artifact",
    "shot",
    "shell",
    "arms",
    "trap",
    "fuse",
    "cocktail",
}
_WEAPON_MODIFIERS = {
    "explosive",
    "dynamite",
    "incendiary",
    "car",
    "molotov",
    "booby",
    "powerful",
    "homemade",
    "bomb",
    "gasoline",
    "tnt",
    "m-16",
    "high",
    "caliber",
    "automatic",
    "submachine",
    "machinegun",
    "grenade",
    "rocket",
    "mortar",
    "artillery",
    "firearm",
    "rifle",
}
_INSTRUMENT_PREPS = {"with", "using", "by"}
_ATTACH_VERBS = {
    "explode",
    "detonate",
    "place",
    "plant",
    "hurl",
    "throw",
    "fire",
    "go",
    "blow",
    "set",
    "use",
    "launch",
    "shoot",
    "hit",
    "damage",
    "destroy",
    "kill",
    "injure",
    "wound",
    "cause",
    "activate",
}


def is_weapon(tok: Token) -> bool:
    """A noun heading a weapon phrase ("dynamite", "car bomb", "explosive device"; not a bare "device")."""
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if tok.pos_ not in ("NOUN", "PROPN") and lower not in WEAPON_HEADS:
        return False
    if lemma not in WEAPON_HEADS and lower not in WEAPON_HEADS:
        return False
    if lemma in _NEED_MODIFIER:
        mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")} | {
            c.lemma_.lower() for c in tok.lefts
        }
        if lemma == "shot" and tok.i > 0:
            return False
        return bool(mods & _WEAPON_MODIFIERS) or any(
            c.dep_ == "prep"
            and c.lower_ == "of"
            and any(g.lemma_.lower() in WEAPON_HEADS for g in c.children)
            for c in tok.children
        )
    return True


def phrase(tok: Token, with_of: bool = False) -> tuple[int, int]:
    """Character span of a noun's minimal phrase: its left modifiers (no determiner) and the noun itself; with
    ``with_of``, also a following 'of'-phrase ('sticks of dynamite', 'members of the FMLN')."""
    left = [
        c
        for c in tok.lefts
        if c.dep_ in ("compound", "amod", "nummod", "nmod", "quantmod", "npadvmod", "poss", "det")
    ]
    start = min([tok.idx, *(min(t.idx for t in c.subtree) for c in left if c.dep_ != "det")])
    end = tok.idx + len(tok)
    if with_of:
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ == "of":
                end = max(end, max(t.idx + len(t) for t in c.subtree))
    return start, end


def instruments_for(trigger: Token) -> list[Participant]:
    """Weapon phrases attached to a trigger: its 'with'/'using' objects, subjects or objects that are weapons,
    compounds ('car bomb' for 'bomb'), and weapons in the trigger's clause whose verb is explode/place/hurl..."""
    found: dict[int, Token] = {}
    if trigger.pos_ == "NOUN" and is_weapon(trigger):
        found[trigger.i] = trigger
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in _INSTRUMENT_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and is_weapon(pobj):
                    found[pobj.i] = pobj
                    for conj in pobj.conjuncts:
                        if is_weapon(conj):
                            found[conj.i] = conj
        elif child.dep_ in ("nsubj", "nsubjpass", "dobj", "compound") and is_weapon(child):
            found[child.i] = child
    sent = trigger.sent
    for tok in sent:
        if tok.i in found or not is_weapon(tok):
            continue
        head = tok.head
        if (
            head.lemma_.lower() in _ATTACH_VERBS
            and tok.dep_ in ("nsubj", "nsubjpass", "dobj")
            and abs(head.i - trigger.i) <= 12
        ):
            found[tok.i] = tok
        elif (
            tok.dep_ == "pobj"
            and head.lower_ in _INSTRUMENT_PREPS
            and head.head.lemma_.lower() in _ATTACH_VERBS
            and abs(tok.i - trigger.i) <= 15
        ):
            found[tok.i] = tok
    out = []
    for tok in sorted(found.values(), key=lambda t: t.i):
        start, end = phrase(
            tok, with_of=tok.lemma_.lower() in ("stick", "charge", "cylinder", "kilogram", "pound")
        )
        text = tok.doc.text[start:end]
        out.append(
            Participant(
                role="instrument",
                name=text,
                canonical=tok.lemma_.lower(),
                kind="weapon",
                start=start,
                end=end,
            )
        )
    return out
