"""Compiled patterns, built once at import: a head-word scan plus one alternation per head class.

All patterns run on the ASCII-lowercased text (same offsets). A cheap scan finds *head* words
(month and weekday names, "today", "week", a four-digit year...); only the rules of the head's
class are tried, anchored at the head and at the run of prefix words just before it ("late last"
before "month"). Trying one big alternation at every position instead costs over ten times more.
Within a class, rules are tried in order, so longer and more specific forms come first
("Wednesday, Dec. 2, 2015" before "Dec. 2" before "Wednesday"). Inner groups are named
``<rule>__<field>``; ``match.lastgroup`` is the rule that matched. Spans follow TimeML: they
exclude a leading preposition ("on", "since") but include modifiers ("late last month").
"""

from __future__ import annotations

import re

from triangulate.extract.times import lexicon

_MONTH_FULL = "|".join(lexicon.MONTHS)
_MONTH_ABBR = "|".join(sorted(lexicon.MONTH_ABBREVIATIONS, key=len, reverse=True))
MONTH_ANY = rf"(?:(?:{_MONTH_FULL})\b|(?:{_MONTH_ABBR})(?:\.|\b))"
MONTH_FULL = rf"(?:{_MONTH_FULL})\b"
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
WEEKDAY_ANY = rf"(?:{WEEKDAY}|(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?:\.|\b))"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"
YEAR = r"(?:1\d|20)\d\d(?!\d)"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_DIGIT_WORDS = "one|two|three|four|five|six|seven|eight|nine"
SPELLED_YEAR = (
    rf"(?:nineteen[-\s]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:{_DIGIT_WORDS})\b)?"
    rf"|(?:{_TEENS})\b)|two\s+thousand(?:\s+and)?(?:[-\s](?:{_TEENS}|{_DIGIT_WORDS})\b)?)"
)
YEAR_ANY = rf"(?:{YEAR}|{SPELLED_YEAR})"
_ORD_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
ORD_WORD = (
    rf"(?:(?:twenty|thirty)[-\s]?(?:{_ORD_UNITS})|{_ORD_UNITS}|tenth|eleventh|twelfth|thirteenth|fourteenth"
    r"|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)\b"
)
_UNITS_WORDS = "|".join(sorted(lexicon.UNITS_NUMBERS, key=len, reverse=True))
_TENS_WORDS = "|".join(lexicon.TENS_NUMBERS)
NUMBER = (
    rf"(?:\d{{1,3}}|(?:{_TENS_WORDS})(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b)?"
    rf"|(?:{_UNITS_WORDS})|an?|a\s+few|few|several|some|many|a\s+couple\s+of|couple\s+of|a\s+number\s+of)"
)
CLOCK = (
    r"(?:(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)|noon|midnight)"
    r"(?:\s+(?:[ecmp][sd]t|gmt|utc)\b)?)"
)
_TOD = r"(?:morning|afternoon|evening|night)\b"
_SEASON = r"(?:spring|summer|autumn|fall|winter)\b"
_QUARTER_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"


def _weekday_prefix(rule: str) -> str:
    return rf"(?:(?P<{rule}__wd>{WEEKDAY_ANY}),?\s+(?:the\s+)?)?"


