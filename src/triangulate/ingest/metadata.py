"""Document metadata: the publication date with precision and origin, the outlet, the title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from dateutil import parser as dateparser

from triangulate.ingest.clean import Furniture
from triangulate.records import DateSource, Precision, SourceMeta

_DEFAULT_A = datetime(2001, 1, 1)
_DEFAULT_B = datetime(2002, 2, 2)


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """A document's own date: ISO value, precision, and where it came from."""

    value: str = ""
    precision: Precision = "unknown"
    source: DateSource = "unknown"


def parse_date(text: str) -> tuple[str, Precision]:
    """Parse one date string, returning the ISO value truncated to its real precision.

    >>> parse_date("03 December, 2015")
    ('2015-12-03', 'day')
    >>> parse_date("2024-03")
    ('2024-03', 'month')
    """
    text = text.strip()
    if not text:
        return "", "unknown"
    # ASCII digits only (\d also takes '٢٠١٥'), and only real years and months: never '0000' or '2024-13'.
    if re.fullmatch(r"(?!0000)[0-9]{4}", text):
        return text, "year"
    if re.fullmatch(r"(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])", text):
        return text, "month"
    cleaned = re.sub(
        r"^(?:published|updated|posted|first published|last updated|date)\s*:?\s*", "", text, flags=re.I
    )
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    try:
        a = dateparser.parse(cleaned, default=_DEFAULT_A, fuzzy=True)
        b = dateparser.parse(cleaned, default=_DEFAULT_B, fuzzy=True)
    except (ValueError, ArithmeticError, TypeError):  # dateutil raises decimal.InvalidOperation on some noise
        return "", "unknown"
    if a is None or b is None:
        return "", "unknown"
    if a.year != b.year:
        return "", "unknown"
    if a.month != b.month:
        return f"{a.year:04d}", "year"
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}", "month"
    return f"{a.year:04d}-{a.month:02d}-{a.day:02d}", "day"


def published_date(meta: SourceMeta, furniture: Furniture) -> PublishedDate:
    """Choose the publication date: metadata first, then a byline or dateline date stated in full."""
    if meta.published:
        value, precision = parse_date(meta.published)
        if value:
            return PublishedDate(value, precision, "metadata")
    for line in furniture.date_lines:
        value, precision = parse_date(line)
        if value and precision == "day":
            return PublishedDate(value, precision, "byline")
    for line in furniture.date_lines:
        value, precision = parse_date(line)
        if value:
            return PublishedDate(value, precision, "inferred")
    return PublishedDate()


_DOMAIN_OUTLETS = {"apnews.com": "AP", "reuters.com": "Reuters", "bbc.co.uk": "BBC", "bbc.com": "BBC"}


def outlet_from_url(url: str) -> str:
    """A readable outlet name from a URL's host ('www.mirror.co.uk' -> 'mirror.co.uk')."""
    try:
        host = urlparse(url).hostname or ""
    except ValueError:
        return ""
    if host in ("web.archive.org", "archive.org", "archive.ph"):
        inner = re.search(r"https?://[^/]+/\w+/(https?://[^ ]+)", url) or re.search(
            r"/(https?://[^ ]+)", url[8:]
        )
        return outlet_from_url(inner.group(1)) if inner else ""
    host = re.sub(r"^(?:www\d?|m|mobile|amp|edition)\.", "", host.lower())
    return _DOMAIN_OUTLETS.get(host, host)


def choose_outlet(meta: SourceMeta, furniture: Furniture) -> tuple[str, str]:
    """The publishing outlet and where it was found: metadata, credit line, footer, or URL.

    Cited sources ("Sources: A, B") and wire credits ("With reporting by AP") are not the
    publisher; they are kept separately.
    """
    if meta.outlet:
        return meta.outlet, "metadata"
    if furniture.source_outlet:
        return furniture.source_outlet, "credit-line"
    if furniture.footer_outlet:
        return furniture.footer_outlet, "footer"
    if meta.url:
        host = outlet_from_url(meta.url)
        if host:
            return host, "url"
    return "", ""
