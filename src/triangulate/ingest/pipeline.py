"""The ingest stage: expand inputs, read, clean, deduplicate and store, one transaction per batch."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from triangulate.errors import InputError
from triangulate.ingest.decode import sha256
from triangulate.ingest.dedup import find_duplicate, signature, store_signature
from triangulate.ingest.documents import build_document
from triangulate.ingest.readers.base import FieldMap, ReadContext, detect_format, reader_for
from triangulate.ingest.sidecar import MetadataIndex, is_metadata_file, merge_meta
from triangulate.records import Document, RawDocument, Rejection
from triangulate.settings import Settings
from triangulate.store.db import Store, utcnow

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    run_id: int
    added: int = 0
    already_stored: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    doc_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        parts = [
            f"{self.added} added",
            f"{self.exact_duplicates} exact duplicates",
            f"{self.near_duplicates} near duplicates",
            f"{self.already_stored} already stored",
            f"{len(self.rejected)} skipped",
        ]
        return "ingest: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read, with the reader chosen for it and its metadata index."""

    path: Path
    fmt: str
    index: MetadataIndex


def expand_inputs(
    paths: Iterable[str | Path], fmt: str, manifest: Path | None
) -> Iterator[InputFile | Rejection]:
    """Walk folders (sorted, recursively), skip metadata files, and choose a reader per file."""
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield Rejection(str(path), "no such file or folder", "check the path")
            continue
        if path.is_dir():
            index = MetadataIndex.for_folder(path, manifest)
            for problem in index.problems:
                yield Rejection(problem.split(":")[0], problem, "fix the manifest line")
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if is_metadata_file(child):
                    continue
                yield InputFile(child, detect_format(child) if fmt == "auto" else fmt, index)
        else:
            # A manifest beside a file applies whether the folder or the file itself was named.
            index = MetadataIndex.for_folder(path.parent, manifest)
            yield InputFile(path, detect_format(path) if fmt == "auto" else fmt, index)


def read_inputs(
    paths: Iterable[str | Path], ctx: ReadContext, fmt: str = "auto", manifest: Path | None = None
) -> Iterator[RawDocument | Rejection]:
    """Every record from every input, user metadata merged in. Never raises for a bad file."""
    url_args = [str(p) for p in paths if str(p).startswith(("http://", "https://"))]
    file_args = [p for p in paths if str(p) not in url_args]
    if url_args:
        from triangulate.ingest.readers.urls import read_url_list

        yield from read_url_list(url_args, ctx)
    for item in expand_inputs(file_args, fmt, manifest):
        if isinstance(item, Rejection):
            yield item
            continue
        try:
            reader = reader_for(item.fmt)
            for record in reader.read(item.path, ctx):
                if isinstance(record, RawDocument):
                    record.meta = merge_meta(
                        record.meta, item.index.lookup(item.path) if record.source == str(item.path) else None
                    )
                yield record
        except InputError as exc:
            yield Rejection(str(item.path), exc.message, exc.hint)
        except (OSError, ValueError, UnicodeError, EOFError) as exc:
            yield Rejection(
                str(item.path), f"unreadable as {item.fmt}: {exc}", "check the file, or pass --format"
            )


