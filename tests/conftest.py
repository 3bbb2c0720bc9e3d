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


@pytest.fixture(scope="session")
def nlp():
    """The real spaCy pipeline with triangulate's components (``build_pipeline`` loads it once per process)."""
    from triangulate.extract.pipeline import build_pipeline
    from triangulate.settings import Settings

    return build_pipeline(Settings())


def extract_report(nlp, title: str, body: str, published: str = "2016-03-08"):  # type: ignore[no-untyped-def]
    """One report (headline, blank line, body) through the real pipeline: its Extraction, checked error-free."""
    from triangulate.extract.pipeline import extract_batch
    from triangulate.records import DocumentInput

    text = f"{title}\n\n{body}"
    out = extract_batch(nlp, [DocumentInput(1, text, title, published, "day", "metadata")])[0]
    assert not out.errors, out.errors
    return out
