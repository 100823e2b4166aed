"""Boundaries from GeoJSON: communities and grids as validated polygons, and the bulk
re-assignment of every located incident to its community and grid by point-in-polygon.

A boundary file is a GeoJSON FeatureCollection of Polygon / MultiPolygon features; one property
holds the area's name (the user chooses which), and for grids another names the community the
grid belongs to. A file with any bad feature is refused whole, each problem named by feature
(number and name) and field. Areas are matched to the station's existing ones by name: a known
name gets the new outline, a new name becomes a new area.

Re-assignment reads the incidents' coordinates once and tests them against every polygon with
numpy (bounding box first, then even-odd ray casting edge by edge over the points in the box),
then writes only the incidents whose community or grid changed, through a temporary table and
one ``UPDATE ... FROM``. The first area (in code order) that holds a point wins, as at intake.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Table, insert, select, update

from station_console.domain import geo
from station_console.domain.security import Perm
from station_console.services import audit
from station_console.services.changes import STATION_ID_KEY, meta_value, now_hlc
from station_console.store.database import Database
from station_console.store.dialect import BULK_CACHE_KIB, bulk_cache, driver_sql
from station_console.store.models import Community, Grid, Incident, Station

COMMUNITY: Table = Community.__table__  # type: ignore[attr-defined]
GRID: Table = Grid.__table__  # type: ignore[attr-defined]
INCIDENT: Table = Incident.__table__  # type: ignore[attr-defined]
STATION: Table = Station.__table__  # type: ignore[attr-defined]

#: Rows read per round trip while loading coordinates (progress is reported per chunk).
READ_CHUNK = 100_000
#: Rows written per executemany into the temporary table.
WRITE_CHUNK = 50_000

#: One incident as re-assignment reads it: id and kind (see ``UNSTAMPED``) as id * 4 + kind,
#: community and grid ids (+1, so that none is 0) as community << 32 | grid. Each value costs
#: the reading a Python object: four instead of six make it a quarter faster.
ROW_DTYPE = np.dtype([("key", np.int64), ("lat", np.float64), ("lon", np.float64),
                      ("areas", np.int64)])
#: Area ids the packing above holds (community ids take the high 31 bits).
MAX_PACKED_AREA_ID = 2**31 - 2
#: What a re-assigned incident needs besides its areas: nothing (no sync identity yet), a new
#: version stamp (this station wrote it last), or a stamp and this station as its origin.
UNSTAMPED, OWN, OTHERS = 0, 1, 2
#: SQLite's page cache while writing re-assigned incidents, per changed incident (KiB; each
#: dirties about one table page of 4 KiB) and at most. Spilling dirty pages to the log in the
#: middle of the statement costs a third of the write; the memory is given back at the end.
REASSIGN_CACHE_PER_ROW_KIB = 4
REASSIGN_CACHE_MAX_KIB = 524_288

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: A polygon as GeoJSON coordinates: rings of [lon, lat] positions, the first the outline.
Rings = list[list[list[float]]]


class BoundaryError(ValueError):
    """A boundary file that cannot be imported; ``problems`` lists every one found."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path.name}: " + "; ".join(problems))
        self.path = path
        self.problems = problems


class ReassignCancelled(Exception):
    """The user cancelled the re-assignment (nothing was written)."""


@dataclass(frozen=True)
class Boundary:
    """One area of a boundary file: its name, polygons and (for a grid) its community's name."""

    name: str
    polygons: list[Rings]
    parent: str = ""

    @property
    def geometry(self) -> dict[str, Any]:
        """GeoJSON geometry (a Polygon when there is one polygon)."""
        if len(self.polygons) == 1:
            return {"type": "Polygon", "coordinates": self.polygons[0]}
        return {"type": "MultiPolygon", "coordinates": self.polygons}

    def label_point(self) -> tuple[float, float]:
        """(lat, lon) of the largest polygon's centroid."""
        biggest = max(self.polygons, key=lambda p: abs(geo.ring_area([(x, y) for x, y in p[0]])))
        lon, lat = geo.ring_centroid([(x, y) for x, y in biggest[0]])
        return lat, lon


