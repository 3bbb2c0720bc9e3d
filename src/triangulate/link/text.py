"""TF-IDF text vectors for linking, with document frequencies kept in the store.

Document frequencies grow as documents are linked (``term_df``), so a new document costs one
upsert per distinct term, and similarity needs no pass over the store.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from triangulate.link.features import STOP
from triangulate.store.db import Store

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")


def term_counts(text: str) -> Counter[str]:
    """Content-word counts (lowercased, stop words removed)."""
    return Counter(w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOP)


class TermIndex:
    """Document frequencies for IDF, loaded lazily and updated as documents are indexed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._df: dict[str, int] | None = None
        self._indexed: set[int] = set()
        self.documents = 0

    def _load(self) -> dict[str, int]:
        if self._df is None:
            self._df = {r[0]: r[1] for r in self.store.query("SELECT term, df FROM term_df")}
            self._indexed = {r[0] for r in self.store.query("SELECT doc_id FROM term_docs")}
            self.documents = len(self._indexed)
        return self._df

    def add(self, doc_id: int, counts: Counter[str]) -> None:
        """Count a document's terms once (persisted in one transaction)."""
        df = self._load()
        if doc_id in self._indexed:
            return
        with self.store.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO term_docs (doc_id) VALUES (?)", (doc_id,))
            conn.executemany("INSERT INTO term_df (term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
                             [(t,) for t in counts])
        for term in counts:
            df[term] = df.get(term, 0) + 1
        self._indexed.add(doc_id)
        self.documents += 1

    def vector(self, counts: Counter[str]) -> dict[str, float]:
        """Sublinear TF-IDF, L2-normalised."""
        df = self._load()
        n = max(self.documents, 1)
        weights = {t: (1 + math.log(c)) * (math.log((n + 1) / (df.get(t, 0) + 1)) + 1) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
