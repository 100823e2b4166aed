"""An offline tile source for the map's background: a folder of XYZ tiles or an MBTiles file.

The installer prepares the tiles (see the README) and names them in the data folder's
settings; the map page asks for ``{z}/{x}/{y}`` through its own URL scheme and the console
answers from here. Most Chinese tile sets are drawn in GCJ-02, so a source says which
coordinate system it is in; the map then shifts its WGS-84 overlays to match (``PageCoords``).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import struct
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from station_console.domain.coords import (
    CoordSystem,
    gcj02_to_wgs84_array,
    wgs84_to_gcj02,
    wgs84_to_gcj02_array,
)
from station_console.services.map_data import AreaShape, IncidentArrays, Jurisdiction, PlacePoint

#: Keys of the tile source in the data folder's ``settings.ini`` (section ``[map]``).
SETTING_PATH = "map/tiles"
SETTING_CRS = "map/tiles_crs"
#: Tile sets of Chinese map makers are GCJ-02 unless the installer says otherwise.
DEFAULT_CRS = CoordSystem.GCJ02
#: Coordinate systems a base map may be in (BD-09 tiles also use another tile grid: refused).
TILE_SYSTEMS = (CoordSystem.GCJ02, CoordSystem.WGS84)
#: The page's URL scheme for tiles and its tile URL (served by ``ui.map.tiles``).
TILE_SCHEME = "sctiles"
XYZ = "xyz"
MBTILES = "mbtiles"
#: Image types of raster tiles, by file extension / MBTiles ``format``.
MIME_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
_ZOOM_DIR = re.compile(r"^\d{1,2}$")
MAX_TILE_ZOOM = 22


class TileSourceError(ValueError):
    """A tile source that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class TileSource:
    """A checked tile set: where it is, its kind, zoom range and coordinate system."""

    path: Path
    kind: str
    crs: CoordSystem
    min_zoom: int
    max_zoom: int
    #: Extensions to try, the one found first (XYZ folders); the MBTiles ``format``.
    extensions: tuple[str, ...]
    name: str = ""
    attribution: str = ""

    @property
    def key(self) -> str:
        """Names this set as it is now (path and modification time) in the page's tile URLs, so
        the web engine's cache never shows tiles of a set that was replaced or changed."""
        stat = self.path.stat()
        return hashlib.sha256(f"{self.path}|{stat.st_mtime_ns}|{stat.st_size}".encode()).hexdigest()[:12]

    @property
    def url(self) -> str:
        """The page's tile URL template."""
        return f"{TILE_SCHEME}:///{self.key}/{{z}}/{{x}}/{{y}}"


@dataclass(frozen=True)
class Tile:
    """One tile's bytes and their MIME type."""

    data: bytes
    mime: str


def parse_crs(text: str | None) -> CoordSystem:
    """The base map's coordinate system from a setting (empty: GCJ-02)."""
    if not text or not str(text).strip():
        return DEFAULT_CRS
    system = CoordSystem.parse(str(text))
    if system not in TILE_SYSTEMS:
        raise TileSourceError(f"a base map in {system.value} is not supported; use GCJ-02 or WGS-84")
    return system


def open_tile_source(path: str | Path, crs: CoordSystem = DEFAULT_CRS) -> TileSource:
    """Check a tile folder or MBTiles file and describe it; ``TileSourceError`` says what is wrong."""
    where = Path(path).expanduser()
    if not where.exists():
        raise TileSourceError(f"{where}: no such file or folder")
    if crs not in TILE_SYSTEMS:
        raise TileSourceError(f"{where}: a base map in {crs.value} is not supported; use GCJ-02 or WGS-84")
    if where.is_dir():
        return _open_folder(where, crs)
    return _open_mbtiles(where, crs)


def _open_folder(folder: Path, crs: CoordSystem) -> TileSource:
    zooms = sorted(int(p.name) for p in folder.iterdir()
                   if p.is_dir() and _ZOOM_DIR.match(p.name) and int(p.name) <= MAX_TILE_ZOOM)
    for zoom in zooms:
        for column in (folder / str(zoom)).iterdir():
            if not column.is_dir():
                continue
            for tile in column.iterdir():
                ext = tile.suffix.lower().lstrip(".")
                if ext in MIME_TYPES and tile.stem.isdigit():
                    others = tuple(e for e in MIME_TYPES if e != ext)
                    return TileSource(folder, XYZ, crs, zooms[0], zooms[-1], (ext, *others),
                                      name=folder.name)
    raise TileSourceError(f"{folder}: no tiles found; the folder must hold {{z}}/{{x}}/{{y}}.png "
                          "(or .jpg, .webp) files, e.g. 15/27335/13405.png")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(path.resolve().as_posix())}?mode=ro", uri=True)


def _open_mbtiles(path: Path, crs: CoordSystem) -> TileSource:
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as exc:
        raise TileSourceError(f"{path}: cannot be opened as an MBTiles file ({exc})") from exc
    try:
        try:
            meta = dict(conn.execute("SELECT name, value FROM metadata").fetchall())
            lowest, highest = conn.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            raise TileSourceError(f"{path}: not an MBTiles file (it needs the tables 'metadata' and "
                                  f"'tiles'): {exc}") from exc
    finally:
        conn.close()
    fmt = str(meta.get("format") or "png").strip().lower()
    if fmt not in MIME_TYPES:
        raise TileSourceError(f"{path}: metadata 'format' is {fmt!r}; only raster tiles "
                              "(png, jpg, webp) can be shown, not vector tiles")
    if lowest is None:
        raise TileSourceError(f"{path}: the table 'tiles' is empty")
    return TileSource(path, MBTILES, crs, int(lowest), int(highest), (fmt,),
                      name=str(meta.get("name") or path.stem), attribution=str(meta.get("attribution") or ""))


