"""TF-IDF text vectors for linking, with document frequencies kept in the store.

Document frequencies grow as documents are linked (``term_df``), so a new document costs one
upsert per distinct term, and similarity needs no pass over the store: frequencies are read per
term when a vector needs them, never loaded whole.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from triangulate.link.features import STOP
from triangulate.store.db import Store

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")


def term_counts(text: str) -> Counter[str]:
    """Content-word counts (lowercased, stop words removed)."""
    return Counter(w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOP)


_SENTENCE_START = re.compile(r"(?:^|[.!?|\n\"\u201c(:])\s*$")


def name_counts(text: str) -> Counter[str]:
    """Counts of the content words written capitalised inside a sentence (lowercased): the names.

    Twin incidents (the 2009 and the 2013 quake in one province, two companies' takeovers of the
    same firm) share their story's words; the names of places, people and products tell them apart.
    """
    out: Counter[str] = Counter()
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word[0].isupper() and not _SENTENCE_START.search(text, max(0, m.start() - 3), m.start()):
            lowered = word.lower()
            if lowered not in STOP:
                out[lowered] += 1
    return out


class TermIndex:
    """Document frequencies for IDF, read from the store per term and updated as documents are indexed.

    Only the terms a run meets are read (one indexed query per vector), and the document count comes
    from ``term_stats``: building an index costs nothing however many documents the store holds.
    """

    CHUNK = 500  # terms per query, well under SQLite's bound-parameter limit

    def __init__(self, store: Store) -> None:
        self.store = store
        self._df: dict[str, int] = {}
        self._indexed: set[int] = set()
        self._documents: int | None = None
        self._added: list[frozenset[str]] = []  # terms of each document added by this index, in order

    @property
    def epoch(self) -> int:
        """How many documents this index has added: a vector asked for ``at`` an epoch uses the
        frequencies as they were then."""
        return len(self._added)

    @property
    def documents(self) -> int:
        """Documents counted so far (those in ``term_docs``)."""
        if self._documents is None:
            row = self.store.conn.execute("SELECT documents FROM term_stats WHERE id = 1").fetchone()
            self._documents = int(row[0]) if row else 0
        return self._documents

    def not_indexed(self, doc_ids: Iterable[int]) -> set[int]:
        """The documents among ``doc_ids`` whose terms are not counted yet (one query)."""
        wanted = [d for d in dict.fromkeys(doc_ids) if d not in self._indexed]
        for i in range(0, len(wanted), self.CHUNK):
            chunk = wanted[i : i + self.CHUNK]
            self._indexed.update(
                r[0]
                for r in self.store.conn.execute(
                    f"SELECT doc_id FROM term_docs WHERE doc_id IN ({','.join('?' * len(chunk))})", chunk
                )
            )
        return {d for d in wanted if d not in self._indexed}

    def indexed(self, doc_id: int) -> bool:
        """Whether a document's terms are already counted."""
        if doc_id in self._indexed:
            return True
        if self.store.conn.execute("SELECT 1 FROM term_docs WHERE doc_id = ?", (doc_id,)).fetchone():
            self._indexed.add(doc_id)
            return True
        return False

    def add(self, doc_id: int, counts: Counter[str]) -> None:
        """Count a document's terms once (persisted in one transaction)."""
        if self.indexed(doc_id):
            return
        documents = self.documents
        with self.store.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO term_docs (doc_id) VALUES (?)", (doc_id,))
            conn.executemany(
                "INSERT INTO term_df (term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
                [(t,) for t in counts],
            )
        for term in counts:
            if term in self._df:
                self._df[term] += 1
        self._added.append(frozenset(counts))
        self._indexed.add(doc_id)
        self._documents = documents + 1

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequency of each term (0 for unseen terms), reading only terms not yet cached."""
        wanted = list(dict.fromkeys(terms))
        missing = [t for t in wanted if t not in self._df]
        for i in range(0, len(missing), self.CHUNK):
            chunk = missing[i : i + self.CHUNK]
            found = dict(
                self.store.conn.execute(
                    f"SELECT term, df FROM term_df WHERE term IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
            )
            for term in chunk:
                self._df[term] = int(found.get(term, 0))
        return {t: self._df[t] for t in wanted}

    def vector(self, counts: Counter[str], at: int | None = None) -> dict[str, float]:
        """Sublinear TF-IDF, L2-normalised; with ``at`` (an :attr:`epoch`), as it would have been then."""
        df = self.frequencies(counts)
        n = self.documents
        if at is not None and at < len(self._added):
            later = self._added[at:]
            n -= len(later)
            df = {t: v - sum(t in terms for terms in later) for t, v in df.items()}
        n = max(n, 1)
        weights = {t: (1 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + 1) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two normalised sparse vectors."""
    # The key intersection runs in C: scoring hundreds of candidates per new report is linking's inner loop.
    return math.fsum(a[t] * b[t] for t in a.keys() & b.keys())
