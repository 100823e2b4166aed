#!/usr/bin/env bash
# Set up what is missing, then run the whole test suite headless.
# Extra arguments go to pytest, e.g. ./test.sh -k migrations
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
