"""The linking baselines of the evaluation: TF-IDF cosine with average-linkage agglomerative clustering,
alone and within a 7-day publication-date window, each with its threshold tuned on train and dev."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from triangulate.evaluate.clusters import score_clusters

GRID = [round(0.05 + 0.025 * i, 3) for i in range(23)]  # 0.05 .. 0.6


@dataclass(frozen=True, slots=True)
class Merge:
    """One agglomeration step: clusters ``a`` and ``b`` (ids of their first documents) join at ``height``."""

    a: int
    b: int
    height: float


def similarities(texts: list[str]) -> np.ndarray:
    """Cosine of sublinear TF-IDF vectors (English stop words removed), documents by documents."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return (vectors @ vectors.T).toarray()


def windowed(sim: np.ndarray, days: list[date | None], window: int) -> np.ndarray:
    """``sim`` with pairs published more than ``window`` days apart made unmergeable (unknown dates pass)."""
    ordinal = np.array([d.toordinal() if d else np.nan for d in days], dtype=float)
    with np.errstate(invalid="ignore"):
        apart = np.abs(ordinal[:, None] - ordinal[None, :]) > window
    return np.where(apart, -np.inf, sim)


def agglomerate(sim: np.ndarray, floor: float = GRID[0]) -> list[Merge]:
    """Average-linkage merges, highest first, down to ``floor`` (heights never rise)."""
    n = len(sim)
    sums = sim.astype(float).copy()
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    merges = []
    while True:
        with np.errstate(invalid="ignore"):
            avg = sums / np.outer(sizes, sizes)
        np.fill_diagonal(avg, -np.inf)
        avg[~alive, :] = -np.inf
        avg[:, ~alive] = -np.inf
        a, b = np.unravel_index(int(np.argmax(avg)), avg.shape)
        height = float(avg[a, b])
        if not height >= floor:
            return merges
        a, b = min(a, b), max(a, b)
        merges.append(Merge(int(a), int(b), height))
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        alive[b] = False


def cut(merges: list[Merge], n: int, threshold: float) -> list[int]:
    """Each document's cluster (a representative index) with the merges at or above ``threshold``."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in merges:
        if m.height < threshold:
            break
        parent[find(m.b)] = find(m.a)
    return [find(i) for i in range(n)]


def tuned(
    merges: list[Merge], ids: list[str], tune_gold: dict[str, str], gold: dict[str, str]
) -> dict[str, object]:
    """The threshold with the best B-cubed F1 on ``tune_gold``, and the scores it gives on ``gold``."""

    def clusters(t: float) -> dict[str, str]:
        return {doc: str(c) for doc, c in zip(ids, cut(merges, len(ids), t), strict=True)}

    best = max(GRID, key=lambda t: (score_clusters(tune_gold, clusters(t))["b3_f1"], t))
    return {
        "threshold": best,
        "tuned_on_b3_f1": score_clusters(tune_gold, clusters(best))["b3_f1"],
        **score_clusters(gold, clusters(best)),
    }
