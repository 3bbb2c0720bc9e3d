"""The house: one direction between the packages (docs/architecture.md), enforced by import-linter, and a
public surface whose every name resolves."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import triangulate

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "lint-imports is missing: it is in the test extra (pip install -e '.[test]')"
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("name", [n for n in triangulate.__all__ if n != "__version__"])
def test_every_public_name_resolves(name):
    value = getattr(triangulate, name)
    assert getattr(value, "__name__", name) == name


def test_store_and_records_load_without_spacy():
    code = (
        "import sys, triangulate.store.db, triangulate.store.extraction, triangulate.records, "
        "triangulate.reconcile.record, triangulate.link.score; print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_architecture_document_names_every_package():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = [p.name for p in (ROOT / "src" / "triangulate").iterdir() if (p / "__init__.py").is_file()]
    assert packages and all(f"`{p}`" in text for p in packages), packages
    assert importlib.import_module("triangulate.review")
