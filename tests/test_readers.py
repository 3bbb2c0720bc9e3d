"""Readers: HTML, JSONL/JSON, CSV/TSV, WARC, RSS/Atom and URL lists, on small realistic fixtures."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from triangulate.errors import FetchError
from triangulate.ingest import fetch
from triangulate.ingest.readers.base import FieldMap, ReadContext, detect_format, reader_for
from triangulate.ingest.readers.feeds import feed_to_raw, fragment_text
from triangulate.ingest.readers.html import html_to_raw
from triangulate.ingest.readers.urls import read_url_list
from triangulate.records import RawDocument, Rejection
from triangulate.settings import Settings

RES = Path(__file__).parent / "resources" / "readers"
OFFLINE = ReadContext(settings=Settings(follow_feed_links=False))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the network: any DNS lookup fails at once."""

    def refuse(host: str, port: int) -> list[str]:
        raise FetchError(f"cannot resolve host {host!r} (no network in tests)", "use canned responses")

    monkeypatch.setattr(fetch, "_resolve", refuse)


def read(
    path: Path, ctx: ReadContext = OFFLINE, fmt: str | None = None
) -> tuple[list[RawDocument], list[Rejection]]:
    records = list(reader_for(fmt or detect_format(path)).read(path, ctx))
    docs = [r for r in records if isinstance(r, RawDocument)]
    rejected = [r for r in records if isinstance(r, Rejection)]
    assert len(docs) + len(rejected) == len(records)
    for rejection in rejected:
        assert rejection.reason and rejection.hint, rejection
    return docs, rejected


# --- format detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.xhtml", "html"),
        ("a.html.gz", "html"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.jsonl.gz", "jsonl"),
        ("a.json", "jsonl"),
        ("a.csv", "csv"),
        ("a.tsv", "csv"),
        ("a.warc", "warc"),
        ("a.warc.gz", "warc"),
        ("a.arc.gz", "warc"),
        ("a.rss", "rss"),
        ("a.atom", "rss"),
        ("a.xml", "rss"),
        ("a.urls", "urls"),
    ],
)
def test_detect_format_by_name(tmp_path: Path, name: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    assert detect_format(path) == fmt


def test_txt_of_urls_is_sniffed_as_url_list(tmp_path: Path) -> None:
    # detect_format picks "txt" by suffix before sniffing; the lead is asked to sniff .txt content too.
    from triangulate.ingest.readers.base import _sniff

    path = tmp_path / "links.txt"
    path.write_text("https://a.example/1\nhttp://b.example/2\n")
    assert _sniff(path) == "urls"


# --- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "outlet", "published", "first_words"),
    [
        (
            "harbor_wire.html",
            "Gunmen abduct aid workers near Loralai",
            "Harbor Wire",
            "2024-05-07",
            "QUETTA, Pakistan",
        ),
        (
            "meridian_press.html",
            "Drone strike kills militants, residents say civilians died too",
            "Meridian Press",
            "2024-06-12",
            "PESHAWAR \u2014 A drone strike",
        ),
        (
            "daily_courier.htm",
            "Police post attacked in Kulachi, four officers killed",
            "The Daily Courier",
            "2024-04-22",
            "DERA ISMAIL KHAN: Four police officers",
        ),
    ],
)
def test_html_pages_give_main_text_and_metadata(
    name: str, title: str, outlet: str, published: str, first_words: str
) -> None:
    docs, rejected = read(RES / name)
    assert not rejected and len(docs) == 1
    doc = docs[0]
    assert doc.source == str(RES / name)
    assert doc.text.splitlines()[0] == title
    assert first_words in doc.text
    assert (doc.meta.title, doc.meta.outlet, doc.meta.published) == (title, outlet, published)
    assert doc.html.lstrip().lower().startswith("<!doctype html") or doc.html.lstrip().startswith("<html")
    for furniture in (
        "Most read",
        "All rights reserved",
        "Accept all",
        "Privacy policy",
        "Related stories",
        "Share on Facebook",
        "Comments (3)",
        "RIP to the brave",
        "Advertise",
        "Newsletters",
    ):
        assert furniture not in doc.text, furniture


