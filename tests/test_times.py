"""Date expressions resolved against the report's own date (triangulate.extract.times).

The seed cases come from /work/shared/seeds (see gold.json): "on Wednesday" in a report of
2015-12-03, "late last month" in one of 2017-10-03, "last week" = the week of the 2015-11-24
shoot-down, and so on. The rest pin the rules and the false positives they must avoid.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triangulate.extract.times import Anchor, TimeMention, find_times, parse_anchor, resolve_expression
from triangulate.records import TimeValue

NO_ANCHOR = Anchor(None, "unknown", "unknown")


def on(iso: str, source: str = "metadata") -> Anchor:
    """A day-precision anchor."""
    return Anchor(dt.date.fromisoformat(iso), "day", source)  # type: ignore[arg-type]


def resolve(expression: str, anchor: Anchor) -> TimeValue:
    found = resolve_expression(expression, anchor)
    assert found is not None, f"{expression!r} was not recognised"
    return found


def test_a_bare_weekday_in_a_report_of_a_known_week_is_that_weeks_day():
    week = Anchor(dt.date(2015, 11, 30), "week", "inferred")
    assert resolve("on Wednesday", week).value == "2015-12-02"
    assert resolve("last Wednesday", week).precision == "week", (
        "'last Wednesday' from an unknown day of the week stays open"
    )


def mentions(text: str, anchor: Anchor) -> list[tuple[str, str]]:
    return [(m.text, m.value.value) for m in find_times(text, anchor)]


# --- the seed reports ------------------------------------------------------------------------


def test_seed_001_on_wednesday_is_the_day_before_a_thursday_report() -> None:
    text = "MOSCOW -- The Islamic State group on Wednesday released a video in which a man confesses."
    (found,) = find_times(text, on("2015-12-03"))
    assert (found.text, found.value.value, found.value.precision) == ("Wednesday", "2015-12-02", "day")
    assert found.value.rule == "weekday-past"
    assert found.value.anchor == "2015-12-03"
    assert found.value.anchor_source == "metadata"


def test_seed_001_last_week_is_the_week_of_the_shoot_down() -> None:
    value = resolve("last week", on("2015-12-02"))
    assert (value.value, value.precision) == ("2015-W48", "week")
    assert value.start <= "2015-11-24" <= value.end
    assert (value.start, value.end) == ("2015-11-23", "2015-11-29")


def test_seed_004_late_last_month() -> None:
    value = resolve("late last month", on("2017-10-03"))
    assert (value.value, value.precision, value.qualifier) == ("2017-09", "month", "late")
    assert (value.start, value.end) == ("2017-09-21", "2017-09-30")


@pytest.mark.parametrize(
    "expression", ["Sept. 30", "September 30", "30 September", "on 30 September", "September 30th"]
)
def test_seed_air_strikes_began_september_30(expression: str) -> None:
    value = resolve(expression, on("2015-12-03"))
    assert (value.value, value.precision) == ("2015-09-30", "day")


def test_seed_mid_october() -> None:
    value = resolve("in mid-October", on("2015-12-03"))
    assert (value.value, value.precision, value.qualifier) == ("2015-10", "month", "mid")
    assert (value.start, value.end) == ("2015-10-11", "2015-10-20")


def test_seed_since_august_2014() -> None:
    value = resolve("since August 2014", on("2015-12-02"))
    assert (value.value, value.precision, value.qualifier) == ("2014-08", "month", "since")


def test_seed_in_january_is_the_january_before_the_report() -> None:
    assert resolve("In January", on("2015-12-02")).value == "2015-01"


def test_seed_may_8_two_days_before_the_report() -> None:
    assert resolve("May 8", on("2017-05-10")).value == "2017-05-08"


def test_seed_on_24_november() -> None:
    assert resolve("On 24 November", on("2015-12-03")).value == "2015-11-24"


def test_seed_byline_date_with_comma() -> None:
    value = resolve("03 December, 2015", NO_ANCHOR)
    assert (value.value, value.precision, value.rule) == ("2015-12-03", "day", "full-date")


def test_seed_durations_are_not_dates() -> None:
    text = (
        "Russia's Caucasus region has been hit by Islamist insurgencies for two decades. "
        "The 7 1/2-minute video shows the victim. Capt. Yevgeny Petrenko, 36, a 36-year-old officer. "
        "In the 42-second video, the siege had lasted three years. He appears in his late 20s. "
        "It killed all 224 people aboard."
    )
    assert mentions(text, on("2015-12-03")) == []


def test_seed_reports_resolve_their_key_dates(seeds_dir) -> None:  # type: ignore[no-untyped-def]
    expected = {
        "001_e3efae212fcaec45.txt": (
            "2015-12-03",
            {
                "Wednesday": "2015-12-02",
                "Sept. 30": "2015-09-30",
                "mid-October": "2015-10",
                "last week": "2015-W48",
            },
        ),
        "002_4f88fc381ee7461c.txt": (
            "2015-12-03",
            {"03 December, 2015": "2015-12-03", "30 September": "2015-09-30", "24 November": "2015-11-24"},
        ),
        "003_1048c76bb9b7de95.txt": (
            "2015-12-02",
            {
                "December 2": "2015-12-02",
                "August 2014": "2014-08",
                "September 30": "2015-09-30",
                "January": "2015-01",
            },
        ),
        "004_8f076bf850deafe9.txt": (
            "2017-10-03",
            {
                "today": "2017-10-03",
                "October 3": "2017-10-03",
                "late last month": "2017-09",
                "August": "2017-08",
            },
        ),
        "000_b39f6e965c1090b6.txt": (
            "2017-05-10",
            {"May 8": "2017-05-08", "April 3": "2017-04-03", "July 2016": "2016-07", "September": "2016-09"},
        ),
    }
    for name, (published, wanted) in expected.items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        found = {" ".join(words.split()): value for words, value in mentions(text, on(published))}
        for words, value in wanted.items():
            assert found.get(words) == value, f"{name}: {words!r} -> {found.get(words)!r}, want {value!r}"
        assert "two decades" not in found and "three years" not in found


def test_seed_000_with_a_month_precision_anchor_keeps_stated_days(seeds_dir) -> None:  # type: ignore[no-untyped-def]
    text = (seeds_dir / "000_b39f6e965c1090b6.txt").read_text(encoding="utf-8")
    found = dict(mentions(text, parse_anchor("2017-05", "month", "inferred")))
    assert found["May 8"] == "2017-05-08"
    assert found["April 3"] == "2017-04-03"


# --- one expression, one value ---------------------------------------------------------------

# (expression, anchor, value, precision)
CASES = [
    # weekdays: past-leaning, the anchor's own weekday is the anchor
    ("Wednesday", "2015-12-02", "2015-12-02", "day"),
    ("on Tuesday night", "2015-12-03", "2015-12-01", "day"),
    ("Friday morning", "2015-12-03", "2015-11-27", "day"),
    ("last Friday", "2015-12-04", "2015-11-27", "day"),
    ("next Monday", "2015-12-03", "2015-12-07", "day"),
    ("this Sunday", "2015-12-03", "2015-12-06", "day"),
    ("10 p.m. Wednesday", "2015-12-03", "2015-12-02", "day"),
    ("Wednesday, Dec. 2", "2015-12-10", "2015-12-02", "day"),
    ("Thursday, April 6", "2000-04-10", "2000-04-06", "day"),
    # deictic days
    ("today", "2017-10-03", "2017-10-03", "day"),
    ("yesterday", "2015-12-03", "2015-12-02", "day"),
    ("tomorrow", "2015-12-31", "2016-01-01", "day"),
    ("tonight", "2015-12-03", "2015-12-03", "day"),
    ("this morning", "2015-12-03", "2015-12-03", "day"),
    ("last night", "2015-12-03", "2015-12-02", "day"),
    ("late yesterday", "2015-12-03", "2015-12-02", "day"),
    ("the day before yesterday", "2015-12-03", "2015-12-01", "day"),
    ("the previous day", "2015-12-03", "2015-12-02", "day"),
    ("a day earlier", "2015-12-03", "2015-12-02", "day"),
    # yearless days: nearest, past-biased
    ("Dec. 2", "2015-12-03", "2015-12-02", "day"),
    ("April 3", "2017-05-10", "2017-04-03", "day"),
    ("Dec. 28", "2016-01-05", "2015-12-28", "day"),
    ("Jan. 14", "2000-01-06", "2000-01-14", "day"),
    ("Dec. 15", "1989-11-02", "1989-12-15", "day"),
    ("the 3rd of March", "2016-03-10", "2016-03-03", "day"),
    ("March eighth", "1998-03-04", "1998-03-08", "day"),
    ("Christmas", "2016-01-10", "2015-12-25", "day"),
    # full dates
    ("Dec. 3, 2015", "2020-01-01", "2015-12-03", "day"),
    ("December 3rd, 2015", "2020-01-01", "2015-12-03", "day"),
    ("3 Dec 2015", "2020-01-01", "2015-12-03", "day"),
    ("the 3rd of December 2015", "2020-01-01", "2015-12-03", "day"),
    ("Thursday, December 3, 2015", "2020-01-01", "2015-12-03", "day"),
    ("Wed, 02 Dec 2015", "2020-01-01", "2015-12-02", "day"),
    ("2015-12-03", "2020-01-01", "2015-12-03", "day"),
    ("2015/12/03", "2020-01-01", "2015-12-03", "day"),
    ("25/12/2015", "2020-01-01", "2015-12-25", "day"),
    ("12/25/2015", "2020-01-01", "2015-12-25", "day"),
    ("5/5/2015", "2020-01-01", "2015-05-05", "day"),
    # months
    ("July 2016", "2017-05-10", "2016-07", "month"),
    ("December of 2015", "2017-05-10", "2015-12", "month"),
    ("January nineteen ninety-seven", "1998-02-27", "1997-01", "month"),
    ("last month", "2015-12-03", "2015-11", "month"),
    ("next month", "2015-12-03", "2016-01", "month"),
    ("this month", "2015-12-03", "2015-12", "month"),
    ("earlier this month", "2015-12-03", "2015-12", "month"),
    ("late November", "2015-12-03", "2015-11", "month"),
    ("the end of November", "2015-12-03", "2015-11", "month"),
    ("last April", "1989-10-26", "1989-04", "month"),
    ("last December", "1989-12-10", "1988-12", "month"),
    ("next March", "2015-12-03", "2016-03", "month"),
    ("January this year", "1998-06-01", "1998-01", "month"),
    ("June last year", "1998-02-19", "1997-06", "month"),
    ("December", "2015-12-03", "2015-12", "month"),
    ("a month ago", "1989-10-26", "1989-09", "month"),
    ("two months ago", "2015-01-15", "2014-11", "month"),
    # weeks
    ("this week", "1990-08-15", "1990-W33", "week"),
    ("next week", "2015-12-03", "2015-W50", "week"),
    ("three weeks ago", "2015-12-03", "2015-W46", "week"),
    ("the weekend", "1990-08-13", "1990-W32-WE", "week"),
    ("last weekend", "2015-12-03", "2015-W48-WE", "week"),
    # seasons and quarters
    ("summer", "1989-10-26", "1989-SU", "season"),
    ("last fall", "1998-12-03", "1998-FA", "season"),
    ("this winter", "1999-02-10", "1998-WI", "season"),
    ("the summer of 1998", "2000-01-01", "1998-SU", "season"),
    ("the winter of nineteen ninety-four", "1998-02-23", "1994-WI", "season"),
    ("the third quarter", "1989-10-27", "1989-Q3", "season"),
    ("fourth-quarter", "1989-10-27", "1989-Q4", "season"),
    ("the third quarter of 1990", "1989-10-27", "1990-Q3", "season"),
    ("the 1988 second quarter", "1989-10-27", "1988-Q2", "season"),
    ("the quarter", "1989-11-02", "1989-Q3", "season"),
    ("the year-ago quarter", "1989-11-02", "1988-Q3", "season"),
    ("the current quarter", "1989-10-26", "1989-Q4", "season"),
    ("the first half of 1990", "1989-10-26", "1990-H1", "year"),
    # years and decades
    ("in 2015", "2017-01-01", "2015", "year"),
    ("2015", "2017-01-01", "2015", "year"),
    ("fiscal 1989", "1989-10-26", "1989", "year"),
    ("mid-1996", "2000-01-01", "1996", "year"),
    ("nineteen ninety-six", "1998-02-27", "1996", "year"),
    ("the year two thousand", "1998-02-27", "2000", "year"),
    ("this year", "2015-12-03", "2015", "year"),
    ("last year", "2015-12-03", "2014", "year"),
    ("next year", "2015-12-03", "2016", "year"),
    ("the current year", "1989-10-26", "1989", "year"),
    ("early next year", "1989-10-26", "1990", "year"),
    ("two years ago", "1998-02-27", "1996", "year"),
    ("more than a year ago", "1998-02-27", "1997", "year"),
    ("the 1990s", "2015-12-03", "199", "decade"),
    ("the '80s", "1998-01-01", "198", "decade"),
    ("the early 1980s", "1998-01-01", "198", "decade"),
    ("the nineties", "1998-01-01", "199", "decade"),
    # TimeML references
    ("now", "2015-12-03", "PRESENT_REF", "unknown"),
    ("currently", "2015-12-03", "PRESENT_REF", "unknown"),
    ("recently", "2015-12-03", "PAST_REF", "unknown"),
    ("in recent years", "2015-12-03", "PAST_REF", "unknown"),
    ("the past", "2015-12-03", "PAST_REF", "unknown"),
    ("the future", "2015-12-03", "FUTURE_REF", "unknown"),
    ("the near future", "2015-12-03", "FUTURE_REF", "unknown"),
    ("a few years ago", "2015-12-03", "PAST_REF", "unknown"),
]


@pytest.mark.parametrize("expression,anchor,value,precision", CASES, ids=[c[0] for c in CASES])
def test_resolve_expression(expression: str, anchor: str, value: str, precision: str) -> None:
    found = resolve(expression, on(anchor))
    assert (found.value, found.precision) == (value, precision), found


@pytest.mark.parametrize(
    "expression,qualifier",
    [
        ("since August 2014", "since"),
        ("from 2010", "since"),
        ("before Monday", "before"),
        ("by the end of the year", "before"),
        ("until last week", "before"),
        ("prior to 2015", "before"),
        ("after Sept. 30", "after"),
        ("around Nov. 1", "about"),
        ("about two years ago", "about"),
        ("early last month", "early"),
        ("in mid-October", "mid"),
        ("late 2015", "late"),
        ("on Wednesday", "on"),
        ("post-1959", "after"),
    ],
)
def test_qualifiers(expression: str, qualifier: str) -> None:
    assert resolve(expression, on("2015-12-03")).qualifier == qualifier


def test_interval_bounds() -> None:
    assert (resolve("early 2015", on("2016-01-01")).start, resolve("early 2015", on("2016-01-01")).end) == (
        "2015-01-01",
        "2015-04-30",
    )
    later = resolve("later this year", on("2015-06-10"))
    assert (later.value, later.start, later.end) == ("2015", "2015-06-10", "2015-12-31")
    earlier = resolve("earlier this month", on("2015-12-03"))
    assert (earlier.start, earlier.end) == ("2015-12-01", "2015-12-03")
    winter = resolve("winter 1994", on("2000-01-01"))
    assert (winter.start, winter.end) == ("1994-12-01", "1995-02-28")
    decade = resolve("the 1990s", on("2000-01-01"))
    assert (decade.start, decade.end) == ("1990-01-01", "1999-12-31")
    past = resolve("recently", on("2015-12-03"))
    assert (past.start, past.end, past.qualifier) == ("", "2015-12-03", "before")


def test_leap_day_without_a_year() -> None:
    assert resolve("Feb. 29", on("2017-03-10")).value == "2016-02-29"


def test_iso_week_year_at_new_year() -> None:
    assert resolve("last week", on("2016-01-06")).value == "2015-W53"
    assert resolve("this week", on("2018-12-31")).value == "2019-W01"


@pytest.mark.parametrize(
    "expression",
    [
        "3/12/2015",
        "for two decades",
        "three years",
        "36-year-old",
        "7 1/2-minute video",
        "42-second video",
        "224 people",
        "at 3 pm",
        "the week",
        "2015-13-45",
        "Feb. 30",
        "",
        "   ",
    ],
)
def test_not_dates(expression: str) -> None:
    assert resolve_expression(expression, on("2015-12-03")) is None


# --- running text: spans and false positives ------------------------------------------------


def test_spans_exclude_prepositions_and_match_the_text() -> None:
    text = (
        "Russia on Sept. 30 launched airstrikes; since August 2014 he was in Syria, and late last month more."
    )
    found = find_times(text, on("2015-12-03"))
    assert [(m.text, text[m.start : m.end]) for m in found] == [
        ("Sept. 30", "Sept. 30"),
        ("August 2014", "August 2014"),
        ("late last month", "late last month"),
    ]
    assert [m.value.qualifier for m in found] == ["on", "since", "late"]


def test_mentions_are_in_order_and_do_not_overlap() -> None:
    text = "On Wednesday, Dec. 2, 2015, and again on Thursday, officials said the 1990s were over."
    found = find_times(text, on("2015-12-03"))
    assert [m.text for m in found] == ["Wednesday, Dec. 2, 2015", "Thursday", "the 1990s"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


@pytest.mark.parametrize(
    "text",
    [
        "The militants may have fled, officials said.",
        "Protesters will march on the capital.",
        "The Sun reported on the attack; the Sunday Times did too.",
        "It killed all 224 people aboard, and 2000 people fled.",
        "The fall of the city surprised analysts.",
        "He is in his eighties.",
        "Spring water was contaminated.",
        "Officials said March was a strong candidate.",
        "The Philippine Senate, the June Carter Cash trust and August Wilson's estate were named.",
        "They met two days after the attack.",
        "The current account deficit and future plans were discussed; previously he was a soldier.",
        "He left the room as soon as he could.",
        "The company earned 1,990 dollars; Flight 1549 landed; it costs $2015.",
        "Shots were fired in the 1900 block of Main Street. Call (404) 555-1234.",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert mentions(text, on("2015-12-03")) == []


def test_ambiguous_month_needs_a_cue() -> None:
    assert mentions("It happened in May.", on("2015-12-03")) == [("May", "2015-05")]
    assert mentions("It happened last March.", on("2015-12-03")) == [("last March", "2015-03")]
    assert mentions("Officials met in October.", on("2015-12-03")) == [("October", "2015-10")]


def test_year_in_running_text() -> None:
    text = "In 2015, after its 1990 invasion and the 1987 crash, the plan for 1995 was dropped."
    assert mentions(text, on("2015-12-03")) == [
        ("2015", "2015"),
        ("1990", "1990"),
        ("1987", "1987"),
        ("1995", "1995"),
    ]


def test_future_clause_resolves_forwards() -> None:
    text = "The minister will visit Moscow on Thursday. He visited Paris on Tuesday."
    assert mentions(text, on("2015-12-02")) == [("Thursday", "2015-12-03"), ("Tuesday", "2015-12-01")]
    assert mentions("Elections will be held in March.", on("2015-12-03")) == [("March", "2016-03")]


def test_resolve_expression_direction_future() -> None:
    assert resolve_expression("Thursday", on("1990-08-15"), direction="future").value == "1990-08-16"  # type: ignore[union-attr]
    assert resolve_expression("Thursday", on("1990-08-15")).value == "1990-08-09"  # type: ignore[union-attr]


def test_anaphora_counts_from_the_last_mentioned_date() -> None:
    text = "The attack came on Dec. 3, 2014. The previous day, police had raided a house. Two days later it was over."
    found = find_times(text, on("2015-12-03"))
    assert [(m.text, m.value.value) for m in found] == [
        ("Dec. 3, 2014", "2014-12-03"),
        ("The previous day", "2014-12-02"),
        ("Two days later", "2014-12-05"),
    ]
    assert found[1].value.rule.endswith("+ref")
    assert found[1].value.anchor == ""  # counted from the text, not from the report's date


def test_anaphora_from_a_quarter() -> None:
    text = "Profit in the third quarter rose to $5 million from $4 million a year earlier."
    assert mentions(text, on("1989-10-27")) == [
        ("the third quarter", "1989-Q3"),
        ("a year earlier", "1988-Q3"),
    ]


def test_anaphora_without_a_reference_uses_the_anchor() -> None:
    assert mentions("A day earlier, troops had left.", on("2015-12-03")) == [("A day earlier", "2015-12-02")]


def test_refs_can_be_left_out() -> None:
    text = "Fighting is now fierce and recently spread; on Wednesday it stopped."
    assert [m.value.value for m in find_times(text, on("2015-12-03"))] == [
        "PRESENT_REF",
        "PAST_REF",
        "2015-12-02",
    ]
    assert [m.value.value for m in find_times(text, on("2015-12-03"), include_refs=False)] == ["2015-12-02"]


def test_non_ascii_text_keeps_offsets() -> None:
    text = "İstanbul — ‘Saldırı’ on Wednesday in İzmir, then 30 September."
    found = find_times(text, on("2015-12-03"))
    assert [text[m.start : m.end] for m in found] == ["Wednesday", "30 September"]


def test_all_caps_text() -> None:
    assert mentions("THE ATTACK CAME ON WEDNESDAY, DEC. 2", on("2015-12-03")) == [
        ("WEDNESDAY, DEC. 2", "2015-12-02")
    ]


# --- anchors: unknown, coarse, inferred ------------------------------------------------------


def test_unknown_anchor_resolves_what_needs_no_anchor() -> None:
    assert resolve("in 2015", NO_ANCHOR).value == "2015"
    assert resolve("July 2016", NO_ANCHOR).value == "2016-07"
    assert resolve("Dec. 3, 2015", NO_ANCHOR).value == "2015-12-03"
    assert resolve("the 1990s", NO_ANCHOR).value == "199"


def test_unknown_anchor_keeps_month_and_day_of_yearless_dates() -> None:
    value = resolve("Sept. 30", NO_ANCHOR)
    assert (value.value, value.precision) == ("XXXX-09-30", "day")
    assert "no-anchor" in value.rule
    assert (value.start, value.end, value.anchor, value.anchor_source) == ("", "", "", "unknown")
    assert resolve("In January", NO_ANCHOR).value == "XXXX-01"
    assert resolve("Christmas", NO_ANCHOR).value == "XXXX-12-25"


@pytest.mark.parametrize(
    "expression", ["on Wednesday", "last week", "yesterday", "two days ago", "late last month"]
)
def test_unknown_anchor_leaves_relative_expressions_open(expression: str) -> None:
    value = resolve(expression, NO_ANCHOR)
    assert (value.value, value.precision, value.start, value.end) == ("", "unknown", "", "")
    assert value.rule.endswith("no-anchor")


def test_month_anchor_never_invents_a_day() -> None:
    anchor = parse_anchor("2017-05", "month", "inferred")
    value = resolve("on Wednesday", anchor)
    assert (value.value, value.precision) == ("2017-05", "month")
    assert "coarse-anchor" in value.rule
    assert value.start <= "2017-05-01" and value.end == "2017-05-31"
    assert (value.anchor, value.anchor_source) == ("2017-05", "inferred")
    assert resolve("yesterday", anchor).precision == "month"
    assert resolve("last week", anchor).precision == "month"


def test_month_anchor_keeps_what_it_can_tell() -> None:
    anchor = parse_anchor("2017-05", "month", "inferred")
    assert (resolve("last month", anchor).value, resolve("last month", anchor).precision) == (
        "2017-04",
        "month",
    )
    assert resolve("last year", anchor).value == "2016"
    assert resolve("May 8", anchor).value == "2017-05-08"
    assert resolve("earlier this month", anchor).value == "2017-05"


def test_year_anchor() -> None:
    anchor = parse_anchor("2017", "year", "inferred")
    assert (resolve("yesterday", anchor).value, resolve("yesterday", anchor).precision) == ("2017", "year")
    assert resolve("last year", anchor).value == "2016"
    assert resolve("in 2015", anchor).value == "2015"


def test_inferred_day_anchor_resolves_but_says_so() -> None:
    value = resolve("on Wednesday", on("2015-12-03", "inferred"))
    assert (value.value, value.anchor_source) == ("2015-12-02", "inferred")


@pytest.mark.parametrize(
    "published,precision,source,expected",
    [
        ("2015-12-03", "day", "byline", Anchor(dt.date(2015, 12, 3), "day", "byline")),
        ("2015-12-03T10:20:00Z", "", "metadata", Anchor(dt.date(2015, 12, 3), "day", "metadata")),
        ("2017-05", "", "inferred", Anchor(dt.date(2017, 5, 1), "month", "inferred")),
        ("2017-05-10", "month", "inferred", Anchor(dt.date(2017, 5, 1), "month", "inferred")),
        ("2017", "day", "metadata", Anchor(dt.date(2017, 1, 1), "year", "metadata")),
        ("2015-W49", "", "metadata", Anchor(dt.date(2015, 11, 30), "week", "metadata")),
        ("20151203", "unknown", "", Anchor(dt.date(2015, 12, 3), "day", "unknown")),
        ("", "", "", Anchor(None, "unknown", "unknown")),
        ("yesterday", "day", "metadata", Anchor(None, "unknown", "metadata")),
        ("2015-02-30", "day", "metadata", Anchor(None, "unknown", "metadata")),
        ("2015-12-03", "day", "rumour", Anchor(dt.date(2015, 12, 3), "day", "unknown")),
    ],
)
def test_parse_anchor(published: str, precision: str, source: str, expected: Anchor) -> None:
    assert parse_anchor(published, precision, source) == expected


def test_anchor_iso() -> None:
    assert parse_anchor("2017-05", "month", "inferred").iso() == "2017-05"
    assert on("2015-12-03").iso() == "2015-12-03"
    assert NO_ANCHOR.iso() == ""


# --- robustness and speed --------------------------------------------------------------------

_TIMEISH = st.sampled_from(
    [
        "on",
        "Wednesday",
        "Sept.",
        "30",
        "late",
        "last",
        "month",
        "May",
        "8",
        "2015",
        "the",
        "1990s",
        "ago",
        "two",
        "days",
        "-",
        ",",
        ".",
        "'",
        "/",
        "12",
        "3",
        "since",
        "August",
        "week",
        "year",
        "Q3",
        "quarter",
        "now",
        "\n",
        "İ",
        "ß",
        "ﬁ",
        "K",
        "noon",
        "p.m.",
        "earlier",
        "previous",
        "day",
        "fall",
        "of",
        "9999",
        "0000",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=300), st.lists(_TIMEISH, max_size=40).map(" ".join)),
    st.sampled_from(
        [
            on("2015-12-03"),
            on("0001-01-01"),
            on("9999-12-31"),
            NO_ANCHOR,
            parse_anchor("2017-05", "month", "inferred"),
            parse_anchor("2017", "year", "inferred"),
        ]
    ),
)
def test_find_times_never_raises_and_spans_are_exact(text: str, anchor: Anchor) -> None:
    found = find_times(text, anchor)
    previous_end = 0
    for mention in found:
        assert isinstance(mention, TimeMention)
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= previous_end
        previous_end = mention.end
    resolve_expression(text, anchor)


def test_speed_regression_guard() -> None:
    """A generous bound (measured: under 1 ms per 1,000 words of news on one core): it catches a
    scan that went quadratic or back to trying a big alternation at every position (about 15 ms),
    not the noise of a shared machine. The text has news density: about 20 dates per 1,000 words."""
    paragraph = (
        "MOSCOW -- The Islamic State group on Wednesday released a video in which a Russian-speaking man "
        "confesses to spying for Russia's security service and then is shown apparently being beheaded. "
        "The authenticity of the video or the claims in it could not immediately be confirmed and there was "
        "no comment from Russia's Foreign Ministry or its security service. There was also no indication when "
        "and where the video was produced. Russia on Sept. 30 launched airstrikes in Syria that it says are "
        "focused on fighters and the illegal oil trade that funds them. However, critics in both Syria and "
        "abroad claim that Russia is heavily targeting other rebel groups not affiliated with the group, in "
        "order to back up the forces of a longtime ally. The man says he traveled to Turkey and then was sent "
        "by a recruiter to Iraq, and had contacts with his handler, but was arrested. Turkey shot down a "
        "Russian warplane last week, and 224 people died when an airliner was bombed in mid-October. "
    )
    text = paragraph * 6  # about 1,100 words, 24 dates
    anchor = on("2015-12-03")
    assert len(find_times(text, anchor)) == 24
    best = min(_timed(lambda: find_times(text, anchor)) for _ in range(5))
    words = len(text.split())
    assert best / words * 1000 < 0.005, f"find_times took {best * 1000:.2f} ms for {words} words"


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    call()
    return time.perf_counter() - began
