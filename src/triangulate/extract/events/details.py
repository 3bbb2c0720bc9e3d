"""What a report says of its own incident beyond who did what: the city (the dateline's too), the street
location, the time of day and the weapons, each as a :class:`Detail` with its evidence span.

Everything here reads the report's text and the place mentions already found; nothing is corpus-specific.
The street and clock patterns follow US and UK newswire usage ("the 3300 block of North Butler Avenue",
"79 S. 5th Avenue", "East 34th Street and North Emerson Avenue", "around 11:45 a.m.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from triangulate.extract.context import DocContext
from triangulate.extract.places.aliases import US_STATE_ABBREVIATIONS
from triangulate.extract.times.patterns import WEEKDAY
from triangulate.records import Detail, Mention
from triangulate.tuning import tuned

_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|"
    r"Highway|Hwy|Terrace|Ter|Circle|Cir|Trail|Trl|Pike|Row|Square|Sq|Expressway|Freeway|Turnpike)\b\.?"
)
_DIRECTION = r"(?:(?:North|South|East|West|Northeast|Northwest|Southeast|Southwest|[NSEW]\.?|NE|NW|SE|SW)\s+)"
_WORD = r"(?:[A-Z0-9][\w'’.-]*)"
_STREET_NAME = rf"{_DIRECTION}?{_WORD}(?:\s+{_WORD}){{0,3}}"
_ORDINAL = r"\d+(?:st|nd|rd|th)"
_STREET = rf"(?:{_DIRECTION}?(?:{_WORD}\s+){{0,3}}{_SUFFIX}|{_DIRECTION}?{_ORDINAL}(?:\s+{_SUFFIX})?)"
_INTERSECTION_SIDE = rf"(?:{_DIRECTION}?(?:{_ORDINAL}|[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?(?:\s+{_SUFFIX})?)"
_STREETLIKE = re.compile(rf"\b(?:{_ORDINAL}|{_SUFFIX}|streets|avenues)|^{_DIRECTION}", re.I)
_ABBREVIATION = re.compile(r"^(?:[A-Z]|St|Ave|Rd|Dr|Blvd|Ln|Ct|Pl|Pkwy|Hwy|Ter|Cir|Trl|Sq|Mt|Ft|Jr|Sr)\.$")
_SUFFIX_WORDS = {
    "street",
    "avenue",
    "road",
    "drive",
    "boulevard",
    "lane",
    "way",
    "court",
    "place",
    "parkway",
    "highway",
    "terrace",
    "circle",
    "trail",
    "pike",
    "row",
    "square",
    "expressway",
    "freeway",
    "turnpike",
    "st.",
    "ave.",
    "rd.",
    "dr.",
    "blvd.",
    "ln.",
    "ct.",
    "pl.",
    "pkwy.",
    "hwy.",
    "st",
    "ave",
    "rd",
    "dr",
    "blvd",
}

BLOCK = re.compile(rf"\b\d{{1,6}}\s+block\s+of\s+(?:the\s+)?{_STREET_NAME}")
NUMBERED = re.compile(rf"\b\d{{1,6}}\s+{_DIRECTION}?(?:{_WORD}\s+){{0,3}}{_SUFFIX}")
INTERSECTION = re.compile(
    rf"\b(?:near|at|of|on)\s+(?P<v>{_INTERSECTION_SIDE}\s+(?:and|&)\s+{_INTERSECTION_SIDE})"
)
STREET = re.compile(rf"\b(?:on|along|at|onto|off)\s+(?P<v>{_STREET})")

CLOCK = re.compile(
    r"\b(?:(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?(?:[ap]\.\s?m\b\.?|[ap]m\b)|noon\b|midnight\b)", re.I
)
PART_OF_DAY = re.compile(
    rf"\b(?:(?:early|late|{WEEKDAY}|this|last|Christmas)\s+)(?P<part>morning|afternoon|evening|night)\b"
    r"|\b(?P<alone>overnight)\b",
    re.I,
)
_NOT_INCIDENT_TIME = re.compile(
    r"\b(?:press conference|news conference|vigil|hearing|court|funeral|service|memorial|"
    r"open|closes?|opens?|until|visiting|scheduled|will be held)\b",
    re.I,
)

_GUN_HEADS = (
    r"(?:handguns?|pistols?|revolvers?|rifles?|shotguns?|AR-15s?|AK-47s?|firearms?|Glocks?|assault weapons?|"
    r"BB guns?|pellet guns?|machine guns?|submachine guns?|semi-?automatic weapons?)"
)
_GUN_MODIFIERS = (
    r"(?:(?:\.\d{2,3}|\d{1,2}(?:\.\d+)?)[- ]?(?:caliber|calibre|mm|millimeter)\s+|(?:\.\d{2,3}|9mm)\s+|"
    r"(?:semi-?automatic|sawed-off|sawn-off|assault-style|high-powered|loaded|stolen|black|silver|small)\s+)"
)
WEAPON = re.compile(rf"\b{_GUN_MODIFIERS}*{_GUN_HEADS}(?![\w-])", re.I)
PLAIN_GUN = re.compile(
    r"\b(?:with|brandished|pulled|pointed|displayed|produced|waved|had|holding|carrying)\s+"
    r"(?:out\s+)?(?:a|an|his|her)\s+(?P<v>gun|knife)\b",
    re.I,
)

FOCUS_HEADLINE = tuned("extract.focus_headline")  # a city named in the headline, against 1 a body mention
FOCUS_FIRST = tuned("extract.focus_first")  # being the first city named
FOCUS_STATE_NAMED = tuned("extract.focus_state_named")  # a state named outright, against 1 a city or county
FOCUS_CITY_STATE = tuned("extract.focus_city_state")  # what the report's own city adds to its state
# How much a place mention counts by how NER read it: a surname read as a place weighs little (by reasoning).
_FOCUS_LABEL = {"GPE": 1.0, "LOC": 0.6, "FAC": 0.6, "ORG": 0.4, "PERSON": 0.2}
_DATELINE_LINES = 4  # the body's first lines searched for a dateline
_DATELINE_REACH = 300  # the longest line of page furniture before it
DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’\- ]{1,40}?[A-Z.])(?:,\s*(?P<state>[A-Z][A-Za-z.]{1,14}(?:\s[A-Z][a-z.]+)?))?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?:--|—|–|-|:)\s"
)


def city_of(text: str, ctx: DocContext) -> tuple[Detail | None, Detail | None]:
    """The city and state the report is about: its dateline first, else its first city-level place mention.

    A dateline's state abbreviation ("Ind.", "Calif.") names the state; a city named without one takes the
    admin1 region its gazetteer entry lies in.
    """
    body, match = _dateline(text, ctx)
    if match:
        city = _detail(match, "city", body, "city")
        state = None
        if match.group("state"):
            name = state_for_abbreviation(match.group("state"))
            state = (
                Detail(name, body + match.start("state"), body + match.end("state"), "admin1", name)
                if name
                else None
            )
        if state is None:
            state = _state_from_places(ctx, city.value)
        return city, state
    person_words = {
        w for m in ctx.mentions if m.kind == "person" and " " in m.value for w in m.value.casefold().split()
    }
    places = sorted(
        (
            m
            for m in ctx.mentions
            if m.kind == "place"
            and m.precision in ("city", "point")
            and not ctx.in_dateline(m.start)
            and not _person_name(m, person_words)
        ),
        key=lambda m: m.start,
    )
    if not places:
        return None, _state_focus(ctx, None, person_words)
    best = _focus(places, ctx.title_end)
    city = Detail(best.text, best.start, best.end, "city", best.value)
    return city, _state_focus(ctx, best, person_words)


def _focus(places: list[Mention], title_end: int) -> Mention:
    """The city a report keeps coming back to: each mention counts one (less where NER did not read it as a
    place), one in the headline counts more, the first one a little (ties go to the earliest), so a station's
    city named once or a surname read as a place does not outweigh the city the report is about."""
    votes = [
        (_city_key(m), m, _label_weight(m) * (1.0 + FOCUS_HEADLINE * (m.start < title_end))) for m in places
    ]
    return _vote([*votes, (_city_key(places[0]), places[0], FOCUS_FIRST)])[1]


def _city_key(m: Mention) -> str:
    return m.value or m.text.casefold()


def _state_focus(ctx: DocContext, city: Mention | None, person_words: set[str]) -> Detail | None:
    """The state the report's places agree on: a state named outright counts most, a county or a city for
    its state, the report's own city once more; so 'Eureka' read as California does not outvote 'Texas'
    named twice and 'Navarro County'."""
    votes: list[tuple[str, Mention, float]] = []
    for m in ctx.mentions:
        if m.kind != "place" or not m.value or m.precision not in ("admin1", "city", "point"):
            continue
        if _person_name(m, person_words) or ctx.in_dateline(m.start):
            continue
        if city is not None and m.attrs.get("country_code") != city.attrs.get("country_code"):
            continue
        named = m.precision == "admin1" and m.attrs.get("feature") != "ADM2"
        state = m.value if named else str(m.attrs.get("admin1") or "")
        if state:
            weight = _label_weight(m) * (FOCUS_STATE_NAMED if named else 1.0) + FOCUS_CITY_STATE * (m is city)
            votes.append((state, m, weight))
    if not votes:
        return None
    state, m = _vote(votes)
    return Detail(state, m.start, m.end, "admin1", state)


def _vote(votes: Iterable[tuple[str, Mention, float]]) -> tuple[str, Mention]:
    """The value with the most weight, and its first mention (ties go to the value named first)."""
    score: dict[str, float] = {}
    first: dict[str, Mention] = {}
    for value, m, weight in votes:
        first.setdefault(value, m)
        score[value] = score.get(value, 0.0) + weight
    value = max(first, key=lambda k: score[k])
    return value, first[value]


def _label_weight(m: Mention) -> float:
    return _FOCUS_LABEL.get(str(m.attrs.get("ner_label", "")), 0.5)


def address_of(text: str, ctx: DocContext) -> Detail | None:
    """The most specific street location: a block, a numbered address or an intersection (the first one the
    body gives), else a named street."""
    body = ctx.title_end
    found: list[Detail] = []
    for pattern, kind in ((BLOCK, "block"), (NUMBERED, "address"), (INTERSECTION, "intersection")):
        for m in pattern.finditer(text, body):
            value, at = _street_words(_value(m)), _start(m)
            if (
                kind == "intersection"
                and not all(_STREETLIKE.search(side) for side in re.split(r"\s+(?:and|&)\s+", value)[:1])
                and not _STREETLIKE.search(value)
            ):
                continue
            if kind == "address" and re.match(r"\d{4}\s", value) and not re.search(_SUFFIX, value[5:]):
                continue
            found.append(Detail(value, at, at + len(value), kind))
            break
    if found:
        return min(found, key=lambda d: d.start)
    for m in STREET.finditer(text, body):
        value, at = _street_words(_value(m)), _start(m)
        if len(value.split()) >= 2:
            return Detail(value, at, at + len(value), "street")
    return None


def times_of_day(text: str, ctx: DocContext) -> list[Detail]:
    """The clock time and the part of the day the report gives for its incident (the first of each in the body
    outside sentences about a vigil, a hearing or a press conference)."""
    out: list[Detail] = []
    for pattern, kind in ((CLOCK, "clock"), (PART_OF_DAY, "part-of-day")):
        for m in pattern.finditer(text, ctx.title_end):
            if _NOT_INCIDENT_TIME.search(_sentence(text, m.start())):
                continue
            if kind == "clock":
                out.append(Detail(m.group(0).strip(), m.start(), m.end(), kind, _clock_value(m.group(0))))
            else:
                group = "part" if m.group("part") else "alone"
                out.append(Detail(m.group(group), m.start(group), m.end(group), kind, m.group(group).lower()))
            break
    return out


def weapons_of(text: str, ctx: DocContext) -> list[Detail]:
    """The firearms (or, held in hand, the gun or knife) the report names, each kind once, in order."""
    seen: dict[str, Detail] = {}
    for pattern in (WEAPON, PLAIN_GUN):
        for m in pattern.finditer(text, ctx.title_end):
            value = _value(m)
            head = re.sub(r"s$", "", value.split()[-1].lower())
            if head not in seen:
                seen[head] = Detail(value, _start(m), _start(m) + len(value), "weapon", head)
    generic = {"firearm", "gun", "weapon"}
    specific = [d for d in seen.values() if d.normalized not in generic]
    return sorted(specific or list(seen.values()), key=lambda d: d.start)[:2]


# The postal codes aliases.py leaves out as ambiguous in running text are safe after a dateline's comma.
_DATELINE_POSTAL = {
    "IN": "Indiana",
    "OR": "Oregon",
    "ME": "Maine",
    "OK": "Oklahoma",
    "HI": "Hawaii",
    "OH": "Ohio",
    "LA": "Louisiana",
    "AL": "Alabama",
    "DE": "Delaware",
    "CO": "Colorado",
    "MA": "Massachusetts",
    "PA": "Pennsylvania",
    "GA": "Georgia",
    "WA": "Washington",
    "MO": "Missouri",
    "ID": "Idaho",
    "MT": "Montana",
    "DC": "District of Columbia",
    "D.C.": "District of Columbia",
}


def state_for_abbreviation(text: str) -> str:
    """The US state a dateline's second part names: 'Ind.' -> Indiana, 'MO' -> Missouri, 'Iowa' -> Iowa."""
    key = text.strip().rstrip(",")
    for state, abbreviations in US_STATE_ABBREVIATIONS.items():
        if key.casefold() == state.casefold() or key in abbreviations or key.upper() in abbreviations:
            return state
    return _DATELINE_POSTAL.get(key.upper(), "")