def test_html_metadata_url_and_language() -> None:
    doc = read(RES / "harbor_wire.html")[0][0]
    assert doc.meta.url == "https://harborwire.example/world/2024/05/07/loralai-abduction"
    assert doc.meta.language == "en"


def test_html_meta_charset_is_respected() -> None:
    doc = read(RES / "meridian_press.html")[0][0]
    assert "\u201cThey were asleep when the missile hit,\u201d" in doc.text
    assert "military\u2019s media wing" in doc.text
    assert "\u00e2\u20ac" not in doc.text  # no UTF-8-read-as-cp1252 mojibake


def test_gzipped_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress((RES / "harbor_wire.html").read_bytes()))
    docs, _ = read(path)
    assert docs[0].meta.title == "Gunmen abduct aid workers near Loralai"


def test_html_without_article_is_a_rejection() -> None:
    page = "<html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav><script>var x=1;</script></body></html>"
    result = html_to_raw(page, "index.html")
    assert isinstance(result, Rejection)
    assert result.reason == "no article text found in the HTML" and result.hint


def test_html_to_raw_accepts_text_and_bytes_alike() -> None:
    raw = (RES / "harbor_wire.html").read_bytes()
    from_bytes = html_to_raw(raw, "x", "https://example.org/a")
    from_text = html_to_raw(raw.decode("utf-8"), "x", "https://example.org/a")
    assert isinstance(from_bytes, RawDocument) and isinstance(from_text, RawDocument)
    assert from_bytes.text == from_text.text
    assert from_bytes.meta.url == "https://example.org/a"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000),
        st.lists(
            st.sampled_from(
                [
                    "<p>",
                    "</p>",
                    "<div",
                    ">",
                    "<html>",
                    "<!--",
                    "<script>",
                    "&amp;",
                    "&#x0;",
                    "\x00",
                    "<title>",
                    "Bomb kills five.",
                    "<meta charset='bogus'>",
                    "<<",
                    "]]>",
                ]
            ),
            max_size=200,
        ).map("".join),
    )
)
def test_html_to_raw_never_raises(data: bytes | str) -> None:
    result = html_to_raw(data, "fuzz.html")
    assert isinstance(result, RawDocument | Rejection)
    if isinstance(result, Rejection):
        assert result.reason and result.hint


# --- JSON Lines and JSON ----------------------------------------------------------------------


def test_jsonl_good_and_bad_lines() -> None:
    path = RES / "articles.jsonl"
    docs, rejected = read(path)
    assert [d.meta.external_id for d in docs] == ["mp-101", "mp-102", "mp-105"]
    assert docs[0].source == f"{path}#mp-101"
    assert docs[0].meta.outlet == "Meridian Press" and docs[0].meta.published == "2024-07-02"
    assert docs[0].text.startswith("Mardan raid nets bomb plot suspects\n\nMARDAN --")
    lines = [r.line() for r in rejected]
    assert lines[0].startswith(f"{path}:3: invalid JSON (Expecting ',' delimiter)")
    assert rejected[1].source == f"{path}:4" and "not an object" in rejected[1].reason
    assert rejected[2].source == f"{path}:5" and rejected[2].reason == "no 'text' field"
    assert "--map text=FIELD" in rejected[2].hint and "fields here: id, title, body" in rejected[2].hint


def test_jsonl_html_field_goes_through_html_extraction() -> None:
    doc = read(RES / "articles.jsonl")[0][2]
    assert doc.text.startswith("Zhob rocket attack")
    assert "ZHOB -- Two rockets" in doc.text and "Home | World" not in doc.text
    assert doc.html


