"""Coverage-guided fuzzing (atheris/libFuzzer) of the date, number and toponym normalisers.

The first input byte picks a normaliser (and an anchor for the date resolver); the rest is the text.
Any exception, a span that does not index the text, a negative or inverted count, or a resolved date
that is not a real calendar date is a crash.

    .venv/bin/python fuzz/fuzz_normalisers.py -atheris_runs=200000
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["triangulate"]):
    from triangulate.extract.events.counts import find_counts, to_int
    from triangulate.extract.places import Gazetteer, name_key, resolve_toponyms
    from triangulate.extract.times import Anchor, find_times, parse_anchor, resolve_expression
    from triangulate.extract.times.lexicon import number_value, ordinal_value, year_value
    from triangulate.ingest.metadata import parse_date

ANCHORS = [
    Anchor(dt.date(2015, 12, 3)),
    Anchor(None, "unknown", "unknown"),
    Anchor(dt.date(1, 1, 1)),
    Anchor(dt.date(9999, 12, 31)),
    Anchor(dt.date(2017, 5, 1), "month", "inferred"),
    Anchor(dt.date(9999, 12, 27), "week"),
    Anchor(dt.date(2010, 1, 1), "decade"),
]
PRECISIONS = ["", "day", "week", "month", "season", "year", "decade", "unknown"]
_gazetteer: Gazetteer | None = None


def _check_dates(*isos: str) -> None:
    dates = [dt.date.fromisoformat(iso) for iso in isos if iso]
    if dates != sorted(dates):
        raise AssertionError(f"bounds out of order: {isos}")


def _times(text: str, choice: int) -> None:
    anchor = ANCHORS[choice % len(ANCHORS)]
    end = 0
    for mention in find_times(text, anchor):
        if (
            not (end <= mention.start < mention.end <= len(text))
            or text[mention.start : mention.end] != mention.text
        ):
            raise AssertionError(f"bad span {mention!r}")
        end = mention.end
        _check_dates(mention.value.start, mention.value.end)
    value = resolve_expression(text, anchor, direction="future" if choice & 8 else "past")
    if value is not None:
        _check_dates(value.start, value.end)


def _dates(text: str, choice: int) -> None:
    anchor = parse_anchor(text, PRECISIONS[choice % len(PRECISIONS)], "metadata")
    if anchor.date is not None and anchor.period() is None:
        raise AssertionError(f"anchor without a period: {anchor!r}")
    value, precision = parse_date(text)
    if value:
        parts = [int(p) for p in value.split("-")]
        dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
        if not value.isascii() or precision not in ("year", "month", "day"):
            raise AssertionError(f"bad metadata date {value!r} {precision!r}")


def _numbers(text: str, choice: int) -> None:
    for count in find_counts(text, choice):
        if not 0 <= count.low <= count.high or text[count.start - choice : count.end - choice] != count.text:
            raise AssertionError(f"bad count {count!r}")
    for value in (to_int(text), number_value(text), ordinal_value(text), year_value(text)):
        if value is not None and value < 0:
            raise AssertionError(f"negative number {value} for {text!r}")


def _toponyms(text: str, choice: int) -> None:
    global _gazetteer
    name_key(text)
    if _gazetteer is None:
        _gazetteer = Gazetteer.load()
    names = text.split(",")[:6]
    places = resolve_toponyms(names, _gazetteer)
    if len(places) != len(names):
        raise AssertionError("one pick per name expected")
    for place in places:
        if place is not None and not (-90 <= place.latitude <= 90 and -180 <= place.longitude <= 180):
            raise AssertionError(f"bad place {place!r}")


TARGETS = [_times, _times, _dates, _numbers, _toponyms]


def test_one_input(data: bytes) -> None:
    """One fuzz input: the first byte picks the normaliser and its options, the rest is the text."""
    if not data:
        return
    fdp = atheris.FuzzedDataProvider(data[1:])
    text = fdp.ConsumeUnicodeNoSurrogates(len(data))
    TARGETS[data[0] % len(TARGETS)](text, data[0] // len(TARGETS))


SEEDS = [
    "Released on Wednesday, late last month, since August 2014.",
    "the third quarter of 1989, a year earlier",
    "2015-12-03",
    "9999-W52",
    "0001-01-15",
    "03 December, 2015",
    "Published: Sept. 30th 2015",
    "at least 12 people were killed and dozens wounded",
    "killing two to three civilians",
    "a man was shot and killed",
    "twenty-one",
    "nineteen ninety-six",
    "Deir al-Zor province, Syria, Raqqa",
    "Paris, Henry County, Texas",
]


def write_seeds(folder: Path) -> None:
    """Seed a corpus folder with news phrases, each once per normaliser."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, phrase in enumerate(SEEDS):
        for n in range(len(TARGETS)):
            # ConsumeUnicodeNoSurrogates reads one byte choosing the width, then the characters: 1 means ASCII.
            (folder / f"{i:02d}-{n}").write_bytes(bytes([n, 1]) + phrase.encode("ascii"))


def main() -> None:
    """Start libFuzzer with the command-line options (``-atheris_runs=N``, ``-max_len=N``, a corpus folder).

    ``--seed FOLDER`` first fills FOLDER with seed inputs (news phrases).
    """
    if len(sys.argv) > 2 and sys.argv[1] == "--seed":
        write_seeds(Path(sys.argv[2]))
        del sys.argv[1:3]
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
