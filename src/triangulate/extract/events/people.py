"""The document-level entity layer for people: the mentions of one person across a report become one
:class:`Person` with its name, age, gender, residence, status and role in the report's main event.

Mentions are grouped by name ("Ronald Munn" ... "Munn"). Each mention's place in the parse gives cues:
the object of "shot", the passive subject of "killed", the subject of "died", the appositive of "the victim"
are victim cues; the passive subject of "arrested" or "charged", the active subject of "shot", an appositive
"the suspect" are suspect cues; the subject of "said" is a speaker. Headlines get their own grammar:
"Ronald Munn shot dead" is passive. A person with no victim or suspect cue is ``other``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from triangulate.extract.context import DocContext
from triangulate.records import Mention, Person

HARM = {
    "shoot",
    "kill",
    "wound",
    "injure",
    "murder",
    "slay",
    "stab",
    "gun",
    "strike",
    "hit",
    "execute",
    "ambush",
    "attack",
    "beat",
    "assault",
    "rob",
    "target",
    "fire",
    "hurt",
    "slain",
    "shot",
    "killed",
    "wounded",
    "injured",
}
DIE = {"die", "succumb", "pass", "perish", "bleed"}
ARREST = {
    "arrest",
    "charge",
    "book",
    "detain",
    "apprehend",
    "indict",
    "jail",
    "sentence",
    "convict",
    "hold",
    "seek",
    "want",
    "accuse",
    "capture",
    "extradite",
    "arraign",
    "nab",
    "suspect",
    "catch",
    "incarcerate",
    "remand",
    "prosecute",
    "try",
    "release",
    "bond",
}
SUSPECT_ACTS = {
    "face",
    "plead",
    "confess",
    "surrender",
    "flee",
    "admit",
    "turn",
    "open",
    "pull",
    "point",
    "confront",
    "allege",
    "argue",
    "escape",
    "fled",
}
SPEECH = {
    "say",
    "tell",
    "add",
    "state",
    "explain",
    "describe",
    "recall",
    "ask",
    "write",
    "post",
    "speak",
    "note",
    "told",
    "said",
    "comment",
    "report",
    "announce",
    "confirm",
    "urge",
    "plead",
}
VICTIM_NOUNS = {"victim", "deceased", "decedent", "dead", "body", "casualty", "fatality"}
SUSPECT_NOUNS = {
    "suspect",
    "gunman",
    "shooter",
    "killer",
    "assailant",
    "attacker",
    "robber",
    "gunmen",
    "accused",
    "defendant",
    "murderer",
    "perpetrator",
    "culprit",
    "fugitive",
    "inmate",
    "offender",
    "assailants",
}
HARM_NOUNS = {
    "death",
    "killing",
    "shooting",
    "murder",
    "slaying",
    "homicide",
    "stabbing",
    "wounding",
    "funeral",
    "body",
    "vigil",
    "memorial",
}
OFFICIAL_ROLES = {
    "officer",
    "chief",
    "spokesperson",
    "sergeant",
    "lieutenant",
    "captain",
    "commander",
    "governor",
    "mayor",
    "senator",
    "president",
    "minister",
    "doctor",
    "priest",
    "general",
    "colonel",
    "major",
}
_KILLED = re.compile(
    r"\b(?:killed|fatally|dead|died|dies|death|murder(?:ed)?|slain|homicide|pronounced|deceased|"
    r"body|bodies)\b",
    re.I,
)
_INJURED = re.compile(
    r"\b(?:wounded|injured|hospitali[sz]ed|critical|stable|serious condition|treated|survived|"
    r"grazed|non-life|recovering|shot in the)\b",
    re.I,
)
_ARRESTED = re.compile(
    r"\b(?:arrested|in custody|booked|jailed|detained|apprehended|taken into custody)\b", re.I
)
_CHARGED = re.compile(r"\b(?:charged|indicted|faces|facing|accused)\b", re.I)
_SOUGHT = re.compile(r"\b(?:wanted|sought|at large|searching for|looking for|manhunt|on the run)\b", re.I)
_AGE_BEFORE = re.compile(r"(\d{1,3})-year-old\s+(?:[a-z]+\s+){0,2}$")
_AGE_AFTER = re.compile(r"^\s*(?:,\s*|\(\s*)(?:age\s+|aged\s+)?(\d{1,3})\s*(?:,|\)|\.|\s+of\b|\s+and\b)")
_RESIDENCE = re.compile(
    r"^\s*,\s*(?:age\s+)?\d{1,3}\s*,\s+of\s+(?P<place>(?:[A-Z][\w.'’-]*)(?:\s+[A-Z][\w.'’-]*){0,3})"
)
_GENDER_WORDS = {
    "man": "male",
    "boy": "male",
    "father": "male",
    "son": "male",
    "husband": "male",
    "brother": "male",
    "mr.": "male",
    "he": "male",
    "his": "male",
    "woman": "female",
    "girl": "female",
    "mother": "female",
    "daughter": "female",
    "wife": "female",
    "sister": "female",
    "mrs.": "female",
    "ms.": "female",
    "she": "female",
    "her": "female",
    "boyfriend": "male",
    "girlfriend": "female",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


@dataclass(slots=True)
class _Entity:
    name: str
    words: list[str]
    mentions: list[Mention] = field(default_factory=list)
    victim: float = 0.0
    suspect: float = 0.0
    speaker: float = 0.0
    evidence: tuple[int, int] = (-1, -1)
    best: float = 0.0

    def cue(self, role: str, weight: float, span: tuple[int, int]) -> None:
        setattr(self, role, getattr(self, role) + weight)
        if role in ("victim", "suspect") and weight > self.best:
            self.best, self.evidence = weight, span


def people_of(doc: Doc, ctx: DocContext) -> list[Person]:
    """Every named person of a report as one entity each, in order of first mention, with its role."""
    entities = _group([m for m in ctx.mentions if m.kind == "person"])
    _surname_mentions(doc.text, ctx, entities)
    named: dict[int, list[tuple[Mention, Span]]] = {}  # entity -> its mentions with their spans, read once
    last: dict[int, tuple[int, int]] = {}  # sentence start token -> (start, entity) of the last name in it
    for entity in entities:
        found = named[id(entity)] = []
        for mention in entity.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                found.append((mention, span))
                key = span.sent.start
                if key not in last or last[key][0] < mention.start:
                    last[key] = (mention.start, id(entity))
    last_named = {sentence: entity for sentence, (_, entity) in last.items()}
    people = []
    for entity in entities:
        for mention, span in named[id(entity)]:
            _cues(ctx, entity, mention, span)
        people.append(_person(doc, entity, named[id(entity)], last_named))
    return people


def _words(name: str) -> list[str]:
    return [
        w for w in re.findall(r"[\w'’.-]+", name.casefold()) if w not in _SUFFIXES and len(w.strip(".")) > 1
    ]


def _group(mentions: list[Mention]) -> list[_Entity]:
    """Mentions that share a surname (and do not differ in first name) are one person."""
    entities: list[_Entity] = []
    for mention in sorted(mentions, key=lambda m: (-len(_words(m.value)), m.start)):
        words = _words(mention.value)
        if not words:
            continue
        home = next((e for e in entities if _same_person(e.words, words)), None)
        if home is None:
            entities.append(_Entity(mention.value, words, [mention]))
        else:
            home.mentions.append(mention)
    for entity in entities:
        entity.mentions.sort(key=lambda m: m.start)
    return sorted(entities, key=lambda e: e.mentions[0].start)


def _surname_mentions(text: str, ctx: DocContext, entities: list[_Entity]) -> None:
    """A full name's surname standing alone later in the report ('Beal was charged') is a mention of that person,
    where NER missed it and no other person shares the surname."""
    surnames = Counter(e.words[-1] for e in entities if len(e.words) >= 2)
    for entity in entities:
        if len(entity.words) < 2 or surnames[entity.words[-1]] > 1:
            continue
        surname = entity.name.split()[-1].strip(",.")
        covered = [(m.start, m.end) for e in entities for m in e.mentions]
        for match in re.finditer(rf"\b{re.escape(surname)}\b(?!['’]s\b)", text):
            if match.start() < entity.mentions[0].start or any(s <= match.start() < e for s, e in covered):
                continue
            entity.mentions.append(
                Mention(
                    doc_id=ctx.doc_id,
                    kind="person",
                    start=match.start(),
                    end=match.end(),
                    sentence=ctx.sentence_of(match.start()),
                    text=surname,
                    value=surname,
                    extractor="triangulate.people.v1",
                    confidence=0.6,
                )
            )
        entity.mentions.sort(key=lambda m: m.start)


def _same_person(known: list[str], words: list[str]) -> bool:
    if known == words:
        return True
    if len(words) == 1:
        return words[0] == known[-1] or (len(known) > 1 and words[0] == known[0])
    return words[-1] == known[-1] and words[0] == known[0]


def _cues(ctx: DocContext, entity: _Entity, mention: Mention, span: Span) -> None:
    where = (mention.start, mention.end)
    headline = mention.start < ctx.title_end
    node = span.root
    for role in mention.attrs.get("roles") or ():
        if role in OFFICIAL_ROLES:
            entity.cue("speaker", 0.5, where)
    _descriptor_cues(entity, node, where)
    while (
        node.dep_ in ("appos", "conj", "compound", "flat")
        and node.head is not node
        and node.head.pos_ in ("PROPN", "NOUN")
    ):
        _descriptor_cues(entity, node.head, where)
        node = node.head
    dep, head = node.dep_, node.head
    lemma = head.lemma_.lower()
    if dep == "nsubjpass":
        _verb_cue(entity, lemma, where=where, verb=head)
    elif dep == "nsubj":
        if lemma in SPEECH:
            entity.cue("speaker", 1.0, where)
        elif lemma in DIE:
            entity.cue("victim", 2.0, where)
        elif lemma in WOUND_VERBS and _has_wound_object(head):
            entity.cue("victim", 1.5, where)  # "X had gunshot wounds", "X suffered a gunshot wound"
        elif _then_harmed(head):
            entity.cue("victim", 1.5, where)  # "X had just left the store when he was shot", "X ... and died"
        elif lemma in HARM and _reflexive_object(head) or _then_shot_self(head):
            entity.cue("victim", 2.0, where)  # "X shot himself", "X found a gun and shot himself"
        elif (
            lemma in HARM
            and (headline and head.tag_ in ("VBD", "VBN") or head.tag_ == "VBN")
            and not _person_object(head)
        ):
            entity.cue(
                "victim", 1.5, where
            )  # headline grammar: "Ronald Munn shot dead", "Man killed in crash"
        elif lemma in HARM:
            entity.cue("suspect", 1.5, where)
        elif lemma in SUSPECT_ACTS or lemma in ARREST:
            entity.cue("suspect", 1.0, where)
        elif lemma == "be":
            _attribute_cues(entity, head, where)
    elif dep in ("dobj", "obj"):
        if lemma in HARM:
            entity.cue("victim", 2.0, where)
        elif lemma == "find" and (_KILLED.search(span.sent.text) or _INJURED.search(span.sent.text)):
            entity.cue("victim", 1.0, where)  # "Officers found X, who was pronounced dead"
        elif lemma in ARREST:
            entity.cue("suspect", 2.0, where)
        elif lemma == "identify":
            _identify_cues(entity, head, where)
    elif dep == "pobj":
        prep = head
        governor = prep.head
        glemma = governor.lemma_.lower()
        if prep.lower_ == "as" and glemma == "identify":
            _identify_cues(entity, governor, where)
        elif prep.lower_ == "of" and glemma in HARM_NOUNS:
            entity.cue("victim", 1.5, where)
        elif prep.lower_ == "by" and glemma in HARM:
            entity.cue("suspect", 2.0, where)
        elif prep.lower_ in ("against", "for") and glemma in {"warrant", "charge", "charges", "case"}:
            entity.cue("suspect", 1.5, where)
    elif dep == "poss" and head.lemma_.lower() in HARM_NOUNS | {
        "family",
        "mother",
        "father",
        "relative",
        "sister",
    }:
        entity.cue("victim", 1.0, where)
    elif dep == "attr" and head.lemma_ == "be":
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subj in subjects:
            _descriptor_cues(entity, subj, where)
    elif dep == "dative" and lemma == "charge":
        entity.cue("suspect", 1.0, where)
    sent = span.sent.text
    if re.search(r"\bidentified\b", sent) and not (entity.victim or entity.suspect):
        _sentence_cues(entity, sent, where)


_PERSON_NOUNS = {
    "man",
    "woman",
    "boy",
    "girl",
    "teen",
    "teenager",
    "child",
    "wife",
    "husband",
    "father",
    "mother",
    "son",
    "daughter",
    "officer",
    "people",
    "person",
    "men",
    "women",
    "brother",
    "sister",
    "friend",
    "neighbor",
    "girlfriend",
    "boyfriend",
    "suspect",
    "clerk",
    "student",
    "driver",
    "deputy",
    "victim",
}


def _person_object(verb: Token) -> bool:
    """Whether a verb's direct object is a person ('Police shot man', 'Man kills wife')."""
    return any(
        c.dep_ == "dobj"
        and (c.ent_type_ == "PERSON" or c.lemma_.lower() in _PERSON_NOUNS or c.pos_ == "PRON")
        for c in verb.children
    )