def _value(m: re.Match[str]) -> str:
    return m.group("v") if "v" in m.re.groupindex else m.group(0)


def _start(m: re.Match[str]) -> int:
    return m.start("v") if "v" in m.re.groupindex else m.start()


def _body_start(text: str, ctx: DocContext) -> int:
    rest = text[ctx.title_end :]
    return ctx.title_end + len(rest) - len(rest.lstrip())


def _dateline(text: str, ctx: DocContext) -> tuple[int, re.Match[str] | None]:
    """The dateline opening the body, or one of its first lines after page furniture ('(WISH Photo)',
    'Follow CBSMIAMI.COM: Facebook | Twitter'): the offset its line starts at and the match."""
    start = _body_start(text, ctx)
    for _ in range(_DATELINE_LINES):
        match = DATELINE.match(text[start : start + _DATELINE_REACH])
        if match and not _is_outlet(match.group("city")):
            return start, match
        end = text.find("\n", start, start + _DATELINE_REACH)
        if end < 0:
            break
        start = end + len(text[end:]) - len(text[end:].lstrip())
    return 0, None


def _is_outlet(word: str) -> bool:
    return len(word.replace(".", "")) <= 3 or word.strip().upper() in {
        "UPDATE",
        "BREAKING",
        "WATCH",
        "VIDEO",
        "PHOTOS",
    }


