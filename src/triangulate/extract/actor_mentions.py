"""Actor and person mentions: dictionary first, then NER with fuzzy aliases, then short-form coreference."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from triangulate.extract import EXTRACTOR_VERSION
from triangulate.extract.actors import Actor, ActorDictionary
from triangulate.extract.context import context
from triangulate.records import Mention

EXTRACTOR = "triangulate.actors.v1"

ROLE_WORDS = {
    "capt.": "captain",
    "capt": "captain",
    "captain": "captain",
    "col.": "colonel",
    "colonel": "colonel",
    "lt.": "lieutenant",
    "lieutenant": "lieutenant",
    "gen.": "general",
    "general": "general",
    "maj.": "major",
    "major": "major",
    "sgt.": "sergeant",
    "sergeant": "sergeant",
    "sen.": "senator",
    "senator": "senator",
    "president": "president",
    "minister": "minister",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson",
    "commander": "commander",
    "officer": "officer",
    "spy": "spy",
    "soldier": "soldier",
    "journalist": "journalist",
    "pilot": "pilot",
    "mr.": "",
    "mrs.": "",
    "ms.": "",
    "dr.": "doctor",
    "gov.": "governor",
    "governor": "governor",
    "mayor": "mayor",
    "chief": "chief",
    "leader": "leader",
    "militant": "militant",
    "recruiter": "recruiter",
    "aid worker": "aid worker",
    "doctor": "doctor",
    "nurse": "nurse",
    "priest": "priest",
}
SHORT_FORMS = {
    "armed_group": re.compile(
        r"^(?:the|this|that)\s+(?:(?:extremist|terror|terrorist|jihadist|militant|armed|insurgent|islamist)\s+)?"
        r"(?:group|organi[sz]ation|militants|jihadists|extremists|insurgents|terrorists|fighters)$",
        re.I,
    ),
    "government_body": re.compile(r"^the\s+(?:(?:defen[cs]e|foreign|interior)\s+)?ministry$", re.I),
}
_AGE = re.compile(r"^,?\s*(\d{1,2})\s*,")
RANKS = (
    "captain",
    "colonel",
    "lieutenant",
    "general",
    "major",
    "sergeant",
    "private",
    "commander",
    "officer",
)
_NAMED_AS = re.compile(
    r"^\s+(?:was|is|had been|has been|been)\s+(?:named|identified|described|introduced|presented)\s+as\s+"
    r"(?:an?\s+|the\s+)?(?:[\w.'’-]+\s+){0,6}?(?P<rank>" + "|".join(RANKS) + r")\b",
    re.I,
)


@dataclass(slots=True)
class ActorTagger:
    """Callable spaCy component body; build with :meth:`build`."""

    actors: ActorDictionary
    lower: PhraseMatcher
    exact: PhraseMatcher

    @classmethod
    def build(cls, nlp: Language, actors_file: str = "") -> ActorTagger:
        """Compile phrase matchers over the actor dictionary."""
        actors = ActorDictionary.load(actors_file or None)
        lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        case_insensitive, case_sensitive = actors.phrases()
        for name, aliases in case_insensitive.items():
            lower.add(name, list(nlp.tokenizer.pipe(aliases)))
        for name, aliases in case_sensitive.items():
            exact.add(name, list(nlp.tokenizer.pipe(aliases)))
        return cls(actors, lower, exact)

    def __call__(self, doc: Doc) -> None:
        ctx = context(doc)
        spans = [Span(doc, s, e, label=m) for m, s, e in self.lower(doc)]
        spans += [Span(doc, s, e, label=m) for m, s, e in self.exact(doc)]
        matched = filter_spans(spans)
        covered = {i for sp in matched for i in range(sp.start, sp.end)}
        found: list[tuple[int, Actor, Span, str, float]] = []
        for sp in matched:
            actor = (
                self.actors.actors[doc.vocab.strings[sp.label]]
                if isinstance(sp.label, int)
                else self.actors.actors[sp.label_]
            )
            found.append((sp.start_char, actor, sp, "dictionary", 1.0))
        for ent in doc.ents:
            if any(i in covered for i in range(ent.start, ent.end)):
                continue
            if ent.label_ == "PERSON":
                if _looks_like_name(ent):
                    ctx.mentions.append(self._person(doc, ent))
                continue
            if ent.label_ not in ("ORG", "NORP"):
                continue
            actor = self.actors.lookup(ent.text) or self.actors.fuzzy(ent.text)
            if actor is not None:
                found.append((ent.start_char, actor, ent, "ner-fuzzy", 0.8))
            elif ent.label_ == "ORG":
                unlisted = Actor(name=_strip_article(ent.text), type="unlisted")
                found.append((ent.start_char, unlisted, ent, "ner", 0.5))
        found.sort(key=lambda f: f[0])
        for _, actor, span, how, conf in found:
            ctx.mentions.append(self._actor_mention(ctx, actor, span, how, conf))
        self._coreference(doc, found)

    def _actor_mention(self, ctx, actor: Actor, span: Span, how: str, confidence: float) -> Mention:  # type: ignore[no-untyped-def]
        responsible = self.actors.responsible(actor) if actor.type != "unlisted" else actor
        attrs: dict[str, object] = {"type": actor.type, "country": actor.country, "matched_by": how}
        if responsible.name != actor.name:
            attrs["acts_for"] = responsible.name
        return Mention(
            doc_id=ctx.doc_id,
            kind="actor",
            start=span.start_char,
            end=span.end_char,
            sentence=ctx.sentence_of(span.start_char),
            text=span.text,
            value=actor.name,
            attrs=attrs,
            extractor=EXTRACTOR,
            extractor_version=EXTRACTOR_VERSION,
            confidence=confidence,
        )

    def _person(self, doc: Doc, ent: Span) -> Mention:
        ctx = context(doc)
        roles: list[str] = []
        nationality = ""
        for tok in reversed(doc[max(ent.sent.start, ent.start - 4) : ent.start]):
            role = ROLE_WORDS.get(tok.lower_)
            if role is None and tok.ent_type_ != "NORP" and tok.pos_ not in ("ADJ", "PROPN", "NOUN", "PUNCT"):
                break
            if role:
                roles.append(role)
            if tok.ent_type_ == "NORP" and not nationality:
                nationality = tok.text
        after = doc.text[ent.end_char : ent.end_char + 12]
        age = _AGE.match(after)
        for tok in ent.root.head.children if ent.root.dep_ == "appos" else ():
            role = ROLE_WORDS.get(tok.lower_)
            if role:
                roles.append(role)
        named = _NAMED_AS.match(doc.text[ent.end_char : ent.sent.end_char])
        if named:
            roles.append(named.group("rank").lower())
        attrs: dict[str, object] = {"roles": [r for r in dict.fromkeys(roles) if r]}
        if named:
            attrs["role_basis"] = named.group(0).strip()
        if age:
            attrs["age"] = int(age.group(1))
        if nationality:
            attrs["nationality"] = nationality
        name = re.sub(r"^(?:Capt|Col|Lt|Gen|Maj|Sgt|Sen|Dr|Mr|Mrs|Ms|Gov)\.?\s+", "", ent.text).strip()
        name = re.sub(r"['’]s$", "", name)
        return Mention(
            doc_id=ctx.doc_id,
            kind="person",
            start=ent.start_char,
            end=ent.end_char,
            sentence=ctx.sentence_of(ent.start_char),
            text=ent.text,
            value=name,
            attrs=attrs,
            extractor=EXTRACTOR,
            extractor_version=EXTRACTOR_VERSION,
            confidence=0.8,
        )

    def _coreference(self, doc: Doc, found: list[tuple[int, Actor, Span, str, float]]) -> None:
        """Resolve 'the group' / 'the ministry' to the nearest preceding compatible actor within 3 sentences."""
        ctx = context(doc)
        for chunk in doc.noun_chunks:
            for kind, pattern in SHORT_FORMS.items():
                if not pattern.match(chunk.text):
                    continue
                sentence = ctx.sentence_of(chunk.start_char)
                earlier = [
                    f
                    for f in found
                    if f[0] < chunk.start_char and f[1].type == kind and sentence - ctx.sentence_of(f[0]) <= 3
                ]
                if not earlier:
                    continue
                actor = earlier[-1][1]
                mention = self._actor_mention(ctx, actor, chunk, "coreference", 0.6)
                mention.attrs["antecedent"] = earlier[-1][2].text
                ctx.mentions.append(mention)


_NOT_NAME = set(ROLE_WORDS) | {
    "alleged",
    "russian",
    "spy",
    "video",
    "state",
    "group",
    "news",
    "militant",
    "forces",
}


def _looks_like_name(ent: Span) -> bool:
    """NER PERSON spans that are really descriptions ('Alleged Russian Spy') are not people."""
    words = [t for t in ent if not t.is_punct]
    if not words or any(t.lower_ in _NOT_NAME and t.i > ent.start for t in words):
        return False
    return all(
        t.text[:1].isupper() or t.lower_ in ("al", "bin", "ibn", "de", "van", "von", "el", "abu")
        for t in words
    )


def _strip_article(text: str) -> str:
    return re.sub(r"^the\s+", "", text.strip(), flags=re.I)