def _reflexive_object(verb: Token) -> bool:
    return any(c.dep_ in ("dobj", "obj") and c.lower_ in ("himself", "herself") for c in verb.children)


def _then_shot_self(verb: Token) -> bool:
    """'X found a loaded gun and shot himself', 'X was showing a gun when he shot himself': a conjoined harm verb
    with no subject of its own, or a clause whose subject is a pronoun, and a reflexive object."""
    for c in verb.children:
        if c.lemma_.lower() not in HARM or not _reflexive_object(c):
            continue
        subjects = [g for g in c.children if g.dep_.startswith("nsubj")]
        if (c.dep_ == "conj" and not subjects) or (
            c.dep_ == "advcl" and all(g.pos_ == "PRON" for g in subjects)
        ):
            return True
    return False


WOUND_VERBS = {"have", "suffer", "sustain", "receive"}


def _has_wound_object(verb: Token) -> bool:
    return any(c.dep_ in ("dobj", "obj") and c.lemma_.lower() in {"wound", "injury"} for c in verb.children)


def _then_harmed(verb: Token) -> bool:
    """Whether the subject's own clause goes on to its harm: a "when he was shot" clause whose subject is a
    pronoun, or a conjoined "and died" with no subject of its own."""
    for c in verb.children:
        if (
            c.dep_ == "advcl"
            and c.lemma_.lower() in HARM
            and any(g.dep_ == "nsubjpass" and g.pos_ == "PRON" for g in c.children)
        ):
            return True
        if (
            c.dep_ == "conj"
            and c.lemma_.lower() in DIE
            and not any(g.dep_.startswith("nsubj") for g in c.children)
        ):
            return True
    return False


