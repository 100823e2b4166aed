"""Small plane and sphere helpers for WGS-84 points and GeoJSON polygons.

Points are ``(lon, lat)`` pairs, the order GeoJSON uses. The station's jurisdiction spans a
few kilometres, so a local equirectangular projection (metres east/north of a reference point)
is accurate to well under a metre and keeps the arithmetic trivial.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

#: Mean Earth radius (IUGG), the usual choice for haversine distances.
EARTH_RADIUS_M = 6_371_008.8
#: Metres per degree of latitude on the sphere of ``EARTH_RADIUS_M``.
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180.0

Point = tuple[float, float]


def metres_per_degree_lon(lat: float) -> float:
    """Metres per degree of longitude at a latitude."""
    return METRES_PER_DEGREE_LAT * math.cos(math.radians(lat))


def offset(lon: float, lat: float, east_m: float, north_m: float) -> Point:
    """The point ``east_m`` metres east and ``north_m`` metres north of ``(lon, lat)``."""
    return lon + east_m / metres_per_degree_lon(lat), lat + north_m / METRES_PER_DEGREE_LAT


def to_metres(origin: Point, point: Point) -> tuple[float, float]:
    """``point`` as (east, north) metres from ``origin`` in the local flat projection."""
    return (
        (point[0] - origin[0]) * metres_per_degree_lon(origin[1]),
        (point[1] - origin[1]) * METRES_PER_DEGREE_LAT,
    )


def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres between two ``(lon, lat)`` points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def point_in_ring(point: Point, ring: Sequence[Point]) -> bool:
    """Whether ``point`` lies inside the polygon ring (closed or not), by ray casting."""
    x, y = point
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def ring_area(ring: Sequence[Point]) -> float:
    """Signed shoelace area in squared degrees (positive when counter-clockwise)."""
    return _shoelace(ring)[0]


def ring_centroid(ring: Sequence[Point]) -> Point:
    """Area-weighted centroid ``(lon, lat)`` of a simple polygon ring."""
    pts = _open(ring)
    # Work relative to the first vertex: products of raw degrees (~120 x 30) would cancel
    # most of the digits of a small polygon's area.
    x0, y0 = pts[0]
    area, cx, cy = _shoelace([(x - x0, y - y0) for x, y in pts])
    if area == 0:
        # A degenerate ring has no area centroid; the vertex mean is the sensible stand-in.
        return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    return x0 + cx / (6 * area), y0 + cy / (6 * area)


def polygon_geojson(ring: Sequence[Point], digits: int = 6) -> str:
    """A GeoJSON Polygon text for one outer ring, closed, coordinates rounded to ``digits``."""
    pts = [[round(x, digits), round(y, digits)] for x, y in _open(ring)]
    pts.append(pts[0])
    return json.dumps({"type": "Polygon", "coordinates": [pts]}, separators=(",", ":"))


def polygon_outer_ring(geojson: str) -> list[Point]:
    """The outer ring of a GeoJSON Polygon text, as ``(lon, lat)`` tuples."""
    doc = json.loads(geojson)
    if doc.get("type") != "Polygon":
        raise ValueError(f"expected a GeoJSON Polygon, got {doc.get('type')!r}")
    return [(float(x), float(y)) for x, y, *_ in doc["coordinates"][0]]


def _open(ring: Sequence[Point]) -> Sequence[Point]:
    return ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring


def _shoelace(ring: Sequence[Point]) -> tuple[float, float, float]:
    pts = _open(ring)
    area2 = cx = cy = 0.0
    for i, (x0, y0) in enumerate(pts):
        x1, y1 = pts[(i + 1) % len(pts)]
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return area2 / 2, cx, cy
