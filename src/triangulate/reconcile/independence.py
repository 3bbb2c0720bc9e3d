"""Which sources are independent: duplicates and reused wire text count once.

Two documents are dependent when one is an exact or near duplicate of the other, or when at
least ``REUSE_THRESHOLD`` of the smaller one's word 8-grams also appear in the other (a
re-written wire story keeps whole passages; on the seeds 002 shares 7.6% of its 8-grams with
001's AP text, while RFE/RL's own report 003 shares 3.5% through quotes). Each group of dependent documents is one source.
"""

from __future__ import annotations

import re

from triangulate.tuning import tuned

REUSE_THRESHOLD = tuned("reconcile.reuse_threshold")
GRAM = 8
_WORD = re.compile(r"\w+")


def _grams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + GRAM]) for i in range(len(words) - GRAM + 1)}


def source_groups(texts: dict[int, str], copies: list[tuple[int, int]]) -> dict[int, int]:
    """Map each document (``texts``: id to text) to the id of its independence group (the group's earliest
    document). ``copies`` are (document, the document it duplicates) pairs found at ingest."""
    doc_ids = sorted(texts)
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
        for doc, original in copies:
            if doc in parent and original in parent:
                union(doc, original)
        grams = {d: _grams(texts[d]) for d in doc_ids}
        for i, a in enumerate(doc_ids):
            for b in doc_ids[i + 1 :]:
                if find(a) == find(b):
                    continue  # already one source: the groups are the same without comparing them
                small = min(len(grams[a]), len(grams[b])) or 1
                if len(grams[a] & grams[b]) / small >= REUSE_THRESHOLD:
                    union(a, b)
    return {d: find(d) for d in doc_ids}
