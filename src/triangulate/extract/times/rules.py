"""From a pattern match to an :class:`Expr`: what the words say, before any anchor is applied.

This is also where false positives are turned away: "may have" (lowercase), "March on" (a month
name used as a verb or name needs a cue such as "in" or "last"), "the fall of Saddam", "in his
eighties", a bare number that is not plausibly a year ("2000 people"), "two days after the attack"
(anchored on an event, not on a date we know).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triangulate.extract.times import lexicon, periods
from triangulate.extract.times.patterns import PRECEDING_CUE

_NEWSPAPER_AFTER = re.compile(
    r"\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Star|Tribune|Age|Mail|Sun)\b"
)
_CAPITALISED_NEXT = re.compile(r"\s+(?!(?:I|The|A)\b)[A-Z][a-z]")
_DECADE_OWNER = re.compile(r"\b(?:his|her|their|my|your|our|its)\s+(?:early\s+|mid-?\s*|late\s+)?$")
_AFTER_WORD = re.compile(r"\s+[a-z]")
_PAST_SPAN = re.compile(
    r"\s+(?:\d|few|several|couple|many|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty"
    r"|hours?|days?|weeks?|months?|years?|decades?|centur|quarters?|period|season|summer|winter)"
)
_SEASON_CUE = re.compile(
    r"\b(?:in|during|since|until|by|through|throughout|over|for|this|last|next|of)\s+(?:the\s+)?$"
)
_FALL_CUE = re.compile(
    r"\b(?:in|during|since|until|by|through|throughout|over|this|last|next)\s+(?:the\s+)?$"
)
_YEAR_FOLLOW = re.compile(
    r"(?:\s*[,.;:)!?\"”’]|\s*$|\s+(?:and|or|to|through|until|when|while|after|before|as)\b|\s*[-–—]\s*\d)"
)
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|since|by|until|till|during|of|for|from|to|through|throughout|before|after|between|and|or|early"
    r"|mid|late|fiscal|year|around|about|circa|as\s+of|end\s+of|beginning\s+of|start\s+of|middle\s+of"
    r"|spring|summer|autumn|fall|winter|[a-z]+'s)|[(,])[\s-]*$",
    re.IGNORECASE,
)
_PREFIX_WINDOW = 30
# Accepted alone (a gold span) but not in running text: adjectives, and adverbs that TimeBank
# leaves unmarked far more often than it marks them ("previously": 20 unmarked to 3 marked).
_STANDALONE_REFS = frozenset({"current", "recent", "previously", "formerly", "soon"})
# A bare number followed by one of these is a count or an address, not a year ("2000 people",
# "the 1900 block of Main Street").
_COUNT_NOUN = re.compile(
    r"\s+(?:people|persons|troops|soldiers|men|women|children|civilians|refugees|residents|police|officers"
    r"|fighters|militants|rebels|dollars|euros|pounds|yuan|rubles|yen|marks|francs|meters|metres|feet|miles"
    r"|km|kilometers|kilometres|tons|tonnes|barrels|acres|hectares|votes|cases|deaths|hours|minutes"
    r"|students|members|workers|employees|jobs|pages|words|units|times|shares|cars|vehicles|homes|houses"
    r"|rounds|rockets|missiles|bombs|aircraft|planes|ships|tanks|blocks?)\b",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|its|his|her|their|our|your|my|a|an|that|this|these|those|whose|[a-z]+'s)\s+"
    r"(?:[a-z]+(?:-[a-z]+)?\s+)?$",
    re.IGNORECASE,
)
_CURRENT_UNIT = re.compile(
    r"\s+(?:fiscal\s+)?(?:year|quarter|month|week|period|decade|century)\b", re.IGNORECASE
)

_REF_WORDS = {
    "now": "PRESENT_REF",
    "right now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "current": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "presently": "PRESENT_REF",
    "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF",
    "at the moment": "PRESENT_REF",
    "recently": "PAST_REF",
    "more recently": "PAST_REF",
    "lately": "PAST_REF",
    "recent": "PAST_REF",
    "the past": "PAST_REF",
    "previously": "PAST_REF",
    "formerly": "PAST_REF",
    "future": "FUTURE_REF",
    "soon": "FUTURE_REF",
}
_REL_OFFSET = {
    "last": -1,
    "previous": -1,
    "preceding": -1,
    "past": -1,
    "this past": -1,
    "prior": -1,
    "latest": -1,
    "this": 0,
    "current": 0,
    "same": 0,
    "that": 0,
    "the": 0,
    "next": 1,
    "coming": 1,
    "following": 1,
}
_ANAPHORIC_RELS = frozenset({"previous", "preceding", "following", "that", "same"})
_APPROX = {
    "about": "about",
    "almost": "about",
    "nearly": "about",
    "roughly": "about",
    "around": "about",
    "some": "about",
    "approximately": "about",
    "more than": "before",
    "over": "before",
    "less than": "after",
    "barely": "after",
    "just": "on",
    "only": "on",
    "exactly": "on",
}


@dataclass(frozen=True, slots=True)
class Expr:
    """A recognised time expression, anchor-independent. ``kind`` picks the resolution rule."""

    kind: str  # absolute | month_day | month | season | holiday | quarter | half | weekday | deictic
    #          | anaphoric | relative | ago | ref
    rule: str
    period: periods.Period | None = None
    month: int = 0
    day: int = 0
    weekday: int = -1
    year: int = 0
    year_offset: int | None = None
    offset: int = 0
    unit: str = ""
    rel: str = ""
    part: str = ""
    code: str = ""
    qualifier: str = ""
    anaphoric: bool = False


class _Reader:
    """Accessors over one match: the lowercased groups, and the original text for case checks."""

    def __init__(self, match: re.Match[str], text: str, rule: str) -> None:
        self.match, self.text, self.rule = match, text, rule

    def __call__(self, field: str) -> str:
        name = f"{self.rule}__{field}"
        if name not in self.match.re.groupindex:
            return ""
        found = self.match.group(name)
        return " ".join(found.split()) if found else ""

    def span(self, field: str) -> tuple[int, int]:
        name = f"{self.rule}__{field}"
        return self.match.span(name) if name in self.match.re.groupindex else (-1, -1)

    def capitalised(self, field: str) -> bool:
        start, _ = self.span(field)
        return start >= 0 and self.text[start].isupper()

    def before(self, width: int = _PREFIX_WINDOW) -> str:
        start = self.match.start()
        return self.text[max(0, start - width) : start]

    def after(self, width: int = 40) -> str:
        end = self.match.end()
        return self.text[end : end + width]


def _part(read: _Reader) -> str:
    part = read("part")
    if part in ("early", "mid", "late"):
        return part
    return {"end": "late", "beginning": "early", "start": "early", "middle": "mid"}.get(read("edge"), "")


def _weekday_ok(read: _Reader, standalone: bool) -> bool:
    return not read("wd") or standalone or read.capitalised("wd")


def parse(match: re.Match[str], rule: str, text: str, standalone: bool) -> Expr | None:
    """The :class:`Expr` for ``match`` of ``rule``, or None when the match is not a date here.

    ``standalone`` is set for :func:`resolve_expression`: the caller vouches that the string is a
    time expression, so the cues that guard running text (capitals, a preceding "in") are skipped.
    """
    read = _Reader(match, text, rule)
    handler = _HANDLERS[rule]
    return handler(read, standalone)


def _full_date(read: _Reader, standalone: bool) -> Expr | None:
    month = lexicon.month_number(read("m"))
    day = lexicon.ordinal_value(read("d")) if read("d") else None
    if month is None or day is None or not _weekday_ok(read, standalone):
        return None
    if not standalone and not read.capitalised("m"):
        return None
    date = periods.safe_date(int(read("y")), month, day)
    return Expr("absolute", "full-date", period=periods.day(date)) if date else None


def _iso(read: _Reader, standalone: bool) -> Expr | None:
    date = periods.safe_date(int(read("y")), int(read("m")), int(read("d")))
    return Expr("absolute", "iso-date", period=periods.day(date)) if date else None


def _numeric(read: _Reader, standalone: bool) -> Expr | None:
    first, second, year = int(read("a")), int(read("b")), int(read("y"))
    if first > 12 >= second:
        date = periods.safe_date(year, second, first)
    elif second > 12 >= first or first == second:
        date = periods.safe_date(year, first, second)
    else:  # 3/12/2015: day-first or month-first cannot be told apart
        return None
    return Expr("absolute", "numeric-date", period=periods.day(date)) if date else None


def _month_year(read: _Reader, standalone: bool) -> Expr | None:
    month = lexicon.month_number(read("m"))
    year = lexicon.year_value(read("y"))
    if month is None or year is None or (not standalone and not read.capitalised("m")):
        return None
    return Expr("absolute", "month-year", period=periods.month(year, month))


def _month_day(read: _Reader, standalone: bool) -> Expr | None:
    month = lexicon.month_number(read("m"))
    day = lexicon.ordinal_value(read("d") or read("o"))
    if month is None or day is None or not _weekday_ok(read, standalone):
        return None
    if not standalone and not read.capitalised("m"):
        return None
    if periods.safe_date(2000, month, day) is None:  # 2000 is a leap year: allows February 29
        return None
    weekday = lexicon.weekday_number(read("wd")) if read("wd") else None
    return Expr("month_day", "month-day", month=month, day=day, weekday=-1 if weekday is None else weekday)


def _month(read: _Reader, standalone: bool) -> Expr | None:
    name = read("m")
    month = lexicon.MONTHS[name]
    rel, part, year_word = read("rel"), _part(read), read("yr")
    if not standalone:
        if not read.capitalised("m"):
            return None
        cued = bool(rel or part or year_word or PRECEDING_CUE.search(read.before()))
        if not cued and (name in lexicon.AMBIGUOUS_MONTHS or _CAPITALISED_NEXT.match(read.after())):
            return None
    year_offset = {"this": 0, "last": -1, "next": 1}.get(year_word) if year_word else None
    return Expr("month", "month", month=month, rel=rel, part=part, year_offset=year_offset)


def _season(read: _Reader, standalone: bool) -> Expr | None:
    code = lexicon.SEASONS[read("s")]
    rel, part, year = read("rel"), _part(read), read("y")
    if year and lexicon.year_value(year):
        found = periods.season(lexicon.year_value(year) or 0, code)
        return Expr("absolute", "season-year", period=found, part=part)
    if not standalone and not (rel or part):
        cue = _FALL_CUE if code == "FA" else _SEASON_CUE
        before = read.before()
        if read.match.group(0).lower().startswith("the"):
            before += "the "
        if not cue.search(before) or re.match(r"\s+of\b", read.after()):
            return None
        if read.capitalised("s") and _CAPITALISED_NEXT.match(read.after()):  # "Summer Olympics"
            return None
    return Expr("season", "season", code=code, rel=rel, part=part)


def _quarter(read: _Reader, standalone: bool) -> Expr | None:
    year = read("y1") or read("fy") or read("y2")
    ordinal = read("q")
    if read("yago"):
        return Expr("quarter", "quarter-year-ago", rel="year-ago", anaphoric=True)
    if read("bare"):
        return Expr("quarter", "quarter-latest", rel="the", anaphoric=True)
    if read("rel2") in ("latest", "most recent"):
        return Expr("quarter", "quarter-latest", rel="latest")
    if not ordinal:
        return Expr("quarter", "quarter-relative", rel=read("rel2"))
    number = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[
        ordinal
    ]
    if year:
        return Expr("absolute", "quarter-year", period=periods.quarter(int(year), number))
    return Expr("quarter", "quarter-yearless", offset=number, rel=read("rel"))


def _half(read: _Reader, standalone: bool) -> Expr | None:
    number = 1 if read("h") == "first" else 2
    if read("y"):
        return Expr("absolute", "half-year", period=periods.half(int(read("y")), number))
    return Expr("half", "half-relative", offset=number, rel=read("rel"))


def _decade(read: _Reader, standalone: bool) -> Expr | None:
    if _DECADE_OWNER.search(read.before()):  # "in his late eighties" is an age
        return None
    if read("y"):
        first = int(read("y"))
    elif read("yy"):
        first = 1900 + 10 * int(read("yy"))
    else:
        if not standalone and not read.match.group(0).lower().startswith("the"):
            return None
        first = 1900 + 10 * lexicon.DECADE_WORDS[read("w")]
    return Expr("absolute", "decade", period=periods.decade(first), part=read("part"))


def _weekday(read: _Reader, standalone: bool) -> Expr | None:
    if not standalone and not read.capitalised("d"):
        return None
    if not standalone and _NEWSPAPER_AFTER.match(read.after()):
        return None
    rel = read("rel")
    if rel in ("early", "late", "earlier", "later"):
        rel = ""
    anaphoric = rel in ("previous", "following")
    return Expr("weekday", "weekday", weekday=lexicon.WEEKDAYS[read("d")], rel=rel, anaphoric=anaphoric)


_DEICTIC_OFFSET = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def _deictic(read: _Reader, standalone: bool) -> Expr | None:
    return Expr("deictic", "deictic", offset=_DEICTIC_OFFSET[read("w")])


def _anaphoric(read: _Reader, standalone: bool) -> Expr | None:
    words = read("w")
    if words in ("the day before", "the day after", "a day before", "a day after") and _AFTER_WORD.match(
        read.after()
    ):
        return None  # "the day after the attack": anchored on an event we do not date
    if any(w in words for w in ("previous", "preceding", "before", "earlier")) and "that day" not in words:
        offset = -1
    elif any(w in words for w in ("next", "following", "after", "later")) and "that day" not in words:
        offset = 1
    else:
        offset = 0
    return Expr("anaphoric", "anaphoric-day", offset=offset, unit="day", anaphoric=True)


def _relative(read: _Reader, standalone: bool) -> Expr | None:
    rel, unit, part = read("rel"), read("u"), _part(read)
    if rel == "the" and not (part or read("edge") or read("part") or unit == "weekend"):
        return None  # "the week", "the year": too vague alone
    qualifier = ""
    if read("part") == "earlier":
        qualifier = "earlier"
    elif read("part") == "later":
        qualifier = "later"
    return Expr(
        "relative",
        f"relative-{unit}",
        unit=unit,
        rel=rel,
        offset=_REL_OFFSET[rel],
        part=part,
        code=qualifier,
        anaphoric=rel in _ANAPHORIC_RELS,
    )


def _ago(read: _Reader, standalone: bool) -> Expr | None:
    if read("yago"):  # "year-earlier profit": the period just mentioned, a year before
        return Expr("ago", "year-ago", unit="year", offset=-1, anaphoric=True)
    direction = read("dir")
    if direction in ("before", "after") and _AFTER_WORD.match(read.after()):
        return None  # "two days after the attack"
    unit = read("u").rstrip("s")
    count = lexicon.number_value(read("n"))
    backwards = direction in ("ago", "earlier", "before", "back")
    anaphoric = direction in ("earlier", "later", "before", "after")
    if count is None:  # "a few years ago"
        return Expr("ref", "ago-vague", code="PAST_REF" if backwards else "FUTURE_REF")
    if count == 0 or count > 5000:
        return None
    return Expr(
        "ago",
        f"ago-{unit}",
        unit=unit,
        offset=-count if backwards else count,
        qualifier=_APPROX.get(read("q"), ""),
        anaphoric=anaphoric,
    )


def _holiday(read: _Reader, standalone: bool) -> Expr | None:
    if not standalone and not read.capitalised("n"):
        return None
    name = " ".join(read("n").replace("'", "").split())
    name = {
        "christmas day": "christmas",
        "thanksgiving day": "thanksgiving",
        "easter sunday": "easter",
        "new years day": "new years day",
        "new year day": "new years day",
        "new years eve": "new years eve",
        "new year eve": "new years eve",
    }.get(name, name)
    if read("y"):
        return Expr("holiday", "holiday", code=name, year=int(read("y")))
    return Expr("holiday", "holiday", code=name, rel=read("rel"))


def _year(read: _Reader, standalone: bool) -> Expr | None:
    year = lexicon.year_value(read("y"))
    if year is None:
        return None
    part = read("part")
    qualifier = {"pre": "before", "post": "after"}.get(part, "")
    if qualifier:
        part = ""
    spelled_unambiguous = read("y").startswith("nineteen")
    if not (
        standalone
        or part
        or qualifier
        or spelled_unambiguous
        or read("fiscal")
        or read.match.group(0).lower().startswith("the")
    ):
        if year < 1800 or year > 2099:
            return None
        after = read.after()
        if _COUNT_NOUN.match(after):
            return None
        if not (
            _YEAR_CUE.search(read.before())
            or _YEAR_FOLLOW.match(after)
            or _DETERMINER_BEFORE.search(read.before())
        ):
            return None
    rule = "fiscal-year" if read("fiscal") else "year"
    return Expr("absolute", rule, period=periods.year(year), part=part, qualifier=qualifier)


def _ref(read: _Reader, standalone: bool) -> Expr | None:
    words = read("w")
    if words.startswith("recent ") or words in (
        "recent days",
        "recent weeks",
        "recent months",
        "recent years",
    ):
        code = "PAST_REF"
    elif "future" in words or "coming" in words or words.endswith("term"):
        code = "FUTURE_REF"
        if words == "future" and not standalone:
            return None  # adjective: "future plans"
    else:
        code = _REF_WORDS.get(words, "")
        if not code:
            return None
        if words in _STANDALONE_REFS and not standalone:
            return None  # adjectives ("the current account") or words TimeML rarely marks in text
        if words == "current" and _CURRENT_UNIT.match(read.after()):
            return None  # "the current year" is a relative date, read from its unit word
        if words == "the past" and _PAST_SPAN.match(read.after()):
            return None  # "the past three years" is a duration
    return Expr("ref", "ref", code=code)


_HANDLERS = {
    "iso": _iso,
    "numeric": _numeric,
    "mdy": _full_date,
    "dmy": _full_date,
    "my": _month_year,
    "md": _month_day,
    "dm": _month_day,
    "quarter": _quarter,
    "half": _half,
    "decade": _decade,
    "season": _season,
    "weekday": _weekday,
    "deictic": _deictic,
    "anaphoric": _anaphoric,
    "relative": _relative,
    "ago": _ago,
    "holiday": _holiday,
    "month": _month,
    "year": _year,
    "ref": _ref,
}
