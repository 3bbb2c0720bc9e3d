"""The blocking-key postings of one linking call, read from ``incident_keys`` once per key.

A month key holds every incident of that type and month: read from the store for every new
report, it cost a scan that grew with the store. Within one linking call the linker is the only
writer, so the postings it has read are kept up to date by its own writes instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

CHUNK = 500


class KeyIndex:
    """Postings (key -> incidents) read lazily and updated by :meth:`added` and :meth:`merged`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._postings: dict[str, set[int]] = {}
        self._keys_of: dict[int, set[str]] = {}  # incident -> its keys held here

    def postings(self, keys: Iterable[str]) -> dict[str, set[int]]:
        """The incidents under each key that has any, in key order (the order the store returns them in)."""
        wanted = sorted(keys)
        missing = [k for k in wanted if k not in self._postings]
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            for key in chunk:
                self._postings[key] = set()
            for key, incident_id in self._conn.execute(
                f"SELECT key, incident_id FROM incident_keys WHERE key IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                self._postings[key].add(incident_id)
                self._keys_of.setdefault(incident_id, set()).add(key)
        return {k: self._postings[k] for k in wanted if self._postings[k]}

    def forget(self) -> None:
        """Drop every posting read (another writer may have changed the store since)."""
        self._postings, self._keys_of = {}, {}

    def added(self, incident_id: int, keys: Iterable[str]) -> None:
        """The linker wrote ``keys`` for the incident."""
        for key in keys:
            posting = self._postings.get(key)
            if posting is not None:
                posting.add(incident_id)
                self._keys_of.setdefault(incident_id, set()).add(key)

    def merged(self, keep: int, gone: int) -> None:
        """The linker merged incident ``gone`` into ``keep``, keys included."""
        for key in self._keys_of.pop(gone, set()):
            posting = self._postings[key]
            posting.discard(gone)
            posting.add(keep)
            self._keys_of.setdefault(keep, set()).add(key)
