"""SQLite store: one file, WAL mode, versioned migrations."""

from triangulate.store.db import Store

__all__ = ["Store"]
