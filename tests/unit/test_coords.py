"""WGS-84 / GCJ-02 conversions against published reference points, scalar and vectorised."""

from __future__ import annotations

import math

import numpy as np
import pytest

from station_console.domain.coords import (
    gcj02_to_wgs84,
    gcj02_to_wgs84_array,
    wgs84_to_gcj02,
    wgs84_to_gcj02_array,
)

# (wgs lat, wgs lon, gcj lat, gcj lon): the reference pairs of the eviltransform project's own
# tests (github.com/googollee/eviltransform, python/test.py and go/transform_test.go).
REFERENCE = [
    pytest.param(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215, id="shanghai"),
    pytest.param(22.543847, 113.912316, 22.540796131694766, 113.9171764808363, id="shenzhen"),
    pytest.param(39.911954, 116.377817, 39.91334545536069, 116.38404722455657, id="beijing"),
]


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance between two nearby points (equirectangular, plenty for centimetres to metres)."""
    dy = (lat2 - lat1) * 111_320.0
    dx = (lon2 - lon1) * 111_320.0 * math.cos(math.radians(lat1))
    return math.hypot(dx, dy)


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), REFERENCE)
def test_wgs84_to_gcj02_matches_the_reference(wlat: float, wlon: float, glat: float, glon: float) -> None:
    lon, lat = wgs84_to_gcj02(wlon, wlat)
    assert lat == pytest.approx(glat, abs=1e-9) and lon == pytest.approx(glon, abs=1e-9)
    alon, alat = wgs84_to_gcj02_array([wlon], [wlat])
    assert alat[0] == pytest.approx(glat, abs=1e-9) and alon[0] == pytest.approx(glon, abs=1e-9)


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), REFERENCE)
def test_gcj02_to_wgs84_returns_to_the_reference(wlat: float, wlon: float, glat: float, glon: float) -> None:
    lon, lat = gcj02_to_wgs84(glon, glat)
    # eviltransform's exact inverse promises 0.5 m; the iteration here reaches centimetres.
    assert metres(lat, lon, wlat, wlon) < 0.05
    alon, alat = gcj02_to_wgs84_array([glon], [glat])
    assert metres(float(alat[0]), float(alon[0]), wlat, wlon) < 0.05


def test_arrays_agree_with_single_points_and_leave_the_world_outside_china_alone() -> None:
    rng = np.random.default_rng(5)
    lat = np.concatenate([rng.uniform(18.0, 53.0, 500), [48.8566, -33.87]])
    lon = np.concatenate([rng.uniform(74.0, 134.0, 500), [2.3522, 151.21]])  # Paris, Sydney last
    glon, glat = wgs84_to_gcj02_array(lon, lat)
    for i in range(0, lat.size, 25):
        assert (glon[i], glat[i]) == pytest.approx(wgs84_to_gcj02(float(lon[i]), float(lat[i])), abs=1e-12)
    assert (glon[-2:], glat[-2:]) == (pytest.approx(lon[-2:]), pytest.approx(lat[-2:]))
    # Inside China the shift is a few hundred metres (never zero, never kilometres).
    shift = np.hypot((glat - lat)[:-2] * 111_320, (glon - lon)[:-2] * 111_320 * np.cos(np.radians(lat[:-2])))
    assert shift.min() > 50 and shift.max() < 1_500
    wlon, wlat = gcj02_to_wgs84_array(glon, glat)
    assert np.abs(wlon - lon).max() < 1e-7 and np.abs(wlat - lat).max() < 1e-7


def test_empty_columns() -> None:
    lon, lat = gcj02_to_wgs84_array(np.empty(0), np.empty(0))
    assert lon.size == lat.size == 0
