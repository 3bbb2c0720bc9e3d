"""Bytes to text: encoding detection, binary refusal, bounded gzip inflation."""

from __future__ import annotations

import hashlib
import io
import re
import zlib

from charset_normalizer import from_bytes

from triangulate.errors import InputError

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
_SURROGATES = re.compile("[\ud800-\udfff]")


def sha256(data: bytes | str) -> str:
    """Hex SHA-256 of bytes or UTF-8 text."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def looks_binary(data: bytes) -> bool:
    """True when a sample holds NUL bytes or many control characters (images, PDFs, executables)."""
    sample = data[:4096]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls / len(sample) > 0.05


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as text: UTF-8 (with or without BOM) first, then a detected charset.

    Raises InputError for binary data or text that no charset explains.
    """
    if looks_binary(data):
        raise InputError(
            f"{source}: binary data, not text", "give a .txt, .html, .jsonl, .csv, .warc or feed file"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode(
            "utf-16", errors="replace"
        )  # an odd byte count or a lone surrogate is damage, not binary
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return data.decode("utf-8", errors="replace")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        # Mixed encodings in one file: keep what decodes, mark the rest.
        return data.decode("utf-8", errors="replace")


def inflate(data: bytes, source: str, cap: int) -> bytes:
    """Inflate gzip data, refusing output larger than ``cap`` bytes (zip bombs) or truncated streams."""
    out = io.BytesIO()
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pos = 0
    chunk = 1 << 16
    try:
        while pos < len(data):
            piece = decomp.decompress(data[pos : pos + chunk], cap + 1 - out.tell())
            out.write(piece)
            if out.tell() > cap:
                raise InputError(
                    f"{source}: inflates to more than {cap:,} bytes (decompression bomb?)",
                    "raise the max_decompressed_bytes setting if the file is genuine",
                )
            if decomp.unconsumed_tail:
                data = decomp.unconsumed_tail + data[pos + chunk :]
                pos = 0
                continue
            pos += chunk
            if decomp.eof and decomp.unused_data:
                data, pos = decomp.unused_data + data[pos:], 0
                decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    except zlib.error as exc:
        raise InputError(
            f"{source}: corrupt gzip data ({exc})", "re-download or re-compress the file"
        ) from exc
    if not decomp.eof:
        raise InputError(f"{source}: truncated gzip file", "the download was cut short; fetch the file again")
    return out.getvalue()


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate made U+FFFD.

    JSON may spell them (``"\\ud800"``) and ``json.loads`` keeps them, but UTF-8, and so SQLite,
    cannot hold them: one such string would fail the whole batch it is stored in.
    """
    return _SURROGATES.sub("\ufffd", text)


def single_line(text: str) -> str:
    """``text`` with line breaks, control characters and runs of spaces each made one space.

    Record ids and links from inside a file become part of a record's ``source``, which every
    one-line error message starts with.

    >>> single_line("https://a.example/x\\n\\x00 y")
    'https://a.example/x y'
    """
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def is_gzip(data: bytes) -> bool:
    """True for gzip magic bytes."""
    return data[:2] == b"\x1f\x8b"


__all__ = ["decode_text", "inflate", "is_gzip", "looks_binary", "sha256", "single_line", "without_surrogates"]
