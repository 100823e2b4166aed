"""What the map shows: the jurisdiction's areas and places, and incidents as numpy arrays.

The jurisdiction (communities, grids, posts, key places) is small and read once per page.
Incidents are read once per filter into column arrays (ids, coordinates, category, receipt
time) so that the heat grid, the hotspots and the hour slider work on memory, not on SQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import String, Table, cast, select

from station_console.services.incidents import IncidentFilter, IncidentService
from station_console.store.database import Database
from station_console.store.models import (
    CategoryGroupRow,
    Community,
    Grid,
    Incident,
    IncidentCategory,
    KeyPlace,
    PolicePost,
    Station,
)

INCIDENT: Table = Incident.__table__  # type: ignore[attr-defined]
#: Rows fetched per round trip while loading incident arrays (progress is reported per chunk).
FETCH_CHUNK = 50_000

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class AreaShape:
    """A community or grid: its name, label point and GeoJSON geometry."""

    id: int
    code: str
    name: str
    parent: str
    lat: float
    lon: float
    geometry: dict[str, Any]


@dataclass(frozen=True)
class PlacePoint:
    """A post or key place on the map."""

    id: int
    name: str
    kind: str
    address: str
    lat: float
    lon: float


@dataclass(frozen=True)
class CategoryGroup:
    """A category group as the map colours it."""

    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class Jurisdiction:
    """Everything of the base map."""

    station_name: str
    center: tuple[float, float]
    communities: list[AreaShape]
    grids: list[AreaShape]
    posts: list[PlacePoint]
    places: list[PlacePoint]
    groups: list[CategoryGroup]

    def bounds(self) -> tuple[float, float, float, float] | None:
        """(south, west, north, east) of the areas' outlines, or None without areas."""
        lons: list[float] = []
        lats: list[float] = []
        for area in self.communities:
            for ring in _rings(area.geometry):
                lons.extend(p[0] for p in ring)
                lats.extend(p[1] for p in ring)
        if not lons:
            return None
        return min(lats), min(lons), max(lats), max(lons)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    return []


def load_jurisdiction(db: Database) -> Jurisdiction:
    """The station's areas, posts, key places and category groups."""
    community: Table = Community.__table__  # type: ignore[attr-defined]
    grid: Table = Grid.__table__  # type: ignore[attr-defined]
    post: Table = PolicePost.__table__  # type: ignore[attr-defined]
    place: Table = KeyPlace.__table__  # type: ignore[attr-defined]
    station: Table = Station.__table__  # type: ignore[attr-defined]
    group: Table = CategoryGroupRow.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        st = conn.execute(select(station.c.name, station.c.center_lat, station.c.center_lon)
                          .order_by(station.c.id).limit(1)).first()
        communities = [
            AreaShape(r.id, r.code, r.name, "", r.center_lat, r.center_lon, json.loads(r.geometry))
            for r in conn.execute(select(community).order_by(community.c.code))
        ]
        names = {c.id: c.name for c in communities}
        grids = [
            AreaShape(r.id, r.code, r.name, names.get(r.community_id, ""), r.center_lat, r.center_lon,
                      json.loads(r.geometry))
            for r in conn.execute(select(grid).order_by(grid.c.code))
        ]
        posts = [PlacePoint(r.id, r.name, "post", r.address, r.lat, r.lon)
                 for r in conn.execute(select(post).order_by(post.c.code))]
        places = [PlacePoint(r.id, r.name, r.place_type, r.address, r.lat, r.lon)
                  for r in conn.execute(select(place).order_by(place.c.place_type, place.c.id))]
        groups = [CategoryGroup(r.code, r.name, r.name_en)
                  for r in conn.execute(select(group).order_by(group.c.sort_order, group.c.code))]
    if st is not None:
        center = (float(st.center_lat), float(st.center_lon))
    elif communities:
        center = (communities[0].lat, communities[0].lon)
    else:
        center = (30.2741, 120.1551)  # Hangzhou: somewhere sensible for an empty database
    return Jurisdiction(st.name if st is not None else "", center, communities, grids, posts, places, groups)


