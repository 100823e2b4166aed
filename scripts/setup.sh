#!/usr/bin/env bash
# Set up everything Station Console needs, idempotently: the system libraries Qt needs (on
# Debian/Ubuntu, installed with apt-get when missing), a virtual environment in .venv with the
# project and its dev tools, and the compiled translations. Run by ./run.sh and ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: Station Console needs Python 3.11 or newer ($PYTHON is $("$PYTHON" -V 2>&1))." >&2
  exit 1
fi

# Shared libraries of Qt 6, QtWebEngine (Chromium) and the virtual X server used for headless
# screenshots. Each entry lists alternatives: Debian 13 renamed some packages (t64).
SYSTEM_PACKAGES=(
  "libgl1" "libegl1" "libopengl0" "libxkbcommon0" "libxkbcommon-x11-0" "libfontconfig1"
  "libfreetype6" "libdbus-1-3" "libglib2.0-0t64|libglib2.0-0" "libnss3" "libnspr4"
  "libxcomposite1" "libxdamage1" "libxrandr2" "libxtst6" "libxkbfile1" "libxi6"
  "libxrender1" "libxshmfence1" "libgbm1" "libdrm2" "libasound2t64|libasound2"
  "libxcb-cursor0" "libxcb-icccm4" "libxcb-image0" "libxcb-keysyms1" "libxcb-randr0"
  "libxcb-render-util0" "libxcb-shape0" "libxcb-xinerama0" "libxcb-xkb1" "libxcb-xfixes0"
  "libx11-xcb1" "fonts-dejavu-core" "xvfb" "xauth"
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "setup: need root for: $*" >&2; return 1
  fi
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

system_packages() {
  command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || {
    echo "setup: not a Debian/Ubuntu system; make sure Qt 6's X11/OpenGL libraries are installed." >&2
    return 0
  }
  local missing=() entry alt found
  for entry in "${SYSTEM_PACKAGES[@]}"; do
    found=""
    IFS='|' read -r -a alts <<< "$entry"
    for alt in "${alts[@]}"; do installed "$alt" && found=1 && break; done
    [ -n "$found" ] || missing+=("$entry")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "setup: missing system packages (install them as root): ${missing[*]}" >&2
    return 0
  fi
  echo "setup: installing system packages Qt needs: ${missing[*]}"
  as_root apt-get update -qq
  local pick=()
  for entry in "${missing[@]}"; do
    IFS='|' read -r -a alts <<< "$entry"
    for alt in "${alts[@]}"; do
      if apt-cache show "$alt" >/dev/null 2>&1; then pick+=("$alt"); break; fi
    done
  done
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pick[@]}" >/dev/null
}

python_environment() {
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating the virtual environment in .venv"
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
      # Debian's own Python keeps venv/ensurepip in a separate package.
      rm -rf .venv
      local venv_pkg
      venv_pkg="python$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv"
      echo "setup: installing $venv_pkg so that Python can create virtual environments"
      as_root apt-get update -qq
      as_root apt-get install -y -qq "$venv_pkg" >/dev/null || as_root apt-get install -y -qq python3-venv >/dev/null
      "$PYTHON" -m venv .venv
    fi
  fi
  local stamp=.venv/.station-console-installed
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing Python packages (PySide6, QtWebEngine, SQLModel, psycopg, ...)"
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev,postgres]"
    touch "$stamp"
  fi
}

system_packages
python_environment
.venv/bin/python -m station_console.i18n_build >/dev/null