def _input_key(doc: Document) -> str:
    return sha256(f"{doc.source}\0{doc.raw_hash}")


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    *,
    fmt: str = "auto",
    field_map: FieldMap | None = None,
    manifest: Path | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest documents into ``store``. One bad record is recorded and skipped; the batch goes on.

    Each batch of ``settings.batch_size`` documents is committed atomically, so a killed run
    leaves no half-written document, and a rerun skips what is already stored.
    """
    settings = settings or Settings()
    ctx = ReadContext(settings=settings, field_map=field_map or FieldMap())
    paths = list(paths)
    with store.transaction() as conn:
        run_id = int(
            conn.execute(
                "INSERT INTO ingest_runs (started_at, inputs) VALUES (?, ?)",
                (utcnow(), json.dumps([str(p) for p in paths])),
            ).lastrowid
            or 0
        )
    report = IngestReport(run_id=run_id)
    batch: list[Document | Rejection] = []
    for record in read_inputs(paths, ctx, fmt, manifest):
        if isinstance(record, Rejection):
            batch.append(record)
        else:
            try:
                batch.append(build_document(record, settings))
            except InputError as exc:
                batch.append(
                    Rejection(record.source, exc.message.removeprefix(f"{record.source}: "), exc.hint)
                )
        if len(batch) >= settings.batch_size:
            _write_batch(store, batch, report, settings)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _write_batch(store, batch, report, settings)
        if progress:
            progress(len(batch))
    with store.transaction() as conn:
        conn.execute(
            "UPDATE ingest_runs SET finished_at = ?, status = 'done', added = ?, already_stored = ?, "
            "exact_duplicates = ?, near_duplicates = ?, rejected = ? WHERE id = ?",
            (
                utcnow(),
                report.added,
                report.already_stored,
                report.exact_duplicates,
                report.near_duplicates,
                len(report.rejected),
                run_id,
            ),
        )
    return report


def _write_batch(
    store: Store, batch: list[Document | Rejection], report: IngestReport, settings: Settings
) -> None:
    signatures = {
        id(d): signature(d.text, settings.minhash_permutations) for d in batch if isinstance(d, Document)
    }
    added_ids: list[int] = []
    counts = {"added": 0, "already": 0, "exact": 0, "near": 0}
    rejected: list[Rejection] = []
    with store.transaction() as conn:
        for item in batch:
            if isinstance(item, Rejection):
                conn.execute(
                    "INSERT INTO document_errors (run_id, source, stage, reason, hint, created_at) VALUES (?, ?, 'ingest', ?, ?, ?)",
                    (report.run_id, item.source, item.reason, item.hint, utcnow()),
                )
                rejected.append(item)
                continue
            key = _input_key(item)
            if conn.execute("SELECT 1 FROM documents WHERE input_key = ?", (key,)).fetchone():
                counts["already"] += 1
                continue
            sig = signatures[id(item)]
            match = find_duplicate(conn, item.content_hash, sig, settings.near_duplicate_threshold)
            doc_id = _insert(conn, item, key, report.run_id)
            store_signature(conn, doc_id, sig)
            if match is not None:
                conn.execute(
                    "INSERT INTO duplicates (doc_id, of_doc_id, kind, similarity) VALUES (?, ?, ?, ?)",
                    (doc_id, match.of_doc_id, match.kind, round(match.similarity, 4)),
                )
                counts["exact" if match.kind == "exact" else "near"] += 1
            counts["added"] += 1
            added_ids.append(doc_id)
    report.added += counts["added"]
    report.already_stored += counts["already"]
    report.exact_duplicates += counts["exact"]
    report.near_duplicates += counts["near"]
    report.rejected.extend(rejected)
    report.doc_ids.extend(added_ids)


def _insert(conn, doc: Document, key: str, run_id: int) -> int:  # type: ignore[no-untyped-def]
    cur = conn.execute(
        """INSERT INTO documents (input_key, source, external_id, raw_hash, content_hash, title, outlet, outlet_source,
           cited_sources, credits, url, published, published_precision, published_source, dateline, language, text,
           word_count, removed_lines, ingest_run, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            key,
            doc.source,
            doc.external_id,
            doc.raw_hash,
            doc.content_hash,
            doc.title,
            doc.outlet,
            doc.outlet_source,
            json.dumps(doc.cited_sources),
            json.dumps(doc.credits),
            doc.url,
            doc.published,
            doc.published_precision,
            doc.published_source,
            doc.dateline,
            doc.language,
            doc.text,
            len(doc.text.split()),
            doc.removed_lines,
            run_id,
            utcnow(),
        ),
    )
    return int(cur.lastrowid or 0)
