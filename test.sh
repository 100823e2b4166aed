#!/usr/bin/env bash
# Set up what is missing, then run the whole test suite headless.
# Extra arguments go to pytest, e.g. ./test.sh -k migrations
# The tests marked for both engines also run on a throwaway PostgreSQL (scripts/pg_test_server.sh)
# unless STATION_CONSOLE_TEST_PG already names one or STATION_CONSOLE_NO_PG=1; when no server can
# be started (no root to install it), they are skipped and say why.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
if [ -z "${STATION_CONSOLE_TEST_PG:-}" ] && [ "${STATION_CONSOLE_NO_PG:-0}" != 1 ]; then
  if started=$(scripts/pg_test_server.sh start); then
    eval "$started"
    trap 'scripts/pg_test_server.sh stop "$PG_TEST_DIR"' EXIT
  else
    echo "test.sh: no PostgreSQL server could be started; its test cases will be skipped" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