CARE = {"pronounce", "treat", "transport", "rush", "airlift", "hospitalize", "hospitalise", "fly", "take"}
_CARE_WORDS = {"dead", "hospital", "wound", "wounds", "injuries", "injury", "trauma", "surgery", "condition"}


def _verb_cue(entity: _Entity, lemma: str, where: tuple[int, int], verb: Token | None = None) -> None:
    if lemma in CARE and verb is not None and any(t.lower_ in _CARE_WORDS for t in verb.subtree):
        entity.cue(
            "victim", 1.5, where
        )  # "X was pronounced dead", "X was taken to a hospital", "treated for wounds"
    elif lemma in HARM:
        entity.cue("victim", 2.0, where)
    elif lemma in ARREST:
        entity.cue("suspect", 2.0, where)
    elif lemma in ("find", "locate", "discover"):
        harmed = verb is not None and any(
            c.dep_ in ("xcomp", "oprd", "acomp", "conj", "advcl")
            and c.lemma_.lower() in HARM | DIE | {"dead", "unresponsive"}
            for c in verb.children
        )
        entity.cue("victim", 1.5 if harmed else 0.5, where)  # "X was found shot", "X was found dead"


def _descriptor_cues(entity: _Entity, node: Token, where: tuple[int, int]) -> None:
    """'the victim, Ronald Munn', 'Brent Thomas, the suspect', 'the gunman, identified as ...'."""
    nouns = [node] + [c for c in node.children if c.dep_ == "appos"]
    for noun in nouns:
        word = noun.lemma_.lower()
        if word in VICTIM_NOUNS:
            entity.cue("victim", 2.0, where)
        elif word in SUSPECT_NOUNS:
            entity.cue("suspect", 2.0, where)


