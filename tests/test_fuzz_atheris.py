"""The atheris harnesses in fuzz/ run clean for a short, bounded number of runs (slow: about a minute).

Skipped, with the reason, where atheris is not installed (``pip install atheris``).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

RUNS = {"fuzz_readers.py": 2000, "fuzz_normalisers.py": 20000}


@pytest.mark.parametrize("harness", sorted(RUNS))
def test_harness_runs_clean(harness: str, tmp_path: Path) -> None:
    if importlib.util.find_spec("atheris") is None:
        pytest.skip(
            "atheris is not installed (pip install atheris); the coverage-guided harnesses cannot run"
        )
    corpus = tmp_path / "corpus"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / harness),
            "--seed",
            str(corpus),
            str(corpus),
            f"-atheris_runs={RUNS[harness]}",
            "-seed=1",
            f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert f"Done {RUNS[harness]} " in result.stderr, result.stderr[-2000:]