_ALTERNATIVES: list[tuple[str, str]] = [
    (
        "iso",
        rf"(?<![\w/.-])(?P<iso__y>{YEAR})(?P<iso__sep>[-/])(?P<iso__m>\d\d)(?P=iso__sep)(?P<iso__d>\d\d)(?![\d/])",
    ),
    (
        "numeric",
        r"(?<![\w/.,-])(?P<numeric__a>\d{1,2})(?P<numeric__sep>[/.-])(?P<numeric__b>\d{1,2})(?P=numeric__sep)"
        rf"(?P<numeric__y>{YEAR})(?![/.-]?\d)",
    ),
    (
        "mdy",
        rf"{_weekday_prefix('mdy')}(?P<mdy__m>{MONTH_ANY})\s*(?P<mdy__d>{DAY})(?:,\s*|\s+)(?P<mdy__y>{YEAR})",
    ),
    (
        "dmy",
        rf"{_weekday_prefix('dmy')}(?<![\d.,$])(?:the\s+)?(?P<dmy__d>{DAY})\s+(?:of\s+)?(?P<dmy__m>{MONTH_ANY}),?\s*"
        rf"(?P<dmy__y>{YEAR})",
    ),
    ("my", rf"(?P<my__m>{MONTH_ANY}),?\s+(?:of\s+)?(?P<my__y>{YEAR_ANY})"),
    (
        "md",
        rf"{_weekday_prefix('md')}(?P<md__m>{MONTH_ANY})\s*(?P<md__d>{DAY}|{ORD_WORD})(?!\s*(?:%|percent))",
    ),
    (
        "dm",
        rf"{_weekday_prefix('dm')}(?<![\d.,$])(?:the\s+)?(?:(?P<dm__d>{DAY})\s+(?:of\s+)?|(?P<dm__o>{ORD_WORD})\s+of\s+)"
        rf"(?P<dm__m>{MONTH_ANY})",
    ),
    (
        "quarter",
        rf"(?:the\s+)?(?:(?P<quarter__y1>{YEAR})\s+|fiscal[-\s]+(?:(?P<quarter__fy>{YEAR})\s+)?)?"
        rf"(?:(?P<quarter__rel>this|last|next|current|latest|previous|prior|coming)\s+)?"
        rf"(?P<quarter__q>{_QUARTER_ORD})[-\s]+(?:fiscal\s+)?quarter\b(?:\s+of\s+(?:fiscal\s+)?(?P<quarter__y2>{YEAR}))?"
        rf"|(?:the\s+)?(?P<quarter__rel2>current|latest|most\s+recent|this|last|previous|prior|coming|next)\s+"
        r"(?:fiscal\s+)?quarter\b(?!-)"
        r"|(?:the\s+)?(?:comparable\s+|corresponding\s+|same\s+)?(?P<quarter__yago>year[-\s](?:ago|earlier))\s+"
        r"(?:fiscal\s+)?(?:quarter|period)\b|the\s+(?P<quarter__bare>quarter)\b(?!-)",
    ),
    (
        "half",
        rf"(?:the\s+)?(?P<half__h>first|second|last|latter)\s+half\s+(?:of\s+)?"
        rf"(?:(?:fiscal\s+)?(?P<half__y>{YEAR})|(?P<half__rel>this|last|next|the)\s+year\b)",
    ),
    (
        "decade",
        r"(?:the\s+)?(?:(?P<decade__part>early|mid|late)[-\s]+)?"
        r"(?:(?P<decade__y>(?:1\d|20)\d0)'?s\b|'(?P<decade__yy>\d)0s\b|(?P<decade__w>twenties|thirties|forties|fifties"
        r"|sixties|seventies|eighties|nineties)\b)",
    ),
    (
        "season",
        rf"(?:(?P<season__rel>this\s+past|last|this|next|coming|past)\s+)?(?:the\s+)?"
        rf"(?:(?P<season__part>early|mid|late)[-\s]+)?(?P<season__s>{_SEASON})(?:\s+(?:of\s+)?(?P<season__y>{YEAR_ANY}))?",
    ),
    (
        "weekday",
        rf"(?:(?P<weekday__clock>{CLOCK})\s+(?:on\s+)?)?(?:(?:the\s+)?(?P<weekday__rel>this\s+past|last|this|next|past"
        rf"|previous|following|coming|early|late|earlier|later)\s+)?(?P<weekday__d>{WEEKDAY})"
        rf"(?:\s+(?P<weekday__tod>{_TOD}))?",
    ),
    (
        "deictic",
        rf"(?:(?P<deictic__clock>{CLOCK})\s+)?(?:(?P<deictic__part>early|late|earlier|later)\s+)?"
        r"(?P<deictic__w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|yesterday"
        r"|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night)\b"
        rf"(?:\s+(?P<deictic__tod>{_TOD}))?",
    ),
    (
        "anaphoric",
        r"(?P<anaphoric__w>the\s+(?:previous|next|following|preceding|same)\s+(?:day|morning|night|evening)"
        r"|the\s+day\s+(?:before|after)|that\s+(?:same\s+)?(?:day|morning|night|evening)|later\s+that\s+day"
        r"|earlier\s+that\s+day|a\s+day\s+(?:earlier|later|before|after))\b",
    ),
    (
        "relative",
        r"(?:(?P<relative__part>early|mid|late|earlier|later)[-\s]+(?:in\s+)?)?"
        r"(?:(?:the\s+)?(?P<relative__edge>end|beginning|start|middle)\s+of\s+)?(?:the\s+)?"
        r"(?P<relative__rel>this\s+past|last|this|next|coming|current|previous|following|preceding|that|same|the)\s+"
        r"(?:fiscal\s+)?(?P<relative__u>weekend|week|month|year|decade)\b",
    ),
    (
        "ago",
        rf"(?:(?P<ago__q>about|almost|nearly|roughly|around|some|more\s+than|less\s+than|over|just|only|barely"
        rf"|exactly|approximately)\s+)?(?P<ago__n>{NUMBER})\s+(?P<ago__u>days?|weeks?|months?|years?|decades?)\s+"
        r"(?P<ago__dir>ago|earlier|later|before|after|from\s+now|hence|back)\b"
        r"|(?P<ago__yago>year-(?:ago|earlier))\b",
    ),
    (
        "holiday",
        r"(?:(?P<holiday__rel>this\s+past|last|this|next)\s+)?(?P<holiday__n>christmas\s+eve|christmas(?:\s+day)?"
        r"|new\s+year'?s'?\s+(?:day|eve)|thanksgiving(?:\s+day)?|easter(?:\s+(?:sunday|monday))?|good\s+friday)\b"
        rf"(?:,?\s+(?P<holiday__y>{YEAR}))?",
    ),
    (
        "month",
        rf"(?:(?P<month__rel>this\s+past|last|this|next|coming|past)\s+)?"
        rf"(?:(?P<month__part>early|mid|late)[-\s]+|(?:the\s+)?(?P<month__edge>end|beginning|start|middle)\s+of\s+)?"
        rf"(?P<month__m>{MONTH_FULL})(?:\s+(?P<month__yr>this|last|next)\s+year\b)?",
    ),
    (
        "year",
        r"(?<![\w$£€#./:,'-])(?:(?P<year__part>early|mid|late|pre|post)[-\s]+|(?P<year__fiscal>fiscal)\s+(?:year\s+)?"
        rf"|the\s+year\s+)?(?P<year__y>{YEAR}|{SPELLED_YEAR})(?![\w%]|[.,/-]\d|\s*(?:percent|per\s+cent)\b)",
    ),
    (
        "ref",
        r"(?P<ref__w>right\s+now|now|currently|current|at\s+present|presently|nowadays|these\s+days"
        r"|at\s+the\s+moment|more\s+recently|recently|lately|recent(?:\s+(?:days|weeks|months|years))?"
        r"|the\s+past|previously|formerly|the\s+(?:near\s+|distant\s+)?future|future|soon"
        r"|(?:the\s+)?coming\s+(?:days|weeks|months|years)|(?:the\s+)?(?:near|short|long)\s+term)\b",
    ),
]

