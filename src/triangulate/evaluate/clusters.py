"""Document clustering scores: B-cubed and pairwise P/R/F1 (agrees with ../shared/checks/cluster_score.py)."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any


def _bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    g_members: dict[str, set[str]] = defaultdict(set)
    p_members: dict[str, set[str]] = defaultdict(set)
    for d, c in gold.items():
        g_members[c].add(d)
    for d, c in pred.items():
        p_members[c].add(d)
    p = r = 0.0
    for d in gold:
        inter = len(g_members[gold[d]] & p_members[pred[d]])
        p += inter / len(p_members[pred[d]])
        r += inter / len(g_members[gold[d]])
    n = len(gold) or 1
    p, r = p / n, r / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _pairs(m: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for d, c in m.items():
        by[c].append(d)
    return {tuple(sorted(p)) for docs in by.values() for p in combinations(docs, 2)}  # type: ignore[misc]


def score_clusters(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, Any]:
    """Score ``predicted`` (doc -> cluster) against ``gold``; gold docs missing from it are singletons."""
    pred = {d: predicted.get(d, f"__singleton__{d}") for d in gold}
    bp, br, bf = _bcubed(gold, pred)
    g, p = _pairs(gold), _pairs(pred)
    tp = len(g & p)
    pp = tp / len(p) if p else 1.0
    pr = tp / len(g) if g else 1.0
    pf = 2 * pp * pr / (pp + pr) if pp + pr else 0.0
    return {
        "docs": len(gold),
        "gold_clusters": len(set(gold.values())),
        "pred_clusters": len(set(pred.values())),
        "b3_p": round(bp, 4),
        "b3_r": round(br, 4),
        "b3_f1": round(bf, 4),
        "pair_p": round(pp, 4),
        "pair_r": round(pr, 4),
        "pair_f1": round(pf, 4),
    }
