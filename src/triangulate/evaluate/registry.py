"""``triangulate eval DATASET``: named evaluations over the shared data folder.

Each evaluation takes the shared folder (the one holding ``seeds/`` and ``data/``) and options,
and returns a JSON-ready dict of metrics. Missing data raises a one-line error naming the folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from triangulate.errors import ConfigError, InputError


@dataclass(frozen=True, slots=True)
class EvalOptions:
    """Options common to evaluations."""

    split: str | None = None  # None: the evaluation's default split
    limit: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


Evaluator = Callable[[Path, EvalOptions], dict[str, Any]]
ALL_SPLITS = ("train", "dev", "test", "all")


@dataclass(frozen=True, slots=True)
class Spec:
    """A registered evaluation: its help, function, the splits it scores (none: it reports every part itself)
    and the split it scores by default."""

    help: str
    fn: Evaluator
    splits: tuple[str, ...]
    default: str | None


EVALUATIONS: dict[str, Spec] = {}


def evaluation(
    name: str, help_text: str, splits: tuple[str, ...] = ALL_SPLITS, default: str | None = "test"
) -> Callable[[Evaluator], Evaluator]:
    """Register an evaluation under ``name``, scoring one of ``splits`` (``default`` unless asked)."""

    def register(fn: Evaluator) -> Evaluator:
        EVALUATIONS[name] = Spec(help_text, fn, splits, default if splits else None)
        return fn

    return register


def resolve_split(name: str, spec: Spec, split: str | None) -> str | None:
    """The split to score: the one asked for, checked against the evaluation's splits, else its default."""
    if split is None:
        return spec.default
    if not spec.splits:
        raise ConfigError(
            f"{name} has no splits to choose from (it reports each of its parts)", "leave out --split"
        )
    if split not in spec.splits:
        raise ConfigError(f"{name} has no split {split!r}", f"use --split {' or '.join(spec.splits)}")
    return split


def need(path: Path, what: str) -> Path:
    """Fail with a clear message when a dataset is absent."""
    if not path.exists():
        raise InputError(
            f"{what} not found at {path}",
            "pass --data-dir pointing at the shared folder holding seeds/ and data/",
        )
    return path


def _load() -> None:
    import importlib

    for module in (
        "triangulate.evaluate.builtin",
        "triangulate.evaluate.linking",
        "triangulate.evaluate.muc4",
        "triangulate.evaluate.gvc_fields",
        "triangulate.evaluate.roles",
        "triangulate.evaluate.truth",
    ):
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
    spec = EVALUATIONS[name]
    options = options or EvalOptions()
    return spec.fn(Path(data_dir), replace(options, split=resolve_split(name, spec, options.split)))


def available() -> dict[str, str]:
    """Names and help of every registered evaluation."""
    _load()
    return {name: spec.help for name, spec in sorted(EVALUATIONS.items())}
