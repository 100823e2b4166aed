"""Conversions between the coordinate systems Chinese feeds use: WGS-84, GCJ-02 and BD-09.

GPS devices and government maps give WGS-84; Gaode/Tencent maps give GCJ-02 (the "Mars"
offset of GB 20263); Baidu maps give BD-09 (GCJ-02 rotated once more). The store keeps WGS-84,
so feed coordinates are converted on import. Outside China GCJ-02 equals WGS-84 by definition.
The GCJ-02 inverse has no closed form: it is solved by fixed-point iteration to < 1 cm.
The ``*_array`` forms convert numpy columns at once (the map shifts 20,000 incidents per update
to match a GCJ-02 base map) with the same formulas as the scalar forms.
"""

from __future__ import annotations

import math
from enum import StrEnum
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_A = 6378245.0                   # Krasovsky 1940 semi-major axis, as GB 20263 uses
_EE = 0.00669342162296594323     # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0


class CoordSystem(StrEnum):
    """The coordinate system a feed's points are written in."""

    WGS84 = "WGS-84"
    GCJ02 = "GCJ-02"
    BD09 = "BD-09"

    @classmethod
    def parse(cls, text: str) -> CoordSystem:
        """Accept the usual spellings: 'WGS84', 'wgs-84', 'gcj02', 'GCJ-02', 'bd09', 'BD-09'."""
        key = text.strip().upper().replace("-", "").replace("_", "")
        for member in cls:
            if member.value.replace("-", "") == key:
                return member
        raise ValueError(f"unknown coordinate system {text!r}; use WGS-84, GCJ-02 or BD-09")


def out_of_china(lon: float, lat: float) -> bool:
    """GCJ-02 applies inside China's rough bounding box only."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


# The offset formulas take ``math`` for single points or ``numpy`` for columns (``xp``).
def _transform_lat(x: Any, y: Any, xp: ModuleType = math) -> Any:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * xp.sqrt(abs(x))
    ret += (20.0 * xp.sin(6.0 * x * math.pi) + 20.0 * xp.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * xp.sin(y * math.pi) + 40.0 * xp.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * xp.sin(y / 12.0 * math.pi) + 320 * xp.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: Any, y: Any, xp: ModuleType = math) -> Any:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * xp.sqrt(abs(x))
    ret += (20.0 * xp.sin(6.0 * x * math.pi) + 20.0 * xp.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * xp.sin(x * math.pi) + 40.0 * xp.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * xp.sin(x / 12.0 * math.pi) + 300.0 * xp.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lon: Any, lat: Any, xp: ModuleType = math) -> tuple[Any, Any]:
    """The GCJ-02 offset ``(dlon, dlat)`` in degrees at a WGS-84 point (inside China)."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0, xp)
    dlon = _transform_lon(lon - 105.0, lat - 35.0, xp)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * xp.sin(radlat) ** 2
    sqrtmagic = xp.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * xp.cos(radlat) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 to GCJ-02 ``(lon, lat)``."""
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _gcj_offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to WGS-84 ``(lon, lat)`` by iterating the forward transform."""
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        # Each step shrinks the error ~500-fold, so a last step below 5e-5 degrees leaves
        # < 1e-7 degrees (1 cm), far below any feed's precision; usually two steps.
        if abs(dlon) < 5e-5 and abs(dlat) < 5e-5:
            break
    return wlon, wlat


def _in_china(lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.bool_]:
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def wgs84_to_gcj02_array(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """WGS-84 to GCJ-02 for columns of points: ``(lon, lat)`` as new float64 arrays."""
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    dlon, dlat = _gcj_offset(lon_a, lat_a, np)
    inside = _in_china(lon_a, lat_a)
    return np.where(inside, lon_a + dlon, lon_a), np.where(inside, lat_a + dlat, lat_a)


def gcj02_to_wgs84_array(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 to WGS-84 for columns of points, iterated until every point moves < 1e-9 degrees."""
    glon = np.asarray(lon, dtype=np.float64)
    glat = np.asarray(lat, dtype=np.float64)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(30):
        flon, flat = wgs84_to_gcj02_array(wlon, wlat)
        dlon, dlat = flon - glon, flat - glat
        wlon -= dlon
        wlat -= dlat
        if dlon.size == 0 or (np.abs(dlon).max() < 1e-9 and np.abs(dlat).max() < 1e-9):
            break
    return wlon, wlat


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """BD-09 to GCJ-02 ``(lon, lat)``."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to BD-09 ``(lon, lat)``."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def to_wgs84(lon: float, lat: float, system: CoordSystem) -> tuple[float, float]:
    """A point of ``system`` as WGS-84 ``(lon, lat)``."""
    if system == CoordSystem.GCJ02:
        return gcj02_to_wgs84(lon, lat)
    if system == CoordSystem.BD09:
        return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
    return lon, lat


def from_wgs84(lon: float, lat: float, system: CoordSystem) -> tuple[float, float]:
    """A WGS-84 point written in ``system``."""
    if system == CoordSystem.GCJ02:
        return wgs84_to_gcj02(lon, lat)
    if system == CoordSystem.BD09:
        return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
    return lon, lat