def test_field_map_renames_fields() -> None:
    ctx = ReadContext(
        settings=OFFLINE.settings,
        field_map=FieldMap.parse("text=content,published=dct,id=doc_id,title=headline"),
    )
    docs, rejected = read(RES / "mapped.ndjson", ctx)
    assert not rejected
    assert [(d.meta.external_id, d.meta.published, d.meta.title) for d in docs] == [
        ("7", "2024-06-13", "Sit-in continues in Bannu"),
        ("8", "2024-06-14", "Second day of talks"),
    ]
    assert docs[0].source == f"{RES / 'mapped.ndjson'}#7"


def test_raw_hash_is_canonical_json(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "Some report text.", "id": "1"}\n{ "id" : "1",  "text":"Some report text."}\n')
    docs, _ = read(path)
    assert docs[0].raw_hash == docs[1].raw_hash


def test_jsonl_gz_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(2000):
            fh.write(json.dumps({"id": i, "text": f"Report number {i} about an attack."}) + "\n")
        fh.write("{broken\n")
    docs, rejected = read(path)
    assert len(docs) == 2000 and docs[-1].source == f"{path}#1999"
    assert [r.source for r in rejected] == [f"{path}:2001"]


def test_jsonl_record_over_cap_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "small one"}) + "\n")
    ctx = ReadContext(settings=Settings(max_record_bytes=1000, follow_feed_links=False))
    docs, rejected = read(path, ctx)
    assert [d.text for d in docs] == ["small one"]
    assert rejected[0].source == f"{path}:1" and "max_record_bytes" in rejected[0].reason


def test_jsonl_with_bom_latin1_line_and_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps({"text": "caf\u00e9 bombing"}, ensure_ascii=False).encode()
        + b"\n"
        + '{"text": "Gare de Lyon: caf\u00e9 ferm\u00e9"}\n'.encode("latin-1")
        + b'{"text": "   "}\n{"text": 42}\n'
    )
    docs, rejected = read(path)
    assert [d.text for d in docs] == ["caf\u00e9 bombing", "Gare de Lyon: caf\u00e9 ferm\u00e9"]
    assert [r.reason for r in rejected] == ["empty 'text' field", "field 'text' is a int, not text"]


def test_utf16_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "u16.jsonl"
    path.write_bytes('{"text": "Zhob \u2014 rockets"}\n{"text": "second"}\n'.encode("utf-16"))
    docs, rejected = read(path)
    assert [d.text for d in docs] == ["Zhob \u2014 rockets", "second"] and not rejected


def test_json_file_list_object_and_jsonl_content(tmp_path: Path) -> None:
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([{"text": "first report", "id": "a"}, {"text": "second report"}, "oops"]))
    docs, rejected = read(listed)
    assert [d.source for d in docs] == [f"{listed}#a", f"{listed}#2"]
    assert rejected[0].source == f"{listed}[3]"
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"text": "only report", "title": "One"}))
    assert read(single)[0][0].text == "One\n\nonly report"
    lines = tmp_path / "lines.json"
    lines.write_text('{"text": "a report"}\n{"text": "b report"}\n')
    assert len(read(lines)[0]) == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"text": "a",\n "title": }')
    _, rejected = read(broken)
    assert rejected[0].source == f"{broken}:2" and rejected[0].reason.startswith("invalid JSON")


def test_gold_style_json_object_is_one_clean_rejection(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"format": "incident-gold/1", "documents": {}}))
    docs, rejected = read(path)
    assert not docs and len(rejected) == 1
    assert rejected[0].line() == (
        f"{path}: no 'text' field (map it with --map text=FIELD; fields here: format, documents)"
    )


# --- CSV / TSV --------------------------------------------------------------------------------


