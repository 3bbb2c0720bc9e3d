"""HTML pages: main text and metadata extracted with trafilatura, boilerplate left behind.

:func:`html_to_raw` is the one HTML-to-document step; the WARC, feed and URL readers reuse it.
"""

from __future__ import annotations

import codecs
import importlib
import logging
import re
import sys
import types
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from triangulate.errors import InputError
from triangulate.ingest.decode import decode_text, looks_binary, sha256
from triangulate.ingest.readers.base import ReadContext, WholeFileReader
from triangulate.records import RawDocument, Rejection, SourceMeta

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?""", re.IGNORECASE
)
NO_TEXT_HINT = (
    "the page holds no article body (index page, paywall, script-only page?); give the article page"
)


@cache
def _trafilatura() -> Any:
    """Import trafilatura, tolerating a missing ``lxml_html_clean``.

    trafilatura imports justext, which imports ``lxml.html.clean`` at module level; lxml 5.2+
    moved that module to the separate ``lxml_html_clean`` package. trafilatura only uses
    justext's paragraph classifier, never its ``Cleaner``, so when the package is missing we
    import with a stand-in module (present only during the import) whose ``Cleaner`` refuses to
    run. Install ``lxml_html_clean`` to make this unnecessary.
    """
    try:
        importlib.import_module("lxml.html.clean")
    except ImportError:
        log.debug("lxml_html_clean is missing; importing trafilatura with a stand-in lxml.html.clean")
        stub = types.ModuleType("lxml.html.clean")

        class Cleaner:
            def __init__(self, *args: object, **kwargs: object) -> None:
                raise ImportError("lxml.html.clean is not installed (pip install lxml_html_clean)")

        stub.Cleaner = Cleaner  # type: ignore[attr-defined]
        sys.modules["lxml.html.clean"] = stub
        try:
            return importlib.import_module("trafilatura")
        finally:
            sys.modules.pop("lxml.html.clean", None)
    return importlib.import_module("trafilatura")


def decode_html(data: bytes, source: str) -> str:
    """Decode HTML bytes: a BOM first, then ``<meta charset>``, then UTF-8 or a detected charset."""
    for bom, codec_name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec_name, errors="replace")
    if looks_binary(data):
        raise InputError(f"{source}: binary data, not HTML", "give an .html page, or the right --format")
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            codec = codecs.lookup(match.group(1).decode("ascii"))
        except LookupError:
            codec = None
        if codec is not None and not codec.name.startswith(("utf-16", "utf-32")):
            # Pages labelled latin-1 or ascii are really windows-1252, as browsers assume.
            name = "cp1252" if codec.name in ("iso8859-1", "ascii") else codec.name
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                if name != "utf-8":  # a page mislabelled utf-8 is left to detection below
                    return data.decode(name, errors="replace")
    return decode_text(data, source)


def _extract(html: str, url: str) -> Any:
    """trafilatura's main text and metadata, or None. Malformed markup never raises."""
    trafilatura = _trafilatura()
    try:
        return trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
        )
    except (ValueError, TypeError, AttributeError, IndexError, RecursionError, etree.LxmlError) as exc:
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None


def _netloc(url: str) -> str:
    """The host part of ``url``; '' for an address urllib refuses ('https://[::1/', an unclosed IPv6 bracket)."""
    try:
        return urlsplit(url).netloc
    except ValueError:
        return ""


def html_to_raw(
    html: bytes | str, source: str, url: str = "", ctx: ReadContext | None = None, *, cap: int | None = None
) -> RawDocument | Rejection:
    """Turn one HTML page into a RawDocument (headline first line, then the main text) or a Rejection.

    Args:
        html: the page, as bytes (charset detected) or text.
        source: what to call the page in records and messages (a path, ``file#uri`` or URL).
        url: the page's address, if known; the page's canonical URL is used otherwise.
        ctx: read context (settings).
        cap: largest page accepted, in bytes; ``max_record_bytes`` when omitted.

    Returns:
        A RawDocument with ``meta`` filled from the page (title, outlet from the site name,
        url, published date, language), or a Rejection with a reason and a hint.
    """
    ctx = ctx or ReadContext()
    raw = html if isinstance(html, bytes) else html.encode("utf-8", "surrogatepass")
    cap = ctx.settings.max_record_bytes if cap is None else cap
    if len(raw) > cap:
        return Rejection(
            source,
            f"page is {len(raw):,} bytes, over the {cap:,} byte cap",
            "raise max_record_bytes (max_file_bytes for .html files) if the page is genuine",
        )
    try:
        text = html if isinstance(html, str) else decode_html(html, source)
    except InputError as exc:
        return Rejection(source, exc.message.removeprefix(f"{source}: "), exc.hint)
    if not text.strip():
        return Rejection(source, "empty HTML page", "nothing to ingest; remove it or fill it")
    doc = _extract(text, url)
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body:
        return Rejection(source, "no article text found in the HTML", NO_TEXT_HINT)
    title = (doc.title or "").strip()
    if (
        len(body.removeprefix(title).strip()) < ctx.settings.min_text_chars
    ):  # a nav link or a caption, not an article
        return Rejection(source, "no article text found in the HTML", NO_TEXT_HINT)
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    lang = _HTML_LANG.search(text[:4096])
    outlet = (doc.sitename or "").strip()
    hosts = {h.lower().removeprefix("www.") for h in (doc.hostname or "", _netloc(url or doc.url or "")) if h}
    if outlet.lower().removeprefix("www.") in hosts:
        outlet = ""  # trafilatura's fallback is the host name; leave the outlet to credit lines and the URL
    meta = SourceMeta(
        title=title,
        outlet=outlet,
        url=url or (doc.url or ""),
        published=doc.date or "",
        language=(doc.language or (lang.group(1) if lang else "")).lower(),
    )
    return RawDocument(source=source, text=body, raw_hash=sha256(raw), meta=meta, html=text)


class HtmlReader(WholeFileReader):
    """An ``.html`` file (or ``.html.gz``) is one article page."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml")

    def parse(self, data: bytes, source: str, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        yield html_to_raw(data, source, "", ctx, cap=ctx.settings.max_file_bytes)
