"""Property-based fuzzing of the normalisers: dates (report anchors, metadata dates, time
expressions), numbers (casualty counts, number words) and toponyms (name keys, gazetteer lookups).

They never raise, their spans index the text they were given, resolved dates are real calendar
dates, counts are non-negative ranges, and a lookup gives None or a well-formed place.
Run deeper with ``TRIANGULATE_FUZZ_EXAMPLES=5000 pytest -m slow tests/test_fuzz_normalisers.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import get_args, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import DEPTHS, run_property
from triangulate.extract.events.counts import NUMBER_WORDS, VAGUE, find_counts, to_int
from triangulate.extract.places import Gazetteer, Place, country_for_demonym, fold, name_key, resolve_toponyms
from triangulate.extract.times import Anchor, find_times, parse_anchor, resolve_expression
from triangulate.extract.times.lexicon import number_value, ordinal_value, year_value
from triangulate.ingest.metadata import parse_date
from triangulate.records import Count, DateSource, Precision, TimeValue

PRECISIONS = set(get_args(Precision))
SOURCES = set(get_args(DateSource))
REFS = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}
COUNT_FIELDS = set(get_args(get_type_hints(Count)["field"]))
ISO_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")

# Words the date and count grammars react to, so that random sentences reach deep into the rules.
_TIME_WORDS = [
    "on",
    "in",
    "since",
    "before",
    "after",
    "until",
    "by",
    "around",
    "late",
    "early",
    "mid",
    "last",
    "next",
    "this",
    "the",
    "previous",
    "following",
    "ago",
    "earlier",
    "later",
    "Monday",
    "Wed.",
    "Sept.",
    "May",
    "December",
    "summer",
    "winter",
    "fall",
    "Q1",
    "Q4",
    "quarter",
    "half",
    "first",
    "second",
    "third",
    "fourth",
    "1990s",
    "'90s",
    "nineties",
    "twenties",
    "decade",
    "century",
    "year",
    "month",
    "week",
    "weekend",
    "day",
    "days",
    "night",
    "morning",
    "noon",
    "now",
    "recently",
    "future",
    "Christmas",
    "Easter",
    "Ramadan",
    "New",
    "Year's",
    "Eve",
    "two",
    "twenty-one",
    "a",
    "few",
    "several",
    "30th",
    "thirty-first",
    "1",
    "12",
    "29",
    "31",
    "32",
    "00",
    "0000",
    "0001",
    "1899",
    "2015",
    "9999",
    "10000",
    "2015-12-03",
    "2015-02-30",
    "9999-12-31",
    "03/12/2015",
    "12/31/9999",
    "1/1/0",
    "-",
    "–",
    "/",
    ",",
    ".",
    "'",
    "of",
    "and",
    "to",
    "or",
    "İ",
    "ß",
    "ﬁ",
    "K",
    "\n",
    "\u2028",
    "٣",
    "٢٠١٥",
]
_COUNT_WORDS = [
    "at",
    "least",
    "more",
    "than",
    "over",
    "nearly",
    "about",
    "some",
    "up",
    "to",
    "as",
    "many",
    "all",
    "a",
    "an",
    "one",
    "two",
    "twelve",
    "twenty",
    "hundred",
    "dozen",
    "dozens",
    "scores",
    "hundreds",
    "thousands",
    "several",
    "few",
    "couple",
    "of",
    "pair",
    "both",
    "0",
    "1",
    "7",
    "12",
    "1,000",
    "100,001",
    "99999999999999999999",
    "1,,,,",
    "٣",
    "-",
    "–",
    "or",
    "people",
    "civilians",
    "soldiers",
    "police",
    "children",
    "were",
    "was",
    "have",
    "been",
    "reportedly",
    "killed",
    "killing",
    "kills",
    "dead",
    "died",
    "wounded",
    "wounding",
    "injured",
    "hurt",
    "captured",
    "kidnapped",
    "abducted",
    "taken",
    "hostage",
    "arrested",
    "detained",
    "death",
    "toll",
    "rose",
    "stands",
    "at",
    "man",
    "woman",
    "teenager",
    "shot",
    "fatally",
    "and",
    "double",
    "triple",
    "homicide",
    "murder",
    ".",
    ";",
    ",",
    "\n",
]
_PLACE_WORDS = [
    "Deir",
    "al-Zor",
    "ez-Zor",
    "province",
    "Sharm",
    "el-Sheikh",
    "St.",
    "Mt.",
    "Petersburg",
    "Paris",
    "Texas",
    "Syria",
    "Syrian",
    "Russians",
    "Kurdish",
    "European",
    "the",
    "city",
    "of",
    "county",
    "Henry",
    "County",
    "Republic",
    "West",
    "Central",
    "New",
    "York",
    "SA",
    "OAS",
    "Raqa",
    "Raqqa",
    "Moscow",
    "region",
    "Dubai",
    "World",
    "Cup",
    "University",
    "California",
    "Ünïcödé",
    "ß",
    "İstanbul",
    "Łódź",
    "'s",
    "’s",
    "-",
    ".",
    "'",
    "al",
    "el",
    "ul",
    "",
    " ",
    "\t",
    "ﬁ",
    "Ⅻ",
    "東京",
    "القاهرة",
]


def sentences(words: list[str], max_words: int = 40) -> st.SearchStrategy[str]:
    """Random text, or random runs of the grammar's own words (which reach much further into the rules)."""
    return st.one_of(
        st.text(max_size=300),
        st.lists(st.sampled_from(words), max_size=max_words).map(" ".join),
        st.lists(st.one_of(st.sampled_from(words), st.text(max_size=6)), max_size=max_words).map(" ".join),
    )


