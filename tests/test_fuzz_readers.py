"""Property-based fuzzing of every reader (txt, HTML, JSONL/JSON, CSV/TSV, WARC, RSS/Atom, URL lists)
and of ``ingest()`` over a folder mixing one fuzzed file with one good report.

The contract under test: a reader yields RawDocuments and Rejections (each with a source, a reason
and a hint, on one line) and raises nothing but triangulate's own errors; ``ingest()`` never raises
for bad input and always stores the good report beside it. Inputs are arbitrary bytes and
structured-but-mutated files (valid JSONL with random fields and types, CSV with random quoting,
HTML with random tags, feed skeletons with random content, warcio-built WARCs with random headers).
No network: every fetch is answered by a canned, fuzzed response.
Run deeper with ``TRIANGULATE_FUZZ_EXAMPLES=5000 pytest -m slow tests/test_fuzz_readers.py``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import sqlite3
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.fuzzing import DEPTHS, run_property
from triangulate.errors import FetchError, TriangulateError
from triangulate.ingest import fetch
from triangulate.ingest.pipeline import ingest
from triangulate.ingest.readers.base import FIELD_NAMES, FieldMap, ReadContext, detect_format, reader_for
from triangulate.records import RawDocument, Rejection, SourceMeta
from triangulate.settings import Settings
from triangulate.store.db import Store

REPORT = (
    "Bomb kills five in Peshawar market\n\n"
    "PESHAWAR -- A bomb hidden in a vegetable cart exploded in a crowded market on Tuesday, killing five "
    "people and wounding twelve, police said.\n\nNo group has claimed responsibility for the attack.\n"
)

# Small caps as well as the defaults, so that the cap paths (record, file, inflation) are fuzzed too.
SETTINGS = [
    Settings(follow_feed_links=False),
    Settings(),
    Settings(
        max_file_bytes=3000,
        max_record_bytes=1500,
        max_decompressed_bytes=6000,
        fetch_max_bytes=2000,
        fetch_retries=1,
    ),
]
CONTEXTS = st.builds(
    ReadContext,
    st.sampled_from(SETTINGS),
    st.sampled_from([FieldMap(), FieldMap.parse("text=content,published=dct"), FieldMap.parse("html=body")]),
)


# --- strategies -------------------------------------------------------------------------------

_WORDS = [
    "Gunmen",
    "killed",
    "five",
    "people",
    "in",
    "Peshawar",
    "on",
    "Tuesday",
    "police",
    "said",
    "2015-12-03",
    "the",
    "a",
    "bomb",
    "wounded",
    "12",
    "Syria",
    "&amp;",
    "&#0;",
    "&bogus;",
    "<",
    ">",
    '"',
    "'",
    "\\",
    "\n",
    "\r\n",
    "\t",
    "\u2028",
    "\x00",
    "\x1b",
    "\ufeff",
    "é",
    "東京",
    "🙂",
    "\ud800",
]
REPORTISH = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=60).map(" ".join)
TEXT = st.one_of(st.text(max_size=120), REPORTISH)
# Lone surrogates are valid in JSON ("\ud800") and in Python strings, never in UTF-8 or SQLite.
SURROGATE_TEXT = st.lists(st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr)), max_size=40).map(
    "".join
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "shift_jis", "utf-32"]


def encode(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding``, with unencodable characters replaced, as a sloppy publisher would."""
    return text.encode(encoding, errors="replace" if encoding != "utf-8" else "surrogatepass")


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[bytes]) -> bytes:
    """Bytes from ``base``, then up to three random mutations: cut, flip, insert, delete, repeat."""
    data = bytearray(draw(base))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["cut", "flip", "insert", "delete", "repeat"]))
        at = draw(st.integers(0, len(data)))
        if kind == "cut":
            del data[at:]
        elif kind == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(max_size=16),
                    st.sampled_from(
                        [
                            b"\x00",
                            b"\r",
                            b"\n",
                            b'"',
                            b"<",
                            b"]]>",
                            b"\xff\xfe",
                            b"\x1f\x8b",
                            b"WARC/1.0\r\n",
                            b"\xed\xa0\x80",
                        ]
                    ),
                )
            )
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[max(0, at - 64) : at]
    return bytes(data)


