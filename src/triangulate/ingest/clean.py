"""Plain-text cleaning: drop page furniture, captions, repeated lines and outlet footers.

What is dropped that carries information (source and credit lines, a byline date, a
dateline, the outlet named in a footer) is returned as :class:`Furniture` for metadata.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from triangulate.ingest import boilerplate as bp

_BULLETS = " \t•·●▪■►▶-–—*|>"
_WS = re.compile(r"[ \t\u00a0\u2000-\u200b]+")


@dataclass(slots=True)
class Furniture:
    """Information found in the lines that cleaning removed."""

    title: str = ""
    source_outlet: str = ""
    cited_sources: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    footer_outlet: str = ""
    date_lines: list[str] = field(default_factory=list)
    dateline: str = ""
    dateline_agency: str = ""
    site_name: str = ""
    removed: int = 0


@dataclass(slots=True)
class CleanText:
    """Clean text (headline first, then paragraphs) and what cleaning found."""

    text: str
    furniture: Furniture


def _norm_line(line: str) -> str:
    return _WS.sub(" ", line).strip()


def _key(line: str) -> str:
    return re.sub(r"\W+", " ", line.casefold()).strip()


def split_names(names: str) -> list[str]:
    """Split 'AP, Reuters, AFP, and dpa' into outlet names."""
    names = bp.PHOTO_CREDIT.sub("", names)
    parts = re.split(r"\s*(?:,|;|/|\band\b|&)\s*", names)
    return [p.strip(" .") for p in parts if p.strip(" .") and len(p.strip()) < 60]


_DATE_ONLY = re.compile(
    r"^(?:(?:published|updated|posted|first published|last updated|date)\s*:?\s*)?(?:on\s+)?"
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
    r"(?:\s*(?:,|at|-|\||·|•)?\s*\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:[a-z]{2,4}|gmt\s*[+-]?\d*|utc\s*[+-]?\d*)?)?\.?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:[Bb]y|BY)\s+[A-Z][\w.'\- ]{1,60}(?:\s*[|,–—-]\s*(?P<rest>.*))?$")
_CORRESPONDENT = re.compile(r"^(?:our|staff|special)\s+correspondent\s*[|,–—-]\s*(?P<rest>.*)$", re.I)


def is_date_line(line: str) -> bool:
    """A line holding only a date (and maybe a time): a byline date."""
    return bool(_DATE_ONLY.match(line.strip()))


def _furniture_line(line: str) -> bool:
    bare = line.strip(_BULLETS + ".:!")
    words = len(bare.split())
    return (
        bool(bp.FURNITURE.match(bare))
        or (words <= 30 and bool(bp.CAPTION.search(line)))
        or (words <= 60 and bool(bp.SITE_CHROME.match(bare)))
    )


def clean_text(raw: str, title_hint: str = "") -> CleanText:
    """Clean a plain-text report. The headline comes first, once; paragraphs follow."""
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_norm_line(x) for x in raw.split("\n")]
    found = Furniture()
    kept: list[str] = []
    seen: set[str] = set()
    nonempty = [i for i, x in enumerate(lines) if x]
    tail_start = nonempty[int(len(nonempty) * 0.5)] if nonempty else 0
    for index, line in enumerate(lines):
        if not line:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if index >= tail_start and bp.FOOTER_START.match(line.strip(_BULLETS)):
            match = bp.FOOTER_START.match(line.strip(_BULLETS))
            outlet = (match.group("outlet_a") or match.group("outlet_b") or "") if match else ""
            found.footer_outlet = found.footer_outlet or outlet.strip()
            if not found.footer_outlet:
                m2 = bp.OUTLET_IN_FOOTER.search(line)
                found.footer_outlet = m2.group("outlet").strip() if m2 else ""
            found.removed += sum(1 for x in lines[index:] if x)
            break
        if _furniture_line(line):
            found.removed += 1
            continue
        if bp.CREDIT_TRAILER.match(line.strip(_BULLETS)) and not _byline_date(line):
            found.removed += 1
            continue
        source = bp.SOURCE_LINE.match(line.strip(_BULLETS))
        if source:
            names = split_names(source.group("names"))
            if source.group("label").lower() == "source" and len(names) == 1:
                found.source_outlet = names[0]
            else:
                found.cited_sources.extend(names)
            found.removed += 1
            continue
        credit = bp.CREDIT_LINE.match(line.strip(_BULLETS))
        if credit:
            found.credits.extend(split_names(credit.group("names")))
            found.removed += 1
            continue
        if len(kept) < 12 and (is_date_line(line) or _byline_date(line)):
            found.date_lines.append(_byline_date(line) or line)
            found.removed += 1
            continue
        if _BYLINE.match(line) and len(kept) < 12:
            found.removed += 1
            continue
        key = _key(line)
        if key and key in seen:
            found.removed += 1
            continue
        seen.add(key)
        kept.append(line)
    paragraphs = _join_wrapped([x for x in _trim(kept)])
    if title_hint:
        hint_key = _key(title_hint)
        paragraphs = [p for p in paragraphs if _key(p) != hint_key]
        found.title = title_hint.strip()
    elif len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        found.title = paragraphs.pop(0)
    found.title, found.site_name = split_headline(found.title)
    if paragraphs:
        _take_dateline(paragraphs[0], found)
    body = "\n\n".join(paragraphs)
    text = f"{found.title}\n\n{body}" if found.title and body else (found.title or body)
    return CleanText(text=text, furniture=found)


_SITE_SEPARATOR = re.compile(r"\s+(?:\||«|»|::|-|–|—)\s+(?P<site>[^|«»]{2,60})$")
_DOMAIN = re.compile(r"\b[\w-]+\.(?:com|org|net|co\.uk|tv|us|news|info)\b", re.I)


def split_headline(title: str) -> tuple[str, str]:
    """A headline without the site name pages append to it: 'Man shot in Kensington | 6abc.com' ->
    ('Man shot in Kensington', '6abc.com'); 'Two Wounded « CBS Chicago' -> ('Two Wounded', 'CBS Chicago').

    A dash separates a site only when what follows is a domain or a few capitalised words."""
    match = _SITE_SEPARATOR.search(title)
    if not match:
        return title, ""
    site, sep = match.group("site").strip(), match.group(0).split()[0]
    words = site.split()
    short = len(words) <= 6
    named = all(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha() for w in words)
    if (
        sep in ("|", "«", "»", "::")
        and short
        or _DOMAIN.search(site)
        or (short and named and len(words) <= 4)
    ):
        head = title[: match.start()].rstrip()
        if len(head.split()) >= 3:
            nested, inner = split_headline(head) if sep in ("|", "«", "»") else (head, "")
            return (nested, f"{inner} | {site}" if inner else site)
    return title, ""


def _byline_date(line: str) -> str:
    for pattern in (_BYLINE, _CORRESPONDENT):
        match = pattern.match(line)
        if match and match.group("rest"):
            rest = re.sub(
                r"^(?:published|updated|posted)\s*:?\s*", "", match.group("rest").strip(), flags=re.I
            )
            if is_date_line(rest):
                return rest
    return ""


def _trim(lines: list[str]) -> list[str]:
    while lines and lines[0] == "":
        lines.pop(0)
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 30 and not (line.endswith(".") and len(words) > 20)


_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ":", ")", "]")


def _join_wrapped(lines: list[str]) -> list[str]:
    """Blank lines and line breaks both end paragraphs, except hard-wrapped prose lines."""
    paragraphs: list[str] = []
    for line in lines:
        if line == "":
            continue
        prev = paragraphs[-1] if paragraphs else ""
        wrapped = prev and not prev.endswith(_SENTENCE_END) and line[:1].islower() and len(prev) > 50
        if wrapped:
            paragraphs[-1] = f"{prev} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def _take_dateline(first: str, found: Furniture) -> None:
    match = bp.DATELINE.match(first)
    if not match:
        return
    place = match.group("place").strip()
    if (
        len(place) < 3
        or not place.replace(" ", "").replace(".", "").replace("-", "").replace("'", "").isupper()
    ):
        return
    found.dateline = place.title()
    found.dateline_agency = (match.group("agency") or "").strip()
    if match.group("date"):
        found.date_lines.append(match.group("date"))


def normalise_for_hash(text: str) -> str:
    """Text as compared for exact duplicates: case, punctuation and spacing ignored."""
    return re.sub(r"\W+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()
