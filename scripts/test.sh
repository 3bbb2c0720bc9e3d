#!/usr/bin/env bash
# Set up if needed, then run the whole test suite, the slow, data and browser suites included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
set +e
.venv/bin/python -m pytest -o addopts="" -q -p no:cacheprovider "$@"
code=$?
set -e
if [ "$code" = 5 ]; then echo "no tests collected"; exit 1; fi
exit "$code"