# Which rules can contain a head word of each class, and how many words a match may start
# before its head ("10:30 p.m. EST on Wednesday" starts five words before the weekday).
_CLASS_RULES: dict[str, tuple[tuple[str, ...], int]] = {
    "month": (("mdy", "dmy", "my", "md", "dm", "month"), 5),
    "weekday": (("mdy", "dmy", "md", "dm", "weekday", "holiday"), 8),
    "deictic": (("deictic",), 6),
    "tod": (("deictic", "anaphoric"), 3),
    "unit": (("deictic", "anaphoric", "relative", "ago", "quarter", "holiday", "half", "ref"), 6),
    "quarter": (("quarter",), 6),
    "half": (("half",), 3),
    "season": (("season",), 4),
    "holiday": (("holiday",), 2),
    "ref": (("ref",), 2),
    "decade": (("decade",), 3),
    "year": (("iso", "numeric", "quarter", "half", "decade", "year"), 4),
}
_BODIES = dict(_ALTERNATIVES)
CLASS_PATTERNS: dict[str, tuple[re.Pattern[str], int, tuple[str, ...]]] = {
    cls: (re.compile(r"\b(?:" + "|".join(f"(?P<{r}>{_BODIES[r]})" for r in rules) + ")"), lookback, rules)
    for cls, (rules, lookback) in _CLASS_RULES.items()
}
# Each rule alone, for when the class pattern's first match is turned down by its rule's guard and
# the later rules must be tried at the same start ("the year" refused, "the year-ago period" taken).
RULE_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"\b(?P<{name}>{body})") for name, body in _ALTERNATIVES
}

_HEAD_WORDS: dict[str, str] = {
    **{w: "month" for w in (*lexicon.MONTHS, *lexicon.MONTH_ABBREVIATIONS)},
    **{w: "weekday" for w in lexicon.WEEKDAYS},
    **{w: "deictic" for w in ("today", "tonight", "yesterday", "tomorrow")},
    **{w: "tod" for w in ("morning", "afternoon", "evening", "night")},
    **{
        w: "unit"
        for w in (
            "day",
            "days",
            "week",
            "weeks",
            "weekend",
            "weekends",
            "month",
            "months",
            "year",
            "years",
            "decade",
            "decades",
        )
    },
    "quarter": "quarter",
    "half": "half",
    **{w: "season" for w in lexicon.SEASONS},
    **{w: "holiday" for w in ("christmas", "thanksgiving", "easter")},
    **{
        w: "ref"
        for w in (
            "now",
            "currently",
            "current",
            "present",
            "presently",
            "nowadays",
            "moment",
            "recently",
            "recent",
            "lately",
            "past",
            "previously",
            "formerly",
            "future",
            "soon",
            "coming",
            "term",
        )
    },
    **{w: "decade" for w in lexicon.DECADE_WORDS},
    "nineteen": "year",
    "thousand": "year",
}