_HARMED_STATES = {"injured", "wounded", "dead", "killed", "deceased", "hurt", "hospitalized", "hospitalised"}


def _attribute_cues(entity: _Entity, verb: Token, where: tuple[int, int]) -> None:
    """'X is the victim', 'X is dead', and the inverted 'Injured were X, Y and Z'."""
    for c in verb.children:
        if c.dep_ == "attr":
            _descriptor_cues(entity, c, where)
        elif c.dep_ in ("acomp", "advmod", "oprd", "advcl") and c.lower_ in _HARMED_STATES:
            entity.cue("victim", 1.5, where)


def _identify_cues(entity: _Entity, verb: Token, where: tuple[int, int]) -> None:
    """'Police identified the victim as X', 'The suspect was identified as X', 'The man shot was identified as X'."""
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            word = c.lemma_.lower()
            if word in VICTIM_NOUNS:
                entity.cue("victim", 2.0, where)
                return
            if word in SUSPECT_NOUNS:
                entity.cue("suspect", 2.0, where)
                return
            for t in c.subtree:
                if t.lemma_.lower() in HARM | DIE and t.dep_ in ("acl", "relcl", "amod"):
                    entity.cue("victim", 1.5, where)
                    return
                if t.lemma_.lower() in ARREST and t.dep_ in ("acl", "relcl", "amod"):
                    entity.cue("suspect", 1.5, where)
                    return
    described = any(
        c.dep_ in ("dobj", "nsubjpass")
        and (
            c.lemma_.lower() in _IDENTIFIED_PEOPLE or c.lower_ in ("he", "she", "they", "him", "her", "them")
        )
        for c in verb.children
    )
    if described and not _SUSPECT_WORDS.search(verb.sent.text):
        entity.cue("victim", 1.0, where)  # "Police identified the girl as X": the report's subject
        return
    _sentence_cues(entity, verb.sent.text, where)


