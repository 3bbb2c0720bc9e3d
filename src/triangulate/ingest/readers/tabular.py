"""Many documents per file: JSON Lines (``.jsonl``, ``.ndjson``, gzipped or not), JSON, CSV and TSV.

Files are streamed line by line, so size is bounded per record (``max_record_bytes``) and, for
gzip, by ``max_decompressed_bytes``; never by the file. Each bad line or row becomes a
Rejection naming ``file:line``; the rest of the file is still read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from triangulate.errors import InputError
from triangulate.ingest.decode import (
    decode_text,
    is_gzip,
    looks_binary,
    sha256,
    single_line,
    without_surrogates,
)
from triangulate.ingest.readers.base import FieldMap, ReadContext, Reader
from triangulate.ingest.readers.html import html_to_raw
from triangulate.records import RawDocument, Rejection, SourceMeta

_CHUNK = 1 << 16
Line = tuple[int, str | None]  # (line number, decoded line, or None when over the record cap)


def _open(path: Path) -> io.BufferedReader | gzip.GzipFile:
    with path.open("rb") as probe:
        gzipped = is_gzip(probe.read(2))
    return gzip.open(path, "rb") if gzipped else path.open("rb")  # type: ignore[return-value]


class StreamError(InputError):
    """A file that stops being readable part-way (truncated gzip, decompression bomb)."""

    def __init__(self, where: str, reason: str, hint: str) -> None:
        super().__init__(f"{where}: {reason}", hint)
        self.where, self.reason = where, reason


def _decode_line(data: bytes, guess: list[str]) -> str:
    """UTF-8 first, then the encoding guessed for an earlier line, then a fresh guess. Never raises."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if guess:
        try:
            return data.decode(guess[0])
        except (UnicodeDecodeError, LookupError):
            guess.clear()
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
            guess.append(best.encoding)
            return text
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", errors="replace")


def stream_lines(path: Path, ctx: ReadContext) -> Iterator[Line]:
    """Decoded lines with numbers, bounded per line and, for gzip, in total. Raises StreamError."""
    cap, total_cap = ctx.settings.max_record_bytes, ctx.settings.max_decompressed_bytes
    total, n, guess = 0, 0, list[str]()
    with _open(path) as fh:
        gzipped = isinstance(fh, gzip.GzipFile)
        try:
            text_fh = (
                io.TextIOWrapper(fh, "utf-16", "replace", newline="")
                if fh.peek(2)[:2] in (b"\xff\xfe", b"\xfe\xff")
                else None
            )
            read = text_fh.readline if text_fh else fh.readline
            while raw := read(cap + 1):
                n, total = n + 1, total + len(raw)
                too_long = len(raw) > cap
                while (
                    too_long and raw and raw[-1:] not in ("\n", b"\n") and not (gzipped and total > total_cap)
                ):
                    raw = read(_CHUNK)
                    total += len(raw)
                if gzipped and total > total_cap:
                    raise StreamError(
                        f"{path}:{n}",
                        f"inflates to more than {total_cap:,} bytes (decompression bomb?)",
                        "raise the max_decompressed_bytes setting if the file is genuine",
                    )
                if too_long:
                    yield n, None
                elif isinstance(raw, str):
                    yield n, raw.removeprefix("\ufeff") if n == 1 else raw
                else:
                    yield n, _decode_line(raw.removeprefix(b"\xef\xbb\xbf") if n == 1 else raw, guess)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise StreamError(
                f"{path}:{n + 1}",
                f"truncated or corrupt gzip data after {n} lines ({exc})",
                "the file was cut short; fetch or compress it again",
            ) from exc


def _text_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    return None


