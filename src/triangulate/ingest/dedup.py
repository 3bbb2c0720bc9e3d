"""Exact and near-duplicate detection against the store.

Exact: identical normalised text (``content_hash``). Near: MinHash over word 3-shingles,
indexed by LSH bands stored in SQLite (32 bands x 4 rows), so each lookup touches only
candidate buckets and the cost per document stays flat as the store grows. A candidate is a
near duplicate when its estimated Jaccard similarity reaches ``near_duplicate_threshold``
(0.5 by default: wire copies with edits score 0.6-0.95, different stories on one event
below 0.3). Duplicates point to the earliest copy; nothing is dropped.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

ROWS_PER_BAND = 4
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """A relation from a new document to the earliest stored copy."""

    of_doc_id: int
    kind: str
    similarity: float


def shingles(text: str, size: int = 3) -> set[bytes]:
    """Word n-gram shingles of normalised text."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


@functools.lru_cache(maxsize=4)
def _family(count: int) -> tuple[np.ndarray, str]:
    """The random permutations of a MinHash family and its scheme, generated once per process (costly)."""
    template = MinHash(num_perm=count, seed=7)
    return template.permutations, template.scheme


def signature(text: str, permutations: int) -> np.ndarray:
    """MinHash signature (uint64 array) of a text."""
    perms, scheme = _family(permutations)
    mh = MinHash(num_perm=permutations, seed=7, permutations=perms, scheme=scheme)
    mh.update_batch(list(shingles(text)))
    return mh.hashvalues.astype(np.uint64)


def band_buckets(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, bucket) keys: one signed 63-bit hash of each band of rows."""
    out = []
    for band in range(len(sig) // ROWS_PER_BAND):
        chunk = sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND].tobytes()
        bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True)
        out.append((band, bucket))
    return out


def find_duplicate(
    conn: sqlite3.Connection, content_hash: str, sig: np.ndarray, threshold: float
) -> DuplicateMatch | None:
    """The earliest stored document this text duplicates exactly or nearly, if any."""
    row = conn.execute("SELECT min(id) FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
    if row and row[0] is not None:
        return DuplicateMatch(_root(conn, int(row[0])), "exact", 1.0)
    buckets = band_buckets(sig)
    if not buckets:
        return None
    clauses = " OR ".join("(band = ? AND bucket = ?)" for _ in buckets)
    params = [v for pair in buckets for v in pair]
    candidates = [
        r[0] for r in conn.execute(f"SELECT DISTINCT doc_id FROM minhash_bands WHERE {clauses}", params)
    ]
    best: DuplicateMatch | None = None
    stored_rows: list[tuple[int, bytes]] = []
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        stored_rows += conn.execute(
            f"SELECT doc_id, signature FROM minhash_signatures WHERE doc_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
    for doc_id, blob in stored_rows:
        other = np.frombuffer(blob, dtype=np.uint64)
        if len(other) != len(sig):
            continue
        similarity = float(np.mean(other == sig))
        if similarity >= threshold and (best is None or similarity > best.similarity):
            best = DuplicateMatch(doc_id, "near", similarity)
    if best is None:
        return None
    return DuplicateMatch(_root(conn, best.of_doc_id), "near", best.similarity)


def _root(conn: sqlite3.Connection, doc_id: int) -> int:
    """Follow duplicate relations to the earliest copy."""
    seen = {doc_id}
    while True:
        row = conn.execute(
            "SELECT of_doc_id FROM duplicates WHERE doc_id = ? ORDER BY kind LIMIT 1", (doc_id,)
        ).fetchone()
        if row is None or row[0] in seen:
            return doc_id
        doc_id = int(row[0])
        seen.add(doc_id)


def store_signature(conn: sqlite3.Connection, doc_id: int, sig: np.ndarray) -> None:
    """Index a stored document's signature for later lookups."""
    conn.execute("INSERT INTO minhash_signatures (doc_id, signature) VALUES (?, ?)", (doc_id, sig.tobytes()))
    conn.executemany(
        "INSERT INTO minhash_bands (band, bucket, doc_id) VALUES (?, ?, ?)",
        [(band, bucket, doc_id) for band, bucket in band_buckets(sig)],
    )
