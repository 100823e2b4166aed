"""Patrol coverage (巡逻覆盖): how long patrols stayed in each cell at each hour of the day, and
the hotspots that got too little of it during their peak hours ("police strength follows
incidents", 警力跟着警情走).

Presence is measured from the track points: the time from one point of a unit to its next
point counts for the cell and hour of the first, capped (``DEFAULT_CAP_S``) so that a
tracker switched off overnight does not count as a night in one place. Everything is
vectorised over numpy arrays (one sort, one ``bincount``), so a million points take a
fraction of a second.

A hotspot's presence is compared per *tracked day* (days of the period with any track point):
a station that imports tracks for the last fortnight is judged on that fortnight, while its
hotspots come from the whole period (hotspots need months of incidents to be significant).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from sqlalchemy import String, Table, cast, select

from station_console.domain import geo
from station_console.services.hotspots import DEFAULT_CELL_M, CellGrid, Hotspot, station_hotspots
from station_console.services.map_data import load_jurisdiction
from station_console.store.database import Database
from station_console.store.models import PatrolTrackPoint

TRACK_POINT: Table = PatrolTrackPoint.__table__  # type: ignore[attr-defined]

#: The longest gap between two points of a unit that still counts as presence.
DEFAULT_CAP_S = 300
#: Below this many minutes per tracked day in its peak hours a hotspot is a coverage gap.
DEFAULT_THRESHOLD_MIN = 10.0
#: The default period of the gap list and the patrol plan (hotspots need months of data).
DEFAULT_DAYS = 90
FETCH_CHUNK = 100_000

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TrackArrays:
    """Track points as parallel arrays; ``t`` is station wall-clock seconds since 1970-01-01."""

    subject: IntArray  # index into ``subjects``
    t: IntArray
    lat: FloatArray
    lon: FloatArray
    subjects: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.t.size)

    @classmethod
    def build(cls, subjects: Sequence[str], times: Sequence[object], lat: Sequence[float],
              lon: Sequence[float]) -> TrackArrays:
        """Arrays from plain columns (``times`` as datetimes, datetime64 or ISO strings)."""
        names, index = np.unique(np.asarray(subjects, dtype=str), return_inverse=True)
        t = np.asarray(times, dtype="datetime64[s]").astype(np.int64)
        return cls(index.astype(np.int64), t, np.asarray(lat, dtype=np.float64),
                   np.asarray(lon, dtype=np.float64), tuple(str(n) for n in names))

    @property
    def hour(self) -> IntArray:
        return (self.t // 3600) % 24

    @property
    def day(self) -> IntArray:
        return self.t // 86400


def load_tracks(db: Database, start: datetime | None = None, end: datetime | None = None) -> TrackArrays:
    """The stored track points with ``start <= at < end``, ordered by subject and time."""
    stmt = select(TRACK_POINT.c.subject, cast(TRACK_POINT.c.at, String), TRACK_POINT.c.lat,
                  TRACK_POINT.c.lon)
    if start is not None:
        stmt = stmt.where(TRACK_POINT.c.at >= start)
    if end is not None:
        stmt = stmt.where(TRACK_POINT.c.at < end)
    subjects: list[str] = []
    times: list[str] = []
    lat: list[float] = []
    lon: list[float] = []
    with db.read() as conn:
        result = conn.execute(stmt.order_by(TRACK_POINT.c.subject, TRACK_POINT.c.at))
        while chunk := result.fetchmany(FETCH_CHUNK):
            for r in chunk:
                subjects.append(r[0])
                times.append(r[1])
                lat.append(r[2])
                lon.append(r[3])
    return TrackArrays.build(subjects, times, lat, lon)


def dwell_seconds(tracks: TrackArrays, cap_s: int = DEFAULT_CAP_S) -> tuple[IntArray, FloatArray]:
    """(order, seconds): the points sorted by subject and time, and the presence each point
    stands for (time to the same subject's next point, at most ``cap_s``; 0 for a last point)."""
    n = len(tracks)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    key = tracks.subject * (1 << 40) + (tracks.t - tracks.t.min())
    order = np.arange(n) if bool(np.all(key[1:] >= key[:-1])) else np.argsort(key, kind="stable")
    t = tracks.t[order]
    same = tracks.subject[order][1:] == tracks.subject[order][:-1]
    gap = np.where(same, np.minimum(t[1:] - t[:-1], cap_s), 0)
    return order, np.append(gap, 0).astype(np.float64)


def presence_grid(tracks: TrackArrays, grid: CellGrid, cap_s: int = DEFAULT_CAP_S) -> FloatArray:
    """Minutes of presence per cell and hour of the day, shape ``(grid.size, 24)``."""
    order, seconds = dwell_seconds(tracks, cap_s)
    cells = grid.cell_of(tracks.lat[order], tracks.lon[order])
    inside = cells >= 0
    key = cells[inside] * 24 + tracks.hour[order][inside]
    minutes = np.bincount(key, weights=seconds[inside], minlength=grid.size * 24) / 60.0
    return minutes.reshape(grid.size, 24)


def box_presence(tracks: TrackArrays, boxes: Sequence[tuple[float, float, float, float]],
                 cap_s: int = DEFAULT_CAP_S) -> FloatArray:
    """Minutes of presence per hour of the day inside each (south, west, north, east) box,
    shape ``(len(boxes), 24)``."""
    out = np.zeros((len(boxes), 24), dtype=np.float64)
    if not len(tracks) or not boxes:
        return out
    order, seconds = dwell_seconds(tracks, cap_s)
    lat, lon, hour = tracks.lat[order], tracks.lon[order], tracks.hour[order]
    south, west, north, east = (np.array(v) for v in zip(*boxes, strict=True))
    # Only points inside the boxes' joint extent are compared box by box.
    near = np.nonzero((lat >= south.min()) & (lat < north.max())
                      & (lon >= west.min()) & (lon < east.max()))[0]
    lat, lon, hour, seconds = lat[near], lon[near], hour[near], seconds[near]
    for i in range(len(boxes)):
        inside = (lat >= south[i]) & (lat < north[i]) & (lon >= west[i]) & (lon < east[i])
        out[i] = np.bincount(hour[inside], weights=seconds[inside], minlength=24)[:24] / 60.0
    return out


def band_hours(peak: tuple[int, int]) -> list[int]:
    """The hours of a peak band (start, end), across midnight when end < start."""
    start, end = peak
    return [(start + i) % 24 for i in range((end - start) % 24 or 24)]


def coverage_points(minutes: FloatArray, grid: CellGrid, hours: Iterable[int] = ()) -> list[list[float]]:
    """Coverage heat as ``[lat, lon, weight 0..1]`` per cell with presence (at ``hours``, or
    all day), one point per cell."""
    chosen = sorted(set(hours))
    per_cell = (minutes[:, chosen] if chosen else minutes).sum(axis=1)
    nonzero = np.nonzero(per_cell > 0)[0]
    if nonzero.size == 0:
        return []
    rows, cols = np.divmod(nonzero, grid.nx)
    dlat = grid.cell_m / geo.METRES_PER_DEGREE_LAT
    dlon = grid.cell_m / geo.metres_per_degree_lon(grid.south)
    weight = np.sqrt(per_cell[nonzero] / per_cell.max())  # square root: short visits still show
    return np.round(np.column_stack([grid.south + (rows + 0.5) * dlat, grid.west + (cols + 0.5) * dlon,
                                     weight]), 6).tolist()


@dataclass(frozen=True)
class HotspotCoverage:
    """A hotspot and the patrol presence it received in its peak hours."""

    hotspot: Hotspot
    minutes: float            # in the peak band over the whole period
    per_day: float            # per tracked day
    by_hour: tuple[float, ...]  # minutes per hour of the day over the period
    gap: bool

    def to_dict(self) -> dict[str, object]:
        return {**self.hotspot.to_dict(), "presence_minutes": round(self.minutes, 1),
                "presence_per_day": round(self.per_day, 1), "gap": self.gap}


@dataclass(frozen=True)
class CoverageReport:
    """The coverage of one period: every hotspot's presence, the gaps ranked, the heat grid."""

    start: datetime
    end: datetime
    threshold: float
    points: int
    tracked_days: int
    subjects: tuple[str, ...]
    hotspots: list[HotspotCoverage]
    grid: CellGrid
    minutes: FloatArray  # (grid.size, 24)

    @property
    def gaps(self) -> list[HotspotCoverage]:
        """Hotspots below the threshold, least covered first (more incidents first on a tie)."""
        found = [h for h in self.hotspots if h.gap]
        return sorted(found, key=lambda h: (round(h.per_day, 3), -h.hotspot.count, h.hotspot.rank))

    def heat(self, hours: Iterable[int] = ()) -> list[list[float]]:
        return coverage_points(self.minutes, self.grid, hours)

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(sep=" "), "end": self.end.isoformat(sep=" "),
            "threshold_per_day": self.threshold, "track_points": self.points,
            "tracked_days": self.tracked_days, "subjects": list(self.subjects),
            "gaps": [g.to_dict() for g in self.gaps],
            "hotspots": [h.to_dict() for h in self.hotspots],
        }


