"""The reader contract and registry, and automatic format detection."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from triangulate.errors import ConfigError, InputError
from triangulate.ingest.decode import inflate, is_gzip
from triangulate.records import RawDocument, Rejection
from triangulate.settings import Settings

READERS: dict[str, type[Reader]] = {}

FIELD_NAMES = ("text", "html", "title", "outlet", "url", "published", "id", "language")


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which record field holds which document field, e.g. ``text=content,published=dct``."""

    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: str | None) -> FieldMap:
        """Parse ``--map`` syntax: comma-separated ``ours=theirs`` pairs."""
        out: dict[str, str] = {}
        for part in (spec or "").split(","):
            if not part.strip():
                continue
            ours, sep, theirs = part.partition("=")
            ours, theirs = ours.strip(), theirs.strip()
            if not sep or not theirs or ours not in FIELD_NAMES:
                raise ConfigError(
                    f"bad --map entry {part!r}",
                    f"use NAME=FIELD with NAME one of {', '.join(FIELD_NAMES)}, e.g. text=content,published=dct",
                )
            out[ours] = theirs
        return cls(out)

    def get(self, name: str) -> str:
        """The record field holding ``name`` (itself when unmapped)."""
        return self.fields.get(name, name)


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What a reader needs besides the path: settings and the field mapping."""

    settings: Settings = field(default_factory=Settings)
    field_map: FieldMap = field(default_factory=FieldMap)


class Reader(ABC):
    """Base class: subclasses set ``name`` and ``suffixes`` and implement :meth:`read`."""

    name: str = ""
    suffixes: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            READERS[cls.name] = cls

    @abstractmethod
    def read(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        """Yield one record per document in ``path``; never raise for one bad record."""

    @staticmethod
    def load_bytes(path: Path, ctx: ReadContext) -> bytes:
        """Read a whole file within the size caps, inflating gzip. Raises InputError."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(
                f"{path}: cannot read ({exc.strerror})", "check the path and permissions"
            ) from exc
        if size > ctx.settings.max_file_bytes:
            raise InputError(
                f"{path}: file is {size / 1e6:.0f} MB, over the {ctx.settings.max_file_bytes / 1e6:.0f} MB cap",
                "split it, use JSONL for many documents, or raise max_file_bytes",
            )
        if size == 0:
            raise InputError(f"{path}: empty file", "nothing to ingest; remove it or fill it")
        data = path.read_bytes()
        if is_gzip(data):
            data = inflate(data, str(path), ctx.settings.max_decompressed_bytes)
        return data


class WholeFileReader(Reader):
    """A reader of formats read whole (one page, one feed, one text): loading, caps and the
    rejection of unreadable files happen once here; subclasses implement :meth:`parse`."""

    def read(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        try:
            data = self.load_bytes(path, ctx)
        except InputError as exc:
            yield Rejection(str(path), exc.message.removeprefix(f"{path}: "), exc.hint)
            return
        yield from self.parse(data, str(path), ctx)

    @abstractmethod
    def parse(self, data: bytes, source: str, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        """Turn the file's bytes into records."""


def _sniff(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return "txt"
    if is_gzip(head):
        return "txt"
    lowered = head.lstrip().lower()
    if lowered.startswith(b"warc/"):
        return "warc"
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<rss") or lowered.startswith(b"<feed"):
        if b"<rss" in lowered or b"<feed" in lowered or b"<rdf" in lowered:
            return "rss"
    if lowered.startswith(b"<!doctype html") or lowered.startswith(b"<html"):
        return "html"
    lines = [ln.strip() for ln in head.decode("utf-8", "replace").splitlines() if ln.strip()]
    if lines and all(ln.startswith(("http://", "https://")) and " " not in ln for ln in lines[:50]):
        return "urls"
    return "txt"


def detect_format(path: Path) -> str:
    """Pick a reader by file name, then by content for ambiguous names."""
    _load_builtin_readers()
    name = path.name.lower()
    for suffix in (".gz",):
        if name.endswith(suffix) and not name.endswith(".warc.gz"):
            name = name[: -len(suffix)]
    for reader in READERS.values():
        if any(name.endswith(s) for s in reader.suffixes):
            if reader.name == "txt" and _sniff(path) == "urls":
                return "urls"
            return reader.name
    return _sniff(path)


def reader_for(fmt: str) -> Reader:
    """Instantiate the reader registered under ``fmt``."""
    _load_builtin_readers()
    if fmt not in READERS:
        raise ConfigError(f"unknown format {fmt!r}", f"use one of auto, {', '.join(sorted(READERS))}")
    return READERS[fmt]()


def _load_builtin_readers() -> None:
    import importlib

    for module in ("text", "html", "tabular", "warc", "feeds", "urls"):
        try:
            importlib.import_module(f"triangulate.ingest.readers.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"triangulate.ingest.readers.{module}":
                raise
