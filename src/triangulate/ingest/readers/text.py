"""Plain-text reports: one document per .txt file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from triangulate.errors import InputError
from triangulate.ingest.decode import decode_text, sha256
from triangulate.ingest.readers.base import ReadContext, Reader
from triangulate.records import RawDocument, Rejection


class TextReader(Reader):
    """A ``.txt`` (or ``.txt.gz``) file is one report; metadata may sit in a sidecar or manifest."""

    name = "txt"
    suffixes = (".txt", ".text", ".md")

    def read(self, path: Path, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        try:
            data = self.load_bytes(path, ctx)
            text = decode_text(data, str(path))
        except InputError as exc:
            yield Rejection(str(path), exc.message.removeprefix(f"{path}: "), exc.hint)
            return
        yield RawDocument(source=str(path), text=text, raw_hash=sha256(data))
