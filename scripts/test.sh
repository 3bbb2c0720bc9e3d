#!/usr/bin/env bash
# Set up if needed, then run the whole test suite, the slow, data and browser suites included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Browser tests drive Debian's chromium (no browser download); install it when we can.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "could not install chromium with apt-get; the browser tests will say what to do"
fi
set +e
.venv/bin/python -m pytest -o addopts="" -q -p no:cacheprovider "$@"
code=$?
set -e
if [ "$code" = 5 ]; then echo "no tests collected"; exit 1; fi
exit "$code"
