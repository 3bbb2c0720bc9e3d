"""Toponym name keys: diacritics, punctuation, transliteration variants and feature suffixes folded away.

Every name, in the gazetteer and in a query, gets two keys:

* ``strict``: casefolded, accents and punctuation removed, ``St.`` -> ``saint`` and the like, a leading
  ``the`` dropped. Two spellings with equal strict keys are the same written name.
* ``loose``: the strict key further stripped of Arabic article particles (``al-``, ``el-``, ``ez-``...),
  of a trailing feature word (``province``, ``oblast``, ``county``...) and of doubled letters, so that
  ``Deir al-Zor province``, ``Deir ez-Zor`` and ``Dayr az-Zor`` meet, and ``Raqa`` meets ``Raqqa``.

Gazetteer lookups go by the loose key; the strict key ranks the matches. A stripped suffix becomes a
feature ``hint`` (``"admin1"``, ``"admin2"``, ``"city"``) that the resolver prefers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters NFKD does not decompose into ASCII plus a combining mark.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ʼ": "",
        "ʻ": "",
        "ʿ": "",
        "ʾ": "",
        "’": "",
        "‘": "",
        "`": "",
        "´": "",
        "'": "",
    }
)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}
_ABBREVIATION = re.compile(r"\b(st|ste|mt|ft|pt) (?=\w)")
_POSSESSIVE = re.compile(r"(?:'s|’s)$")
_ARTICLE = re.compile(r"(?:^|(?<=\s))(?:al|el|ul|ez|ed|es|ad|adh|as|ash|an|ar|at|ath|az)\s+(?=\w{2})")
_SUFFIXES: dict[str, str] = {
    "province": "admin1",
    "governorate": "admin1",
    "oblast": "admin1",
    "region": "admin1",
    "state": "admin1",
    "krai": "admin1",
    "kray": "admin1",
    "prefecture": "admin1",
    "muhafazat": "admin1",
    "wilayat": "admin1",
    "county": "admin2",
    "co": "admin2",
    "parish": "admin2",
    "district": "admin2",
    "borough": "admin2",
    "city": "city",
    "town": "city",
    "village": "city",
    "township": "city",
    "twp": "city",
}
_SUFFIX = re.compile(r"\s+(" + "|".join(_SUFFIXES) + r")$")
_PREFIX = re.compile(
    r"^(?:(city|province|state|governorate|county|muhafazat|wilayat|republic) of\s+|(muhafazat|wilayat|mayorality of)\s+)"
)
_PUNCT = re.compile(r"[\W_]+")
_DOUBLE = re.compile(r"(\w)\1+")
# Words that alone never make a toponym ('West', 'Central', 'State'), though they occur in many.
GENERIC_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "upper",
        "lower",
        "new",
        "great",
        "greater",
        "middle",
        "old",
        "saint",
        "san",
        "santa",
        "mount",
        "fort",
        "lake",
        "river",
        "port",
        "centre",
        "center",
        "state",
        "city",
        "metro",
        "delta",
        "no",
        "district",
        "valley",
        "coast",
        "island",
        "town",
        "county",
        "province",
        "region",
        "capital",
        "downtown",
        "north west",
        "south west",
        "north east",
        "south east",
    }
)


@dataclass(frozen=True, slots=True)
class NameKey:
    """The normalised forms of one written name."""

    strict: str
    loose: str
    hint: str = ""


def fold(text: str) -> str:
    """Casefold, strip diacritics, punctuation and a leading article; expand St./Ste./Mt./Ft.

    >>> fold("Sharm el-Sheikh")
    'sharm el sheikh'
    """
    text = _POSSESSIVE.sub("", text.strip()).translate(_FOLD)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _PUNCT.sub(" ", text.casefold()).strip()
    text = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)] + " ", text)
    return text[4:] if text.startswith("the ") else text


def name_key(text: str) -> NameKey:
    """Both keys and the feature hint of a written name.

    >>> name_key("Deir al-Zor province")
    NameKey(strict='deir al zor province', loose='deir zor', hint='admin1')
    >>> name_key("Sharm al-Sheikh").loose == name_key("Sharm el-Sheikh").loose == "sharm sheikh"
    True
    """
    strict = fold(text)
    base, hint = strict, ""
    match = _SUFFIX.search(base)
    if match and len(base) > len(match.group(0)) + 1:
        hint = _SUFFIXES[match.group(1)]
        base = base[: match.start()]
    match = _PREFIX.match(base)
    if match and len(base) > len(match.group(0)) + 1:
        word = match.group(1) or match.group(2)
        hint = hint or ("city" if word == "city" else "admin2" if word == "county" else "admin1")
        base = base[match.end() :]
    loose = _ARTICLE.sub("", base).strip() or base
    loose = _DOUBLE.sub(r"\1", loose)
    return NameKey(strict, loose, hint)


def loose_key(text: str) -> str:
    """Only the lookup key of a name ('' when nothing is left)."""
    return name_key(text).loose