def boundary_properties(path: Path) -> list[str]:
    """The property names the features of a GeoJSON file use (to choose the name property)."""
    doc = _load(path)
    names: dict[str, None] = {}
    for feature in doc.get("features") or []:
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
            names.update(dict.fromkeys(str(k) for k in feature["properties"]))
    return list(names)


def _load(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryError(path, [f"not a readable GeoJSON file ({error})"]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BoundaryError(path, ["the file must hold a GeoJSON FeatureCollection"])
    return doc


def _ring_problem(ring: Any) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "a ring needs at least 4 positions (3 corners and the first again)"
    for position in ring:
        if (not isinstance(position, list) or len(position) < 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                           for v in position[:2])):
            return f"position {position!r} is not a pair of numbers [lon, lat]"
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"position {position!r} is outside longitude -180..180 / latitude -90..90 (WGS-84 degrees)"
    if ring[0][:2] != ring[-1][:2]:
        return "a ring must end where it starts"
    if abs(geo.ring_area([(p[0], p[1]) for p in ring])) == 0:
        return "a ring encloses no area"
    return None


def read_boundaries(path: Path, name_property: str, parent_property: str = "") -> list[Boundary]:
    """The areas of a GeoJSON file, validated; raises ``BoundaryError`` naming every problem
    (feature number and name, field). ``parent_property`` (grids) names each one's community."""
    doc = _load(path)
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(path, ["the FeatureCollection has no features"])
    problems: list[str] = []
    out: list[Boundary] = []
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        raw_name = props.get(name_property)
        name = str(raw_name).strip() if raw_name is not None else ""
        where = f"feature {number}" + (f" ({name})" if name else "")
        if not name:
            problems.append(f"{where}: property '{name_property}' (the name) is missing or empty")
        elif name in seen:
            problems.append(f"{where}: property '{name_property}': the name {name!r} appears twice")
        seen.add(name)
        parent = ""
        if parent_property:
            parent = str(props.get(parent_property) or "").strip()
            if not parent:
                problems.append(f"{where}: property '{parent_property}' (the community) is missing or empty")
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if kind == "Polygon":
            polygons = [coords]
        elif kind == "MultiPolygon" and isinstance(coords, list):
            polygons = coords
        else:
            problems.append(f"{where}: field 'geometry': expected a Polygon or MultiPolygon, "
                            f"got {kind or 'nothing'}")
            continue
        bad = None
        if not polygons or not all(isinstance(p, list) and p for p in polygons):
            bad = "no rings"
        else:
            for p_index, polygon in enumerate(polygons, start=1):
                for r_index, ring in enumerate(polygon, start=1):
                    problem = _ring_problem(ring)
                    if problem is not None:
                        part = f"ring {r_index}"
                        if kind == "MultiPolygon":
                            part = f"polygon {p_index}, {part}"
                        bad = f"{part}: {problem}"
                        break
                if bad:
                    break
        if bad:
            problems.append(f"{where}: field 'geometry.coordinates': {bad}")
            continue
        rings = [[[[float(p[0]), float(p[1])] for p in ring] for ring in polygon] for polygon in polygons]
        out.append(Boundary(name, rings, parent))
    if problems:
        raise BoundaryError(path, problems)
    return out


# point in polygon ---------------------------------------------------------------------------


def _inside_ring(lat: FloatArray, lon: FloatArray, ring: Sequence[Sequence[float]]) -> npt.NDArray[np.bool_]:
    """Even-odd ray casting of every point against one ring of [lon, lat] positions."""
    inside = np.zeros(lat.shape, dtype=bool)
    xs = np.asarray([p[0] for p in ring], dtype=np.float64)
    ys = np.asarray([p[1] for p in ring], dtype=np.float64)
    for i in range(len(xs)):
        j = i - 1  # the closing edge first (position -1), as geo.point_in_ring does
        xi, yi, xj, yj = xs[i], ys[i], xs[j], ys[j]
        if yi == yj:
            continue
        crosses = (yi > lat) != (yj > lat)
        inside ^= crosses & (lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
    return inside


def polygon_mask(lat: FloatArray, lon: FloatArray, polygons: list[Rings]) -> npt.NDArray[np.bool_]:
    """Which points lie inside any of ``polygons`` (holes excluded)."""
    result = np.zeros(lat.shape, dtype=bool)
    for polygon in polygons:
        outline = np.asarray(polygon[0], dtype=np.float64)
        box = np.nonzero((lon >= outline[:, 0].min()) & (lon <= outline[:, 0].max())
                         & (lat >= outline[:, 1].min()) & (lat <= outline[:, 1].max()))[0]
        if box.size == 0:
            continue
        blat, blon = lat[box], lon[box]
        hit = _inside_ring(blat, blon, polygon[0])
        for hole in polygon[1:]:
            hit &= ~_inside_ring(blat, blon, hole)
        result[box[hit]] = True
    return result


def assign(lat: FloatArray, lon: FloatArray, areas: Sequence[list[Rings]]) -> IntArray:
    """Index into ``areas`` of the first area holding each point, -1 for none."""
    out = np.full(lat.shape, -1, dtype=np.int64)
    for index, polygons in enumerate(areas):
        free = np.nonzero(out < 0)[0]
        if free.size == 0:
            break
        out[free[polygon_mask(lat[free], lon[free], polygons)]] = index
    return out


# importing and re-assigning -------------------------------------------------------------------


@dataclass(frozen=True)
class ReassignResult:
    """How many located incidents were tested and how many changed community or grid."""

    incidents: int
    changed: int


@dataclass(frozen=True)
class ChangedAreas:
    """The areas an import gave a new outline (or added): only incidents they can concern are
    tested again. Those are the incidents now in one of them, and those whose point lies in the
    box around their new outlines (which may now hold it first)."""

    column: str
    ids: list[int]


@dataclass
class ImportResult:
    """What an import changed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    reassigned: ReassignResult | None = None


Progress = Callable[[int, int], bool]


def import_boundaries(db: Database, boundaries: list[Boundary], *, kind: str, reassign: bool = True,
                      progress: Progress | None = None) -> ImportResult:
    """Store communities (``kind`` "community") or grids ("grid") by name: new outline for a
    known name, a new area for a new one; then (``reassign``) give every incident the areas
    that now hold it. One transaction: a cancel (``progress`` returning False raises
    ``ReassignCancelled``) or an error leaves everything as it was. Raises ValueError when a
    grid's community is unknown."""
    if kind not in ("community", "grid"):
        raise ValueError(f"kind must be 'community' or 'grid', not {kind!r}")
    # One audit record for the whole import: per-row records of a million re-assigned incidents
    # would take minutes (a Python hash per row) and say nothing the summary does not.
    with db.bulk_write() as conn, audit.bulk(conn, db, audit.Action.IMPORT, perm=Perm.IMPORT,
                                             object_type=kind,
                                             detail={"boundaries": len(boundaries)}) as detail:
        result, changed = _store(conn, boundaries, kind)
        detail.update(added=len(result.added), updated=len(result.updated))
        if reassign:
            result.reassigned = _reassign(conn, progress, changed)
            detail.update(incidents_changed=result.reassigned.changed)
    return result


def reassign_incidents(db: Database, *, progress: Progress | None = None) -> ReassignResult:
    """Give every located incident the community and grid that hold it (none when outside all).

    ``progress(done, total)`` is called as the work goes (reading, testing, writing); returning
    False cancels (``ReassignCancelled``) and nothing is written.
    """
    with db.bulk_write() as conn, audit.bulk(conn, db, audit.Action.BULK, perm=Perm.IMPORT,
                                             object_type="incident") as detail:
        result = _reassign(conn, progress)
        detail.update(incidents_changed=result.changed)
    return result


def _store(conn: Any, boundaries: list[Boundary], kind: str) -> tuple[ImportResult, ChangedAreas]:
    table = COMMUNITY if kind == "community" else GRID
    result = ImportResult()
    changed = ChangedAreas(f"{kind}_id", [])
    existing = {r.name: r for r in conn.execute(
        select(table.c.id, table.c.name, table.c.code, table.c.geometry))}
    codes = [str(r.code) for r in conn.execute(select(table.c.code))]
    communities = {r.name: (r.id, r.code) for r in conn.execute(
        select(COMMUNITY.c.id, COMMUNITY.c.name, COMMUNITY.c.code))}
    station = conn.execute(select(STATION.c.id).order_by(STATION.c.id).limit(1)).scalar()
    if kind == "grid":
        unknown = sorted({b.parent for b in boundaries} - set(communities))
        if unknown:
            raise ValueError(f"grids name communities the station does not have: {', '.join(unknown)}; "
                             "import the communities first")
    elif station is None:
        raise ValueError("the database has no station to add communities to")
    for b in boundaries:
        lat, lon = b.label_point()
        values: dict[str, Any] = {"geometry": json.dumps(b.geometry, separators=(",", ":")),
                                  "center_lat": round(lat, 6), "center_lon": round(lon, 6)}
        if kind == "grid":
            values["community_id"] = communities[b.parent][0]
        if b.name in existing:
            known = existing[b.name]
            conn.execute(update(table).where(table.c.id == known.id).values(**values))
            result.updated.append(b.name)
            if not known.geometry or json.loads(known.geometry) != b.geometry:
                changed.ids.append(int(known.id))
            continue
        prefix = str(communities[b.parent][1]) if kind == "grid" else "C"
        code = _next_code(prefix, codes)
        codes.append(code)
        values.update(code=code, name=b.name)
        if kind == "community":
            values["station_id"] = station
        changed.ids.append(int(conn.execute(insert(table).values(**values)).inserted_primary_key[0]))
        result.added.append(b.name)
    return result, changed


def _next_code(prefix: str, codes: list[str]) -> str:
    number = 1
    while f"{prefix}{number:02d}" in codes:
        number += 1
    return f"{prefix}{number:02d}"


def polygons_of(geometry: str) -> list[Rings]:
    """The polygons of a stored GeoJSON (Multi)Polygon (or a Feature holding one), empty ones left out."""
    doc = json.loads(geometry)
    if doc.get("type") == "Feature":
        doc = doc.get("geometry") or {}
    polygons = [doc["coordinates"]] if doc.get("type") == "Polygon" else list(doc.get("coordinates") or [])
    return [polygon for polygon in polygons if polygon and polygon[0]]


def _areas(conn: Any, table: Table) -> tuple[list[int], list[list[Rings]]]:
    rows = conn.execute(select(table.c.id, table.c.geometry).order_by(table.c.code)).all()
    return [int(row.id) for row in rows], [polygons_of(row.geometry) for row in rows]


def _reassign(conn: Any, progress: Progress | None, scope: ChangedAreas | None = None) -> ReassignResult:
    """Re-assign the located incidents: every one, or (``scope``) those the changed areas concern."""
    def report(done: int, total: int) -> None:
        if progress is not None and not progress(done, total):
            raise ReassignCancelled

    # The reading's progress is how far it got through the ids (a scan reads them in order): one
    # look-up, where counting the rows to read would be a scan of its own.
    last_id = int(conn.exec_driver_sql("SELECT max(id) FROM incident").scalar() or 0)
    community_ids, community_polys = _areas(conn, COMMUNITY)
    grid_ids, grid_polys = _areas(conn, GRID)
    # No station id yet: no incident is stamped, and none is this station's.
    station = meta_value(conn, STATION_ID_KEY) or ""

    if max([*community_ids, *grid_ids], default=0) > MAX_PACKED_AREA_ID:
        raise ValueError(f"community and grid ids above {MAX_PACKED_AREA_ID} cannot be re-assigned")

    def test(part: npt.NDArray[Any]) -> tuple[IntArray, IntArray]:
        return (_ids_at(assign(part["lat"], part["lon"], community_polys), community_ids),
                _ids_at(assign(part["lat"], part["lon"], grid_polys), grid_ids))

    where, params = _scope_condition(scope, community_ids, community_polys, grid_ids, grid_polys)
    if where is None:
        report(1, 1)
        return ReassignResult(0, 0)
    # The driver's own cursor on the same connection (same transaction): plain tuples.
    cursor = conn.connection.driver_connection.execute(driver_sql(
        conn, f"SELECT id * 4 + CASE WHEN sync_uuid IS NULL THEN {UNSTAMPED} WHEN sync_origin = ? "
              f"THEN {OWN} ELSE {OTHERS} END, lat, lon, "
              "(coalesce(community_id, -1) + 1) * 4294967296 + coalesce(grid_id, -1) + 1 "
              f"FROM incident WHERE lat IS NOT NULL AND lon IS NOT NULL{where}"),
        (station, *params))
    parts: list[npt.NDArray[Any]] = []
    tested: list[Future[tuple[IntArray, IntArray]]] = []
    reached = 0
    # Each chunk is tested on a second thread while the next is read: turning rows into Python
    # values holds the interpreter, numpy's loops mostly do not, so the two overlap.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reassign-test")
    try:
        while chunk := cursor.fetchmany(READ_CHUNK):
            # Straight into typed columns: no intermediate list of float rows.
            parts.append(np.fromiter(chunk, dtype=ROW_DTYPE, count=len(chunk)))
            tested.append(pool.submit(test, parts[-1]))
            reached = max(reached, int(parts[-1]["key"].max()) >> 2)
            report(reached // 2, max(last_id, reached))
        areas = [future.result() for future in tested]
    finally:
        pool.shutdown(cancel_futures=True)
    rows = np.concatenate(parts or [np.zeros(0, dtype=ROW_DTYPE)])
    total = len(rows)
    none = [np.zeros(0, dtype=np.int64)]
    community = np.concatenate([a[0] for a in areas] or none)
    grid = np.concatenate([a[1] for a in areas] or none)
    old_community, old_grid = (rows["areas"] >> 32) - 1, (rows["areas"] & 0xFFFFFFFF) - 1
    changed = np.nonzero((community != old_community) | (grid != old_grid))[0]
    report(2 * total // 3, total)
    if changed.size:
        kib = min(REASSIGN_CACHE_MAX_KIB, max(BULK_CACHE_KIB, REASSIGN_CACHE_PER_ROW_KIB * changed.size))
        with bulk_cache(conn, kib):
            _write(conn, station, rows[changed], community[changed], grid[changed])
    report(total, total)
    return ReassignResult(total, int(changed.size))


def _scope_condition(scope: ChangedAreas | None, community_ids: list[int],
                     community_polys: list[list[Rings]], grid_ids: list[int],
                     grid_polys: list[list[Rings]]) -> tuple[str | None, list[Any]]:
    """The WHERE clause (after the located test) of the incidents to test again, with its
    parameters: all of them without a scope, none (``None``) when no area changed.

    The box is one around all changed outlines: a condition per area would be evaluated on
    every row, and the box's extra rows only cost their reading.
    """
    if scope is None:
        return "", []
    if not scope.ids:
        return None, []
    ids, polys = ((community_ids, community_polys) if scope.column == "community_id"
                  else (grid_ids, grid_polys))
    changed = set(scope.ids)
    points = np.concatenate([np.asarray(polygon[0], dtype=np.float64)
                             for area, polygons in zip(ids, polys, strict=True) if area in changed
                             for polygon in polygons])
    (lon_min, lat_min), (lon_max, lat_max) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
    marks = ", ".join("?" * len(scope.ids))
    return (f" AND ({scope.column} IN ({marks}) OR (lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?))",
            [*scope.ids, float(lat_min), float(lat_max), float(lon_min), float(lon_max)])


def _ids_at(index: IntArray, ids: list[int]) -> IntArray:
    """Area ids for indexes into ``ids`` (-1, no area, stays -1)."""
    return np.where(index >= 0, np.asarray([*ids, -1], dtype=np.int64)[index], -1)


def _nullable(values: IntArray) -> list[int | None]:
    """Area ids as the database takes them: -1 (no area) as NULL."""
    out = values.astype(object)
    out[values < 0] = None
    return out.tolist()


def _write(conn: Any, station: str, rows: npt.NDArray[Any], community: IntArray,
           grid: IntArray) -> None:
    """New community and grid of the changed incidents (``rows`` as read, ids ascending): a
    temporary table, then one UPDATE for each kind of incident that has any (see ``UNSTAMPED``).

    An incident with a sync identity gets its new version stamp in the same UPDATE, as the
    ``incident_sync_au`` trigger would give it: origin this station, base the old clock, clock
    the later of now and the old clock + 1, and a new local change number above every earlier
    one (the highest before + the row's rank among the changed rows). Since the change number
    moves, the trigger's condition is false and it does not write the row a second time.
    """
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS area_assignment (id INTEGER PRIMARY KEY, "
                         "community_id INTEGER, grid_id INTEGER, ordinal INTEGER, kind INTEGER)")
    conn.exec_driver_sql("DELETE FROM area_assignment")
    # The driver's own cursor (sqlite3 or psycopg: both take executemany on a cursor).
    raw = conn.connection.driver_connection.cursor()
    now = now_hlc()
    kinds = rows["key"] & 3
    values = list(zip((rows["key"] >> 2).tolist(), _nullable(community), _nullable(grid),
                      range(1, len(rows) + 1), kinds.tolist(), strict=True))
    for start in range(0, len(values), WRITE_CHUNK):
        raw.executemany(driver_sql(conn, "INSERT INTO area_assignment VALUES (?, ?, ?, ?, ?)"),
                        values[start:start + WRITE_CHUNK])
    top = int(conn.exec_driver_sql("SELECT coalesce(max(sync_seq), 0) FROM incident").scalar_one())
    stamp = ("sync_base = sync_hlc, sync_hlc = CASE WHEN ? > sync_hlc THEN ? ELSE sync_hlc + 1 END, "
             "sync_seq = ? + a.ordinal")
    # The IN makes SQLite walk the changed ids and find each incident by its key; the bare join
    # scans every incident and probes the assignment table instead.
    changed = ("FROM area_assignment AS a WHERE incident.id = a.id AND incident.id IN "
               "(SELECT id FROM area_assignment WHERE kind = ?)")
    area = "UPDATE incident SET community_id = a.community_id, grid_id = a.grid_id"
    # Three disjoint kinds, so that no column is set that keeps its value: setting one, even to
    # the same value, rewrites its index entries (the origin's alone is a fifth of the write).
    # Each kind's rows are known from the reading, so no statement walks the others' rows.
    statements = {UNSTAMPED: (f"{area} {changed}", ()),
                  OWN: (f"{area}, {stamp} {changed}", (now, now, top)),
                  OTHERS: (f"{area}, sync_origin = ?, {stamp} {changed}", (station, now, now, top))}
    present = set(np.unique(kinds).tolist())
    for kind, (sql, params) in statements.items():
        if kind in present:
            conn.exec_driver_sql(driver_sql(conn, sql), (*params, kind))
    conn.exec_driver_sql("DELETE FROM area_assignment")
