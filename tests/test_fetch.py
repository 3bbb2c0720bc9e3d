"""fetch(): the one HTTP choke point, against a real HTTP server on 127.0.0.1.

Only loopback addresses are ever contacted: every other address in these tests is refused
before a connection is made (which is what the tests check).
"""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from triangulate.errors import FetchError
from triangulate.ingest import fetch as fetch_mod
from triangulate.ingest.fetch import FetchedPage, address_problem, fetch
from triangulate.ingest.readers.base import ReadContext
from triangulate.ingest.readers.urls import read_url_list
from triangulate.records import RawDocument, Rejection
from triangulate.settings import Settings

ARTICLE = (
    b"<html><head><title>Market bombing</title></head><body><article><p>"
    + b"A bomb exploded in a crowded market on Tuesday, killing five people, police said. " * 4
    + b"</p></article></body></html>"
)
LOCAL = Settings(fetch_allow_private=True, fetch_timeout=2.0, fetch_retries=0)


class Server:
    """A tiny local web server whose routes misbehave in all the ways fetch must survive."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.flaky_left = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def send(
                self,
                status: int,
                body: bytes,
                ctype: str = "text/html",
                extra: dict[str, str] | None = None,
                length: bool = True,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                if length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up first, as intended
                    self.close_connection = True

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                owner.hits.append(self.path)
                owner.headers.append({k.lower(): v for k, v in self.headers.items()})
                route = self.path.split("?")[0]
                if route == "/article":
                    self.send(200, ARTICLE, "text/html; charset=utf-8")
                elif route == "/redirect":
                    self.send(302, b"", extra={"Location": "/article"})
                elif route == "/loop":
                    self.send(302, b"", extra={"Location": "/loop"})
                elif route == "/to-file":
                    self.send(302, b"", extra={"Location": "file:///etc/passwd"})
                elif route == "/big":
                    self.send(200, b"x" * 300_000, "text/plain", length=False)
                    self.close_connection = True
                elif route == "/big-declared":
                    self.send(200, b"x" * 300_000, "text/plain")
                elif route == "/bomb":
                    self.send(
                        200, gzip.compress(b"\0" * 20_000_000), "text/plain", {"Content-Encoding": "gzip"}
                    )
                elif route == "/gzipped":
                    self.send(200, gzip.compress(ARTICLE), "text/html", {"Content-Encoding": "gzip"})
                elif route == "/slow":
                    time.sleep(1.5)
                    self.send(200, ARTICLE)
                elif route == "/flaky":
                    if owner.flaky_left > 0:
                        owner.flaky_left -= 1
                        self.send(503, b"busy", "text/plain")
                    else:
                        self.send(200, ARTICLE)
                elif route == "/feed":
                    self.send(
                        200,
                        b"<?xml version='1.0'?><rss version='2.0'><channel><title>Local Wire</title><item>"
                        b"<title>Item one</title><link>/article</link><description>A short summary of the "
                        b"first item about a bombing.</description></item></channel></rss>",
                        "application/rss+xml",
                    )
                else:
                    self.send(404, b"not found", "text/plain")

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients hanging up early is the point of several tests

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture(autouse=True)
def fresh(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    server.hits.clear()
    server.headers.clear()
    server.flaky_left = 0
    real_resolve = fetch_mod._resolve

    def local_only(host: str, port: int) -> list[str]:
        if host != "localhost":
            raise FetchError(f"cannot resolve host {host!r} (no network in tests)", "use a local address")
        return real_resolve(host, port)

    monkeypatch.setattr(fetch_mod, "_resolve", local_only)


# --- the happy path ---------------------------------------------------------------------------


def test_fetch_local_page_with_polite_user_agent(server: Server) -> None:
    page = fetch(server.url("/article"), LOCAL)
    assert isinstance(page, FetchedPage)
    assert (page.status, page.content_type, page.body) == (200, "text/html", ARTICLE)
    assert page.final_url == page.url == server.url("/article")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert server.headers[0]["user-agent"] == LOCAL.fetch_user_agent


def test_redirects_are_followed_and_rechecked(server: Server) -> None:
    page = fetch(server.url("/redirect"), LOCAL)
    assert page.final_url == server.url("/article") and page.body == ARTICLE
    assert server.hits == ["/redirect", "/article"]


def test_gzip_content_encoding_is_decoded(server: Server) -> None:
    assert fetch(server.url("/gzipped"), LOCAL).body == ARTICLE


def test_localhost_name_is_pinned_to_the_checked_address(server: Server) -> None:
    page = fetch(server.url("/article", host="localhost"), LOCAL)
    assert page.body == ARTICLE
    assert (
        server.headers[0]["host"] == f"localhost:{server.port}"
    )  # the name travels in Host, the IP is dialled


def test_dns_answer_is_used_once_and_connected_to(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(fetch_mod, "_resolve", resolve)
    page = fetch(server.url("/article", host="news.test"), LOCAL)
    assert page.body == ARTICLE and calls == ["news.test"]
    assert server.headers[0]["host"] == f"news.test:{server.port}"


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "10.0.0.1",
        "[::1]",
        "169.254.169.254",
        "192.168.1.20",
        "0.0.0.0",
        "[::ffff:127.0.0.1]",
        "224.0.0.1",
        "[fe80::1]",
        "100.64.0.1",
    ],
)
def test_private_and_local_addresses_are_refused(server: Server, host: str) -> None:
    with pytest.raises(FetchError) as err:
        fetch(f"http://{host}:{server.port}/article", Settings(fetch_retries=0))
    assert "refused" in err.value.message and "fetch_allow_private" in err.value.hint
    assert "\n" not in str(err.value)
    assert server.hits == []


def test_a_name_resolving_to_a_private_address_is_refused(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_mod, "_resolve", lambda host, port: ["93.184.216.34", "10.1.2.3"])
    with pytest.raises(FetchError, match=r"refused rebind\.test: 10\.1\.2\.3 is a private address"):
        fetch("http://rebind.test/x", Settings(fetch_retries=0))


def test_redirect_to_loopback_is_refused(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    real_send = fetch_mod._send

    def public_then_real(client: httpx.Client, url: str) -> httpx.Response:
        if url == "http://public.example/start":  # stands in for a public server answering with a redirect
            return httpx.Response(302, headers={"location": server.url("/article")})
        return real_send(client, url)

    monkeypatch.setattr(fetch_mod, "_send", public_then_real)
    with pytest.raises(FetchError, match="refused 127.0.0.1: 127.0.0.1 is a loopback address"):
        fetch("http://public.example/start", Settings(fetch_retries=0))
    assert server.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/x",
        "gopher://x.example/",
        "javascript:alert(1)",
        "http://",
        "not a url",
    ],
)
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as err:
        fetch(url, LOCAL)
    assert err.value.hint


def test_redirect_to_file_scheme_and_redirect_loops(server: Server) -> None:
    with pytest.raises(FetchError, match="scheme 'file' is not http"):
        fetch(server.url("/to-file"), LOCAL)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(server.url("/loop"), LOCAL)
    assert server.hits.count("/loop") == 6


# --- size caps, timeouts, retries ---------------------------------------------------------------


def test_body_over_the_cap_is_cut(server: Server) -> None:
    small = Settings(fetch_allow_private=True, fetch_retries=0, fetch_max_bytes=100_000)
    with pytest.raises(FetchError, match=r"over the 100,000 byte cap \(stopped reading\)") as err:
        fetch(server.url("/big"), small)
    assert "fetch_max_bytes" in err.value.hint
    with pytest.raises(FetchError, match="body is 300,000 bytes, over the 100,000 byte cap"):
        fetch(server.url("/big-declared"), small)


def test_compressed_bomb_is_cut_after_decoding(server: Server) -> None:
    small = Settings(fetch_allow_private=True, fetch_retries=0, fetch_max_bytes=1_000_000)
    started = time.monotonic()
    with pytest.raises(FetchError, match="over the 1,000,000 byte cap"):
        fetch(server.url("/bomb"), small)
    assert time.monotonic() - started < 2


def test_slow_server_times_out(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0.3 s after 1 attempts") as err:
        fetch(server.url("/slow"), Settings(fetch_allow_private=True, fetch_timeout=0.3, fetch_retries=0))
    assert time.monotonic() - started < 1.2
    assert "fetch_timeout" in err.value.hint


def test_retries_with_backoff_on_503(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(fetch_mod, "_sleep", waits.append)
    server.flaky_left = 2
    page = fetch(server.url("/flaky"), Settings(fetch_allow_private=True, fetch_retries=2))
    assert page.body == ARTICLE and server.hits == ["/flaky"] * 3 and waits == [0.5, 1.0]
    server.hits.clear()
    server.flaky_left = 5
    with pytest.raises(FetchError, match="HTTP 503 Service Unavailable after 3 attempts"):
        fetch(server.url("/flaky"), Settings(fetch_allow_private=True, fetch_retries=2))
    assert len(server.hits) == 3


def test_404_is_not_retried(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_mod, "_sleep", lambda s: None)
    with pytest.raises(FetchError, match="HTTP 404 Not Found"):
        fetch(server.url("/nothing"), Settings(fetch_allow_private=True, fetch_retries=3))
    assert server.hits == ["/nothing"]


def test_connection_refused_is_a_fetch_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_mod, "_sleep", lambda s: None)
    with pytest.raises(FetchError, match="network error"):
        fetch("http://127.0.0.1:9/", Settings(fetch_allow_private=True, fetch_retries=1))


# --- the URL reader over the local server -------------------------------------------------------


def test_read_url_list_over_http(server: Server) -> None:
    ctx = ReadContext(settings=Settings(fetch_allow_private=True, fetch_retries=0, follow_feed_links=True))
    records = list(read_url_list([server.url("/article"), server.url("/feed"), server.url("/missing")], ctx))
    docs = [r for r in records if isinstance(r, RawDocument)]
    rejected = [r for r in records if isinstance(r, Rejection)]
    assert docs[0].source == server.url("/article") and docs[0].text.startswith("Market bombing")
    assert docs[1].meta.outlet == "Local Wire" and docs[1].meta.url == server.url("/article")
    assert "killing five people" in docs[1].text  # the item's link was followed through fetch
    assert rejected[0].source == server.url("/missing") and rejected[0].reason == "HTTP 404 Not Found"


def test_read_url_list_refuses_private_without_the_setting(server: Server) -> None:
    records = list(read_url_list([server.url("/article")], ReadContext()))
    assert isinstance(records[0], Rejection) and "loopback" in records[0].reason
    assert server.hits == []


# --- address classification -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "non-public"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),
        ("93.184.216.34", ""),
        ("2606:2800:220:1:248:1893:25c8:1946", ""),
        ("8.8.8.8", ""),
    ],
)
def test_address_problem(address: str, problem: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


# --- URLs on the command line ----------------------------------------------------------------------


def test_cli_ingests_a_url_and_refuses_private_ones_by_default(server: Server, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from triangulate.cli import cli

    db = str(tmp_path / "u.db")
    ok = CliRunner().invoke(
        cli, ["ingest", server.url("/article"), "--db", db, "--setting", "fetch_allow_private", "true"]
    )
    assert ok.exit_code == 0 and "1 added" in ok.output and "Traceback" not in ok.output
    refused = CliRunner().invoke(cli, ["ingest", server.url("/article?again"), "--db", db])
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert (
        f"skipped {server.url('/article?again')}: refused 127.0.0.1: 127.0.0.1 is a loopback address"
        in refused.output
    )
    assert server.hits == ["/article"]