_IDENTIFIED_PEOPLE = {
    "man",
    "woman",
    "boy",
    "girl",
    "teen",
    "teenager",
    "child",
    "toddler",
    "baby",
    "infant",
    "person",
    "youth",
    "juvenile",
    "student",
    "men",
    "women",
    "boys",
    "girls",
    "teens",
    "teenagers",
    "children",
    "people",
    "hunter",
    "resident",
}
_SUSPECT_WORDS = re.compile(
    r"\b(?:suspects?|arrested|charged|gunman|shooter|custody|booked|accused|wanted)\b", re.I
)


def _sentence_cues(entity: _Entity, sentence: str, where: tuple[int, int]) -> None:
    suspect = bool(
        re.search(r"\b(?:suspect|arrested|charged|gunman|shooter|custody|booked|accused)\b", sentence, re.I)
    )
    victim = bool(
        re.search(
            r"\b(?:victim|killed|dead|died|deceased|wounded|injured|coroner|medical examiner)\b",
            sentence,
            re.I,
        )
    )
    if victim and not suspect:
        entity.cue("victim", 0.75, where)
    elif suspect and not victim:
        entity.cue("suspect", 0.75, where)


def _person(
    doc: Doc, entity: _Entity, spans: list[tuple[Mention, Span]], last_named: dict[int, int]
) -> Person:
    text = doc.text
    full = max((m.value for m in entity.mentions), key=lambda v: (len(_words(v)), len(v)))
    age: int | None = None
    residence, gender = "", ""
    descriptions: list[str] = []
    for m in entity.mentions:
        stated = m.attrs.get("age")
        after = text[m.end : m.end + 60]
        before = text[max(0, m.start - 40) : m.start]
        if age is None:
            match = _AGE_AFTER.match(after) or _AGE_BEFORE.search(before)
            if isinstance(stated, int):
                age = stated
            elif match and 0 < int(match.group(1)) < 110:
                age = int(match.group(1))
        if not residence:
            res = _RESIDENCE.match(after)
            if res:
                residence = res.group("place").split(". ")[0].rstrip(".")
        if not gender:
            gender = _gender(before)
        described = re.search(
            r"(?:^|\b)((?:an?|the)\s+(?:\d{1,3}-year-old\s+)?[a-z-]+(?:\s[a-z-]+)?),\s*$", before
        )
        if described:
            descriptions.append(described.group(1))
    role = "other"
    if entity.victim > entity.suspect and entity.victim >= 0.75:
        role = "victim"
    elif entity.suspect > entity.victim and entity.suspect >= 0.75:
        role = "suspect"
    if role != "other" and entity.speaker >= max(entity.victim, entity.suspect) + 1.0:
        role = "other"
    return Person(
        name=full,
        role=role,
        age=age,
        gender=gender,
        residence=residence,  # type: ignore[arg-type]
        status=_status(doc, entity, spans, role, last_named),  # type: ignore[arg-type]
        descriptions=list(dict.fromkeys(descriptions))[:3],
        mentions=[(m.start, m.end) for m in entity.mentions],
        evidence=entity.evidence,
    )