@dataclass(frozen=True)
class IncidentArrays:
    """Located incidents as parallel arrays (rows without coordinates are left out)."""

    ids: IntArray
    lat: FloatArray
    lon: FloatArray
    category: IntArray  # index into ``categories``
    group: IntArray     # index into ``groups``
    received: npt.NDArray[np.datetime64]
    categories: tuple[str, ...]
    groups: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.ids.size)

    @property
    def hour(self) -> IntArray:
        """Hour of the day (0-23) of each receipt."""
        return ((self.received - self.received.astype("datetime64[D]")).astype("timedelta64[h]")
                .astype(np.int64))

    @property
    def weekday(self) -> IntArray:
        """Day of the week of each receipt, Monday = 0 (as ``datetime.weekday``)."""
        # 1970-01-01 was a Thursday (weekday 3).
        return (self.received.astype("datetime64[D]").astype(np.int64) + 3) % 7

    def take(self, mask: npt.NDArray[np.bool_]) -> IncidentArrays:
        """The incidents where ``mask`` holds."""
        return IncidentArrays(self.ids[mask], self.lat[mask], self.lon[mask], self.category[mask],
                              self.group[mask], self.received[mask], self.categories, self.groups)

    @classmethod
    def build(cls, ids: Any, lat: Any, lon: Any, categories: Any, received: Any,
              group_of: dict[str, str]) -> IncidentArrays:
        """Arrays from plain columns; ``group_of`` maps category code to group code."""
        cat_codes, cat_index = np.unique(np.asarray(categories, dtype=str), return_inverse=True)
        group_codes = tuple(sorted(set(group_of.values()) | {""}))
        lookup = np.array([group_codes.index(group_of.get(str(c), "")) for c in cat_codes], dtype=np.int64)
        return cls(
            ids=np.asarray(ids, dtype=np.int64),
            lat=np.asarray(lat, dtype=np.float64),
            lon=np.asarray(lon, dtype=np.float64),
            category=cat_index.astype(np.int64),
            group=lookup[cat_index] if cat_codes.size else np.zeros(0, dtype=np.int64),
            received=np.asarray(received, dtype="datetime64[s]"),
            categories=tuple(str(c) for c in cat_codes),
            groups=group_codes,
        )


def category_groups(db: Database) -> dict[str, str]:
    """Category code -> group code."""
    category: Table = IncidentCategory.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return {r.code: r.group_code for r in conn.execute(select(category.c.code, category.c.group_code))}


def load_incident_arrays(db: Database, flt: IncidentFilter, *, now: datetime | None = None,
                         progress: Callable[[int, int], bool] | None = None) -> IncidentArrays:
    """The located incidents matching the board's filter, as arrays.

    Raises ``LoadCancelled`` when ``progress`` returns False.
    """
    moment = now or datetime.now()
    service = IncidentService(db, now=lambda: moment)
    groups = category_groups(db)
    ids: list[int] = []
    lat: list[float] = []
    lon: list[float] = []
    cats: list[str] = []
    received: list[str] = []
    with db.read() as conn:
        # The board's own WHERE clause, so the map shows exactly the incidents the board lists.
        where = service._where(conn, flt, moment)
        stmt = (
            select(INCIDENT.c.id, INCIDENT.c.lat, INCIDENT.c.lon, INCIDENT.c.category_code,
                   cast(INCIDENT.c.received_at, String))
            .where(where, INCIDENT.c.lat.is_not(None), INCIDENT.c.lon.is_not(None))
        )
        result = conn.execute(stmt)
        while True:
            chunk = result.fetchmany(FETCH_CHUNK)
            if not chunk:
                break
            for r in chunk:
                ids.append(r[0])
                lat.append(r[1])
                lon.append(r[2])
                cats.append(r[3])
                received.append(r[4])
            if progress is not None and not progress(len(ids), 0):
                raise LoadCancelled
    return IncidentArrays.build(ids, lat, lon, cats, received, groups)


def incident_location(db: Database, incident_id: int) -> tuple[float, float] | None:
    """(lat, lon) of one incident, None when it has no coordinates or does not exist."""
    with db.read() as conn:
        row = conn.execute(select(INCIDENT.c.lat, INCIDENT.c.lon).where(INCIDENT.c.id == incident_id)).first()
    if row is None or row.lat is None or row.lon is None:
        return None
    return float(row.lat), float(row.lon)


class LoadCancelled(Exception):
    """The user cancelled loading the map's incidents."""
