"""The one choke point for HTTP: every URL triangulate reads is fetched by :func:`fetch`.

Safety rules, all enforced here:

* only ``http`` and ``https`` URLs, on every redirect hop (at most :data:`MAX_REDIRECTS`,
  followed by hand so each hop is checked again);
* no private, loopback, link-local, multicast, reserved, unspecified or otherwise non-global
  addresses, unless ``settings.fetch_allow_private``. The host is resolved **once** per hop by
  :class:`_PinnedTransport`, every resolved address is checked, and the connection goes to the
  checked address (the URL is rewritten to the IP; the ``Host`` header and TLS SNI/certificate
  check keep the real host name). A DNS answer that changes between check and connect
  (DNS rebinding) therefore cannot reach an unchecked address;
* connect/read timeouts (``fetch_timeout``) plus an overall deadline, retries with
  exponential backoff on timeouts, network errors and 5xx answers (``fetch_retries``);
* the body is streamed and reading stops past ``fetch_max_bytes``, counted both on the wire
  and after gzip/deflate decoding (so a compressed bomb is cut too).

All network I/O goes through :func:`_send`, which tests monkeypatch.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from triangulate.errors import FetchError
from triangulate.settings import Settings

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_PRIVATE_HINT = "only public addresses are fetched; set fetch_allow_private for a local mirror or tests"
_sleep = time.sleep  # patched by tests to skip backoff waits

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One fetched URL: where it ended up, the status, content type, body and headers."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:200]


def address_problem(ip: IPAddress) -> str:
    """Why an address must not be fetched ('' when it is a public address).

    >>> address_problem(ipaddress.ip_address("127.0.0.1"))
    'loopback'
    >>> address_problem(ipaddress.ip_address("93.184.216.34"))
    ''
    """
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            inner = address_problem(embedded)
            if inner:
                return inner
    for flag in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{flag}"):
            return flag.replace("_", "-")
    return "" if ip.is_global else "non-public"


def _resolve(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (the only DNS lookup in triangulate)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(
            f"cannot resolve host {host!r} ({_one_line(exc)})", "check the URL and the network"
        ) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_address(host: str, port: int, settings: Settings) -> str:
    """Resolve ``host`` once and return an address to connect to, after checking every answer."""
    try:
        addresses = [host] if ipaddress.ip_address(host) else []
    except ValueError:
        addresses = _resolve(host, port)
    if not addresses:
        raise FetchError(f"host {host!r} has no address", "check the URL")
    for raw in addresses:
        ip = ipaddress.ip_address(raw.split("%", 1)[0])
        problem = address_problem(ip)
        if problem and not settings.fetch_allow_private:
            raise FetchError(f"refused {host}: {ip} is a {problem} address", _PRIVATE_HINT)
    return addresses[0]


class _PinnedTransport(httpx.BaseTransport):
    """Connects each request to a resolved-and-checked IP, keeping Host and SNI on the name."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.inner = httpx.HTTPTransport(retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        ip = checked_address(
            host, request.url.port or (443 if request.url.scheme == "https" else 80), self.settings
        )
        if ip != host:
            request.url = request.url.copy_with(host=ip)
            request.extensions = {**request.extensions, "sni_hostname": host}
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def _client(settings: Settings) -> httpx.Client:
    timeout = httpx.Timeout(settings.fetch_timeout)
    headers = {
        "User-Agent": settings.fetch_user_agent,
        "Accept-Encoding": "gzip, deflate",
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5",
    }
    return httpx.Client(
        transport=_PinnedTransport(settings), timeout=timeout, headers=headers, follow_redirects=False
    )


def _send(client: httpx.Client, url: str) -> httpx.Response:
    """Send one GET and return the response with its body not yet read (all network I/O is here)."""
    return client.send(client.build_request("GET", url), stream=True)


