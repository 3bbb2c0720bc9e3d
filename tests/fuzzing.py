"""Shared budget for the fuzz suites: a quick run by default, a deep run under the ``slow`` marker.

Every property runs twice over the same code: ``quick`` (a few dozen examples, in the default test
run) and ``deep`` (marked ``slow``; ``TRIANGULATE_FUZZ_EXAMPLES`` examples, 1,000 when unset), e.g.
``TRIANGULATE_FUZZ_EXAMPLES=5000 pytest -m slow tests/test_fuzz_readers.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

QUICK_EXAMPLES = 40
DEEP_EXAMPLES = int(os.environ.get("TRIANGULATE_FUZZ_EXAMPLES", "") or 1000)

DEPTHS = [
    pytest.param(QUICK_EXAMPLES, id="quick"),
    pytest.param(DEEP_EXAMPLES, id="deep", marks=pytest.mark.slow),
]


def run_property(test: Callable[[], None], examples: int) -> None:
    """Run a ``@given`` property for ``examples`` examples: no deadline (the machine is shared), no
    example database (a finding becomes a test in ``test_fuzz_regressions.py``, not a hidden file).

    Test runs are derandomised, so CI is reproducible; ``TRIANGULATE_FUZZ_RANDOM=1`` explores anew."""
    settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=os.environ.get("TRIANGULATE_FUZZ_RANDOM", "") != "1",
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
        ],
    )(test)()
