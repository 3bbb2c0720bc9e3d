"""Online backup and atomic restore of a store, with SQLite's backup API.

A backup copies pages in small steps from one read snapshot of the source, so it is consistent
even while ``triangulate ingest`` writes to the store, and (in WAL mode) never blocks that writer.
A restore checks the source, copies it to a temporary file beside the target and renames it into
place, so the target is either the old store or the new one, never a mixture.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from triangulate.errors import StoreError

PAGES_PER_STEP = 256
SIDECARS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What a backup or a restore wrote."""

    source: str
    target: str
    pages: int
    documents: int
    schema_version: int

    def summary(self, verb: str) -> str:
        """One line for the terminal."""
        return (
            f"{verb} {self.source} -> {self.target}: {self.documents} documents, {self.pages} pages, "
            f"schema version {self.schema_version}"
        )


def backup(
    source: str | Path, dest: str | Path, *, force: bool = False, pages_per_step: int = PAGES_PER_STEP
) -> CopyResult:
    """Copy the store at ``source`` to ``dest``, safely while other processes write to it.

    ``dest`` is written through a temporary file and renamed into place; an existing ``dest`` is
    replaced only with ``force``. Raises StoreError with a hint on every failure.
    """
    src, target = Path(source), Path(dest)
    _check_distinct(src, target)
    if not force and _exists(target):
        raise StoreError(
            f"{target} already exists", "choose a new backup name, or pass --force to replace it"
        )
    return _copy(src, target, "backup", pages_per_step)


def restore(
    source: str | Path, dest: str | Path, *, force: bool = False, pages_per_step: int = PAGES_PER_STEP
) -> CopyResult:
    """Replace the store at ``dest`` by the backup at ``source``, atomically.

    The backup must pass ``PRAGMA integrity_check`` and hold triangulate's schema. An existing
    store at ``dest`` is replaced only with ``force``, and never while another process holds it.
    """
    src, target = Path(source), Path(dest)
    _check_distinct(src, target)
    if not force and _exists(target):
        raise StoreError(
            f"a store already exists at {target}", "pass --force to replace it, or restore to a new --db path"
        )
    return _copy(src, target, "restore", pages_per_step)


def _copy(src: Path, target: Path, verb: str, pages_per_step: int = PAGES_PER_STEP) -> CopyResult:
    tmp = target.with_name(f".{target.name}.{verb}-{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _source(src) as conn:
            documents, version = _validate(conn, src)
            _remove(tmp)
            out = sqlite3.connect(tmp, isolation_level=None)
            try:
                # One read transaction on the source: every step copies from the same snapshot, so
                # writes by other processes neither restart the copy nor leak half a batch into it.
                conn.execute("BEGIN")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                pages = _pages(conn)
                conn.backup(out, pages=pages_per_step)
                conn.execute("COMMIT")
                # A self-contained file: the copy carries no -wal of its own (the store re-enables WAL on open).
                out.execute("PRAGMA journal_mode = DELETE")
                check = out.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                out.close()
        if check != "ok":
            raise StoreError(
                f"the copy of {src} failed its integrity check: {check}", "check the disk and try again"
            )
        _fsync(tmp)
        if verb == "restore":
            _release_target(target)
        os.replace(tmp, target)
        _fsync(target.parent)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"cannot {verb} {src} to {target}: {exc}", "check free disk space and that the folder is writable"
        ) from exc
    except OSError as exc:
        raise StoreError(
            f"cannot {verb} {src} to {target}: {exc.strerror or exc}",
            "check free disk space and that the folder is writable",
        ) from exc
    finally:
        _remove(tmp)
    return CopyResult(str(src), str(target), pages, documents, version)


@contextlib.contextmanager
def _source(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a store that must exist (never creates an empty one)."""
    if not path.is_file():
        raise StoreError(f"no database at {path}", "check the path of the store or backup")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, timeout=30)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open {path}: {exc}", "check the path and its permissions") from exc
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        yield conn
    finally:
        conn.close()


def _validate(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """(documents, schema version) of a sound triangulate store; StoreError otherwise."""
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} is not a triangulate store: {exc}",
            "give the path of a file written by `triangulate backup`",
        ) from exc
    if check != "ok":
        raise StoreError(f"{path} is damaged: integrity check says {check!r}", "restore from an older backup")
    if "schema_migrations" not in tables or "documents" not in tables:
        raise StoreError(
            f"{path} is an SQLite file but not a triangulate store (no schema_migrations table)",
            "give the path of a file written by `triangulate backup`",
        )
    version = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] or 0
    documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    return int(documents), int(version)


def _pages(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA page_count").fetchone()[0])


def _release_target(target: Path) -> None:
    """Fold the target's WAL into it and drop its sidecar files, so none is replayed onto the new file.

    Refuses while another process has the target open: replacing a store under a live writer
    would lose that writer's work.
    """
    if target.is_file():
        try:
            conn = sqlite3.connect(target, isolation_level=None, timeout=1)
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                if not busy:
                    conn.execute("BEGIN EXCLUSIVE")
                    conn.execute("ROLLBACK")
            finally:
                conn.close()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                busy = 1
            else:  # not a database (replaced with --force): nothing to fold in
                busy = 0
        except sqlite3.DatabaseError:
            busy = 0
        if busy:
            raise StoreError(
                f"{target} is in use by another process",
                "stop `triangulate serve`/ingest on it, then restore",
            )
    for suffix in SIDECARS:
        _remove(target.with_name(target.name + suffix))


def _check_distinct(src: Path, target: Path) -> None:
    if target.exists() and src.exists() and os.path.samefile(src, target):
        raise StoreError(f"{src} and {target} are the same file", "give a different destination")


def _exists(path: Path) -> bool:
    return path.exists() or any(path.with_name(path.name + s).exists() for s in SIDECARS[:1])


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so a rename survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
