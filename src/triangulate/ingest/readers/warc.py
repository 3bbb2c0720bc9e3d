"""Web archives: every 2xx HTML or plain-text response in a WARC (or ARC) file is one document.

The WARC-Date header is crawl time, not publication time, so it is never used as the date;
only a date found in the page itself is. A truncated or corrupt archive keeps the records read
before the damage and adds one Rejection for the rest.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from triangulate.errors import InputError
from triangulate.ingest.decode import decode_text, sha256
from triangulate.ingest.readers.base import ReadContext, Reader
from triangulate.ingest.readers.html import html_to_raw
from triangulate.records import RawDocument, Rejection, SourceMeta

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
# warcio raises AttributeError on a record header cut in the middle, and the others on broken gzip.
_DAMAGED = (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError, AttributeError)
_MAGIC = (b"\x1f\x8b", b"WARC/", b"filedesc://")


def _cut_short(record: Any) -> bool:
    """True when the file ended before a (fully consumed) record's declared Content-Length."""
    return record is not None and getattr(record.raw_stream, "limit", 0) > 0


def _content_type(record: Any) -> tuple[int, str]:
    """(HTTP status, base content type) of a response or resource record."""
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode() or "200"
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        status, ctype = "200", record.rec_headers.get_header("Content-Type") or ""
    try:
        code = int(str(status).strip()[:3])
    except ValueError:
        code = 0
    return code, ctype.split(";")[0].strip().lower()


class WarcReader(Reader):
    """``.warc``, ``.warc.gz``, ``.arc`` and ``.arc.gz`` web archives (read with warcio, streamed)."""

    name = "warc"
    suffixes = (".warc", ".warc.gz", ".arc", ".arc.gz")

    def read(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        try:
            fh = path.open("rb")
        except OSError as exc:
            yield Rejection(str(path), f"cannot read ({exc.strerror})", "check the path and permissions")
            return
        with fh:
            head = fh.read(16)
            fh.seek(0)
            if not head:
                yield Rejection(str(path), "empty file", "nothing to ingest; remove it or fill it")
            elif not head.startswith(_MAGIC):
                yield Rejection(
                    str(path),
                    "not a WARC/ARC file",
                    "give a .warc/.warc.gz archive, or pass the right --format",
                )
            else:
                yield from self._records(fh, path, ctx)

    def _records(self, fh: Any, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        records = kept = inflated = 0
        last: Any = None
        damage = "the records before the damage were kept; fetch or rebuild the archive for the rest"
        archive = ArchiveIterator(fh, arc2warc=True)
        try:
            for record in archive:
                if _cut_short(last):
                    break
                records, last = records + 1, record
                length = record.rec_headers.get_header("Content-Length") or "0"
                inflated += int(length) if length.isdigit() else 0
                if inflated > ctx.settings.max_decompressed_bytes:
                    yield Rejection(
                        str(path),
                        f"archive inflates to more than {ctx.settings.max_decompressed_bytes:,} "
                        f"bytes; stopped after {records} records",
                        "split the archive or raise max_decompressed_bytes",
                    )
                    return
                item = self._convert(record, path, records, ctx)
                if item is not None:
                    kept += 1
                    yield item
        except _DAMAGED as exc:
            what = (
                "not a readable WARC/ARC file"
                if records == 0
                else f"truncated or corrupt WARC after {records} records"
            )
            yield Rejection(str(path), f"{what} ({type(exc).__name__}: {str(exc)[:120]})", damage)
            return
        if _cut_short(last):
            yield Rejection(
                str(path),
                f"truncated or corrupt WARC after {records - 1} records (record {records} is cut short)",
                damage,
            )
        elif (archive.offset or 0) < path.stat().st_size:  # warcio stops quietly at a cut gzip member
            yield Rejection(
                str(path),
                f"truncated or corrupt WARC after {records} records "
                f"(unreadable from byte {archive.offset:,})",
                damage,
            )
        elif kept == 0:
            yield Rejection(
                str(path),
                f"no HTML or text responses among {records} WARC records",
                "the archive holds no 2xx text/html or text/plain responses",
            )

    def _convert(self, record: Any, path: Path, n: int, ctx: ReadContext) -> RawDocument | Rejection | None:
        """One WARC record to a document, a Rejection, or None for records that are not pages."""
        if record.rec_type not in ("response", "resource"):
            return None
        uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
        status, ctype = _content_type(record)
        if not 200 <= status < 300 or ctype not in HTML_TYPES + TEXT_TYPES:
            log.debug("skip WARC record %s (%s %s)", uri, status, ctype)
            return None
        source, cap = f"{path}#{uri or n}", ctx.settings.max_record_bytes
        try:
            body = record.content_stream().read(cap + 1)
        except (zlib.error, ValueError, EOFError) as exc:
            return Rejection(
                source,
                f"unreadable WARC record body ({type(exc).__name__}: {exc})",
                "the record's compression is broken; the other records are still read",
            )
        if len(body) > cap:
            return Rejection(
                source,
                f"WARC record is over the max_record_bytes cap of {cap:,}",
                "raise max_record_bytes if the page is genuine",
            )
        if _cut_short(record):
            return None  # a partial page; the truncation is reported once for the whole file
        if ctype in HTML_TYPES:
            return html_to_raw(body, source, uri, ctx)
        try:
            text = decode_text(body, source)
        except InputError as exc:
            return Rejection(source, exc.message.removeprefix(f"{source}: "), exc.hint)
        return RawDocument(source=source, text=text, raw_hash=sha256(body), meta=SourceMeta(url=uri))
