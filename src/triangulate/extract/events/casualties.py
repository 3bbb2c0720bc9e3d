"""Casualties a report implies without writing a number: "a 16-year-old died", "Teen shot, killed", "the
shooting death of a toddler", and the named victims it says were killed or wounded.

A report of one death rarely says "one killed". The parse says who died: the subject of "died", the passive
subject or the object of "killed", the person "fatally" shot or shot "to death", the one "found dead", the one
whose "death" is reported. A singular patient (a noun, a name, "he" or "she", "one") is one person; a plural one
is left to the written counts. The implied number is the larger of one and the named victims killed, and the
same for the wounded; it is used only where the report gives no written count of that field.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from triangulate.extract.events.counts import NUM_PATTERN, WHO_PATTERN, to_int
from triangulate.records import Count, Event
from triangulate.tuning import tuned

DIE = {"die", "succumb", "perish"}
KILL = {"kill", "murder", "slay", "execute"}
DEATH_NOUNS = {"death", "killing", "murder", "slaying", "homicide"}
DEAD = {"dead", "deceased"}
WOUND = {"shoot", "wound", "injure", "hurt", "graze", "strike", "hit", "stab"}
_PLURAL_WORDS = {
    "they",
    "them",
    "both",
    "two",
    "three",
    "four",
    "five",
    "six",
    "people",
    "persons",
    "others",
    "victims",
}
_SINGULAR_PRONOUNS = {"he", "she", "him", "her", "one"}
_NOT_PEOPLE = {
    "shooting",
    "death",
    "killing",
    "incident",
    "attack",
    "gunfire",
    "gun",
    "bullet",
    "round",
    "shot",
    "car",
    "vehicle",
    "house",
    "home",
    "window",
    "dog",
    "deer",
    "animal",
    "turkey",
    "investigation",
    "case",
    "charge",
    "police",
    "officer",
    "officers",
    "suspect",
    "gunman",
    "shooter",
    "who",
    "that",
    "which",
    "it",
    "this",
    "there",
}
_ONE = (
    r"(?:man|woman|boy|girl|teen|teenager|toddler|child|baby|infant|person|father|mother|dad|mom|son|daughter|"
    r"brother|sister|husband|wife|grandmother|grandfather|student|hunter|officer|deputy|trooper|driver|victim|"
    r"juvenile|youth|minor|resident|clerk|cashier|employee|worker|teacher|veteran|rapper|star|player|"
    r"\d{1,3}-year-old|[a-z]+-year-old)"
)
# Telegraphic headlines parse badly ("Teen shot, killed", "5-year-old dies"): read them by pattern.
_HEADLINE_DEAD = re.compile(
    rf"(?<![\w-])(?i:{_ONE})(?:\s*,\s*\d{{1,3}}\s*,)?(?:\s+[\w'’-]+){{0,2}}?\s+(?:is\s+|was\s+)?(?:\w+ly\s+)?"
    r"(?:shot(?:,|\s+and)\s+killed|killed|dies|died|dead|fatally\s+(?:shot|wounded|stabbed)|shot\s+(?:to\s+death|dead)|slain|"
    rf"murdered|gunned\s+down)\b|\b(?:death|killing|slaying)\s+of\s+(?:an?\s+|\d{{1,3}}-year-old\s+)?(?i:{_ONE})\b"
)
_HEADLINE_HURT = re.compile(
    rf"(?<![\w-])(?i:{_ONE})(?:\s*,\s*\d{{1,3}}\s*,)?(?:\s+[\w'’-]+){{0,2}}?\s+(?:is\s+|was\s+)?(?:\w+ly\s+)?"
    r"(?:shot|wounded|injured|hurt|grazed|hospitalized)\b(?!\s*(?:,|and)\s*killed|\s+(?:to\s+death|dead))"
)
_PLURAL_BEFORE = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+|both|several)\s+$", re.I)
# How many sentences, headline included, say what the report is about.
LEDE_SENTENCES = tuned("extract.lede_sentences")


def add_implied_counts(event: Event, doc: Doc, title_end: int) -> None:
    """Set the killed and wounded counts the report implies on its main event, for the fields it gives no
    written count of. One person said to be shot ("a man was shot") who is also said to have died is one death,
    not also one wounded."""
    written = {c.field for c in event.counts if not c.implied}
    if written >= {"killed", "wounded"}:
        return
    found = _implied(event, doc, title_end)
    died = any(c.field == "killed" for c in found + event.counts)
    for field in ("killed", "wounded"):
        if field in written:
            continue
        mine = [c for c in found if c.field == field]
        if mine:
            event.counts = [c for c in event.counts if c.field != field] + mine
        elif field == "wounded" and died:
            event.counts = [c for c in event.counts if not (c.field == "wounded" and c.low == 1)]


# "Four people were shot", "14 shot, one fatally", "opened fire and shot six people": everyone hit; those of
# them not killed are the wounded.
_HIT = re.compile(
    rf"\b(?:(?P<num>{NUM_PATTERN}){WHO_PATTERN}\s+(?:(?:were|have been|had been|are|got)\s+)?"
    rf"(?:shot|struck by (?:gunfire|bullets)|hit by (?:gunfire|bullets))"
    rf"|shot\s+(?P<num2>{NUM_PATTERN}){WHO_PATTERN})\b(?!\s+(?:dead|to death|and killed))",
    re.I,
)
_FATALLY = re.compile(r"[\s,;:—–-]*(?:including\s+)?(?P<k>\w+)(?:\s+of them)?\s+fatally\b", re.I)


def add_hit_counts(event: Event, doc: Doc, title_end: int) -> None:
    """Those the headline or the lede says were shot ("Four people were shot", "14 shot, one fatally"), less
    the killed, are the wounded, where the report writes no wounded count (implied, like the others)."""
    if any(c.field == "wounded" and not c.implied for c in event.counts):
        return
    sents = list(doc.sents)
    body = [s for s in sents if s.start_char >= title_end]
    end = body[min(LEDE_SENTENCES, len(body)) - 1].end_char if body else len(doc.text)
    for m in _HIT.finditer(doc.text, 0, end):
        hit = to_int(m.group("num") or m.group("num2") or "")
        if hit is None or hit < 2 or hit > 1000:
            continue
        fatal = _FATALLY.match(doc.text, m.end())
        dead = to_int(fatal.group("k")) if fatal else None
        if dead is not None and not any(c.field == "killed" and not c.implied for c in event.counts):
            event.counts = [c for c in event.counts if c.field != "killed"]
            event.counts.append(
                Count("killed", dead, dead, text=m.group(0), start=m.start(), end=m.end(), implied=True)
            )
        killed = max((c.low for c in event.counts if c.field == "killed"), default=0)
        wounded = hit - killed
        if wounded > max((c.low for c in event.counts if c.field == "wounded"), default=0):
            event.counts = [c for c in event.counts if c.field != "wounded"]
            event.counts.append(
                Count(
                    "wounded", wounded, wounded, text=m.group(0), start=m.start(), end=m.end(), implied=True
                )
            )
        return


def _implied(event: Event, doc: Doc, title_end: int) -> list[Count]:
    dead: list[Token] = []
    hurt: list[Token] = []
    headline_dead: Span | None = None
    headline_hurt: Span | None = None
    for index, sent in enumerate(doc.sents):
        if index >= LEDE_SENTENCES and sent.start_char >= title_end:
            break
        headline = sent.start_char < title_end
        for patient, outcome in _patients(sent, headline=headline):
            (dead if outcome == "killed" else hurt).append(patient)
        if headline:
            headline_dead = headline_dead or _headline_match(_HEADLINE_DEAD, sent)
            headline_hurt = headline_hurt or _headline_match(_HEADLINE_HURT, sent)
    named = {
        status: [p for p in event.people if p.role == "victim" and p.status == status]
        for status in ("killed", "injured")
    }
    out: list[Count] = []
    singular = [t for t in dead if _singular(t)]
    n = len(named["killed"])
    if (singular or headline_dead is not None) and len(singular) == len(dead):
        n = max(n, 1)  # one death; a plural one is left to the written counts
    if n:
        out.append(_count("killed", n, singular[0].sent if singular else headline_dead, named["killed"]))
    dead_words = {t.lower_ for t in dead} | {t.lemma_.lower() for t in dead}
    survivors = [
        t
        for t in hurt
        if _singular(t) and t.lemma_.lower() not in dead_words and t.lower_ not in _SINGULAR_PRONOUNS
    ]
    n = len(named["injured"])
    if (survivors or headline_hurt is not None) and not dead and headline_dead is None:
        n = max(n, 1)
    if n:
        out.append(_count("wounded", n, survivors[0].sent if survivors else headline_hurt, named["injured"]))
    return out


def _headline_match(pattern: re.Pattern[str], sent: Span) -> Span | None:
    for m in pattern.finditer(sent.text):
        if not _PLURAL_BEFORE.search(sent.text[: m.start()]):
            return sent.char_span(m.start(), m.end(), alignment_mode="expand") or sent
    return None


def _count(field: str, n: int, cue: Span | None, named: list) -> Count:  # type: ignore[type-arg]
    if cue is not None:
        start, end = cue.start_char, cue.end_char
        text = cue.text
    elif named and named[0].evidence[0] >= 0:
        start, end = named[0].evidence
        text = f"implied: {n} named victim{'s' if n > 1 else ''} {field}"
    else:
        start, end, text = -1, -1, f"implied: {n} named victim{'s' if n > 1 else ''} {field}"
    return Count(field, n, n, text=text, start=start, end=end, implied=True)  # type: ignore[arg-type]


def _patients(sent: Span, headline: bool) -> list[tuple[Token, str]]:
    """(patient, 'killed' | 'wounded') for each harm the sentence reports."""
    out: list[tuple[Token, str]] = []
    for tok in sent:
        lemma, low = tok.lemma_.lower(), tok.lower_
        if tok.pos_ in ("VERB", "AUX") and lemma in DIE:
            out += [(s, "killed") for s in _subjects(tok)]
        elif tok.pos_ == "VERB" and lemma in KILL | WOUND:
            fatal = lemma in KILL or _fatal(tok)
            out += [(p, "killed" if fatal else "wounded") for p in _objects(tok, headline)]
        elif low in DEAD and tok.pos_ == "ADJ":
            head = tok.head if tok.dep_ != "ROOT" else tok
            out += [(p, "killed") for p in _subjects(head) + _objects(head, headline) if p is not tok]
        elif tok.pos_ == "NOUN" and lemma in DEATH_NOUNS and lemma != "homicide":
            for c in tok.children:
                if c.dep_ == "poss":
                    out.append((c, "killed"))
                elif c.dep_ == "prep" and c.lower_ == "of":
                    out += [(g, "killed") for g in c.children if g.dep_ == "pobj"]
    return [(p, o) for p, o in out if _person_like(p)]


def _fatal(verb: Token) -> bool:
    """'fatally shot', 'shot to death', 'shot dead', 'shot and killed'."""
    for c in verb.children:
        if c.lower_ in ("fatally", "dead"):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children):
            return True
        if c.dep_ == "conj" and c.lemma_.lower() in KILL | DIE:
            return True
    return False


def _subjects(verb: Token) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ == "relcl" and any(c.lower_ in ("who", "that") for c in found):
        found = [verb.head]  # "the man who died"
    if not found and verb.dep_ == "conj":
        found = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return found


def _objects(verb: Token, headline: bool) -> list[Token]:
    """Who a harm verb harmed: its object, its passive subject, and in a headline ('Teen shot, killed') its
    subject when the verb has no object."""
    found = [c for c in verb.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
    if not found and (headline or verb.tag_ == "VBN"):
        found = [c for c in _subjects(verb) if c.dep_ == "nsubj"] if headline else []
        if not found and verb.dep_ in ("acl", "amod") and verb.head.pos_ in ("NOUN", "PROPN"):
            found = [verb.head]  # "a man shot in the leg", "the teen killed Sunday"
    if not found and verb.dep_ == "conj":
        found = [c for c in verb.head.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
    return found


def _person_like(tok: Token) -> bool:
    low = tok.lower_
    if low in _NOT_PEOPLE or tok.lemma_.lower() in _NOT_PEOPLE:
        return False
    return tok.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ") and tok.ent_type_ not in (
        "GPE",
        "ORG",
        "LOC",
        "FAC",
        "DATE",
        "TIME",
    )


def _singular(tok: Token) -> bool:
    low = tok.lower_
    if low in _PLURAL_WORDS or tok.tag_ in ("NNS", "NNPS"):
        return False
    if any(c.dep_ == "nummod" and c.lower_ not in ("one", "1") for c in tok.children):
        return False
    if any(c.dep_ == "conj" for c in tok.children):
        return False
    return True