def _check_scheme(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(
            f"invalid URL {url!r} ({_one_line(exc)})", "give a full http:// or https:// address"
        ) from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError(
            f"refused {url}: scheme {parsed.scheme or 'missing'!r} is not http(s)",
            "only http:// and https:// URLs are fetched",
        )
    if not parsed.host:
        raise FetchError(f"invalid URL {url!r}: no host", "give a full http:// or https:// address")
    return parsed


def _read_body(response: httpx.Response, url: str, cap: int, deadline: float) -> bytes:
    """Stream the body, decoding gzip/deflate ourselves so both sizes stay under ``cap``."""
    if response.is_stream_consumed:  # a canned response from a test double
        body = response.content
        if len(body) > cap:
            raise FetchError(
                f"{url}: body is over the {cap:,} byte cap", "raise fetch_max_bytes if the page is genuine"
            )
        return body
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise FetchError(
            f"{url}: body is {int(length):,} bytes, over the {cap:,} byte cap",
            "raise fetch_max_bytes if the page is genuine",
        )
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise FetchError(
            f"{url}: unsupported content encoding {encoding!r}", "the server ignored Accept-Encoding"
        )
    decoder = (
        zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
        if encoding not in ("identity", "")
        else None
    )
    out, raw_total = bytearray(), 0
    try:
        for chunk in response.iter_raw():
            raw_total += len(chunk)
            out += decoder.decompress(chunk, cap + 1 - len(out)) if decoder else chunk
            if raw_total > cap or len(out) > cap:
                raise FetchError(
                    f"{url}: body is over the {cap:,} byte cap (stopped reading)",
                    "raise fetch_max_bytes if the page is genuine",
                )
            if time.monotonic() > deadline:
                raise FetchError(
                    f"{url}: body is arriving too slowly (gave up)", "try again later or raise fetch_timeout"
                )
    except zlib.error as exc:
        raise FetchError(
            f"{url}: corrupt {encoding} body ({_one_line(exc)})", "the server sent broken compressed data"
        ) from exc
    return bytes(out)


def _attempt(client: httpx.Client, url: str, settings: Settings) -> FetchedPage:
    """One request/redirect chain for ``url``; FetchError on refusal, httpx errors pass through."""
    current = url
    deadline = time.monotonic() + 3 * settings.fetch_timeout
    for _hop in range(MAX_REDIRECTS + 1):
        _check_scheme(current)
        response = _send(client, current)
        try:
            if response.status_code in _REDIRECTS and response.headers.get("location"):
                current = urljoin(current, response.headers["location"])
                continue
            if response.status_code >= 500:
                raise _Retryable(f"HTTP {response.status_code} {response.reason_phrase}")
            if not 200 <= response.status_code < 300:
                raise FetchError(
                    f"{url}: HTTP {response.status_code} {response.reason_phrase}",
                    "check the URL; the server refused or does not have the page",
                )
            body = _read_body(response, url, settings.fetch_max_bytes, deadline)
            headers = {k.lower(): v for k, v in response.headers.items()}
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            return FetchedPage(url, current, response.status_code, content_type, body, headers)
        finally:
            response.close()
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects", "give the final address of the page")


class _Retryable(Exception):
    """A 5xx answer: worth another try."""


def fetch(url: str, settings: Settings | None = None) -> FetchedPage:
    """Fetch one http(s) URL safely. Raises FetchError (one line, with a hint) on any failure.

    Args:
        url: the address to fetch.
        settings: fetch_* settings; defaults when omitted.

    Returns:
        The page, after following up to five redirects.
    """
    settings = settings or Settings()
    last = ""
    with _client(settings) as client:
        for attempt in range(settings.fetch_retries + 1):
            if attempt:
                _sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
            try:
                return _attempt(client, url, settings)
            except _Retryable as exc:
                last = str(exc)
            except httpx.TimeoutException:
                last = f"timed out after {settings.fetch_timeout:g} s"
            except httpx.TransportError as exc:
                last = f"network error ({_one_line(exc)})"
            except httpx.HTTPError as exc:
                raise FetchError(f"{url}: {_one_line(exc)}", "check the URL") from exc
            log.info(
                "fetch %s failed (%s), attempt %d of %d", url, last, attempt + 1, settings.fetch_retries + 1
            )
    raise FetchError(
        f"{url}: {last} after {settings.fetch_retries + 1} attempts",
        "try again later, or raise fetch_timeout / fetch_retries",
    )


__all__ = ["MAX_REDIRECTS", "FetchedPage", "address_problem", "checked_address", "fetch"]