def _trie(words: list[str]) -> str:
    """A prefix-factored alternation: Python's re tries branches one by one, so sharing prefixes
    makes the scan over every word of a document several times cheaper than a flat list."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


# Head words, matched on the lowercased text with one space prepended: every time expression
# holds one. Each match starts with the (consumed) non-alphanumeric character before the head: a
# pattern that opens with a character class lets ``re`` skip letters fast, which makes this scan
# over the whole document about 2.5 times cheaper than one opening with a lookbehind.
HEADS = re.compile(
    r"[^a-z0-9](?:(?P<word>" + _trie(sorted(_HEAD_WORDS)) + r")(?![a-z])"
    r"|(?P<decade>(?:1\d|20)\d0'?s\b|'\d0s\b)"
    r"|(?<![.,$])(?P<year>(?:1\d|20)\d\d)(?!\d))"
)
# The word before a position, read on the reversed text: separator(s), then the word backwards.
PREVIOUS_WORD = re.compile(r"[^a-z0-9]{1,4}([a-z0-9]+)")
# Words that may stand before a head inside one expression ("the end of this past week",
# "10:30 p.m. EST on the previous Friday", "more than twenty-five years ago"). Only the run of
# such words just before a head is tried as a start.
PREFIX_WORDS = frozenset(
    {
        *lexicon.MONTHS,
        *lexicon.MONTH_ABBREVIATIONS,
        *lexicon.WEEKDAYS,
        *lexicon.WEEKDAY_ABBREVIATIONS,
        *lexicon.UNITS_NUMBERS,
        *lexicon.TENS_NUMBERS,
        *lexicon.ORDINALS,
        *lexicon.SEASONS,
        "the",
        "a",
        "an",
        "this",
        "last",
        "next",
        "past",
        "previous",
        "preceding",
        "following",
        "coming",
        "early",
        "mid",
        "late",
        "earlier",
        "later",
        "fiscal",
        "end",
        "beginning",
        "start",
        "middle",
        "of",
        "about",
        "almost",
        "nearly",
        "roughly",
        "around",
        "some",
        "more",
        "less",
        "than",
        "over",
        "just",
        "only",
        "barely",
        "exactly",
        "approximately",
        "that",
        "same",
        "current",
        "latest",
        "most",
        "recent",
        "comparable",
        "corresponding",
        "year",
        "ago",
        "right",
        "at",
        "these",
        "on",
        "near",
        "short",
        "long",
        "distant",
        "few",
        "several",
        "many",
        "couple",
        "number",
        "and",
        "pre",
        "post",
        "new",
        "good",
        "s",
        "p",
        "m",
        "am",
        "pm",
        "noon",
        "midnight",
        "est",
        "edt",
        "cst",
        "cdt",
        "mst",
        "mdt",
        "pst",
        "pdt",
        "gmt",
        "utc",
        "nineteen",
        "thousand",
        "twenty",
        "thirty",
    }
)


def head_class(match: re.Match[str]) -> str:
    """The class of a :data:`HEADS` match, which names the rules to try around it."""
    group = match.lastgroup
    if group == "word":
        return _HEAD_WORDS[match.group("word")]
    return group or "year"


# Cues read around a match. A preposition before an expression sets its qualifier ("since August 2014"); keyed by the
# words just before it, nearest first ("prior to" is ("to", "prior")).
QUALIFIER_WORDS: dict[tuple[str, ...], str] = {
    ("since",): "since",
    ("from",): "since",
    ("before",): "before",
    ("until",): "before",
    ("till",): "before",
    ("by",): "before",
    ("to", "prior"): "before",
    ("to", "up"): "before",
    ("than", "later", "no"): "before",
    ("after",): "after",
    ("following",): "after",
    ("than", "earlier", "no"): "after",
    ("around",): "about",
    ("about",): "about",
    ("approximately",): "about",
    ("circa",): "about",
    ("roughly",): "about",
}
PRECEDING_CUE = re.compile(
    r"\b(?:in|on|since|by|until|till|during|of|from|to|through|throughout|before|after|between"
    r"|early|mid|late|last|this|next|until|around|about|for|that|each|every|since|as\s+of|end\s+of"
    r"|beginning\s+of|middle\s+of)[\s-]+$",
    re.IGNORECASE,
)
# Opens with a character class (the non-letter before the cue) so that ``re`` skips letters fast.
FUTURE_CUE = re.compile(
    r"[^a-z](?:will|won't|shall|ll|going\s+to|(?:is|are)\s+(?:due|scheduled|expected|set|slated)\s+to"
    r"|(?:is|are|be)\s+scheduled|plans?\s+to|intends?\s+to|upcoming|next)\b"
)
