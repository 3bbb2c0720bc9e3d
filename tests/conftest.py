"""Shared fixtures: real SQLite files in tmp_path, the seed reports and the example corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from triangulate.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh store in a real temporary SQLite file."""
    s = Store.open(tmp_path / "t.db")
    yield s
    s.close()


@pytest.fixture
def seeds_dir() -> Path:
    """The five seed reports; skipped with a clear message where ../shared is absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS} (they live in ../shared/seeds beside the checkout)")
    return SEEDS
