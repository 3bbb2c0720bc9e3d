"""RSS and Atom feeds: each item is one document.

feedparser only ever sees bytes we hand it (it never fetches). With ``follow_feed_links`` the
article page behind each item is fetched through :mod:`triangulate.ingest.fetch`; when that
fails the item's own content or summary is used instead, so nothing is lost.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import feedparser
from lxml import etree
from lxml import html as lxml_html

from triangulate.errors import FetchError
from triangulate.ingest import fetch as fetching
from triangulate.ingest.decode import sha256, single_line
from triangulate.ingest.readers.base import ReadContext, WholeFileReader
from triangulate.ingest.readers.html import html_to_raw
from triangulate.records import RawDocument, Rejection, SourceMeta

log = logging.getLogger(__name__)

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_BLOCKS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
)


def looks_like_feed(data: bytes) -> bool:
    """True when the start of ``data`` is an RSS, Atom or RDF document."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and any(
        t in head for t in (b"<rss", b"<feed", b"<rdf")
    )


# Characters XML cannot hold; lxml refuses them when text is set on an element.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary), one line per block element."""
    fragment = _NOT_XML.sub("", fragment)
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):
        # lxml asserts ("too many bodies") on a fragment that is a whole document, such as "<HTML>".
        return fragment.strip()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _entry_body(entry: Any) -> tuple[str, bool]:
    """The richest text an entry carries, and whether it is HTML."""
    candidates = [(c.get("value", ""), c.get("type", "")) for c in entry.get("content", [])]
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary", ""), detail.get("type", "text/html")))
    value, ctype = max(candidates, key=lambda c: len(c[0] or ""))
    return (value or "").strip(), "html" in ctype or "<" in (value or "")


def _merge(first: SourceMeta, second: SourceMeta) -> SourceMeta:
    return SourceMeta(
        **{
            k: getattr(first, k) or getattr(second, k)
            for k in ("title", "outlet", "url", "published", "external_id", "language")
        }
    )


def _followed(link: str, source: str, meta: SourceMeta, ctx: ReadContext) -> RawDocument | None:
    """The article page behind an item, or None when it cannot be fetched or holds no article."""
    try:
        page = fetching.fetch(link, ctx.settings)
    except FetchError as exc:
        log.info("feed item %s: page not fetched (%s); using the feed's own text", link, exc)
        return None
    if page.content_type not in ("text/html", "application/xhtml+xml", ""):
        return None
    doc = html_to_raw(page.body, source, page.final_url, ctx)
    if isinstance(doc, Rejection):
        log.info("feed item %s: %s; using the feed's own text", link, doc.reason)
        return None
    doc.meta = _merge(SourceMeta(title=doc.meta.title, outlet=doc.meta.outlet), _merge(meta, doc.meta))
    return doc


def _entry_to_raw(
    entry: Any, n: int, source: str, outlet: str, base_url: str, ctx: ReadContext
) -> RawDocument | Rejection:
    link = str(entry.get("link", "") or "").strip()
    link = urljoin(base_url, link) if base_url and link else link
    entry_id = str(entry.get("id", "") or "").strip()
    item_source = f"{source}#{single_line(entry_id or link) or n}"
    title = " ".join(str(entry.get("title", "") or "").split())
    meta = SourceMeta(
        title=title,
        outlet=outlet,
        url=link,
        published=entry.get("published") or entry.get("updated") or "",
        external_id=entry_id,
        language=str(entry.get("language", "") or ""),
    )
    if ctx.settings.follow_feed_links and link.startswith(("http://", "https://")):
        followed = _followed(link, item_source, meta, ctx)
        if followed is not None:
            return followed
    body, is_html = _entry_body(entry)
    if not body:
        tried = ctx.settings.follow_feed_links and link.startswith(("http://", "https://"))
        return Rejection(
            item_source,
            "feed item has no text",
            "its article page could not be fetched either (run with -v for the reason)"
            if tried
            else "use a full-text feed, or set follow_feed_links to fetch the article pages",
        )
    text = ""
    if is_html:
        page = html_to_raw(f"<html><body><article>{body}</article></body></html>", item_source, link, ctx)
        text = page.text if isinstance(page, RawDocument) else fragment_text(body)
    text = text or body
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return RawDocument(
        source=item_source,
        text=text,
        raw_hash=sha256(f"{link}\0{title}\0{body}"),
        meta=meta,
        html=body if is_html else "",
    )


def feed_to_raw(
    data: bytes, source: str, ctx: ReadContext, base_url: str = ""
) -> Iterator[RawDocument | Rejection]:
    """Every item of an RSS/Atom feed given as bytes (from a file, or fetched from ``base_url``)."""
    # A stream, never a URL or file name: feedparser must not fetch or open anything itself.
    try:
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers={"content-location": base_url} if base_url else None
        )
    except ValueError as exc:  # feedparser looks up a declared encoding="utf\0" as is, and codecs refuse it
        yield Rejection(
            source,
            f"malformed feed ({type(exc).__name__}: {str(exc)[:120]})",
            "check that the file is an RSS or Atom feed with a valid encoding declaration",
        )
        return
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = (
            f"malformed feed ({type(problem).__name__}: {str(problem)[:120]})"
            if parsed.get("bozo")
            else "feed has no items"
        )
        yield Rejection(
            source, reason, "check that the file is an RSS or Atom feed with <item>/<entry> elements"
        )
        return
    outlet = " ".join(str(parsed.feed.get("title", "") or "").split())
    for n, entry in enumerate(parsed.entries, 1):
        yield _entry_to_raw(entry, n, source, outlet, base_url, ctx)


class FeedReader(WholeFileReader):
    """An RSS or Atom feed file (``.rss``, ``.atom``, ``.xml``)."""

    name = "rss"
    suffixes = (".rss", ".atom", ".xml")

    def parse(self, data: bytes, source: str, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        yield from feed_to_raw(data, source, ctx)