ANCHORS = st.one_of(
    st.builds(Anchor, st.dates(), st.sampled_from(sorted(PRECISIONS)), st.sampled_from(sorted(SOURCES))),
    st.sampled_from(
        [
            Anchor(None, "unknown", "unknown"),
            Anchor(dt.date(1, 1, 1)),
            Anchor(dt.date(9999, 12, 31)),
            Anchor(dt.date(2015, 12, 3)),
            Anchor(dt.date(9999, 12, 27), "week"),
        ]
    ),
)


def check_time_value(value: TimeValue) -> None:
    """A resolved time is a real calendar stretch: ISO bounds in order, a known precision and qualifier."""
    assert isinstance(value, TimeValue)
    assert value.rule and value.qualifier
    assert value.precision in PRECISIONS, value
    if not value.value:  # with no anchor, 'Monday' is recognised but has no value
        assert value.rule.endswith("+no-anchor") and value.precision == "unknown", value
        return
    start = dt.date.fromisoformat(value.start) if value.start else None
    end = dt.date.fromisoformat(value.end) if value.end else None
    assert start is None or end is None or start <= end, value
    assert value.anchor_source in SOURCES, value
    assert not value.anchor or re.match(r"\d{3}", value.anchor), value  # a decade anchor is '201'
    if value.value in REFS:
        return
    assert re.match(r"\d{3}|XXXX", value.value), value  # 'XXXX-05': May of an unknown year
    if ISO_VALUE.fullmatch(value.value) and start is not None and end is not None:
        assert start.year <= int(value.value[:4]) <= end.year, value


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("examples", DEPTHS)
def test_find_times_spans_and_values(examples: int) -> None:
    @given(sentences(_TIME_WORDS), ANCHORS, st.booleans())
    def prop(text: str, anchor: Anchor, refs: bool) -> None:
        previous_end = 0
        for mention in find_times(text, anchor, include_refs=refs):
            assert previous_end <= mention.start < mention.end <= len(text)
            assert text[mention.start : mention.end] == mention.text
            previous_end = mention.end
            check_time_value(mention.value)
            if not refs:
                assert mention.value.value not in REFS

    run_property(prop, examples)


@pytest.mark.parametrize("examples", DEPTHS)
def test_resolve_expression_gives_none_or_a_sane_value(examples: int) -> None:
    @given(sentences(_TIME_WORDS, max_words=8), ANCHORS, st.sampled_from(["past", "future"]))
    def prop(text: str, anchor: Anchor, direction: str) -> None:
        value = resolve_expression(text, anchor, direction=direction)  # type: ignore[arg-type]
        if value is not None:
            check_time_value(value)

    run_property(prop, examples)


_PUBLISHED = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda y, m, d, tail: f"{y}-{m}-{d}{tail}",
        st.integers(-5, 12000),
        st.integers(-1, 14),
        st.integers(-1, 40),
        st.sampled_from(["", "T10:00:00Z", " 10:00", "T", "x"]),
    ),
    st.builds(lambda y, w: f"{y:04d}-W{w:02d}", st.integers(0, 9999), st.integers(0, 60)),
    st.from_regex(r"\s*\d{4}(-?W\d{2}|-?\d{2}(-?\d{2})?)?([T ].{0,10})?\s*", fullmatch=True),
)


