"""Size of the built package and its start-up time against running from source, in one run.

    .venv/bin/python bench/bench_package.py [--runs 5] [--rebuild]

Builds dist/StationConsole with build.spec when it is missing (or with --rebuild), then runs
``gui --smoke`` offscreen on the same prepared demo database from the package and from source,
alternating, and prints the medians and their ratio. The target for the unpacked one-folder
package is 350 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist" / "StationConsole"
TARGET_MB = 350


def folder_mb(path: Path) -> float:
    """Unpacked size of a folder in MiB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def largest_files(path: Path, count: int) -> list[tuple[float, str]]:
    """The ``count`` biggest files of the package (MiB, path inside it): where the size goes."""
    files = [f for f in path.rglob("*") if f.is_file() and not f.is_symlink()]
    files.sort(key=lambda f: f.stat().st_size, reverse=True)
    return [(f.stat().st_size / 2**20, f.relative_to(path).as_posix()) for f in files[:count]]


def smoke(command: list[str], data_dir: Path) -> dict[str, object]:
    """One ``gui --smoke`` run; returns its JSON report plus the wall time of the process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    out = subprocess.run([*command, "--data-dir", str(data_dir), "gui", "--smoke"], env=env,
                         capture_output=True, text=True, check=True, timeout=600)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    report["wall_s"] = time.perf_counter() - t0
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--largest", type=int, default=15, metavar="N",
                        help="list the N biggest files of the package (default 15)")
    args = parser.parse_args()
    if args.rebuild or not DIST.exists():
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                        "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller"),
                        str(ROOT / "build.spec")], cwd=ROOT, check=True)
    exe = DIST / ("StationConsole.exe" if os.name == "nt" else "StationConsole")
    size = folder_mb(DIST)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        smoke([sys.executable, "-m", "station_console"], data)  # builds the demo station once
        template = Path(tmp) / "station.db"
        shutil.copyfile(data / "station.db", template)
        packaged, source = [], []
        for _ in range(args.runs):
            from_source = [sys.executable, "-m", "station_console"]
            for sink, command in ((packaged, [str(exe)]), (source, from_source)):
                shutil.copyfile(template, data / "station.db")
                sink.append(smoke(command, data))
    med = {name: statistics.median(float(r["wall_s"]) for r in runs)
           for name, runs in (("packaged", packaged), ("source", source))}
    start = {name: statistics.median(float(r["startup_s"]) for r in runs)
             for name, runs in (("packaged", packaged), ("source", source))}
    print(f"package size: {size:.0f} MB (target {TARGET_MB} MB, ratio {size / TARGET_MB:.2f})")
    for mb, name in largest_files(DIST, args.largest):
        print(f"  {mb:6.1f} MB  {mb / size:5.1%}  {name}")
    print(f"smoke run wall time, median of {args.runs}: packaged {med['packaged']:.2f} s, "
          f"source {med['source']:.2f} s, ratio {med['packaged'] / med['source']:.2f}")
    print(f"start-up to the first screen, median: packaged {start['packaged']:.2f} s, "
          f"source {start['source']:.2f} s, ratio {start['packaged'] / start['source']:.2f}")
    print(f"peak memory, packaged: {statistics.median(float(r['peak_rss_mb']) for r in packaged):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
