"""Physical targets of an attack (buildings, vehicles, installations), told apart from human victims.

roles.py calls everything a trigger acts on a "victim". This module sorts those and finds more:

* ``is_physical(tok)``: a noun heading a physical thing ("embassy", "power substation", "bus", "farm");
* ``targets_for(trigger)``: physical objects of the trigger (direct object, passive subject, 'against'/'on'/'at'
  objects of an attack, the object of a 'destroy'/'damage'/'burn' in the same sentence).

Hook (for detector.EventExtractor._candidate, after ``roles_for``)::

    event.participants = retarget(event.participants, tok) + targets_for(tok)

``retarget`` turns victims whose head is a physical thing into role "target".
"""

from __future__ import annotations

from spacy.tokens import Token

from triangulate.extract.events.weapons import is_weapon, phrase
from triangulate.records import Participant

PHYSICAL_HEADS = {
    "building",
    "embassy",
    "consulate",
    "office",
    "offices",
    "headquarters",
    "house",
    "home",
    "residence",
    "mansion",
    "farm",
    "ranch",
    "estate",
    "plant",
    "factory",
    "substation",
    "station",
    "tower",
    "pylon",
    "post",
    "line",
    "lines",
    "bridge",
    "road",
    "highway",
    "railway",
    "railroad",
    "train",
    "bus",
    "buses",
    "car",
    "vehicle",
    "truck",
    "jeep",
    "helicopter",
    "plane",
    "aircraft",
    "airplane",
    "boat",
    "ship",
    "bank",
    "branch",
    "store",
    "shop",
    "supermarket",
    "restaurant",
    "hotel",
    "church",
    "school",
    "university",
    "hospital",
    "clinic",
    "court",
    "courthouse",
    "barracks",
    "garrison",
    "base",
    "installation",
    "installations",
    "facility",
    "facilities",
    "premises",
    "warehouse",
    "depot",
    "pipeline",
    "oil",
    "dam",
    "power",
    "network",
    "antenna",
    "transmitter",
    "generator",
    "tank",
    "cooperative",
    "market",
    "stadium",
    "airport",
    "port",
    "terminal",
    "center",
    "centre",
    "club",
    "theater",
    "cinema",
    "hall",
    "ministry",
    "agency",
    "newspaper",
    "radio",
    "television",
    "channel",
    "company",
    "firm",
    "property",
    "properties",
    "apartment",
    "dwelling",
    "hut",
    "village",
    "town",
    "neighborhood",
    "district",
    "city",
    "municipality",
    "town hall",
    "mayoralty",
    "prison",
    "jail",
    "checkpoint",
    "outpost",
    "police station",
    "polling",
    "booth",
    "structure",
    "tractor",
    "motorcycle",
    "bicycle",
    "automobile",
    "van",
    "pickup",
    "taxi",
    "locomotive",
    "wagon",
}
_TARGET_PREPS = {"against", "on", "at", "in front of", "near", "outside"}
_DAMAGE_VERBS = {
    "destroy",
    "damage",
    "burn",
    "blow",
    "dynamite",
    "attack",
    "bomb",
    "set",
    "hit",
    "raid",
    "torch",
    "sabotage",
    "assault",
    "machinegun",
    "strafe",
    "storm",
    "loot",
    "rob",
}
HUMAN_HEADS = {
    "person",
    "people",
    "man",
    "men",
    "woman",
    "women",
    "child",
    "children",
    "peasant",
    "peasants",
    "civilian",
    "soldier",
    "policeman",
    "officer",
    "agent",
    "guard",
    "priest",
    "jesuit",
    "student",
    "worker",
    "leader",
    "mayor",
    "judge",
    "journalist",
    "businessman",
    "member",
    "official",
    "minister",
    "president",
    "candidate",
    "diplomat",
    "ambassador",
    "citizen",
    "national",
    "tourist",
    "family",
    "relative",
    "son",
    "daughter",
    "wife",
    "husband",
    "driver",
    "passenger",
    "employee",
    "teacher",
    "doctor",
    "nun",
    "bishop",
    "archbishop",
    "cleric",
    "senator",
    "deputy",
    "councilman",
    "director",
    "manager",
    "executive",
    "owner",
    "landowner",
    "rancher",
    "farmer",
    "villager",
    "resident",
    "inhabitant",
    "victim",
    "hostage",
    "prisoner",
    "trade",
    "unionist",
    "activist",
    "militant",
    "sympathizer",
    "colonel",
    "general",
}


def is_physical(tok: Token) -> bool:
    """A noun heading a physical thing, not a person, a weapon or an abstraction."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ in ("PERSON", "NORP"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in HUMAN_HEADS or tok.lower_ in HUMAN_HEADS or is_weapon(tok):
        return False
    return lemma in PHYSICAL_HEADS or tok.lower_ in PHYSICAL_HEADS


def _participant(tok: Token) -> Participant:
    start, end = phrase(
        tok,
        with_of=tok.lemma_.lower() in ("headquarters", "offices", "office", "branch", "home", "residence"),
    )
    return Participant(
        role="target",
        name=tok.doc.text[start:end],
        canonical=tok.lemma_.lower(),
        kind="physical",
        start=start,
        end=end,
    )


def targets_for(trigger: Token) -> list[Participant]:
    """Physical targets of a trigger (see module help)."""
    found: dict[int, Token] = {}
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubjpass") and is_physical(child):
            found[child.i] = child
        elif (
            child.dep_ == "prep"
            and child.lower_ in ("against", "on", "at", "of")
            and (trigger.pos_ == "NOUN" or child.lower_ != "of")
        ):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and is_physical(pobj):
                    found[pobj.i] = pobj
        elif child.dep_ == "compound" and trigger.pos_ == "NOUN" and is_physical(child):
            found[child.i] = child
    for tok in trigger.sent:
        if tok.i in found or not is_physical(tok):
            continue
        head = tok.head
        if (
            tok.dep_ in ("dobj", "nsubjpass")
            and head.lemma_.lower() in _DAMAGE_VERBS
            and head is not trigger
            and abs(head.i - trigger.i) <= 15
        ):
            found[tok.i] = tok
    for tok in list(found.values()):
        for conj in tok.conjuncts:
            if is_physical(conj):
                found[conj.i] = conj
    return [_participant(t) for t in sorted(found.values(), key=lambda t: t.i)]


def retarget(participants: list[Participant], trigger: Token) -> list[Participant]:
    """Victims whose phrase head is a physical thing become targets."""
    doc = trigger.doc
    out = []
    for p in participants:
        if p.role == "victim" and p.kind == "description" and p.start >= 0:
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is not None and is_physical(span.root):
                p = _participant(span.root)
        out.append(p)
    return out