def record_to_raw(
    record: dict[str, Any], where: str, source: str, raw_hash: str, ctx: ReadContext
) -> RawDocument | Rejection:
    """One JSON object or CSV row to a RawDocument, using ``ctx.field_map``; Rejection if unusable.

    ``where`` names the record in rejections (``file:line``); ``source`` is ``file#N``, where the
    record's own id, when it has one, replaces ``N``.
    """
    fm = ctx.field_map

    def get(name: str) -> str:
        value = record.get(fm.get(name))
        return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()

    ext_id = get("id")
    name = single_line(ext_id)  # the id becomes part of the source, which error lines start with
    source = f"{source.rpartition('#')[0]}#{name}" if name and "#" in source else source
    meta = SourceMeta(
        title=get("title"),
        outlet=get("outlet"),
        url=get("url"),
        published=get("published"),
        external_id=ext_id,
        language=get("language"),
    )
    text_field, html_field = fm.get("text"), fm.get("html")
    text = _text_of(record.get(text_field))
    if text is None and record.get(text_field) is not None:
        return Rejection(
            where,
            f"field {text_field!r} is a {type(record[text_field]).__name__}, not text",
            "map a text field with --map text=FIELD",
        )
    if not (text or "").strip() and isinstance(record.get(html_field), str) and record[html_field].strip():
        page = html_to_raw(record[html_field], source, meta.url, ctx)
        if isinstance(page, Rejection):
            return Rejection(where, page.reason, page.hint)
        merged = SourceMeta(
            **{
                k: getattr(meta, k) or getattr(page.meta, k)
                for k in ("title", "outlet", "url", "published", "external_id", "language")
            }
        )
        return RawDocument(source=source, text=page.text, raw_hash=raw_hash, meta=merged, html=page.html)
    if not (text or "").strip():
        state = "empty" if text_field in record else "no"
        # A field name may hold a newline or a control character; the hint must stay on one line.
        fields = ", ".join(str(k) if str(k).isprintable() else repr(k) for k in list(record)[:20]) or "none"
        return Rejection(
            where, f"{state} {text_field!r} field", f"map it with --map text=FIELD; fields here: {fields}"
        )
    text = text or ""
    if meta.title and not text.lstrip().startswith(meta.title):
        text = f"{meta.title}\n\n{text}"  # headline first, as in every other reader
    return RawDocument(source=source, text=text, raw_hash=raw_hash, meta=meta)