def assess(hotspots: Sequence[Hotspot], tracks: TrackArrays, *, threshold: float = DEFAULT_THRESHOLD_MIN,
           cap_s: int = DEFAULT_CAP_S) -> list[HotspotCoverage]:
    """Each hotspot's presence in its peak band, per tracked day, and whether it is a gap."""
    by_hour = box_presence(tracks, [h.bounds for h in hotspots], cap_s)
    days = max(1, int(np.unique(tracks.day).size)) if len(tracks) else 1
    out = []
    for spot, row in zip(hotspots, by_hour, strict=True):
        minutes = float(row[band_hours(spot.peak_hours)].sum())
        per_day = minutes / days
        out.append(HotspotCoverage(spot, minutes, per_day, tuple(float(v) for v in row), per_day < threshold))
    return out


def track_grid(db: Database, tracks: TrackArrays, cell_m: float) -> CellGrid:
    """The hotspots' grid over the jurisdiction, else over the tracks themselves."""
    bounds = load_jurisdiction(db).bounds()
    if bounds is None:
        bounds = ((float(tracks.lat.min()), float(tracks.lon.min()), float(tracks.lat.max()),
                   float(tracks.lon.max())) if len(tracks) else (0.0, 0.0, 0.0, 0.0))
    return CellGrid.covering(*bounds, cell_m=cell_m)


def coverage_report(db: Database, *, days: int = DEFAULT_DAYS, now: datetime,
                    categories: Iterable[str] = (), threshold: float = DEFAULT_THRESHOLD_MIN,
                    cell_m: float = DEFAULT_CELL_M, cap_s: int = DEFAULT_CAP_S,
                    limit: int | None = 30) -> CoverageReport:
    """The hotspots of the last ``days`` days (``station_hotspots``) against the patrol tracks of
    the same days. Raises ValueError for an unknown category."""
    if threshold < 0:
        raise ValueError("the threshold must be 0 or more minutes per day")
    start = now - timedelta(days=days)
    spots = station_hotspots(db, days=days, now=now, categories=categories, cell_m=cell_m, limit=limit)
    tracks = load_tracks(db, start, now)
    grid = track_grid(db, tracks, cell_m)
    return CoverageReport(
        start=start, end=now, threshold=threshold, points=len(tracks),
        tracked_days=int(np.unique(tracks.day).size), subjects=tracks.subjects,
        hotspots=assess(spots, tracks, threshold=threshold, cap_s=cap_s), grid=grid,
        minutes=presence_grid(tracks, grid, cap_s))
