#!/usr/bin/env bash
# Build the one-folder package into dist/StationConsole (run from a clone; sets up first).
# The package is started with dist/StationConsole/StationConsole (StationConsole.exe on Windows).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
du -sh dist/StationConsole
