"""Pure scoring helpers of ``gvc-fields`` / ``gvc-incidents``: people's names and ages, street locations, arrival
order and the naive NER baseline's fields.

Names follow ``../shared/checks/fields_eval.py``: a name is split into lower-case alphanumeric words; two names are
the same person when their last words (generational suffixes such as "Jr." dropped) are equal and, where both have
more than one word, so are their first words. A predicted "name" counts only when it has two capitalised words or
more ("a 24-year-old man" is a description, not a name). A gold name is *stated* by a text when its surname is one
of the text's words.

Street locations are compared as word sequences after folding case, accents and punctuation and writing street
suffixes, directions and small ordinals one way ("Street"/"St." -> ``st``, "North"/"N." -> ``n``, "Seventh" ->
``7th``; "Saint" also reads ``st``). The gold street is the GVA address without its house number or "N block of"
("200 block of Childers Drive" -> ``childers dr``); an intersection ("Laurel and Linden avenues") is its streets,
each of which must be found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

US_STATES = (
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "District of Columbia",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
)
_GENERATIONAL = {"jr", "sr", "ii", "iii", "iv"}
_STREET_WORDS = {
    "street": "st",
    "streets": "st",
    "saint": "st",
    "avenue": "ave",
    "avenues": "ave",
    "av": "ave",
    "road": "rd",
    "roads": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "terrace": "ter",
    "circle": "cir",
    "trail": "trl",
    "square": "sq",
    "expressway": "expy",
    "route": "rte",
    "mount": "mt",
    "fort": "ft",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}


def arrival_order(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents in the order they are fed to the pipeline: by publication date (``dct``), ties by ``doc_id``."""
    return sorted(records, key=lambda r: (str(r.get("dct") or ""), str(r.get("doc_id") or "")))


# -- names -------------------------------------------------------------------------------------------------------


def name_words(text: object) -> list[str]:
    """Lower-case alphanumeric words of a name or a text (the acceptance scorer's ``norm``)."""
    return re.sub(r"[^a-z0-9 ]+", " ", str(text).lower()).split()


def is_name(text: str) -> bool:
    """Two capitalised words or more: 'Erica Rodriguez' is a name, 'a man' and 'Rodriguez' are not."""
    return len([t for t in text.split() if t[:1].isupper()]) >= 2


def named(people: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The people (dicts with ``name``) whose name is a name in the sense of :func:`is_name`."""
    return [p for p in people if is_name(str(p.get("name") or "").strip())]


def same_person(pred: str, gold: str) -> bool:
    """Same surname and, where both have more than one word, the same first word."""
    p = [t for t in name_words(pred) if t not in _GENERATIONAL]
    g = [t for t in name_words(gold) if t not in _GENERATIONAL]
    if not p or not g or p[-1] != g[-1]:
        return False
    return p[0] == g[0] or len(p) == 1 or len(g) == 1


def stated(name: str, text_words: set[str]) -> bool:
    """The name's surname is one of the text's words (lower-cased, see :func:`name_words`)."""
    words = name_words(name)
    return bool(words) and words[-1] in text_words


@dataclass(frozen=True, slots=True)
class GoldPerson:
    """A GVA participant: name (may be empty) and age (None when not given)."""

    name: str
    age: int | None = None


def gold_people(gva: dict[str, Any], kind: str) -> tuple[GoldPerson, ...]:
    """The GVA participants of ``kind`` ('Victim' or 'Subject-Suspect'), values stripped."""
    out = []
    for p in gva.get("participants") or []:
        if str(p.get("Type") or "").strip().lower() == kind.lower():
            age = str(p.get("Age") or "").strip()
            out.append(GoldPerson(str(p.get("Name") or "").strip(), int(age) if age.isdigit() else None))
    return tuple(out)


@dataclass(slots=True)
class NameCounts:
    """Precision and recall counts of one role's names over many records."""

    predicted: int = 0
    right_predicted: int = 0
    gold: int = 0
    right_gold: int = 0

    def add(self, preds: Sequence[str], gold: Sequence[GoldPerson], text_words: set[str]) -> None:
        """Count one record: ``preds`` (names only) against the role's participants; recall over those whose
        surname the texts state, precision against all of the role's named participants."""
        names = [g.name for g in gold if g.name]
        said = [g for g in names if stated(g, text_words)]
        self.gold += len(said)
        self.right_gold += sum(1 for g in said if any(same_person(p, g) for p in preds))
        self.predicted += len(preds)
        self.right_predicted += sum(1 for p in preds if any(same_person(p, g) for g in names))

    @property
    def precision(self) -> float:
        """Share of predicted names that are participants of the role."""
        return self.right_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of stated participants found."""
        return self.right_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def age_hits(preds: Sequence[dict[str, Any]], gold: Sequence[GoldPerson]) -> tuple[int, int]:
    """(participants with an age that a predicted person matches, those among them whose age is right); the
    first matching predicted person gives the age."""
    n = hits = 0
    for g in gold:
        if g.age is None or not g.name:
            continue
        match = next((p for p in preds if same_person(str(p.get("name") or ""), g.name)), None)
        if match is None:
            continue
        n += 1
        try:
            hits += match.get("age") is not None and int(match["age"]) == g.age
        except (TypeError, ValueError):
            pass
    return n, hits


# -- street locations ----------------------------------------------------------------------------------------------


def address_words(text: str) -> list[str]:
    """Words of a street location or a text with case, accents and punctuation folded and street suffixes,
    directions and ordinals written one way ('202 Childers Dr.' -> ['202', 'childers', 'dr'])."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['\u2019]", "", text.replace("&", " and "))
    return [_STREET_WORDS.get(w, w) for w in re.sub(r"[^a-z0-9]+", " ", text).split()]