def _gender(before: str) -> str:
    words = re.findall(r"[\w.]+", before.lower())[-3:]
    for w in reversed(words):
        if w in _GENDER_WORDS:
            return _GENDER_WORDS[w]
    return ""


def _status(
    doc: Doc, entity: _Entity, spans: list[tuple[Mention, Span]], role: str, last_named: dict[int, int]
) -> str:
    """What happened to the person, from the sentences that name them and a following sentence that opens
    with 'He' or 'She' when they were the last person named before it."""
    sentences: list[Span] = []
    for _, span in spans:
        if span.sent in sentences:
            continue
        sentences.append(span.sent)
        after = span.sent.end
        if (
            after < len(doc)
            and doc[after].lower_ in ("he", "she")
            and last_named.get(span.sent.start) == id(entity)
        ):
            sentences.append(doc[after].sent)
    text = " ".join(s.text for s in sentences)
    if role == "victim":
        if _KILLED.search(text):
            return "killed"
        return "injured" if _INJURED.search(text) or re.search(r"\bshot\b", text) else ""
    if role == "suspect":
        if _ARRESTED.search(text):
            return "arrested"
        if _CHARGED.search(text):
            return "charged"
        if _SOUGHT.search(text):
            return "sought"
        if _KILLED.search(text) and re.search(r"\b(?:himself|herself|suicide)\b", text):
            return "killed"
    return ""