def _valid_strings(value: Any) -> Any:
    """A field's string, or list of strings, without lone surrogates; other values as they are."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        return [without_surrogates(v) if isinstance(v, str) else v for v in value]
    return value


def _json_record(value: Any, where: str, source: str, size: int, ctx: ReadContext) -> RawDocument | Rejection:
    if size > ctx.settings.max_record_bytes:
        return Rejection(
            where,
            f"record is {size:,} bytes, over the max_record_bytes cap of {ctx.settings.max_record_bytes:,}",
            "split the record or raise max_record_bytes",
        )
    if not isinstance(value, dict):
        return Rejection(
            where, f"a JSON {type(value).__name__}, not an object", "give one JSON object per line"
        )
    value = {k: _valid_strings(v) for k, v in value.items()}
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return record_to_raw(value, where, source, sha256(canonical), ctx)


class JsonlReader(Reader):
    """JSON Lines (one object per line) and ``.json`` files holding an object or a list of objects."""

    name = "jsonl"
    suffixes = (".jsonl", ".ndjson", ".jsonl.gz", ".json")

    def read(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        if path.name.lower().removesuffix(".gz").endswith(".json"):
            yield from self._read_json(path, ctx)
            return
        yield from self._read_lines(path, ctx)

    def _read_json(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        try:
            text = decode_text(self.load_bytes(path, ctx), str(path))
            value = json.loads(text)
        except InputError as exc:
            yield Rejection(str(path), exc.message.removeprefix(f"{path}: "), exc.hint)
            return
        except RecursionError:
            yield Rejection(str(path), "JSON nested too deeply", "flatten the JSON")
            return
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data":  # JSON Lines in a .json file
                yield from self._read_lines(path, ctx)
                return
            yield Rejection(
                f"{path}:{exc.lineno}",
                f"invalid JSON ({exc.msg})",
                "fix the JSON, e.g. check it with `python -m json.tool`",
            )
            return
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items, 1):
            size = len(json.dumps(item, ensure_ascii=False))
            where = f"{path}[{i}]" if isinstance(value, list) else str(path)
            yield _json_record(
                item, where, f"{path}#{i}" if isinstance(value, list) else str(path), size, ctx
            )

    def _read_lines(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        n, first = 0, True
        try:
            for n, line in stream_lines(path, ctx):
                where = f"{path}:{n}"
                if line is None:
                    yield Rejection(
                        where,
                        f"line is over the max_record_bytes cap of {ctx.settings.max_record_bytes:,}",
                        "split the record or raise max_record_bytes",
                    )
                    continue
                if not line.strip():
                    continue
                if first and looks_binary(line.encode("utf-8", "replace")):
                    yield Rejection(
                        str(path),
                        "binary data, not JSON Lines",
                        "give a UTF-8 text file with one JSON object per line",
                    )
                    return
                first = False
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Rejection(
                        where,
                        f"invalid JSON ({exc.msg})",
                        "fix or remove the line; each line must be one JSON object",
                    )
                    continue
                except RecursionError:
                    yield Rejection(where, "JSON nested too deeply", "flatten the record")
                    continue
                yield _json_record(value, where, f"{path}#{n}", len(line.encode("utf-8", "replace")), ctx)
        except StreamError as exc:
            yield Rejection(exc.where, exc.reason, exc.hint)


class _Lines:
    """Lines fed to ``csv.reader``; the lines of a bad multi-line row can be pushed back and re-read."""

    def __init__(self, lines: Iterator[Line], cap: int) -> None:
        self.lines, self.back, self.cap = lines, deque[tuple[int, str | None]](), cap
        self.current: list[tuple[int, str | None]] = []
        self.size = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        n, line = self.back.popleft() if self.back else next(self.lines)
        self.current.append((n, line))
        self.size += len(line or "")
        if line is None or self.size > self.cap:
            raise csv.Error(f"row is over the max_record_bytes cap of {self.cap:,}")
        return line

    def start(self) -> None:
        self.current, self.size = [], 0

    def retry_rest(self) -> None:
        """Drop the first line of the current row and read the others again."""
        self.back.extendleft(reversed(self.current[1:]))


def _names(columns: list[str]) -> str:
    shown = ", ".join(c if c.isprintable() else repr(c) for c in columns[:30])
    return shown + (f" (and {len(columns) - 30} more)" if len(columns) > 30 else "")


def _header_problem(header: list[str], fm: FieldMap) -> str:
    """Why no row of this file can be read with ``--map``, said once for the file; empty when fine."""
    missing = [f"{ours}={theirs}" for ours, theirs in fm.fields.items() if theirs not in header]
    if missing:
        return f"--map names {'a column' if len(missing) == 1 else 'columns'} not in the header: {', '.join(missing)}"
    if fm.get("text") not in header and fm.get("html") not in header:
        return f"no {fm.get('text')!r} column for the report text"
    return ""


class CsvReader(Reader):
    """CSV or TSV with a header row; each row is one document (columns chosen with ``--map``)."""

    name = "csv"
    suffixes = (".csv", ".tsv")

    def read(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        csv.field_size_limit(max(csv.field_size_limit(), ctx.settings.max_record_bytes))
        lines = _Lines(stream_lines(path, ctx), ctx.settings.max_record_bytes)
        try:
            first = next(lines)
        except StopIteration:
            yield Rejection(str(path), "empty file", "nothing to ingest; remove it or fill it")
            return
        except csv.Error as exc:
            yield Rejection(str(path), f"unreadable header row ({exc})", "give a CSV file with a header row")
            return
        except StreamError as exc:
            yield Rejection(exc.where, exc.reason, exc.hint)
            return
        if looks_binary(first.encode("utf-8", "replace")):
            yield Rejection(str(path), "binary data, not CSV", "give a text CSV file with a header row")
            return
        lines.back.append(lines.current[0])
        delimiter = (
            "\t" if path.name.lower().removesuffix(".gz").endswith(".tsv") else max(",;\t|", key=first.count)
        )
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        header: list[str] = []
        while True:
            lines.start()
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield self._bad(path, lines, str(exc))
                continue
            except StreamError as exc:
                yield Rejection(exc.where, exc.reason, exc.hint)
                break
            if not row:
                continue
            if not header:
                header = [h.strip() for h in row]
                problem = _header_problem(header, ctx.field_map)
                if problem:
                    yield Rejection(str(path), problem, f"fix --map; the columns here are: {_names(header)}")
                    return
                continue
            n = lines.current[0][0]
            if len(row) > len(header) or (len(row) != len(header) and len(lines.current) > 1):
                yield self._bad(path, lines, f"row has {len(row)} fields, the header has {len(header)}")
                continue
            record = dict(zip(header, row + [""] * (len(header) - len(row)), strict=True))
            raw_hash = sha256(json.dumps(row, ensure_ascii=False))
            yield record_to_raw(record, f"{path}:{n}", f"{path}#{n}", raw_hash, ctx)

    @staticmethod
    def _bad(path: Path, lines: _Lines, problem: str) -> Rejection:
        n = lines.current[0][0] if lines.current else "?"
        lines.retry_rest()
        return Rejection(
            f"{path}:{n}",
            f"bad CSV row: {problem}",
            'check the quoting (an unclosed " swallows the lines after it) and the delimiter',
        )
