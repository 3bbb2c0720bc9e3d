"""Which sources are independent: duplicates and reused wire text count once.

Two documents are dependent when one is an exact or near duplicate of the other, or when at
least ``REUSE_THRESHOLD`` of the smaller one's word 8-grams also appear in the other (a
re-written wire story keeps whole passages; on the seeds 002 shares 7.6% of its 8-grams with
001's AP text, while RFE/RL's own report 003 shares 3.5% through quotes). Each group of dependent documents is one source.
"""

from __future__ import annotations

import re

from triangulate.store.db import Store

REUSE_THRESHOLD = 0.05
GRAM = 8
_WORD = re.compile(r"\w+")


def _grams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i:i + GRAM]) for i in range(len(words) - GRAM + 1)}


def source_groups(store: Store, doc_ids: list[int]) -> dict[int, int]:
    """Map each document to the id of its independence group (the group's earliest document)."""
    parent = {d: d for d in doc_ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    if len(doc_ids) > 1:
        marks = ",".join("?" * len(doc_ids))
        for row in store.query(f"SELECT doc_id, of_doc_id FROM duplicates WHERE doc_id IN ({marks})", tuple(doc_ids)):
            if row[1] in parent:
                union(row[0], row[1])
        texts = {r[0]: _grams(r[1]) for r in store.query(f"SELECT id, text FROM documents WHERE id IN ({marks})", tuple(doc_ids))}
        ids = sorted(texts)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if find(a) == find(b):
                    continue  # already one source: the groups are the same without comparing them
                small = min(len(texts[a]), len(texts[b])) or 1
                if len(texts[a] & texts[b]) / small >= REUSE_THRESHOLD:
                    union(a, b)
    return {d: find(d) for d in doc_ids}