@pytest.mark.parametrize("examples", DEPTHS)
def test_parse_anchor_never_raises(examples: int) -> None:
    @given(
        _PUBLISHED,
        st.one_of(st.sampled_from(sorted(PRECISIONS)), st.text(max_size=8)),
        st.one_of(st.sampled_from(sorted(SOURCES)), st.text(max_size=8)),
    )
    def prop(published: str, precision: str, source: str) -> None:
        anchor = parse_anchor(published, precision, source)
        assert anchor.precision in PRECISIONS and anchor.source in SOURCES
        if anchor.date is None:
            assert not anchor.known and anchor.iso() == ""
        else:
            period = anchor.period()
            assert period is not None and period.start <= anchor.date <= period.end
            assert anchor.iso() == period.value

    run_property(prop, examples)


@pytest.mark.parametrize("examples", DEPTHS)
def test_metadata_dates_are_real_iso_dates(examples: int) -> None:
    @given(st.one_of(_PUBLISHED, sentences(_TIME_WORDS, max_words=8)))
    def prop(text: str) -> None:
        value, precision = parse_date(text)
        if not value:
            assert precision == "unknown"
            return
        assert ISO_VALUE.fullmatch(value) and value.isascii(), value
        parts = [int(p) for p in value.split("-")]
        dt.date(parts[0], *(parts[1:] + [1, 1])[:2])  # a real calendar date, year 1 to 9999
        assert precision == {1: "year", 2: "month", 3: "day"}[len(parts)]

    run_property(prop, examples)


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("examples", DEPTHS)
def test_counts_are_non_negative_ranges_with_exact_spans(examples: int) -> None:
    @given(sentences(_COUNT_WORDS, max_words=30), st.integers(0, 10_000))
    def prop(sentence: str, offset: int) -> None:
        for count in find_counts(sentence, offset):
            assert count.field in COUNT_FIELDS, count
            assert 0 <= count.low <= count.high, count
            assert count.high <= 100_000 or count.vague, count  # nothing beyond the cap on a stated number
            assert offset <= count.start < count.end <= offset + len(sentence), count
            assert sentence[count.start - offset : count.end - offset] == count.text, count

    run_property(prop, examples)


@pytest.mark.parametrize("examples", DEPTHS)
def test_number_words_never_raise(examples: int) -> None:
    words = sorted(
        set(NUMBER_WORDS) | set(VAGUE) | {"twenty-one", "nineteen ninety-six", "two thousand and one", "30th"}
    )
    text = st.one_of(
        st.text(max_size=30),
        st.sampled_from(words),
        st.lists(st.sampled_from(words + ["-", " ", "and"]), max_size=4).map(" ".join),
    )

    @given(text)
    def prop(word: str) -> None:
        for value in (to_int(word), number_value(word), ordinal_value(word), year_value(word)):
            assert value is None or (isinstance(value, int) and value >= 0), (word, value)

    run_property(prop, examples)


# --- toponyms ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The gazetteer from the usual cache folder (built there on first use, about 10-20 s)."""
    return Gazetteer.load()


def check_place(place: Place | None) -> None:
    """None, or a place with a name, a point on the globe and a known precision."""
    if place is None:
        return
    assert isinstance(place, Place) and place.name
    assert -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180, place
    assert place.precision in {"city", "admin1", "country", "region"}, place
    assert place.population >= 0 and (place.country_code == "" or len(place.country_code) == 2), place


_TOPONYMS = st.one_of(st.text(max_size=40), st.lists(st.sampled_from(_PLACE_WORDS), max_size=5).map(" ".join))


@pytest.mark.parametrize("examples", DEPTHS)
def test_name_keys_never_raise(examples: int) -> None:
    @given(_TOPONYMS)
    def prop(name: str) -> None:
        key = name_key(name)
        assert key.strict == fold(name)
        assert key.hint in {"", "admin1", "admin2", "city"}
        assert not key.loose or key.loose.strip() == key.loose
        assert isinstance(country_for_demonym(name), str)

    run_property(prop, examples)


@pytest.mark.parametrize("examples", DEPTHS)
def test_gazetteer_lookups_give_none_or_a_valid_place(examples: int, gazetteer: Gazetteer) -> None:
    @given(
        st.lists(_TOPONYMS, max_size=6),
        st.sets(st.sampled_from(["US", "SY", "RU", "", "XX", "zz"]), max_size=2),
    )
    def prop(names: list[str], context: set[str]) -> None:
        for name in names:
            for match in gazetteer.matches(name):
                check_place(match.place)
            for place in gazetteer.candidates(name):
                check_place(place)
            check_place(gazetteer.demonym(name))
            check_place(gazetteer.country(name[:2].upper()))
        picks = resolve_toponyms(names, gazetteer, context_countries=context)
        assert len(picks) == len(names)
        for place in picks:
            check_place(place)

    run_property(prop, examples)
