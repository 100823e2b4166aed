#!/usr/bin/env bash
# Build the one-folder package into dist/StationConsole (run from a clone; sets up first).
# The package is started with dist/StationConsole/StationConsole (StationConsole.exe on Windows).
#
#   scripts/build.sh               build, print the size
#   scripts/build.sh --shots DIR   then run the built package under xvfb-run on a fresh demo
#                                  station, once in Chinese and once in English, saving every
#                                  screen as DIR/<lang>-<screen>.png (gui --smoke --shots)
set -euo pipefail
cd "$(dirname "$0")/.."
shots=""
if [[ "${1:-}" == "--shots" ]]; then
    shots="${2:?--shots needs a folder}"
fi
scripts/setup.sh
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
du -sh dist/StationConsole
if [[ -n "$shots" ]]; then
    data="$(mktemp -d)"
    trap 'rm -rf "$data"' EXIT
    for lang in zh_CN en; do
        # The smoke run's own verdict is not the point here (under Xvfb Qt may warn that it
        # has no Vulkan); the screenshots are.
        env -u PYTHONPATH -u VIRTUAL_ENV xvfb-run -a -s "-screen 0 1600x1000x24" \
            dist/StationConsole/StationConsole --data-dir "$data" gui --smoke --lang "$lang" \
            --shots "$shots" >/dev/null || true
    done
    ls "$shots"/*.png
fi
