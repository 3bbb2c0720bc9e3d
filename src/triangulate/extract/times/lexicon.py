"""Words the time patterns are built from: month, weekday, number, ordinal and season names.

Everything here is plain data; :mod:`.patterns` turns it into regular expressions once at import.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sept": 9,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# Month names that are also common English words or given names: a bare mention needs a cue
# ("in May", "last March") before it is taken as a date ("may have", "March on", "August Wilson").
AMBIGUOUS_MONTHS = frozenset({"may", "march", "august"})

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
# Abbreviations are only accepted as the prefix of a full date ("Wed., Dec. 2"): alone they are
# too often something else (the "Sun" newspaper, "wed", "sat").
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}

UNITS_NUMBERS: dict[str, int] = {
    "one": 1,
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
}
TENS_NUMBERS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}

SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

DECADE_WORDS: dict[str, int] = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def number_value(word: str) -> int | None:
    """Value of a small cardinal ("7", "a", "two", "twenty-five"); None for vague or unknown counts."""
    word = " ".join(word.lower().replace("-", " ").split())
    if word.isdecimal():  # not isdigit(): '²' is a digit that int() refuses
        return int(word)
    if word in ("a", "an", "one", "a single"):
        return 1
    if word in ("a couple of", "couple of", "a pair of"):
        return 2
    if word in UNITS_NUMBERS:
        return UNITS_NUMBERS[word]
    parts = word.split()
    if parts and parts[0] in TENS_NUMBERS:
        rest = parts[1:]
        if not rest:
            return TENS_NUMBERS[parts[0]]
        if len(rest) == 1 and rest[0] in UNITS_NUMBERS and UNITS_NUMBERS[rest[0]] < 10:
            return TENS_NUMBERS[parts[0]] + UNITS_NUMBERS[rest[0]]
    return None


def ordinal_value(word: str) -> int | None:
    """Value of a day ordinal ("30th", "thirtieth", "twenty-first"); None when not an ordinal."""
    word = word.lower().replace(" ", "-")
    digits = word.rstrip("stndrh")
    if digits.isdecimal():
        return int(digits)
    if word in ORDINALS:
        return ORDINALS[word]
    head, _, tail = word.partition("-")
    if head in TENS_NUMBERS and tail in ORDINALS and ORDINALS[tail] < 10:
        return TENS_NUMBERS[head] + ORDINALS[tail]
    return None


def month_number(word: str) -> int | None:
    """Month number of a full or abbreviated month name ("Sept." -> 9)."""
    key = word.lower().rstrip(".")
    return MONTHS.get(key) or MONTH_ABBREVIATIONS.get(key)


def weekday_number(word: str) -> int | None:
    """Python weekday (Monday = 0) of a full or abbreviated weekday name."""
    key = word.lower().rstrip(".")
    found = WEEKDAYS.get(key)
    return found if found is not None else WEEKDAY_ABBREVIATIONS.get(key)


def year_value(words: str) -> int | None:
    """A year written in digits or words ("1996", "nineteen ninety-six", "two thousand and one")."""
    words = " ".join(words.lower().replace("-", " ").split())
    if words.isdecimal():
        return int(words)
    if words.startswith("nineteen "):
        tens = number_value(words[len("nineteen ") :])
        return 1900 + tens if tens is not None and 10 <= tens <= 99 else None
    if words.startswith("two thousand"):
        rest = words[len("two thousand") :].strip().removeprefix("and").strip()
        units = number_value(rest) if rest else 0
        return 2000 + units if units is not None and units < 20 else None
    return None
