"""Regression tests: each input here once crashed triangulate, or broke its one-line error contract,
when fuzzed (tests/test_fuzz_*.py with hypothesis, fuzz/ with atheris). Kept byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from triangulate.errors import FetchError
from triangulate.extract.events.counts import find_counts
from triangulate.extract.times import Anchor, find_times, parse_anchor, resolve_expression
from triangulate.extract.times.lexicon import number_value, ordinal_value, year_value
from triangulate.ingest import fetch
from triangulate.ingest.decode import decode_text, without_surrogates
from triangulate.ingest.metadata import parse_date
from triangulate.ingest.pipeline import ingest
from triangulate.ingest.readers.base import ReadContext, reader_for
from triangulate.records import RawDocument, Rejection
from triangulate.settings import Settings
from triangulate.store.db import Store

OFFLINE = ReadContext(settings=Settings(follow_feed_links=False))
REPORT = (
    "Bomb kills five in Peshawar market\n\n"
    "PESHAWAR -- A bomb hidden in a vegetable cart exploded in a crowded market on Tuesday, killing five "
    "people and wounding twelve, police said.\n"
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(host: str, port: int) -> list[str]:
        raise FetchError(f"cannot resolve host {host!r} (no network in tests)", "use canned responses")

    monkeypatch.setattr(fetch, "_resolve", refuse)


def read(tmp_path: Path, name: str, data: bytes, fmt: str) -> list[RawDocument | Rejection]:
    path = tmp_path / name
    path.write_bytes(data)
    records = list(reader_for(fmt).read(path, OFFLINE))
    for record in records:
        if isinstance(record, Rejection):
            assert record.reason and record.hint and "\n" not in record.line(), record
    return records


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "precision"),
    [
        ("9999-W52", ""),  # OverflowError: the ISO week starting 9999-12-27 ends in the year 10000
        ("9999-12-31", "week"),
        (
            "0001-01-15",
            "season",
        ),  # ValueError: the winter holding 0001-01-15 starts in December of the year 0
        ("0001", "decade"),  # ValueError: the decade of the year 1 starts in the year 0
    ],
)
def test_anchor_past_the_calendar_is_unknown(published: str, precision: str) -> None:
    anchor = parse_anchor(published, precision, "metadata")
    assert anchor == Anchor(None, "unknown", "metadata")
    assert find_times("Released on Wednesday, last week.", anchor)[0].value.rule.endswith("+no-anchor")


def test_unrepresentable_anchor_has_no_period_and_find_times_goes_on() -> None:
    # hypothesis: find_times('', Anchor(date(9999, 12, 27), 'week')) raised OverflowError.
    anchor = Anchor(dt.date(9999, 12, 27), "week")
    assert anchor.period() is None
    assert find_times("", anchor) == []
    assert resolve_expression("last week", anchor) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0000", ("", "unknown")),  # was ('0000', 'year'): no year 0
        ("000\u0660", ("", "unknown")),  # was ('000٠', 'year'): not ASCII, and the year 0 again
        ("2024-13", ("", "unknown")),  # was ('2024-13', 'month')
        ("2024-00", ("", "unknown")),
        ("0000-05", ("", "unknown")),
        ("\u0662\u0660\u0661\u0665", ("2015", "year")),  # Arabic-Indic digits: read, but stored as ASCII
        ("2015", ("2015", "year")),
        ("2015-03", ("2015-03", "month")),
        # was decimal.InvalidOperation from dateutil (found by fuzz/fuzz_normalisers.py)
        ('1815\x1fH6666666666666666666666666666666HHHHHHH-DM21"-83', ("", "unknown")),
    ],
)
def test_metadata_dates_are_real_and_ascii(text: str, expected: tuple[str, str]) -> None:
    assert parse_date(text) == expected


# --- numbers ------------------------------------------------------------------------------------


def test_range_beyond_the_cap_is_not_a_count() -> None:
    # Was Count(low=0, high=100001): the low end was capped at 100,000 and the high end was not.
    assert find_counts("0TO100001 ARRESTED") == []
    assert [(c.low, c.high) for c in find_counts("5 to 7 people were killed")] == [(5, 7)]


@pytest.mark.parametrize("word", ["\u00b2", "3\u00b2", "\u00b9st"])
def test_superscript_digits_are_not_numbers(word: str) -> None:
    # '²'.isdigit() is True but int('²') raises ValueError.
    assert number_value(word) is None
    assert ordinal_value(word) is None
    assert year_value(word) is None


# --- readers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("t.txt", "txt"), ("u.urls", "urls"), ("p.html", "html")])
def test_truncated_utf16_is_read_not_raised(tmp_path: Path, name: str, fmt: str) -> None:
    # UnicodeDecodeError: 'utf-16-le' codec can't decode byte 0x68 in position 2: truncated data
    assert decode_text(b"\xff\xfeh", "x") == "\ufffd"
    read(tmp_path, name, b"\xff\xfeh", fmt)


def test_field_names_in_hints_stay_on_one_line(tmp_path: Path) -> None:
    [rejection] = read(tmp_path, "fuzzed.json", b'{"\\n": ""}', "jsonl")
    assert isinstance(rejection, Rejection)
    assert rejection.hint == "map it with --map text=FIELD; fields here: '\\n'"


@pytest.mark.parametrize(
    "data",
    [
        # hypothesis: a guid with a line break
        b'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title></title><item><title>'
        b"</title><link>https://wire.example/a</link><guid>0\n0</guid><pubDate>Tue, 10 Jun 2014 04:00:00 GMT</pubDate>"
        b"<description></description><content:encoded></content:encoded></item></channel></rss>",
        # atheris: a link with a line break and a NUL
        b'<rss version="2.0"><channel><item><title></title><link>https://harborwire.exampl\n\x00</link></item></channel></rss>',
    ],
)
def test_feed_item_sources_stay_on_one_line(tmp_path: Path, data: bytes) -> None:
    records = read(tmp_path, "fuzzed.rss", data, "rss")
    assert records and all("\n" not in r.source and "\x00" not in r.source for r in records)


def test_feed_item_whose_body_is_a_whole_document_tag_is_read(tmp_path: Path) -> None:
    # hypothesis (rss-deep): content "<\x08HTML>" became "<HTML>", and lxml's fragment parser raised
    # AssertionError('too many bodies') out of the reader.
    data = (
        b'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title></title><item>'
        b"<title></title><link>https://wire.example/a</link><guid></guid><pubDate>Tue, 10 Jun 2014 04:00:00 GMT</pubDate>"
        b"<description></description><content:encoded><![CDATA[<\x08HTML>]]></content:encoded></item></channel></rss>"
    )
    records = read(tmp_path, "fuzzed.rss", data, "rss")
    assert records and all(isinstance(r, (RawDocument, Rejection)) for r in records)


def test_feed_with_a_nul_in_its_encoding_is_a_rejection(tmp_path: Path) -> None:
    # atheris: feedparser raised ValueError('embedded null character') looking up the codec 'utf-7\0'.
    data = b'<?xml version="1.0" encoding="utf-7\x00"?><rss version="2.0"><channel><item><title>x</title></item></channel></rss>'
    [rejection] = read(tmp_path, "fuzzed.rss", data, "rss")
    assert isinstance(rejection, Rejection) and rejection.reason.startswith("malformed feed (ValueError")


@pytest.mark.parametrize("data", [b'{"text": "\\ud800"}', b'{"text":"\\uD800"}'])
def test_lone_surrogates_from_json_are_replaced(tmp_path: Path, data: bytes) -> None:
    # A lone surrogate is valid JSON but not UTF-8: storing it raised UnicodeEncodeError for the whole batch.
    [doc] = read(tmp_path, "fuzzed.jsonl", data, "jsonl")
    assert isinstance(doc, RawDocument) and doc.text == "\ufffd"
    assert without_surrogates("a\udfffb") == "a\ufffdb"


def test_ingest_stores_json_with_lone_surrogates_and_the_file_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    record = {
        "id": "x\ud800",
        "title": "Bomb \ud83d kills five",
        "text": REPORT.replace("five", "five \udc00"),
    }
    (folder / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.json").write_text(json.dumps({"title": "Sidecar \udfff title"}), encoding="utf-8")
    with Store.open(tmp_path / "t.db") as store:
        report = ingest(store, [folder])
    assert report.added == 2 and not report.rejected
    with sqlite3.connect(tmp_path / "t.db") as conn:
        titles = sorted(row[0] for row in conn.execute("SELECT title FROM documents"))
    assert titles == ["Bomb \ufffd kills five", "Sidecar \ufffd title"]


_ARTICLE = "PESHAWAR -- A bomb hidden in a vegetable cart exploded in a crowded market on Tuesday, killing five people."


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        # atheris: a feed item whose link opens an IPv6 bracket; urlsplit raised ValueError('Invalid IPv6 URL').
        (
            "fuzzed.rss",
            f'<rss version="2.0"><channel><item><title>Bomb</title><link>https://[wire.example/a</link>'
            f"<description>&lt;p&gt;{_ARTICLE}&lt;/p&gt;</description></item></channel></rss>".encode(),
            "rss",
        ),
        (
            "fuzzed.jsonl",
            json.dumps(
                {
                    "url": "http://[x",
                    "html": f"<html><body><article><p>{_ARTICLE}</p></article></body></html>",
                }
            ).encode(),
            "jsonl",
        ),
    ],
)
def test_page_url_with_an_unclosed_ipv6_bracket(tmp_path: Path, name: str, data: bytes, fmt: str) -> None:
    [doc] = read(tmp_path, name, data, fmt)
    assert isinstance(doc, RawDocument) and _ARTICLE in doc.text


def test_feed_summary_with_control_characters_gives_text():
    """Found by the deep hypothesis run in CI: lxml refused a control character when setting a tail."""
    from triangulate.ingest.readers.feeds import fragment_text

    assert fragment_text("<p>Blast\x01 in Kohat</p><p>two\x0b killed</p>") == "Blast in Kohat\ntwo killed"