def _detail(match: re.Match[str], group: str, offset: int, precision: str, normalized: str = "") -> Detail:
    value = match.group(group)
    shown = value.title() if value.isupper() else value
    return Detail(
        shown, offset + match.start(group), offset + match.end(group), precision, normalized or shown
    )


def _state_from_places(ctx: DocContext, city: str) -> Detail | None:
    for m in ctx.mentions:
        if m.kind == "place" and m.text.casefold() == city.casefold() and m.attrs.get("admin1"):
            admin1 = str(m.attrs["admin1"])
            return Detail(admin1, m.start, m.end, "admin1", admin1)
    return _first_state(ctx)


def _first_state(ctx: DocContext) -> Detail | None:
    """The first state-level place; a county names the state it lies in."""
    for m in sorted(ctx.mentions, key=lambda m: m.start):
        if m.kind == "place" and m.precision == "admin1" and m.value:
            state = str(m.attrs.get("admin1") or "") if m.attrs.get("feature") == "ADM2" else m.value
            if state:
                return Detail(state, m.start, m.end, "admin1", state)
    return None


def _person_name(place: Mention, person_words: set[str]) -> bool:
    """A place mention that is a person's name ('Stewart' as a surname): a person the report names in full
    bears it."""
    return place.text.casefold() in person_words


