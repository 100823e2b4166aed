"""Patrol tracks of the demo station: each unit's daily loop through the jurisdiction and its
trips to the hotspots near its post during their peak hours, for the last two weeks.

Every third hotspot is left out on purpose, so the coverage gap list has something to show.
A couple of thousand points per station: generating them takes a few tens of milliseconds.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import Table, select

from station_console.domain import geo
from station_console.services import audit
from station_console.services.hotspots import Hotspot, station_hotspots
from station_console.services.map_data import load_jurisdiction
from station_console.services.patrol_coverage import DEFAULT_DAYS
from station_console.store.database import Database
from station_console.store.dialect import driver_sql
from station_console.store.models import PatrolTrackPoint, PatrolUnit

UNIT: Table = PatrolUnit.__table__  # type: ignore[attr-defined]
TRACK_POINT: Table = PatrolTrackPoint.__table__  # type: ignore[attr-defined]

TRACK_DAYS = 14
SAMPLE_S = 120
SPEED_M_PER_S = 4.0       # a patrol car in town traffic, an e-bike
DWELL_MIN = (15, 25)      # minutes spent at a hotspot on a visit
LOOP_STOPS = 3
SOURCE = "demo"
#: Every NEGLECTED-th hotspot (counting from the second) gets no visits.
NEGLECTED = 3


def demo_hotspots(db: Database, end: datetime) -> list[Hotspot]:
    """The hotspots a demo plan is built on: of the default period, or of the year when a small
    station has none yet."""
    return (station_hotspots(db, days=DEFAULT_DAYS, now=end, limit=10)
            or station_hotspots(db, days=365, now=end, limit=10))


class _Walker:
    """Writes a unit's points as it moves and waits, one every ``SAMPLE_S`` seconds."""

    def __init__(self, rng: random.Random, subject: str, unit_id: int, start: datetime,
                 at: geo.Point, end: datetime, rows: list[tuple[object, ...]], stamp: str) -> None:
        self.rng, self.subject, self.unit_id = rng, subject, unit_id
        self.t, self.at, self.end, self.rows, self.stamp = start, at, end, rows, stamp

    def _emit(self, point: geo.Point, jitter_m: float) -> None:
        if self.t >= self.end:
            return
        lon, lat = geo.offset(point[0], point[1], self.rng.uniform(-jitter_m, jitter_m),
                              self.rng.uniform(-jitter_m, jitter_m))
        at = self.t.isoformat(sep=" ", timespec="microseconds")
        self.rows.append((self.subject, self.unit_id, None, at, round(lat, 7), round(lon, 7), SOURCE,
                          self.stamp))
        self.t += timedelta(seconds=SAMPLE_S + self.rng.randint(-10, 10))

    def go(self, target: geo.Point) -> None:
        """Move to ``target`` in a straight line."""
        distance = geo.haversine_m(self.at, target)
        steps = max(1, int(distance / (SPEED_M_PER_S * SAMPLE_S)))
        for k in range(1, steps + 1):
            share = k / steps
            self._emit((self.at[0] + (target[0] - self.at[0]) * share,
                        self.at[1] + (target[1] - self.at[1]) * share), 12.0)
        self.at = target

    def stay(self, minutes: int) -> None:
        """Walk about within some 30 m of where the unit is."""
        until = self.t + timedelta(minutes=minutes)
        while self.t < until and self.t < self.end:
            self._emit(self.at, 30.0)


def generate_demo_patrols(db: Database, seed: int, end: datetime) -> int:
    """Write the demo's patrol tracks (one audit record); returns the number of points."""
    rng = random.Random(f"{seed}:patrols")
    jurisdiction = load_jurisdiction(db)
    posts = {p.id: (p.lon, p.lat) for p in jurisdiction.posts}
    home = (jurisdiction.center[1], jurisdiction.center[0])
    with db.read() as conn:
        units = [(r.id, r.name, posts.get(r.post_id, home))
                 for r in conn.execute(select(UNIT.c.id, UNIT.c.name, UNIT.c.post_id).order_by(UNIT.c.id))]
    if not units:
        return 0
    spots = [s for i, s in enumerate(demo_hotspots(db, end)) if i % NEGLECTED != 1]
    visits: dict[int, list[Hotspot]] = {}
    for spot in spots:
        nearest = min(units, key=lambda u: geo.haversine_m(u[2], (spot.lon, spot.lat)))
        visits.setdefault(nearest[0], []).append(spot)
    waypoints = [(g.lon, g.lat) for g in jurisdiction.grids] or [home]
    stamp = end.isoformat(sep=" ", timespec="microseconds")
    rows: list[tuple[object, ...]] = []
    first_day = end.date() - timedelta(days=TRACK_DAYS)
    for offset in range(TRACK_DAYS + 1):
        day = datetime.combine(first_day + timedelta(days=offset), datetime.min.time())
        for unit_id, name, post in units:
            walker = _Walker(rng, name, unit_id, day + timedelta(hours=9, minutes=rng.randint(0, 50)),
                             post, end, rows, stamp)
            for stop in rng.sample(waypoints, min(LOOP_STOPS, len(waypoints))):
                walker.go(stop)
                walker.stay(rng.randint(3, 8))
            walker.go(post)
            for spot in sorted(visits.get(unit_id, []), key=lambda s: s.peak_hours[0]):
                leave = day + timedelta(hours=spot.peak_hours[0], minutes=rng.randint(0, 60))
                walker.t = max(walker.t, leave)
                walker.go((spot.lon, spot.lat))
                walker.stay(rng.randint(*DWELL_MIN))
                walker.go(post)
    columns = "subject, unit_id, officer_id, at, lat, lon, source_file, imported_at"
    with db.write() as conn, audit.bulk(conn, db, audit.Action.BULK, object_type="demo",
                                        detail={"what": "patrol tracks", "points": len(rows)}):
        conn.exec_driver_sql(driver_sql(conn, f"INSERT INTO {TRACK_POINT.name} ({columns}) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                        "ON CONFLICT (subject, at) DO NOTHING"), rows)
    return len(rows)
