"""Coverage-guided fuzzing (atheris/libFuzzer) of every reader, offline.

The first input byte picks a reader and a file suffix; the rest is the file. A reader may yield
records or raise triangulate's own errors; any other exception, or a Rejection without a reason and
a hint on one line, is a crash. URL fetches are answered from the input itself, never the network.

    .venv/bin/python fuzz/fuzz_readers.py -atheris_runs=200000
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["triangulate"]):
    import httpx

    from triangulate.errors import FetchError, TriangulateError
    from triangulate.ingest import fetch
    from triangulate.ingest.readers import feeds, html, tabular, text, urls, warc  # noqa: F401 - instrumented here
    from triangulate.ingest.readers.base import ReadContext, detect_format, reader_for
    from triangulate.records import Rejection
    from triangulate.settings import Settings

TARGETS = [
    ("txt", ".txt"),
    ("txt", ".txt.gz"),
    ("html", ".html"),
    ("jsonl", ".jsonl"),
    ("jsonl", ".json"),
    ("jsonl", ".jsonl.gz"),
    ("csv", ".csv"),
    ("csv", ".tsv"),
    ("warc", ".warc"),
    ("warc", ".warc.gz"),
    ("rss", ".rss"),
    ("urls", ".urls"),
    ("auto", ".bin"),
]
CONTEXTS = [
    ReadContext(Settings(follow_feed_links=False)),
    ReadContext(Settings(fetch_retries=0)),
    ReadContext(
        Settings(max_file_bytes=3000, max_record_bytes=1500, max_decompressed_bytes=6000, fetch_retries=0)
    ),
]
CONTENT_TYPES = ["text/html", "application/rss+xml", "text/plain", "", "image/png"]
_WORKDIR = Path(tempfile.mkdtemp(prefix="triangulate-fuzz-"))
atexit.register(shutil.rmtree, _WORKDIR, ignore_errors=True)
_page = b""


def _refuse(host: str, port: int) -> list[str]:
    raise FetchError(f"cannot resolve host {host!r} (fuzzing is offline)", "none")


def _send(client: httpx.Client, url: str) -> httpx.Response:
    """Every URL answers 200 with a content type and body taken from the fuzz input."""
    ctype = CONTENT_TYPES[len(url) % len(CONTENT_TYPES)]
    return httpx.Response(200, content=_page, headers={"content-type": ctype})


def test_one_input(data: bytes) -> None:
    """One fuzz input: pick a reader and a context, write the file, read it, check the records."""
    global _page
    if len(data) < 2:
        return
    fmt, suffix = TARGETS[data[0] % len(TARGETS)]
    ctx = CONTEXTS[data[1] % len(CONTEXTS)]
    body = data[2:]
    _page = body[len(body) // 2 :]
    path = _WORKDIR / f"input{suffix}"
    path.write_bytes(body)
    reader = reader_for(detect_format(path) if fmt == "auto" else fmt)
    try:
        records = list(reader.read(path, ctx))
    except TriangulateError as exc:
        if not exc.message or "\n" in str(exc):
            raise AssertionError(f"error not on one line: {exc!r}") from exc
        return
    for record in records:
        if isinstance(record, Rejection) and not (
            record.reason and record.hint and "\n" not in record.line()
        ):
            raise AssertionError(f"bad rejection: {record!r}")


def write_seeds(folder: Path) -> None:
    """Seed a corpus folder with the reader fixtures of the test suite, one input per matching target."""
    resources = Path(__file__).resolve().parents[1] / "tests" / "resources" / "readers"
    folder.mkdir(parents=True, exist_ok=True)
    for resource in sorted(resources.iterdir()):
        for n, (_fmt, suffix) in enumerate(TARGETS):
            if resource.suffix in (
                suffix,
                {".htm": ".html", ".ndjson": ".jsonl", ".atom": ".rss"}.get(resource.suffix),
            ):
                (folder / f"{n:02d}-{resource.name}").write_bytes(bytes([n, 0]) + resource.read_bytes())


def main() -> None:
    """Start libFuzzer with the command-line options (``-atheris_runs=N``, ``-max_len=N``, a corpus folder).

    ``--seed FOLDER`` first fills FOLDER with seed inputs built from ``tests/resources/readers``.
    """
    if len(sys.argv) > 2 and sys.argv[1] == "--seed":
        write_seeds(Path(sys.argv[2]))
        del sys.argv[1:3]
    fetch._resolve = _refuse  # type: ignore[assignment]
    fetch._send = _send  # type: ignore[assignment]
    fetch._sleep = lambda seconds: None  # type: ignore[assignment]
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
