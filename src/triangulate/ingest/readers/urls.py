"""URLs: a ``.urls`` file (one URL a line, ``#`` comments) or http(s) arguments on the command line.

Every URL is fetched through :func:`triangulate.ingest.fetch.fetch` (the one HTTP choke point);
an HTML page becomes one document, a feed becomes one document per item, plain text is kept
as it is, and each failure is a Rejection naming the URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from triangulate.errors import FetchError, InputError
from triangulate.ingest import fetch as fetching
from triangulate.ingest.decode import decode_text, sha256
from triangulate.ingest.readers.base import ReadContext, Reader
from triangulate.ingest.readers.feeds import FEED_TYPES, feed_to_raw, looks_like_feed
from triangulate.ingest.readers.html import html_to_raw
from triangulate.records import RawDocument, Rejection, SourceMeta

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _page_to_raw(page: fetching.FetchedPage, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
    """Dispatch one fetched page on its content type (and, when that is vague, its first bytes)."""
    ctype, body, url = page.content_type, page.body, page.url
    if ctype in FEED_TYPES or (
        ctype in ("", "text/plain", "application/octet-stream") and looks_like_feed(body)
    ):
        yield from feed_to_raw(body, url, ctx, base_url=page.final_url)
    elif ctype in HTML_TYPES or (
        not ctype and body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))
    ):
        yield html_to_raw(body, url, page.final_url, ctx)
    elif ctype in ("text/plain", ""):
        try:
            text = decode_text(body, url)
        except InputError as exc:
            yield Rejection(url, exc.message.removeprefix(f"{url}: "), exc.hint)
            return
        if not text.strip():
            yield Rejection(url, "empty page", "the server sent no text; check the URL")
            return
        yield RawDocument(source=url, text=text, raw_hash=sha256(body), meta=SourceMeta(url=page.final_url))
    else:
        yield Rejection(
            url,
            f"unsupported content type {ctype!r}",
            "give the address of an HTML article, an RSS/Atom feed or a plain-text page",
        )


def read_url_list(urls: Iterable[str], ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
    """Fetch each URL (once, in order) and yield its documents; a failed URL is one Rejection.

    Args:
        urls: http(s) addresses.
        ctx: read context; ``ctx.settings`` holds the fetch_* settings.
    """
    for url in dict.fromkeys(u.strip() for u in urls if u.strip()):
        try:
            page = fetching.fetch(url, ctx.settings)
        except FetchError as exc:
            yield Rejection(url, exc.message.removeprefix(f"{url}: "), exc.hint)
            continue
        yield from _page_to_raw(page, ctx)


class UrlListReader(Reader):
    """A ``.urls`` file: one http(s) URL a line; blank lines and ``#`` comments are ignored."""

    name = "urls"
    suffixes = (".urls",)

    def read(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        try:
            text = decode_text(self.load_bytes(path, ctx), str(path))
        except InputError as exc:
            yield Rejection(str(path), exc.message.removeprefix(f"{path}: "), exc.hint)
            return
        urls: list[str] = []
        for n, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith(("http://", "https://")) and " " not in line:
                urls.append(line)
            else:
                yield Rejection(
                    f"{path}:{n}",
                    f"not an http(s) URL: {line[:80]!r}",
                    "put one http:// or https:// URL on each line",
                )
        if not urls:
            yield Rejection(str(path), "no URLs in the file", "put one http:// or https:// URL on each line")
            return
        yield from read_url_list(urls, ctx)
