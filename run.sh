#!/usr/bin/env bash
# Set up what is missing, then open Station Console (on the demo station at first start).
# Extra arguments go to the console, e.g. ./run.sh --db other.db gui
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] \
   && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found; starting the console on a virtual X screen (xvfb-run)." >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/station-console "$@"
fi
exec .venv/bin/station-console "$@"