def _street_words(value: str) -> str:
    """A street phrase up to its suffix ('Avenue') or a sentence's full stop, without trailing punctuation."""
    out: list[str] = []
    for word in value.split():
        if word.endswith(".") and not _ABBREVIATION.match(word) and word.lower() not in _SUFFIX_WORDS:
            out.append(word[:-1])
            break
        out.append(word)
        if word.lower().rstrip(",") in _SUFFIX_WORDS and len(out) > 1 and word.lower() not in ("st", "dr"):
            break
    return _trim(" ".join(out))


def _trim(value: str) -> str:
    value = value.rstrip(" ,;:")
    if value.endswith(".") and not re.search(
        r"\b(?:St|Ave|Rd|Dr|Blvd|Ln|Ct|Pl|Pkwy|Hwy|Ter|Cir|Trl|Sq|[NSEW])\.$", value
    ):
        value = value[:-1]
    return value


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
    end = text.find(". ", at)
    return text[start : end if end >= 0 else len(text)]


def _clock_value(text: str) -> str:
    """'11:45 a.m.' -> '11:45'; '9 p.m.' -> '21:00'; 'noon' -> '12:00'."""
    low = text.lower().replace(" ", "").replace(".", "")
    if low == "noon":
        return "12:00"
    if low == "midnight":
        return "00:00"
    m = re.match(r"(\d{1,2})(?::(\d\d))?([ap])m", low)
    if not m:
        return ""
    hour = int(m.group(1)) % 12 + (12 if m.group(3) == "p" else 0)
    return f"{hour:02d}:{m.group(2) or '00'}"
