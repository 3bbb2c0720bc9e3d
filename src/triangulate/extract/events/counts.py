"""Casualty and capture counts: digits, number words, ranges and vague quantities."""

from __future__ import annotations

import re

from triangulate.records import Count

NUMBER_WORDS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "both": 2,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a pair of": 2,
}
VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "several": (3, 9),
    "a few": (2, 5),
    "some": (2, 9),
    "many": (5, 50),
    "numerous": (5, 50),
}
_NUM = (
    r"(?:\d[\d,]*|(?:a\s+)?dozen|a couple of|a pair of|"
    + "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True))
    + r")"
)
_VAGUE = "|".join(VAGUE)
_QUAL = r"(?:(?P<qual>at least|more than|over|nearly|almost|about|around|some|up to|as many as|all)\s+)?"
_RANGE = rf"(?P<num>{_NUM})(?:\s*(?:-|to|or|–)\s*(?P<num2>{_NUM}))?(?![-\s]*(?:years?|months?|weeks?|days?)[-\s]+old)"
_WHO = r"(?:\s+(?:[\w'-]+\s+){0,3}?(?:people|persons|civilians|soldiers|servicemen|men|women|children|others|officers|police(?:men)?|militants|fighters|workers|students|passengers|victims|russians|hostages|bystanders|troops|members|staff|residents|worshippers|villagers|teenagers|teens|boys|girls|adults|youths|juveniles|relatives|patrons|customers|employees))?"
NUM_PATTERN = _NUM  # a written number ('4', 'four', 'a dozen'), for other count patterns
WHO_PATTERN = _WHO  # and the people it counts ('people', 'teens', 'other men')
_FIELD_WORDS = {
    "killed": r"killed|dead|died|slain|murdered|executed|beheaded|shot dead|lost their lives|fatalities|deaths|death toll",
    "wounded": r"wounded|injured|hurt|injuries|casualties",
    "captured": r"captured|taken prisoner|seized|held captive|taken captive",
    "kidnapped": r"kidnapped|abducted|taken hostage|held hostage",
    "arrested": r"arrested|detained",
}
PATTERNS: list[tuple[str, re.Pattern[str]]] = []
for _field, _words in _FIELD_WORDS.items():
    PATTERNS.append(
        (
            _field,
            re.compile(
                rf"\b{_QUAL}(?:{_RANGE}|(?P<vague>{_VAGUE})){_WHO}\s+(?:(?:were|was|have been|had been|are|being|been|reportedly|later)\s+)*(?:{_words})\b",
                re.I,
            ),
        )
    )
    PATTERNS.append(
        (
            _field,
            re.compile(
                rf"\b(?:{_words.replace('killed|', 'killing|killed|kills|kill|').replace('wounded|', 'wounding|wounds|wounded|').replace('captured|', 'capturing|captured|').replace('kidnapped|', 'kidnapping|kidnapped|')})\s+{_QUAL}(?:{_RANGE}|(?P<vague>{_VAGUE})){_WHO}\b",
                re.I,
            ),
        )
    )
PATTERNS.append(
    (
        "killed",
        re.compile(
            rf"\b(?:death toll|toll)\s+(?:\w+\s+){{0,3}}?(?:rose to|of|at|reached|climbed to|stands at|is)\s+{_QUAL}{_RANGE}\b",
            re.I,
        ),
    )
)


_ONE = (
    r"\b(?i:a|an|one)\s+(?:\d+-year-old\s+|young\s+|local\s+|teenage\s+|[A-Z][a-z]+\s+)?"
    r"(?:man|woman|boy|girl|teen|teenager|person|officer|deputy|child|student|resident|victim|driver|clerk|father|mother|husband|wife)\b"
)
# "a man was shot and killed", "a teenager died": one person, though no number is written.
MULTIPLE = {"double": 2, "triple": 3, "quadruple": 4}
_MULTIPLE = re.compile(
    r"\b(?P<n>double|triple|quadruple)[\s-](?:homicide|murder|killing|fatal shooting|slaying)s?\b", re.I
)
IMPLIED_ONE = [
    (
        "killed",
        re.compile(
            _ONE
            + r"[^.;]{0,60}?\b(?:was|is|has been)\s+(?:shot and killed|fatally (?:shot|wounded|stabbed)|killed|shot dead|"
            r"pronounced dead|found dead)\b"
        ),
    ),
    ("killed", re.compile(_ONE + r"[^.;]{0,40}?\bdied\b")),
    (
        "wounded",
        re.compile(
            _ONE + r"[^.;]{0,60}?\b(?:was|is)\s+(?:shot|wounded|injured|stabbed)\b(?!\s+(?:and killed|dead))"
        ),
    ),
]


def to_int(text: str) -> int | None:
    """A number from digits or words ('224', 'two', 'a dozen')."""
    text = text.lower().strip()
    if re.fullmatch(r"\d[\d,]*", text):
        return int(text.replace(",", ""))
    return NUMBER_WORDS.get(text) or NUMBER_WORDS.get(text.removeprefix("a ").strip())


def find_counts(sentence: str, offset: int = 0) -> list[Count]:
    """Counts in one sentence, with character offsets relative to the document."""
    out: list[Count] = []
    taken: list[tuple[int, int]] = []
    for field, pattern in PATTERNS:
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if m.groupdict().get("vague"):
                low, high = VAGUE[m.group("vague").lower()]
                count = Count(field, low, high, vague=True)  # type: ignore[arg-type]
            else:
                low_n = to_int(m.group("num") or "")
                if low_n is None or low_n > 100_000:
                    continue
                high_n = to_int(m.group("num2") or "") if m.group("num2") else None
                if (
                    high_n is not None and high_n > 100_000
                ):  # the same cap as the low end: not a casualty range
                    continue
                qual = (m.group("qual") or "").lower()
                high = high_n if high_n and high_n >= low_n else low_n
                vague = qual in (
                    "more than",
                    "over",
                    "nearly",
                    "almost",
                    "about",
                    "around",
                    "some",
                    "up to",
                    "as many as",
                    "at least",
                )
                if qual in ("more than", "over", "at least"):
                    high = max(high, low_n)
                count = Count(field, low_n, high, vague=vague)  # type: ignore[arg-type]
            count.text = m.group(0)
            count.start, count.end = offset + m.start(), offset + m.end()
            out.append(count)
            taken.append((m.start(), m.end()))
    for m in _MULTIPLE.finditer(sentence):
        if not any(c.field == "killed" for c in out):
            n = MULTIPLE[m.group("n").lower()]
            out.append(Count("killed", n, n, text=m.group(0), start=offset + m.start(), end=offset + m.end()))
    for field, pattern in IMPLIED_ONE:
        if any(c.field == field for c in out):
            continue
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            count = Count(
                field,
                1,
                1,
                text=m.group(0),
                start=offset + m.start(),
                end=offset + m.end(),  # type: ignore[arg-type]
                implied=True,
            )
            out.append(count)
            taken.append((m.start(), m.end()))
            break
    return out