class TileReader:
    """Reads tiles of one source; an MBTiles file through one read-only connection, kept open.

    A tile read is one indexed lookup or one small file (well under a millisecond), so it is
    done where it is asked for. Use it from one thread only.
    """

    def __init__(self, source: TileSource) -> None:
        self.source = source
        self._conn = _connect_read_only(source.path) if source.kind == MBTILES else None

    def read(self, z: int, x: int, y: int) -> Tile | None:
        """The tile at zoom ``z``, column ``x``, row ``y`` (XYZ numbering, y down), or None."""
        if not (0 <= z <= MAX_TILE_ZOOM and 0 <= x < 2 ** z and 0 <= y < 2 ** z):
            return None
        if self._conn is not None:
            # MBTiles numbers rows from the south (TMS).
            row = self._conn.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, 2 ** z - 1 - y)).fetchone()
            if row is None or not row[0]:
                return None
            data = bytes(row[0])
            return Tile(data, sniff_mime(data) or MIME_TYPES[self.source.extensions[0]])
        for ext in self.source.extensions:
            file = self.source.path / str(z) / str(x) / f"{y}.{ext}"
            if file.is_file():
                data = file.read_bytes()
                return Tile(data, sniff_mime(data) or MIME_TYPES[ext])
        return None

    def close(self) -> None:
        """Close the MBTiles connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def sniff_mime(data: bytes) -> str | None:
    """The image type of tile bytes from their signature (a tile's name may lie)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def blank_png() -> bytes:
    """A 1x1 transparent PNG: the answer for a tile the set does not have."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1x1, 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 5))
            + chunk(b"IEND", b""))


class PageCoords:
    """Moves WGS-84 points into the base map's system for the page, and drawn points back.

    Identity for the plain background and WGS-84 tiles; GCJ-02 tiles shift every overlay.
    """

    def __init__(self, crs: CoordSystem = CoordSystem.WGS84) -> None:
        self.crs = crs
        self.shifted = crs == CoordSystem.GCJ02

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        """A WGS-84 ``(lat, lon)`` as the page places it."""
        if not self.shifted:
            return lat, lon
        glon, glat = wgs84_to_gcj02(lon, lat)
        return glat, glon

    def points(self, rows: list[list[float]]) -> list[list[float]]:
        """``[[lat, lon, ...], ...]`` rows with their first two values moved (the rest kept)."""
        if not self.shifted or not rows:
            return rows
        table = np.asarray([r[:2] for r in rows], dtype=np.float64)
        glon, glat = wgs84_to_gcj02_array(table[:, 1], table[:, 0])
        return [[round(a, 7), round(b, 7), *r[2:]] for a, b, r in zip(glat.tolist(), glon.tolist(), rows,
                                                                           strict=True)]

    def back(self, rows: list[list[float]]) -> list[list[float]]:
        """Page points ``[[lat, lon], ...]`` (a drawn shape) as WGS-84."""
        if not self.shifted or not rows:
            return rows
        table = np.asarray([r[:2] for r in rows], dtype=np.float64)
        wlon, wlat = gcj02_to_wgs84_array(table[:, 1], table[:, 0])
        return [[a, b] for a, b in zip(wlat.tolist(), wlon.tolist(), strict=True)]

    def incidents(self, arrays: IncidentArrays) -> IncidentArrays:
        """Incident columns with their coordinates moved (the rest shared, not copied)."""
        if not self.shifted or len(arrays) == 0:
            return arrays
        glon, glat = wgs84_to_gcj02_array(arrays.lon, arrays.lat)
        return replace(arrays, lat=glat, lon=glon)

    def hotspot(self, spot: dict[str, Any]) -> dict[str, Any]:
        """A hotspot's ``to_dict()`` with its centre and cell corners moved."""
        if not self.shifted:
            return spot
        south, west, north, east = spot["bounds"]
        (lat, lon, *_), (s, w), (n, e) = self.points([[spot["lat"], spot["lon"]], [south, west],
                                                      [north, east]])
        return {**spot, "lat": lat, "lon": lon, "bounds": [s, w, n, e]}

    def jurisdiction(self, j: Jurisdiction) -> Jurisdiction:
        """The base map's areas, posts and places moved (for building the page)."""
        if not self.shifted:
            return j

        def area(a: AreaShape) -> AreaShape:
            lat, lon = self.point(a.lat, a.lon)
            return replace(a, lat=lat, lon=lon, geometry=self._geometry(a.geometry))

        def place(p: PlacePoint) -> PlacePoint:
            lat, lon = self.point(p.lat, p.lon)
            return replace(p, lat=lat, lon=lon)

        return replace(j, center=self.point(*j.center), communities=[area(a) for a in j.communities],
                       grids=[area(a) for a in j.grids], posts=[place(p) for p in j.posts],
                       places=[place(p) for p in j.places])

    def _geometry(self, geometry: dict[str, Any]) -> dict[str, Any]:
        def ring(points: list[list[float]]) -> list[list[float]]:
            # GeoJSON positions are [lon, lat].
            moved = self.points([[p[1], p[0]] for p in points])
            return [[p[1], p[0]] for p in moved]

        kind = geometry.get("type")
        if kind == "Polygon":
            return {**geometry, "coordinates": [ring(r) for r in geometry["coordinates"]]}
        if kind == "MultiPolygon":
            return {**geometry, "coordinates": [[ring(r) for r in poly] for poly in geometry["coordinates"]]}
        return geometry
