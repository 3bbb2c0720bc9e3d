"""The Store: one SQLite file in WAL mode, migrated on open, with explicit transactions."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from triangulate.errors import StoreError
from triangulate.store import migrations

DEFAULT_DB = "triangulate.db"


def utcnow() -> str:
    """Current UTC time as an ISO string, second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Store:
    """A triangulate database. Open with :meth:`open`; use :meth:`transaction` for writes.

    Examples:
        >>> store = Store.open(":memory:")
        >>> store.schema_version() >= 1
        True
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, *, readonly: bool = False, migrate: bool = True) -> Store:
        """Open (creating if needed) and migrate a store. Raises StoreError with a fix on failure."""
        path = str(path)
        try:
            if readonly:
                if not Path(path).exists():
                    raise StoreError(
                        f"no database at {path}",
                        "run `triangulate ingest PATH --db FILE` first, or pass --db",
                    )
                conn = _open_readonly(path)
            else:
                if path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly and path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            store = cls(conn, path)
            if migrate and not readonly:
                migrations.apply(conn)
            return store
        except sqlite3.DatabaseError as exc:
            raise store_error(
                exc,
                f"cannot open database {path}",
                "check the path is a triangulate SQLite file and the disk is writable",
            ) from exc
        except OSError as exc:
            raise StoreError(
                f"cannot open database {path}: {exc.strerror or exc}",
                "check the folder exists and is writable",
            ) from exc

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all or nothing, even if the process is killed midway.

        Inside another transaction it is a savepoint of that one, so a caller can make several
        steps that each write in a transaction into one atomic unit. SQLite failures of the store
        itself (disk full, read-only file, I/O error, busy) become a StoreError with a hint.
        """
        nested = self.conn.in_transaction
        try:
            self.conn.execute("SAVEPOINT nested" if nested else "BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise store_error(
                exc,
                f"cannot write to {self.path}",
                "is the file read-only, the disk full, or another writer holding it?",
            ) from exc
        try:
            yield self.conn
        except BaseException as exc:
            self._rollback(nested)
            if isinstance(exc, sqlite3.OperationalError) and _code(exc) in _STORE_HINTS:
                raise store_error(exc, f"cannot write to {self.path}") from exc
            raise
        try:
            self.conn.execute("RELEASE nested" if nested else "COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback(nested)
            raise store_error(
                exc, f"cannot commit to {self.path}", "check free disk space and permissions"
            ) from exc

    def _rollback(self, nested: bool) -> None:
        # SQLite may already have rolled back on its own (disk full, I/O error); the first error is the one to report.
        if not self.conn.in_transaction:
            return
        with contextlib.suppress(sqlite3.Error):
            if nested:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
            else:
                self.conn.execute("ROLLBACK")

    def schema_version(self) -> int:
        """Highest applied migration."""
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        return self.conn.execute(sql, params).fetchall()


# Primary SQLite result codes that are about the store file, not about the SQL, with what to do.
_STORE_HINTS = {
    5: "another process is writing to the store; wait for it to finish and run again",  # SQLITE_BUSY
    6: "another connection holds a lock on the store; run again when it is done",  # SQLITE_LOCKED
    8: "the store is read-only: check the permissions of the file and of its folder, where SQLite "
    "writes a -wal file",  # SQLITE_READONLY
    10: "a disk read or write failed: check free disk space, file size limits and the disk; "
    "work committed before this is kept, so run again once fixed",  # SQLITE_IOERR
    13: "the disk is full: free some space and run again; work committed before this is kept",  # SQLITE_FULL
    14: "cannot open or create the store or its -wal file: check the path and that its folder "
    "is writable",  # SQLITE_CANTOPEN
    26: "the file is not a triangulate store (not an SQLite database); check the --db path",  # SQLITE_NOTADB
}


def _open_readonly(path: str) -> sqlite3.Connection:
    """A read-only connection, also to a WAL store in a folder this process may not write to."""
    conn = sqlite3.connect(
        f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False, timeout=30
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        # SQLite cannot create the -shm it reads a WAL store through. With no -wal file there is
        # no writer either (it could not create one), so reading the file as immutable is exact.
        if _code(exc) not in (8, 14) or Path(f"{path}-wal").exists():
            raise
    return sqlite3.connect(
        f"file:{path}?mode=ro&immutable=1",
        uri=True,
        isolation_level=None,
        check_same_thread=False,
        timeout=30,
    )


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def store_error(exc: sqlite3.Error, what: str, hint: str = "") -> StoreError:
    """A StoreError for an SQLite failure: what was attempted, SQLite's reason, and the fix for its cause."""
    return StoreError(f"{what}: {exc}", _STORE_HINTS.get(_code(exc), hint))
