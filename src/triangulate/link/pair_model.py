"""The learned same-incident model: a logistic regression over :func:`triangulate.link.score.pair_features`.

Its weights ship as ``triangulate/data/pair_model.json`` with what made them: the training command, the
corpora and splits its pairs came from, their counts, and the dev scores that selected it
(``triangulate train-pair-model``; docs/linking.md, docs/quality.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from triangulate.errors import ConfigError

FILE_NAME = "pair_model.json"


@dataclass(frozen=True, slots=True)
class PairModel:
    """Weights per pair feature and an intercept, in log-odds of one incident."""

    weights: dict[str, float]
    intercept: float
    provenance: dict[str, Any] = field(default_factory=dict)

    def log_odds(self, features: dict[str, float]) -> float:
        """The model's log-odds that the pair is one incident (features it has no weight for count for nothing)."""
        return math.fsum(
            [self.intercept, *(self.weights[k] * v for k, v in features.items() if k in self.weights)]
        )

    def to_json(self) -> str:
        return (
            json.dumps(
                {"weights": self.weights, "intercept": self.intercept, "provenance": self.provenance},
                indent=2,
                sort_keys=True,
            )
            + "\n"
        )


def parse_model(text: str, origin: str) -> PairModel:
    """A model from its JSON text; ``origin`` names the file in errors."""
    try:
        raw = json.loads(text)
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
        return PairModel(weights, float(raw["intercept"]), dict(raw.get("provenance") or {}))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{origin}: not a pair model ({exc})",
            "reinstall triangulate, or train one with triangulate train-pair-model",
        ) from exc


@lru_cache(maxsize=1)
def pair_model() -> PairModel:
    """The shipped model (read once per process)."""
    return parse_model(
        resources.files("triangulate.data").joinpath(FILE_NAME).read_text(encoding="utf-8"), FILE_NAME
    )
