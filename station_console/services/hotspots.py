"""Patrol heat and hotspots: where and when incidents concentrate (numpy only, no SQL, no Qt).

Incidents are counted on a square grid of cells (about 150 m by default) laid over the
jurisdiction in a local flat projection. A cell is a hotspot when its neighbourhood holds
significantly more incidents than the study area on average: the Getis-Ord Gi* statistic with
the 3 x 3 neighbourhood (the cell itself included) gives a z-score per cell, and the
Benjamini-Hochberg procedure over all cells keeps the false-discovery rate at ``alpha``, so a
uniform scatter of incidents gives no hotspot at all, however many cells there are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from station_console.domain import geo
from station_console.services.incidents import IncidentFilter
from station_console.services.map_data import IncidentArrays, load_incident_arrays, load_jurisdiction
from station_console.store.database import Database

DEFAULT_CELL_M = 150.0
DEFAULT_ALPHA = 0.05
#: A hotspot needs at least this many incidents in its own cell.
DEFAULT_MIN_COUNT = 5
#: Width of the "peak hours" band reported per hotspot.
PEAK_BAND_HOURS = 3
LEADING_CATEGORIES = 3

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class TimeWindow:
    """Which incidents count: receipt in [start, end), at these hours and weekdays, these
    categories or groups. Empty sets mean "any"."""

    start: datetime | None = None
    end: datetime | None = None
    hours: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()
    categories: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()

    def previous(self) -> TimeWindow | None:
        """The period of equal length just before this one (None without both ends)."""
        if self.start is None or self.end is None:
            return None
        span = self.end - self.start
        return TimeWindow(self.start - span, self.start, self.hours, self.weekdays, self.categories,
                          self.groups)

    @classmethod
    def last_days(cls, days: int, now: datetime, **kwargs: frozenset[int] | frozenset[str]) -> TimeWindow:
        """The ``days`` days up to ``now``."""
        return cls(start=now - timedelta(days=days), end=now, **kwargs)  # type: ignore[arg-type]


def parse_hours(text: str) -> frozenset[int]:
    """``"H1-H2"`` as the hours H1 up to but not including H2, across midnight when H2 < H1
    (``"22-2"`` is 22, 23, 0, 1); a single ``"H"`` is that hour. Raises ValueError."""
    start_s, sep, end_s = text.partition("-")
    try:
        start = int(start_s)
        end = int(end_s) if sep else (start + 1) % 24
    except ValueError:
        raise ValueError(f"hours {text!r}: write H1-H2 with whole hours, e.g. 18-22") from None
    if not (0 <= start <= 23 and 0 <= end <= 24) or start == end:
        raise ValueError(f"hours {text!r}: hours run from 0 to 24 and the band must not be empty")
    count = (end - start) % 24 or 24  # "0-24" is the whole day
    return frozenset((start + i) % 24 for i in range(count))


def window_mask(arrays: IncidentArrays, window: TimeWindow) -> BoolArray:
    """Which incidents fall into ``window``."""
    mask = np.ones(len(arrays), dtype=bool)
    if window.start is not None:
        mask &= arrays.received >= np.datetime64(window.start, "s")
    if window.end is not None:
        mask &= arrays.received < np.datetime64(window.end, "s")
    if window.hours:
        mask &= np.isin(arrays.hour, sorted(window.hours))
    if window.weekdays:
        mask &= np.isin(arrays.weekday, sorted(window.weekdays))
    if window.categories or window.groups:
        wanted = np.zeros(len(arrays), dtype=bool)
        if window.categories:
            idx = [i for i, c in enumerate(arrays.categories) if c in window.categories]
            wanted |= np.isin(arrays.category, idx)
        if window.groups:
            idx = [i for i, g in enumerate(arrays.groups) if g in window.groups]
            wanted |= np.isin(arrays.group, idx)
        mask &= wanted
    return mask


@dataclass(frozen=True)
class CellGrid:
    """Square cells of ``cell_m`` metres from a south-west corner, ``nx`` east by ``ny`` north."""

    south: float
    west: float
    cell_m: float
    nx: int
    ny: int

    @classmethod
    def covering(cls, south: float, west: float, north: float, east: float,
                 cell_m: float = DEFAULT_CELL_M) -> CellGrid:
        """The grid whose cells cover the box (a cell's margin on every side)."""
        if cell_m <= 0:
            raise ValueError("the cell size must be positive")
        width, height = geo.to_metres((west, south), (east, north))
        pad_lon = cell_m / geo.metres_per_degree_lon(south)
        pad_lat = cell_m / geo.METRES_PER_DEGREE_LAT
        nx = max(1, math.ceil(width / cell_m) + 2)
        ny = max(1, math.ceil(height / cell_m) + 2)
        return cls(south - pad_lat, west - pad_lon, cell_m, nx, ny)

    @property
    def size(self) -> int:
        return self.nx * self.ny

    def cell_of(self, lat: FloatArray, lon: FloatArray) -> IntArray:
        """Flat cell index (row-major, row 0 in the south) per point; -1 outside the grid."""
        per_lon = geo.metres_per_degree_lon(self.south)
        col = np.floor((lon - self.west) * per_lon / self.cell_m).astype(np.int64)
        row = np.floor((lat - self.south) * geo.METRES_PER_DEGREE_LAT / self.cell_m).astype(np.int64)
        inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        return np.where(inside, row * self.nx + col, -1)

    def bounds(self, cell: int) -> tuple[float, float, float, float]:
        """(south, west, north, east) of one cell."""
        row, col = divmod(cell, self.nx)
        dlat = self.cell_m / geo.METRES_PER_DEGREE_LAT
        dlon = self.cell_m / geo.metres_per_degree_lon(self.south)
        s, w = self.south + row * dlat, self.west + col * dlon
        return s, w, s + dlat, w + dlon

    def centre(self, cell: int) -> tuple[float, float]:
        """(lat, lon) of a cell's centre."""
        s, w, n, e = self.bounds(cell)
        return (s + n) / 2, (w + e) / 2


def grid_for(arrays: IncidentArrays, bounds: tuple[float, float, float, float] | None = None,
             cell_m: float = DEFAULT_CELL_M) -> CellGrid:
    """A grid over ``bounds`` (south, west, north, east), else over the incidents themselves."""
    if bounds is None:
        if len(arrays) == 0:
            bounds = (0.0, 0.0, 0.0, 0.0)
        else:
            bounds = (float(arrays.lat.min()), float(arrays.lon.min()),
                      float(arrays.lat.max()), float(arrays.lon.max()))
    return CellGrid.covering(*bounds, cell_m=cell_m)


def heat_counts(cells: IntArray, mask: BoolArray, grid: CellGrid) -> IntArray:
    """Incidents per cell (shape ``(ny, nx)``) among those where ``mask`` holds."""
    chosen = cells[mask]
    chosen = chosen[chosen >= 0]
    return np.bincount(chosen, minlength=grid.size).reshape(grid.ny, grid.nx).astype(np.int64)


def _neighbourhood_sum(values: FloatArray) -> FloatArray:
    """Sum over each cell's 3 x 3 neighbourhood (cells beyond the edge count as absent)."""
    padded = np.pad(values, 1)
    ny, nx = values.shape
    out = np.zeros_like(values)
    for dy in range(3):
        for dx in range(3):
            out += padded[dy:dy + ny, dx:dx + nx]
    return out


def gi_star(counts: IntArray) -> FloatArray:
    """Getis-Ord Gi* z-score per cell with binary 3 x 3 weights (the cell itself included)."""
    x = counts.astype(np.float64)
    n = x.size
    if n < 2:
        return np.zeros_like(x)
    mean = x.mean()
    s = math.sqrt(max((x * x).mean() - mean * mean, 0.0))
    if s == 0:
        return np.zeros_like(x)
    local = _neighbourhood_sum(x)
    weights = _neighbourhood_sum(np.ones_like(x))  # 9 inside, fewer along the edges
    denom = s * np.sqrt((n * weights - weights * weights) / (n - 1))
    return np.asarray((local - mean * weights) / denom, dtype=np.float64)


def significant(z: FloatArray, alpha: float = DEFAULT_ALPHA) -> BoolArray:
    """Cells whose (one-sided, high) z-score survives Benjamini-Hochberg at ``alpha``."""
    flat = z.ravel()
    p = 0.5 * np.vectorize(math.erfc)(flat / math.sqrt(2.0))
    order = np.argsort(p)
    ranked = p[order]
    m = flat.size
    passed = ranked <= alpha * np.arange(1, m + 1) / m
    keep = np.zeros(m, dtype=bool)
    if passed.any():
        last = int(np.nonzero(passed)[0].max())
        keep[order[: last + 1]] = True
    return keep.reshape(z.shape)


@dataclass(frozen=True)
class Hotspot:
    """One significant cell, ranked by its incident count."""

    rank: int
    cell: int
    lat: float
    lon: float
    bounds: tuple[float, float, float, float]
    count: int
    z: float
    leading: list[tuple[str, int]]
    peak_hours: tuple[int, int]
    previous_count: int | None
    change_pct: float | None = field(default=None)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form (the CLI's ``--json``, the map page)."""
        return {
            "rank": self.rank, "lat": round(self.lat, 6), "lon": round(self.lon, 6),
            "bounds": [round(v, 6) for v in self.bounds], "count": self.count, "z": round(self.z, 2),
            "leading_categories": [{"category": c, "count": n} for c, n in self.leading],
            "peak_hours": f"{self.peak_hours[0]:02d}-{self.peak_hours[1]:02d}",
            "previous_count": self.previous_count,
            "change_pct": None if self.change_pct is None else round(self.change_pct, 1),
        }


def peak_band(hours: IntArray, width: int = PEAK_BAND_HOURS) -> tuple[int, int]:
    """The ``width``-hour band (start, end; end may pass midnight as e.g. 1) with most incidents."""
    per_hour = np.bincount(hours, minlength=24)[:24]
    wrapped = np.concatenate([per_hour, per_hour[: width - 1]])
    sums = np.convolve(wrapped, np.ones(width, dtype=np.int64), mode="valid")[:24]
    start = int(np.argmax(sums))
    return start, (start + width) % 24


def find_hotspots(arrays: IncidentArrays, window: TimeWindow, grid: CellGrid, *,
                  alpha: float = DEFAULT_ALPHA, min_count: int = DEFAULT_MIN_COUNT,
                  limit: int | None = 30, cells: IntArray | None = None) -> list[Hotspot]:
    """Significant hotspot cells of ``window``, most incidents first.

    ``cells`` (from ``grid.cell_of``) may be passed in when computed already.
    """
    cell_idx = grid.cell_of(arrays.lat, arrays.lon) if cells is None else cells
    mask = window_mask(arrays, window)
    counts = heat_counts(cell_idx, mask, grid)
    z = gi_star(counts)
    hot = significant(z, alpha) & (counts >= max(min_count, 1)) & (counts > counts.mean())
    chosen = np.nonzero(hot.ravel())[0]
    flat_counts = counts.ravel()
    chosen = chosen[np.argsort(-flat_counts[chosen], kind="stable")]
    if limit is not None:
        chosen = chosen[:limit]
    previous = window.previous()
    prev_counts = heat_counts(cell_idx, window_mask(arrays, previous), grid).ravel() if previous else None
    members = np.nonzero(mask & np.isin(cell_idx, chosen))[0]
    member_cells = cell_idx[members]
    hours = arrays.hour[members]
    out: list[Hotspot] = []
    for rank, cell in enumerate(chosen.tolist(), start=1):
        inside = member_cells == cell
        cats = np.bincount(arrays.category[members][inside], minlength=len(arrays.categories))
        top = np.argsort(-cats, kind="stable")[:LEADING_CATEGORIES]
        leading = [(arrays.categories[i], int(cats[i])) for i in top if cats[i] > 0]
        count = int(flat_counts[cell])
        prev = None if prev_counts is None else int(prev_counts[cell])
        change = None if prev is None or prev == 0 else 100.0 * (count - prev) / prev
        lat, lon = grid.centre(cell)
        out.append(Hotspot(rank, cell, lat, lon, grid.bounds(cell), count, float(z.ravel()[cell]), leading,
                           peak_band(hours[inside]), prev, change))
    return out


def heat_points(arrays: IncidentArrays, mask: BoolArray, grid: CellGrid,
                cells: IntArray | None = None) -> list[list[float]]:
    """Heat as ``[lat, lon, weight]`` per non-empty cell, weights scaled to 0..1 (aggregates:
    the page gets at most one point per cell however many incidents there are)."""
    cell_idx = grid.cell_of(arrays.lat, arrays.lon) if cells is None else cells
    counts = heat_counts(cell_idx, mask, grid).ravel()
    nonzero = np.nonzero(counts)[0]
    if nonzero.size == 0:
        return []
    top = float(counts.max())
    rows, cols = np.divmod(nonzero, grid.nx)
    dlat = grid.cell_m / geo.METRES_PER_DEGREE_LAT
    dlon = grid.cell_m / geo.metres_per_degree_lon(grid.south)
    lat = grid.south + (rows + 0.5) * dlat
    lon = grid.west + (cols + 0.5) * dlon
    weight = counts[nonzero] / top
    return np.round(np.column_stack([lat, lon, weight]), 6).tolist()



def station_hotspots(db: Database, *, days: int, now: datetime, categories: Iterable[str] = (),
                     hours: frozenset[int] = frozenset(), cell_m: float = DEFAULT_CELL_M,
                     limit: int | None = 30) -> list[Hotspot]:
    """The hotspots of the last ``days`` days of the station (``categories`` may name category
    codes or group codes), over the jurisdiction's extent."""
    wanted = frozenset(categories)
    arrays = load_incident_arrays(db, IncidentFilter(), now=now)
    window = TimeWindow.last_days(days, now, hours=hours, categories=wanted & set(arrays.categories),
                                  groups=wanted & set(arrays.groups))
    unknown = wanted - set(arrays.categories) - set(arrays.groups)
    if unknown:
        raise ValueError(f"unknown category {', '.join(sorted(unknown))}: give category codes "
                         f"(such as {arrays.categories[0] if arrays.categories else '0101'}) or group "
                         f"codes ({', '.join(g for g in arrays.groups if g)})")
    grid = grid_for(arrays, load_jurisdiction(db).bounds(), cell_m)
    return find_hotspots(arrays, window, grid, limit=limit)
