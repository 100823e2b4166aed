"""Patrol coverage benchmark: presence per cell and hour, and the gap check, on 1,000,000 track points.

    .venv/bin/python bench/bench_patrol.py

Generates 1,000,000 points of 40 units over 30 days (a point every 30 s while on patrol) as
arrays. The plain-numpy baseline is ``np.histogram2d`` of the same points over the same cells
(counting only: no per-unit ordering, no time between points, no hours). Also times storing
the points through the importer's path and reading them back.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station_console.services.hotspots import CellGrid, Hotspot  # noqa: E402
from station_console.services.patrol_coverage import (  # noqa: E402
    TrackArrays,
    assess,
    load_tracks,
    presence_grid,
)
from station_console.services.patrol_tracks import import_tracks  # noqa: E402
from station_console.store.database import Database  # noqa: E402

N = 1_000_000
UNITS = 40


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def generate() -> TrackArrays:
    rng = np.random.default_rng(3)
    per_unit = N // UNITS
    start = np.datetime64("2026-03-01T00:00:00").astype(np.int64)
    subject = np.repeat(np.arange(UNITS), per_unit)
    t = start + np.tile(np.arange(per_unit) * 30, UNITS) + rng.integers(0, 5, N)
    # Random walks around the jurisdiction's centre (steps of ~10 m).
    lat = 30.27 + np.cumsum(rng.normal(0, 9e-5, N)).clip(-0.02, 0.02)
    lon = 120.14 + np.cumsum(rng.normal(0, 1e-4, N)).clip(-0.025, 0.025)
    # Shuffled, as points arrive from many files: the computation must sort them.
    order = rng.permutation(N)
    return TrackArrays(subject[order], t[order], lat[order], lon[order],
                       tuple(f"巡逻{k}组" for k in range(UNITS)))


def main() -> None:
    tracks = generate()
    grid = CellGrid.covering(30.24, 120.11, 30.30, 120.17, 150.0)
    print(f"track points: {len(tracks):,} of {UNITS} units; grid {grid.nx} x {grid.ny} cells of 150 m")
    spots = [Hotspot(k + 1, c, *grid.centre(c), grid.bounds(c), 50, 4.0, [], (k % 24, (k + 3) % 24), None)
             for k, c in enumerate(range(300, 300 + 30 * 37, 37))]

    def ours() -> None:
        presence_grid(tracks, grid)
        assess(spots, tracks)

    def baseline() -> None:
        np.histogram2d(tracks.lat, tracks.lon, bins=(grid.ny, grid.nx),
                       range=((grid.south, grid.south + grid.ny * grid.cell_m / 111_195),
                              (grid.west, grid.west + grid.nx * grid.cell_m / 96_000)))

    minutes = presence_grid(tracks, grid)
    ours_s, base_s = best_of(ours), best_of(baseline)
    grid_s = best_of(lambda: presence_grid(tracks, grid))
    print(f"presence grid (cells x 24 hours) + 30 hotspots' gap check: {ours_s * 1000:.0f} ms "
          f"(grid alone {grid_s * 1000:.0f} ms; {minutes.sum() / 60:,.0f} patrol hours counted)")
    print(f"baseline np.histogram2d, counting only: {base_s * 1000:.0f} ms  "
          f"ratio ours/baseline = {ours_s / base_s:.2f}")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracks.csv"
        base = datetime(2026, 3, 1)
        order = np.argsort(tracks.subject * (1 << 40) + tracks.t, kind="stable")
        with path.open("w", encoding="utf-8") as fh:
            fh.write("unit,time,lat,lon\n")
            for s, t, la, lo in zip(tracks.subject[order].tolist(), tracks.t[order].tolist(),
                                    tracks.lat[order].tolist(), tracks.lon[order].tolist(), strict=True):
                when = base + timedelta(seconds=t - int(np.datetime64(base, "s").astype(np.int64)))
                fh.write(f"{tracks.subjects[s]},{when:%Y-%m-%d %H:%M:%S},{la:.6f},{lo:.6f}\n")
        db = Database.open(Path(folder) / "station.db", create=True)
        t0 = time.perf_counter()
        summary = import_tracks(db, path)
        import_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        loaded = load_tracks(db)
        load_s = time.perf_counter() - t0
        with db.read() as conn:
            audit_rows = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        db.close()
    rate = summary.read / import_s
    print(f"import of a {summary.read:,}-point CSV: {import_s:.1f} s ({rate:,.0f} points/s), "
          f"{audit_rows} audit record(s); read back as arrays: {load_s:.1f} s ({len(loaded):,} points)")


if __name__ == "__main__":
    main()
