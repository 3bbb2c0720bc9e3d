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
                    raise StoreError(f"no database at {path}", "run `triangulate ingest PATH --db FILE` first, or pass --db")
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                                       check_same_thread=False, timeout=30)
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
            raise StoreError(f"cannot open database {path}: {exc}",
                             "check the path is a triangulate SQLite file and the disk is writable") from exc

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all or nothing, even if the process is killed midway."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to {self.path}: {exc}",
                             "is the file read-only, the disk full, or another writer holding it?") from exc
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"cannot commit to {self.path}: {exc}", "check free disk space and permissions") from exc

    def schema_version(self) -> int:
        """Highest applied migration."""
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        return self.conn.execute(sql, params).fetchall()