def gold_streets(address: str) -> list[list[str]]:
    """The street(s) of a GVA address as word sequences, house number and 'N block of' dropped:
    '200 block of Childers Drive' -> [['childers', 'dr']]; 'Laurel and Linden avenues' -> [['laurel'], ['linden', 'ave']]."""
    words = address_words(address)
    if len(words) > 1 and re.search(r"\d", words[0]):
        words = words[1:]
        if words[:2] in (["block", "of"], ["section", "of"]):
            words = words[2:]
    sides: list[list[str]] = [[]]
    for w in words:
        if w == "and":
            sides.append([])
        else:
            sides[-1].append(w)
    return [s for s in sides if s]


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    n = len(part)
    return n > 0 and any(list(words[i : i + n]) == list(part) for i in range(len(words) - n + 1))


def address_matches(pred: str | None, gold: str) -> bool:
    """Every street of the gold address occurs, as a word sequence, in the predicted street location."""
    streets = gold_streets(gold)
    words = address_words(pred or "")
    return bool(streets) and all(_contains(words, s) for s in streets)


def street_stated(gold: str, texts: Iterable[str]) -> bool:
    """The gold address has a street and one of the texts names it (every street of an intersection)."""
    streets = gold_streets(gold)
    if not streets:
        return False
    return any(all(_contains(words, s) for s in streets) for words in (address_words(t) for t in texts))


# -- the naive NER baseline ----------------------------------------------------------------------------------------


def first_state(gpes: Iterable[str]) -> str:
    """The first GPE that is a US state's name ('' when none is)."""
    names = {s.lower(): s for s in US_STATES}
    return next((names[g.strip().lower()] for g in gpes if g.strip().lower() in names), "")


def naive_date(expression: str | None, dct: str) -> str | None:
    """The ISO value of a DATE entity, resolved against the publication day by the pipeline's time normaliser
    (``resolve_expression``); None when it has no value."""
    from triangulate.extract.times.anchor import Anchor
    from triangulate.extract.times.finder import resolve_expression

    if not expression:
        return None
    try:
        anchor = Anchor(date.fromisoformat(dct[:10]))
    except ValueError:
        anchor = Anchor(None, "unknown", "unknown")
    value = resolve_expression(expression, anchor)
    return value.value if value is not None and value.value else None


def naive_fields(ents: Sequence[tuple[str, str]], dct: str) -> dict[str, Any]:
    """The naive NER baseline of one report from its entities (label, text) in text order: first PERSON =
    victim, second PERSON = suspect (as :func:`~triangulate.evaluate.roles.distinct_persons` orders them), first
    GPE = city, first GPE that is a US state = state, first DATE = date (see :func:`naive_date`)."""
    from triangulate.evaluate.roles import distinct_persons

    persons = distinct_persons(list(ents))
    gpes = [t for lab, t in ents if lab == "GPE"]
    first_date = next((t for lab, t in ents if lab == "DATE"), None)
    return {
        "date": naive_date(first_date, dct),
        "city": gpes[0] if gpes else "",
        "state": first_state(gpes),
        "victims": [{"name": n} for n in persons[:1]],
        "suspects": [{"name": n} for n in persons[1:2]],
    }
