"""Plain-text reports: one document per .txt file."""

from __future__ import annotations

from collections.abc import Iterator

from triangulate.errors import InputError
from triangulate.ingest.decode import decode_text, sha256
from triangulate.ingest.readers.base import ReadContext, WholeFileReader
from triangulate.records import RawDocument, Rejection


class TextReader(WholeFileReader):
    """A ``.txt`` (or ``.txt.gz``) file is one report; metadata may sit in a sidecar or manifest."""

    name = "txt"
    suffixes = (".txt", ".text", ".md")

    def parse(self, data: bytes, source: str, ctx: ReadContext) -> Iterator[RawDocument | Rejection]:
        try:
            text = decode_text(data, source)
        except InputError as exc:
            yield Rejection(source, exc.message.removeprefix(f"{source}: "), exc.hint)
            return
        yield RawDocument(source=source, text=text, raw_hash=sha256(data))