def test_csv_rows_with_multiline_field() -> None:
    path = RES / "articles.csv"
    docs, rejected = read(path)
    assert [d.source for d in docs] == [f"{path}#dc-1", f"{path}#dc-2"]
    assert "vegetable market,\nwhich killed eleven" in docs[0].text
    assert docs[0].meta.outlet == "The Daily Courier" and docs[0].meta.published == "2024-07-03"
    assert rejected[0].source == f"{path}:5" and rejected[0].reason == "empty 'text' field"


def test_tsv() -> None:
    docs, rejected = read(RES / "articles.tsv")
    assert len(docs) == 2 and not rejected


def test_csv_broken_quote_loses_only_that_row(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text(
        'id,text\n1,"first report, fine"\n2,"unclosed quote here\n3,third report\n4,"fourth"\n5,x,too many\n'
    )
    docs, rejected = read(path)
    assert [d.meta.external_id for d in docs] == ["1", "3", "4"]
    assert [r.source for r in rejected] == [f"{path}:3", f"{path}:6"]
    assert "quoting" in rejected[0].hint


def test_csv_huge_field_bom_and_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(b"\xef\xbb\xbfid;text\n1;" + b"y" * 200_000 + b"\n2;short\n")
    ctx = ReadContext(settings=Settings(max_record_bytes=100_000, follow_feed_links=False))
    docs, rejected = read(path, ctx)
    assert [d.text for d in docs] == ["short"] and rejected[0].source == f"{path}:2"
    big_ok = read(path)[0]  # the default cap is above csv's own 128 KB field limit
    assert len(big_ok[0].text) == 200_000
    legacy = tmp_path / "w.csv"
    legacy.write_bytes("id,text\n1,\u201cQuoted\u201d caf\u00e9 report\n".encode("cp1252"))
    assert read(legacy)[0][0].text == "\u201cQuoted\u201d caf\u00e9 report"


# --- WARC -------------------------------------------------------------------------------------


def _warc(path: Path, pages: list[tuple[str, str, bytes, str]], gz: bool = True) -> None:
    """Write a WARC with (uri, status line, body, content type) responses plus a request record."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for uri, status, body, ctype in pages:
            http = StatusAndHeaders(
                status, [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            )
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=req)
            )


def _pages() -> list[tuple[str, str, bytes, str]]:
    return [
        (
            "https://harborwire.example/a",
            "200 OK",
            (RES / "harbor_wire.html").read_bytes(),
            "text/html; charset=utf-8",
        ),
        (
            "https://harborwire.example/missing",
            "404 Not Found",
            b"<html><body>gone</body></html>",
            "text/html",
        ),
        ("https://harborwire.example/logo.png", "200 OK", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image/png"),
        (
            "https://meridianpress.example/b",
            "200 OK",
            (RES / "meridian_press.html").read_bytes(),
            "text/html",
        ),
        (
            "https://wire.example/plain",
            "200 OK",
            b"ZHOB -- Plain text report of a rocket attack.",
            "text/plain",
        ),
        (
            "https://wire.example/undated",
            "200 OK",
            b"<html><body><article><p>"
            + b"An undated report about a bombing in a market town. " * 5
            + b"</p></article></body></html>",
            "text/html",
        ),
    ]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_responses(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(path, _pages(), gz)
    docs, rejected = read(path)
    assert not rejected
    assert [d.meta.url for d in docs] == [
        "https://harborwire.example/a",
        "https://meridianpress.example/b",
        "https://wire.example/plain",
        "https://wire.example/undated",
    ]
    assert docs[0].source == f"{path}#https://harborwire.example/a"
    assert docs[0].meta.published == "2024-05-07"
    assert docs[2].text == "ZHOB -- Plain text report of a rocket attack."
    assert docs[3].meta.published == ""  # WARC-Date is crawl time, never the publication date


def test_truncated_warc_keeps_records_before_the_damage(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    _warc(path, _pages())
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.75)])
    docs, rejected = read(path)
    assert len(docs) >= 1 and docs[0].meta.url == "https://harborwire.example/a"
    assert len(rejected) == 1 and "truncated or corrupt WARC after" in rejected[0].reason


def test_warc_record_over_cap_and_archive_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    _warc(path, _pages())
    ctx = ReadContext(settings=Settings(max_record_bytes=1000, follow_feed_links=False))
    docs, rejected = read(path, ctx)
    assert {d.meta.url for d in docs} == {"https://wire.example/plain", "https://wire.example/undated"}
    assert all("max_record_bytes" in r.reason for r in rejected) and len(rejected) == 2
    empty = tmp_path / "e.warc.gz"
    _warc(empty, [_pages()[2]])
    docs, rejected = read(empty)
    assert not docs and "no HTML or text responses" in rejected[0].reason


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc"
    path.write_bytes(b"this is not an archive\n" * 10)
    docs, rejected = read(path)
    assert not docs and len(rejected) == 1 and rejected[0].reason == "not a WARC/ARC file"


# --- feeds ------------------------------------------------------------------------------------


def test_rss_items() -> None:
    path = RES / "harbor_wire.rss"
    docs, rejected = read(path)
    assert [d.meta.title for d in docs] == [
        "Bannu protest march met with tear gas",
        "Journalist shot dead in Khuzdar",
    ]
    first = docs[0]
    assert first.source == f"{path}#hw-2024-0611-bannu"
    assert first.text.startswith("Bannu protest march met with tear gas\n\nBANNU, Pakistan (Harbor Wire)")
    assert "14 protesters" in first.text  # content:encoded preferred over the short description
    assert first.meta.url == "https://harborwire.example/world/bannu-protest"
    assert first.meta.outlet == "Harbor Wire - World" and first.meta.published.startswith("Tue, 11 Jun 2024")
    assert "<p>" not in docs[1].text and "enforced disappearances" in docs[1].text
    assert rejected[0].source == f"{path}#hw-teaser" and rejected[0].reason == "feed item has no text"


def test_atom_entries() -> None:
    docs, rejected = read(RES / "northern_ledger.atom")
    assert not rejected
    assert [d.meta.published for d in docs] == ["2024-05-09T10:15:00Z", "2024-05-08T18:40:00Z"]
    assert docs[0].meta.outlet == "The Northern Ledger"
    assert docs[1].meta.url == "https://northernledger.example/2024/05/zhob-rocket"
    assert "wounding three soldiers" in docs[1].text


def test_feed_links_followed_through_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (RES / "harbor_wire.html").read_bytes()
    seen: list[str] = []

    def fake_send(client: httpx.Client, url: str) -> httpx.Response:
        seen.append(url)
        if url.endswith("bannu-protest"):
            return httpx.Response(200, content=page, headers={"content-type": "text/html; charset=utf-8"})
        return httpx.Response(503, content=b"down")

    monkeypatch.setattr(fetch, "_send", fake_send)
    monkeypatch.setattr(fetch, "_sleep", lambda s: None)
    ctx = ReadContext(settings=Settings(follow_feed_links=True, fetch_retries=0))
    docs, rejected = read(RES / "harbor_wire.rss", ctx)
    assert docs[0].text.startswith("Gunmen abduct aid workers near Loralai")  # the fetched page
    assert docs[0].meta.published.startswith("Tue, 11 Jun 2024")  # the item's date wins
    assert "enforced disappearances" in docs[1].text  # fetch failed: the item's own text is used
    assert len(seen) == 3 and len(rejected) == 1


def test_feed_reader_never_fetches_when_not_following(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(client: httpx.Client, url: str) -> httpx.Response:
        raise AssertionError(f"fetched {url}")

    monkeypatch.setattr(fetch, "_send", boom)
    assert len(read(RES / "northern_ledger.atom")[0]) == 2


def test_malformed_feed_is_a_rejection(tmp_path: Path) -> None:
    path = tmp_path / "bad.rss"
    path.write_text("<?xml version='1.0'?><rss><channel><title>x</ti")
    docs, rejected = read(path)
    assert not docs and rejected[0].reason.startswith("malformed feed")
    empty = list(feed_to_raw(b"<rss version='2.0'><channel></channel></rss>", "f", OFFLINE))
    assert isinstance(empty[0], Rejection) and empty[0].reason == "feed has no items"


def test_fragment_text() -> None:
    assert fragment_text("<p>One <b>two</b></p><p>Three<br>four</p>") == "One two\nThree\nfour"


# --- URL lists --------------------------------------------------------------------------------

CANNED = {
    "https://harborwire.example/a": (
        200,
        "text/html; charset=utf-8",
        (RES / "harbor_wire.html").read_bytes(),
    ),
    "https://northernledger.example/feed": (
        200,
        "application/atom+xml",
        (RES / "northern_ledger.atom").read_bytes(),
    ),
    "https://wire.example/plain.txt": (
        200,
        "text/plain",
        b"ZHOB -- A plain text report about a rocket attack.",
    ),
    "https://wire.example/feed-as-text": (200, "text/plain", (RES / "harbor_wire.rss").read_bytes()),
    "https://wire.example/logo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    "https://wire.example/gone": (404, "text/html", b"not here"),
}


@pytest.fixture()
def canned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def fake_send(client: httpx.Client, url: str) -> httpx.Response:
        seen.append(url)
        status, ctype, body = CANNED[url]
        return httpx.Response(status, content=body, headers={"content-type": ctype})

    monkeypatch.setattr(fetch, "_send", fake_send)
    return seen


def test_url_list_dispatches_on_content_type(canned: list[str]) -> None:
    records = list(
        read_url_list(list(CANNED) + ["https://harborwire.example/a", "ftp://x.example/f"], OFFLINE)
    )
    docs = [r for r in records if isinstance(r, RawDocument)]
    rejected = {r.source: r for r in records if isinstance(r, Rejection)}
    assert docs[0].source == "https://harborwire.example/a" and docs[0].meta.title.startswith("Gunmen")
    assert [d.meta.title for d in docs[1:3]] == [
        "Hostages from Loralai appear in video",
        "Rocket attack on Zhob checkpoint",
    ]
    assert (
        docs[3].text.startswith("ZHOB -- A plain text")
        and docs[3].meta.url == "https://wire.example/plain.txt"
    )
    assert docs[4].meta.title == "Bannu protest march met with tear gas"  # a feed served as text/plain
    assert "unsupported content type 'image/png'" in rejected["https://wire.example/logo.png"].reason
    assert rejected["https://wire.example/gone"].reason == "HTTP 404 Not Found"
    assert "not http(s)" in rejected["ftp://x.example/f"].reason
    assert canned.count("https://harborwire.example/a") == 1  # each URL fetched once


def test_urls_file(tmp_path: Path, canned: list[str]) -> None:
    path = tmp_path / "list.urls"
    path.write_text(
        "# today's reading\nhttps://harborwire.example/a\n\nnot a url\nhttps://wire.example/gone\n"
    )
    docs, rejected = read(path)
    assert [d.source for d in docs] == ["https://harborwire.example/a"]
    assert [r.source for r in rejected] == [f"{path}:4", "https://wire.example/gone"]


def test_url_list_without_network_is_a_clean_rejection(tmp_path: Path) -> None:
    path = tmp_path / "u.urls"
    path.write_text("https://nowhere.example/story\n")
    docs, rejected = read(path)
    assert not docs and rejected[0].source == "https://nowhere.example/story"
    assert "cannot resolve host" in rejected[0].reason


def test_fixture_folder_copies_cleanly(tmp_path: Path) -> None:
    """Every fixture reads without raising when copied somewhere else (no path assumptions)."""
    target = tmp_path / "copy"
    shutil.copytree(RES, target)
    for path in sorted(target.iterdir()):
        docs, rejected = read(path)
        assert docs or rejected
