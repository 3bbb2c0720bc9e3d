"""Claims and stance: who claims, denies, confirms, could not verify, gave no comment, or is cited."""

from __future__ import annotations

import re
from dataclasses import dataclass

from triangulate.records import Claim, Mention

_SPEAKER = (
    r"(?P<speaker>(?:[Tt]he\s+)?(?:(?:outlawed|banned|proscribed|little-known)\s+)?[A-Z][\w.'’/&-]*(?:\s+(?:[A-Z][\w.'’/&-]*|(?:al|el|ad|ash|as|an|ar|at|az)-[A-Z][\w'’-]*|bin|ibn|of|the|and|for|news|agency|ministry|"
    r"group|media|defen[cs]e|foreign|security|service|state|office|army|military|police|government))*)"
)
# Between a speaker and its verb: its acronym in brackets, an appositive ("The NLF, an outlawed group, claimed").
_ASIDE = r"(?:\s*\([A-Z][\w.&'’-]{1,12}\))?(?:,\s+(?:an?|the)\s+[^,.;]{1,60},)?"
_ADVERBS = (
    _ASIDE + r"(?:\s+(?i:also|later|then|quickly|hotly|strongly|flatly|firmly|has|have|had|had\s+also))*"
)


def _rule(pattern: str) -> re.Pattern[str]:
    """Speakers match case-sensitively (names are capitalised); the verb phrases do not."""
    return re.compile(pattern)


# A group or its media outlet saying something about an act is a claim of that act.
SAID = _rule(_SPEAKER + _ADVERBS + r"\s+(?i:said|says|announced|reported|stated)\b")
RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "could-not-verify",
        _rule(
            r"(?i:could not (?:be )?(?:immediately |independently )?(?:verif|confirm|identif)\w*)(?:\s+by\s+"
            + _SPEAKER
            + r")?"
        ),
    ),
    (
        "could-not-verify",
        _rule(r"(?i:(?:not|un)\s*(?:been\s+)?(?:independently\s+)?verified)(?:\s+by\s+" + _SPEAKER + r")?"),
    ),
    ("no-comment", _rule(r"(?i:no (?:immediate )?comment from)\s+" + _SPEAKER)),
    (
        "no-comment",
        _rule(
            _SPEAKER
            + r",?(?:\s+and\s+the\s+[\w\s]+?)?,?\s+(?i:did not (?:immediately )?respond to requests? for comment)"
        ),
    ),
    ("no-comment", _rule(_SPEAKER + r"\s+(?i:declined to comment)")),
    ("attributes-to-source", _rule(r"(?i:according to)\s+" + _SPEAKER)),
    ("attributes-to-source", _rule(_SPEAKER + r"\s+(?i:reports? that)")),
    (
        "denies",
        _rule(
            _SPEAKER
            + _ADVERBS
            + r"\s+(?i:denied|denies|(?:rejected|dismissed)(?!\s+(?:the|this|that|its|their|his|her|a)\s+(?:[\w'’-]+\s+)?claims?\b)|dubbed [^.]{0,60}?(?:hoax|fake|lie|fabricat\w*)|called [^.]{0,40}?(?:hoax|fake|fabricat\w*))"
        ),
    ),
    (
        "claims",
        _rule(
            _SPEAKER
            + _ADVERBS
            + r"\s+(?i:claimed responsibility|claimed|claims|said it had|says it has|took responsibility)"
        ),
    ),
    ("claims", SAID),
    ("confirms", _rule(_SPEAKER + _ADVERBS + r"\s+(?i:confirmed|confirms)")),
]
_PRONOUNS = {
    "he",
    "she",
    "it",
    "they",
    "this",
    "that",
    "the",
    "there",
    "but",
    "however",
    "in",
    "on",
    "a",
    "an",
}


# "No group has claimed", "nobody denied": no one takes the stance.
_NOBODY = {"no", "none", "nobody", "neither", "nor"}
TAKEN = ("claims", "denies", "confirms")


@dataclass(frozen=True, slots=True)
class SentenceInfo:
    """A sentence's text, its document offset and index."""

    text: str
    start: int
    index: int


def find_claims(doc_id: int, sentence: SentenceInfo, actors: list[Mention]) -> list[Claim]:
    """Stance statements in one sentence; speakers resolved to actor mentions where they overlap."""
    out: list[Claim] = []
    for stance, pattern in RULES:
        for m in pattern.finditer(sentence.text):
            speaker_text = (m.groupdict().get("speaker") or "").strip(" ,.")
            start = sentence.start + (m.start("speaker") if m.groupdict().get("speaker") else m.start())
            speaker, kind = _resolve(speaker_text, start, actors)
            if speaker_text and speaker_text.split()[0].lower() in _PRONOUNS and not kind:
                speaker = ""
            if stance in TAKEN and speaker_text and speaker_text.split()[0].lower() in _NOBODY:
                continue
            if speaker_text and kind in ("", "unlisted") and _title_case(sentence.text, m.start()):
                continue  # in a Title Case headline every word looks like a name: only a known actor speaks
            if (
                stance == "claims"
                and pattern is SAID
                and kind not in ("armed_group", "media_outlet_of_group")
            ):
                continue
            if any(c.stance == stance and c.speaker == speaker for c in out):
                continue
            out.append(
                Claim(
                    doc_id=doc_id,
                    speaker=speaker or speaker_text or "unnamed",
                    speaker_kind=kind,
                    stance=stance,  # type: ignore[arg-type]
                    content=sentence.text.strip(),
                    start=sentence.start + m.start(),
                    end=sentence.start + m.end(),
                    sentence=sentence.index,
                    text=m.group(0),
                )
            )
    return out


def _title_case(text: str, at: int) -> bool:
    """Whether the line holding ``at`` is written in Title Case (a headline), where every word looks like a name."""
    line = text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _resolve(text: str, start: int, actors: list[Mention]) -> tuple[str, str]:
    if not text:
        return "", ""
    end = start + len(text)
    for mention in actors:
        if mention.kind == "actor" and mention.start < end and start < mention.end:
            return mention.value, str(mention.attrs.get("type", ""))
    return re.sub(r"^(?:the|The)\s+", "", text), ""
