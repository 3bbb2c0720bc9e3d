"""``triangulate eval DATASET``: named evaluations over the shared data folder.

Each evaluation takes the shared folder (the one holding ``seeds/`` and ``data/``) and options,
and returns a JSON-ready dict of metrics. Missing data raises a one-line error naming the folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triangulate.errors import ConfigError, InputError


@dataclass(frozen=True, slots=True)
class EvalOptions:
    """Options common to evaluations."""

    split: str = "test"
    limit: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


Evaluator = Callable[[Path, EvalOptions], dict[str, Any]]
EVALUATIONS: dict[str, tuple[str, Evaluator]] = {}


def evaluation(name: str, help_text: str) -> Callable[[Evaluator], Evaluator]:
    """Register an evaluation under ``name``."""

    def register(fn: Evaluator) -> Evaluator:
        EVALUATIONS[name] = (help_text, fn)
        return fn

    return register


def need(path: Path, what: str) -> Path:
    """Fail with a clear message when a dataset is absent."""
    if not path.exists():
        raise InputError(f"{what} not found at {path}", "pass --data-dir pointing at the shared folder holding seeds/ and data/")
    return path


def _load() -> None:
    import importlib

    for module in ("triangulate.evaluate.builtin", "triangulate.evaluate.linking", "triangulate.evaluate.muc4",
                   "triangulate.evaluate.gvc_fields", "triangulate.evaluate.roles"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def run_evaluation(name: str, data_dir: Path, options: EvalOptions | None = None) -> dict[str, Any]:
    """Run one named evaluation."""
    _load()
    if name not in EVALUATIONS:
        raise ConfigError(f"unknown evaluation {name!r}", f"use one of {', '.join(sorted(EVALUATIONS))}")
    return EVALUATIONS[name][1](Path(data_dir), options or EvalOptions())


def available() -> dict[str, str]:
    """Names and help of every registered evaluation."""
    _load()
    return {name: spec[0] for name, spec in sorted(EVALUATIONS.items())}