def gzipped(base: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """``base`` as is, or gzip-compressed (then possibly cut or corrupted by :func:`mutated`)."""
    return st.one_of(base, base.map(lambda data: gzip.compress(data, mtime=0)))


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """An HTML page of random tags, attributes and text, with a random declared charset and encoding."""
    tags = [
        "html",
        "head",
        "body",
        "title",
        "meta",
        "article",
        "main",
        "div",
        "p",
        "span",
        "a",
        "h1",
        "script",
        "style",
        "table",
        "tr",
        "td",
        "li",
        "br",
        "img",
        "time",
        "header",
        "footer",
        "nav",
        "noscript",
        "svg",
        "template",
        "pre",
        "blockquote",
        "!--",
        "![CDATA[",
        "?xml",
        "frameset",
    ]
    attrs = st.dictionaries(
        st.sampled_from(
            [
                "class",
                "id",
                "lang",
                "charset",
                "content",
                "name",
                "property",
                "href",
                "datetime",
                "itemprop",
                "http-equiv",
                "xmlns",
            ]
        ),
        TEXT,
        max_size=3,
    )

    def element(tag: str, attributes: dict[str, str], children: list[str], closed: bool) -> str:
        rendered = "".join(f' {k}="{v}"' for k, v in attributes.items())
        return f"<{tag}{rendered}>{''.join(children)}" + (f"</{tag}>" if closed else "")

    tree = st.recursive(
        TEXT,
        lambda kids: st.builds(
            element, st.sampled_from(tags), attrs, st.lists(kids, max_size=4), st.booleans()
        ),
        max_leaves=25,
    )
    charset = draw(
        st.sampled_from(
            [
                "",
                "utf-8",
                "latin-1",
                "utf-16",
                "utf-32",
                "shift_jis",
                "x-unknown",
                "utf-7",
                "ascii",
                "big5",
                '"',
                "cp1252 ",
                "utf_8_sig",
            ]
        )
    )
    head = f'<meta charset="{charset}">' if charset else ""
    body = draw(tree)
    page = draw(
        st.sampled_from(
            [
                "<!DOCTYPE html><html><head>{head}<title>{t}</title></head><body><article>{b}</article></body></html>",
                "<html>{head}{b}",
                "{b}",
                "<html><body><p>{b}</p><p>{b}</p></body></html>",
            ]
        )
    )
    text = page.format(head=head, t=draw(TEXT), b=body + " " + draw(REPORTISH))
    return encode(text, draw(st.sampled_from(ENCODINGS)))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT | SURROGATE_TEXT,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids, max_size=3),
    max_leaves=8,
)
JSON_RECORDS = st.dictionaries(
    st.one_of(st.sampled_from([*FIELD_NAMES, "content", "dct", "body"]), st.text(max_size=6)),
    st.one_of(REPORTISH, JSON_VALUES),
    max_size=6,
)
# Most random objects have no usable text; these do, so that the document path is fuzzed as much.
TEXT_RECORDS = st.builds(
    lambda text, rest: {**rest, "text": text}, st.one_of(REPORTISH, SURROGATE_TEXT), JSON_RECORDS
)


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    """JSON Lines: random objects (fields of random types), other JSON values, garbage and deep nesting."""
    records = st.one_of(JSON_RECORDS, TEXT_RECORDS)
    line = st.one_of(
        records.map(lambda r: json.dumps(r, ensure_ascii=False)),
        records.map(json.dumps),
        JSON_VALUES.map(json.dumps),
        TEXT,
        st.integers(1, 5000).map(lambda n: "[" * n + "]" * n),
        st.integers(1, 5000).map(lambda n: '{"text":' * n + "1" + "}" * n),
    )
    lines = draw(st.lists(line, max_size=8))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    return encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1252", "utf-8-sig"])))


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    """A ``.json`` file: one object, a list of values, JSON Lines in disguise, or deep nesting."""
    value = draw(
        st.one_of(
            TEXT_RECORDS,
            JSON_RECORDS,
            st.lists(st.one_of(TEXT_RECORDS, JSON_RECORDS, JSON_VALUES), max_size=5),
            JSON_VALUES,
        )
    )
    text = draw(
        st.sampled_from(
            [
                json.dumps(value),
                json.dumps(value, ensure_ascii=False),
                json.dumps(value) + "\n" + json.dumps(value),
                "[" * 20_000 + "]" * 20_000,
            ]
        )
    )
    return encode(text, "utf-8")


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """CSV/TSV with a random header, random cells (quotes, delimiters, newlines) and random quoting."""
    names = st.one_of(st.sampled_from([*FIELD_NAMES, "content", "dct"]), st.text(max_size=8))
    header = draw(
        st.one_of(st.lists(names, max_size=6), st.lists(names, max_size=4).map(lambda h: ["text", *h]))
    )
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(REPORTISH, TEXT, st.sampled_from(['"', '""', "a,b", "x\ny", "\r", ""])),
                max_size=len(header) + 2,
            ),
            max_size=6,
        )
    )
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_NONE]))
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=delimiter,
        quoting=quoting,
        escapechar="\\",
        lineterminator=draw(st.sampled_from(["\r\n", "\n"])),
    )
    for row in [header, *rows]:
        try:
            writer.writerow(row)
        except csv.Error:  # QUOTE_NONE refuses some cells; write them raw, as a careless exporter would
            out.write(delimiter.join(row) + "\n")
    return encode(out.getvalue(), draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"])))


_PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


@st.composite
def warc_files(draw: st.DrawFn) -> bytes:
    """A WARC built with warcio: random record types, HTTP status lines, headers and bodies."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=draw(st.booleans()))
    for n in range(draw(st.integers(0, 4))):
        rec_type = draw(
            st.sampled_from(["response", "resource", "request", "metadata", "warcinfo", "revisit"])
        )
        body = draw(
            st.one_of(
                html_pages(), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200)
            )
        )
        ctype = draw(
            st.sampled_from(
                [
                    "text/html",
                    "text/html; charset=utf-8",
                    "text/plain",
                    "application/xhtml+xml",
                    "image/png",
                    "",
                    "TEXT/HTML",
                    "text/html;;;",
                ]
            )
        )
        # A fixed id and date unless drawn: warcio's own (a fresh uuid, the clock) would make examples irreproducible.
        warc_headers = {
            "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>",
            "WARC-Date": "2015-12-03T10:00:00Z",
        }
        warc_headers.update(
            (k, v)
            for k, v in draw(
                st.dictionaries(
                    st.sampled_from(
                        [
                            "WARC-Date",
                            "WARC-Truncated",
                            "WARC-Payload-Digest",
                            "Content-Type",
                            "WARC-Refers-To",
                        ]
                    ),
                    _PRINTABLE,
                    max_size=2,
                )
            ).items()
            if v.strip()
        )
        http_headers = None
        if rec_type in ("response", "request", "revisit") and draw(st.booleans()):
            status = draw(
                st.sampled_from(
                    ["200 OK", "404 Not Found", "301 Moved", "500 Oops", "abc", "2000 Weird", "204"]
                )
            )
            extra = draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(
                            ["Content-Encoding", "Transfer-Encoding", "Content-Length", "Location"]
                        ),
                        _PRINTABLE,
                    ),
                    max_size=2,
                )
            )
            http_headers = StatusAndHeaders(status, [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
        elif rec_type == "resource":
            warc_headers.setdefault("Content-Type", ctype)
        record = writer.create_warc_record(
            draw(_PRINTABLE),
            rec_type,
            payload=io.BytesIO(body),
            warc_headers_dict=warc_headers,
            http_headers=http_headers,
        )
        writer.write_record(record)
    return out.getvalue()


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """RSS 2.0, Atom and RSS 1.0 (RDF) skeletons filled with random, sometimes unescaped, content."""

    def content() -> str:
        return draw(
            st.one_of(
                TEXT.map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;")),
                TEXT,
                html_pages().map(lambda b: f"<![CDATA[{b.decode('utf-8', 'replace')}]]>"),
            )
        )

    link = draw(
        st.sampled_from(
            [
                "https://wire.example/a",
                "http://wire.example/b?x=1",
                "/relative",
                "",
                "javascript:x",
                "ftp://wire.example/f",
                "https://[::1]/",
                "http://10.0.0.1/",
            ]
        )
    )
    date = draw(
        st.sampled_from(
            ["Tue, 10 Jun 2014 04:00:00 GMT", "2015-12-03T10:00:00Z", "yesterday", "", "9999-99-99"]
        )
    )
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    items = []
    for _ in range(draw(st.integers(0, 3))):
        if kind == "atom":
            items.append(
                f'<entry><title type="{draw(st.sampled_from(["text", "html", "xhtml"]))}">{content()}</title>'
                f'<link href="{link}"/><id>{content()}</id><updated>{date}</updated>'
                f'<content type="html">{content()}</content><summary>{content()}</summary></entry>'
            )
        else:
            items.append(
                f"<item><title>{content()}</title><link>{link}</link><guid>{content()}</guid>"
                f"<pubDate>{date}</pubDate><description>{content()}</description>"
                f"<content:encoded>{content()}</content:encoded></item>"
            )
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "iso-8859-1", "bogus"]))
    head = f'<?xml version="1.0" encoding="{encoding}"?>' if draw(st.booleans()) else ""
    body = "".join(items)
    if kind == "atom":
        text = f'{head}<feed xmlns="http://www.w3.org/2005/Atom"><title>{content()}</title>{body}</feed>'
    elif kind == "rss":
        text = (
            f'{head}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{content()}</title>{body}</channel></rss>"
        )
    else:
        text = (
            f'{head}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
            f"<channel><title>{content()}</title></channel>{body}</rdf:RDF>"
        )
    return encode(text, encoding if encoding != "bogus" else "utf-8")


_HOSTS = [
    "wire.example",
    "10.0.0.1",
    "127.0.0.1",
    "[::1]",
    "93.184.216.34",
    "xn--bcher-kva.example",
    "bücher.example",
    "a b",
    "",
    "wire.example:99999",
    "wire.example:0",
    "[::1",
    "%00",
    "a" * 300,
]


@st.composite
def url_lists(draw: st.DrawFn) -> bytes:
    """A ``.urls`` file: URLs with odd hosts and schemes, comments, blank lines and garbage."""
    url = st.builds(
        lambda scheme, host, path: f"{scheme}://{host}/{path}",
        st.sampled_from(["http", "https", "ftp", "file", "HTTP", "javascript"]),
        st.sampled_from(_HOSTS),
        _PRINTABLE,
    )
    line = st.one_of(url, url.map(lambda u: "  " + u + "  "), st.just(""), TEXT.map(lambda t: "# " + t), TEXT)
    text = "\n".join(draw(st.lists(line, max_size=6)))
    return encode(text, draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])))


# What a fuzzed server answers: any status, content type and body (pages, feeds, text, garbage).
RESPONSES = st.tuples(
    st.sampled_from([200, 200, 200, 204, 301, 302, 404, 500, 503, 999]),
    st.sampled_from(
        [
            "text/html",
            "text/html; charset=utf-8",
            "application/rss+xml",
            "application/atom+xml",
            "text/plain",
            "",
            "application/octet-stream",
            "image/png",
            "text/xml",
        ]
    ),
    st.one_of(
        html_pages(), feeds(), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)
    ),
    st.dictionaries(
        st.sampled_from(["location", "content-length", "content-encoding"]),
        st.sampled_from(
            ["/next", "https://wire.example/a", "ftp://x/", "", "12", "99999999999", "gzip", "br", "-1"]
        ),
        max_size=2,
    ),
)

FORMATS: dict[str, tuple[list[str], st.SearchStrategy[bytes]]] = {
    "txt": (
        [".txt", ".md", ".txt.gz", ""],
        gzipped(
            st.one_of(
                st.binary(max_size=600),
                TEXT.map(lambda t: encode(t, "utf-8")),
                st.tuples(TEXT, st.sampled_from(ENCODINGS)).map(lambda a: encode(*a)),
            )
        ),
    ),
    "html": (
        [".html", ".htm", ".html.gz"],
        gzipped(st.one_of(html_pages(), st.binary(max_size=300).map(lambda b: b"<html>" + b))),
    ),
    "jsonl": ([".jsonl", ".ndjson", ".jsonl.gz"], gzipped(jsonl_files())),
    "json": ([".json"], json_files()),
    "csv": ([".csv", ".tsv", ".csv.gz"], gzipped(csv_files())),
    "warc": ([".warc", ".warc.gz", ".arc"], warc_files()),
    "rss": ([".rss", ".atom", ".xml"], gzipped(feeds())),
    "urls": ([".urls"], url_lists()),
}


# --- the contract -----------------------------------------------------------------------------


class CannedServer:
    """Answers every fetch with the next canned response (none left: a refused connection)."""

    def __init__(self) -> None:
        self.responses: list[tuple[int, str, bytes, dict[str, str]]] = []

    def send(self, client: httpx.Client, url: str) -> httpx.Response:
        if not self.responses:
            raise httpx.ConnectError("no canned response left (no network in tests)")
        status, ctype, body, headers = self.responses.pop(0)
        return httpx.Response(status, content=body, headers={"content-type": ctype, **headers})


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> CannedServer:
    """No network: DNS always fails, and every request gets a canned response (or a refusal)."""

    def refuse(host: str, port: int) -> list[str]:
        raise FetchError(f"cannot resolve host {host!r} (no network in tests)", "use canned responses")

    canned = CannedServer()
    monkeypatch.setattr(fetch, "_resolve", refuse)
    monkeypatch.setattr(fetch, "_send", canned.send)
    monkeypatch.setattr(fetch, "_sleep", lambda seconds: None)
    return canned


def check_rejection(rejection: Rejection) -> None:
    """A rejection names the record, says why and what to do, on one line."""
    assert rejection.source and rejection.reason and rejection.hint, rejection
    assert "\n" not in rejection.line() and "\r" not in rejection.line(), rejection


def check_reader(path: Path, fmt: str, ctx: ReadContext) -> list[RawDocument | Rejection]:
    """Read ``path`` with the ``fmt`` reader: records, or one of triangulate's own one-line errors."""
    try:
        records = list(reader_for(fmt).read(path, ctx))
    except TriangulateError as exc:
        assert exc.message and "\n" not in str(exc), exc
        return []
    for record in records:
        assert isinstance(record, (RawDocument, Rejection)), record
        if isinstance(record, Rejection):
            check_rejection(record)
        else:
            assert record.source and isinstance(record.text, str) and isinstance(record.raw_hash, str), record
            # Storable: SQLite takes only valid UTF-8 (a lone surrogate would fail the whole batch).
            for value in (record.source, record.text, record.html, *vars_of(record.meta)):
                value.encode("utf-8")
    return records


def vars_of(meta: SourceMeta) -> list[str]:
    """The string fields of a document's metadata."""
    return [getattr(meta, name) for name in meta.__slots__]  # type: ignore[attr-defined]


def fuzz_reader(tmp_path: Path, server: CannedServer, fmt: str, examples: int) -> None:
    """Run the reader contract over ``FORMATS[fmt]`` inputs, each under a random suffix of the format."""
    suffixes, files = FORMATS[fmt]
    reader_name = "jsonl" if fmt == "json" else fmt

    @given(
        files.flatmap(lambda data: st.one_of(st.just(data), mutated(st.just(data)))),
        st.sampled_from(suffixes),
        CONTEXTS,
        st.lists(RESPONSES, max_size=4),
    )
    def prop(
        data: bytes, suffix: str, ctx: ReadContext, responses: list[tuple[int, str, bytes, dict[str, str]]]
    ) -> None:
        server.responses = list(responses)
        path = tmp_path / f"fuzzed{suffix}"
        path.write_bytes(data)
        check_reader(path, reader_name, ctx)

    run_property(prop, examples)


@pytest.mark.parametrize("examples", DEPTHS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_reader_yields_records_or_own_errors(
    fmt: str, examples: int, tmp_path: Path, server: CannedServer
) -> None:
    fuzz_reader(tmp_path, server, fmt, examples)


@pytest.mark.parametrize("examples", DEPTHS)
def test_arbitrary_bytes_under_any_name(examples: int, tmp_path: Path, server: CannedServer) -> None:
    """Any bytes, under any reader's suffix and through format detection: still only records."""
    suffixes = sorted({s for names, _ in FORMATS.values() for s in names} | {".bin", ".pdf"})

    @given(st.binary(max_size=2000), st.sampled_from(suffixes), CONTEXTS)
    def prop(data: bytes, suffix: str, ctx: ReadContext) -> None:
        path = tmp_path / f"fuzzed{suffix}"
        path.write_bytes(data)
        check_reader(path, detect_format(path), ctx)

    run_property(prop, examples)


@pytest.mark.parametrize("examples", DEPTHS)
def test_ingest_always_stores_the_good_file(examples: int, tmp_path: Path, server: CannedServer) -> None:
    """``ingest()`` over a folder of one fuzzed file and one good report never raises, records each
    problem on one line, and stores the good report."""
    runs = iter(range(10**9))
    pick = st.sampled_from(sorted(FORMATS)).flatmap(
        lambda fmt: st.tuples(
            FORMATS[fmt][1].flatmap(lambda d: st.one_of(st.just(d), mutated(st.just(d)))),
            st.sampled_from(FORMATS[fmt][0]),
        )
    )

    @given(pick, st.sampled_from(SETTINGS), st.lists(RESPONSES, max_size=4))
    def prop(
        fuzzed: tuple[bytes, str], settings: Settings, responses: list[tuple[int, str, bytes, dict[str, str]]]
    ) -> None:
        server.responses = list(responses)
        folder = tmp_path / f"run{next(runs)}"
        folder.mkdir()
        data, suffix = fuzzed
        (folder / f"fuzzed{suffix}").write_bytes(data)
        good = folder / "good.txt"
        good.write_text(REPORT, encoding="utf-8")
        db = folder / "t.db"
        try:
            with Store.open(db) as store:
                report = ingest(store, [folder], settings=settings)
            for rejection in report.rejected:
                check_rejection(rejection)
            with sqlite3.connect(db) as conn:
                sources = {row[0] for row in conn.execute("SELECT source FROM documents")}
            assert str(good) in sources, report.rejected
        finally:
            shutil.rmtree(folder)

    run_property(prop, examples)
