"""The map over an offline tile set (XYZ folder, MBTiles file) with the real QtWebEngine offscreen."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QBuffer, QIODevice, QSettings, QThreadPool
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from station_console.domain.coords import gcj02_to_wgs84, wgs84_to_gcj02, wgs84_to_gcj02_array
from station_console.services.map_data import load_jurisdiction
from station_console.services.map_tiles import SETTING_CRS, SETTING_PATH
from station_console.store.database import Database
from station_console.ui.map.map_screen import MapScreen
from station_console.ui.map.tiles import TilesDialog
from tests.conftest import DEMO_END
from tests.ui.test_map import LOAD_MS, js

# Leaflet.heat reads its canvas back on each redraw; Chromium's hint about that is no fault.
pytestmark = pytest.mark.qt_log_ignore("Canvas2D: Multiple readback operations")

ZOOMS = range(12, 17)
LOADED_TILES = ("Array.from(document.querySelectorAll('img.leaflet-tile'))"
                ".filter(i => i.complete && i.naturalWidth === {width}).length")


def png(colour: str) -> bytes:
    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def station_tiles(db: Database) -> dict[tuple[int, int, int], bytes]:
    """A tile for each zoom of ``ZOOMS`` over the demo jurisdiction, one tile of margin round it."""
    bounds = load_jurisdiction(db).bounds()
    assert bounds is not None
    south, west, north, east = bounds
    tiles = {}
    for z, colour in zip(ZOOMS, ("#d7ccc8", "#c8e6c9", "#bbdefb", "#ffe0b2", "#e1bee7"), strict=True):
        data = png(colour)
        (x0, y0), (x1, y1) = tile_of(north, west, z), tile_of(south, east, z)
        for x in range(x0 - 1, x1 + 2):
            for y in range(y0 - 1, y1 + 2):
                tiles[(z, x, y)] = data
    return tiles


def write_tiles(kind: str, tiles: dict[tuple[int, int, int], bytes], where: Path) -> Path:
    if kind == "xyz":
        for (z, x, y), data in tiles.items():
            path = where / "xyz" / str(z) / str(x) / f"{y}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return where / "xyz"
    path = where / "station.mbtiles"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE metadata (name TEXT, value TEXT);"
                       "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
                       " tile_data BLOB);"
                       "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
                       "INSERT INTO metadata VALUES ('name', 'station'), ('format', 'png');")
    conn.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                     [(z, x, 2 ** z - 1 - y, data) for (z, x, y), data in tiles.items()])
    conn.commit()
    conn.close()
    return path


def open_map(qtbot: QtBot, db: Database, tmp_path: Path, tiles: str, crs: str) -> MapScreen:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(SETTING_PATH, tiles)
    settings.setValue(SETTING_CRS, crs)
    # Closed and deleted by the fixture, after its background work has reported.
    screen = MapScreen(db, settings, tmp_path / "cache", now=lambda: DEMO_END)
    screen.resize(1000, 700)
    screen.show()
    with qtbot.waitSignal(screen.data_applied, timeout=LOAD_MS):
        screen.activated()
    return screen


@pytest.fixture
def tiled_map(qtbot: QtBot, demo_db: Database, tmp_path: Path, request: pytest.FixtureRequest
              ) -> Iterator[MapScreen]:
    """The demo station's map over tiles as the test asks: (kind, coordinate system), kind one of
    xyz, mbtiles or missing (a setting naming a file that is not there)."""
    kind, crs = request.param
    if kind == "missing":
        where = tmp_path / "gone.mbtiles"
    else:
        where = write_tiles(kind, station_tiles(demo_db), tmp_path)
    screen = open_map(qtbot, demo_db, tmp_path, str(where), crs)
    yield screen
    # Let background work report to the screen before it goes.
    QThreadPool.globalInstance().waitForDone(LOAD_MS)
    qtbot.wait(50)
    screen.view.close()
    screen.close()
    screen.deleteLater()
    qtbot.wait(50)


@pytest.mark.parametrize("tiled_map", [("xyz", "GCJ-02"), ("mbtiles", "GCJ-02")], indirect=True)
def test_page_shows_the_tiles_offline_and_a_missing_tile_stays_blank(
        qtbot: QtBot, tiled_map: MapScreen) -> None:
    screen = tiled_map
    handler = screen.view.tiles
    assert handler is not None
    qtbot.waitUntil(lambda: js(qtbot, screen, LOADED_TILES.format(width=256)) > 0, timeout=LOAD_MS)
    assert handler.served > 0
    assert js(qtbot, screen, "StationMap.map.getZoom()") in ZOOMS
    # Below the set's zoom levels every tile is missing: blank images, the page carries on.
    js(qtbot, screen, f"StationMap.map.setZoom({ZOOMS[0] - 2}, {{animate: false}}) && 1")
    qtbot.waitUntil(lambda: handler.missing > 0, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: js(qtbot, screen, LOADED_TILES.format(width=1)) > 0, timeout=LOAD_MS)
    assert js(qtbot, screen, "StationMap.incidents.count()") == len(screen.loaded.arrays)
    # Tiles come through their own scheme: the network stays shut, and the guard still works.
    assert screen.view.guard.blocked == []
    js(qtbot, screen, "document.head.appendChild(Object.assign(document.createElement('img'), "
                      "{src: 'http://tiles.example.com/1/0/0.png'})) && 1")
    qtbot.waitUntil(lambda: bool(screen.view.guard.blocked), timeout=LOAD_MS)
    assert screen.view.guard.blocked == ["http://tiles.example.com/1/0/0.png"]


@pytest.mark.parametrize("tiled_map", [("xyz", "GCJ-02")], indirect=True)
def test_overlays_move_onto_gcj02_tiles_and_drawn_areas_come_back_in_wgs84(
        qtbot: QtBot, tiled_map: MapScreen) -> None:
    screen = tiled_map
    arrays = screen.loaded.arrays
    ids = [int(i) for i in arrays.ids[:5]]
    shown = js(qtbot, screen, f"{json.dumps(ids)}.map(i => [StationMap.incidents.latLngOf(i).lat, "
                              "StationMap.incidents.latLngOf(i).lng])")
    glon, glat = wgs84_to_gcj02_array(arrays.lon[:5], arrays.lat[:5])
    assert np.allclose(np.array(shown), np.column_stack([glat, glon]), atol=1e-6)
    assert not np.allclose(np.array(shown), np.column_stack([arrays.lat[:5], arrays.lon[:5]]), atol=1e-4)
    # The board's selection rings the shifted marker.
    screen.highlight_incident(ids[0])
    qtbot.waitUntil(lambda: js(qtbot, screen, "StationMap.map.hasLayer(StationMap.ring)") is True,
                    timeout=LOAD_MS)
    ring = js(qtbot, screen, "[StationMap.ring.getLatLng().lat, StationMap.ring.getLatLng().lng]")
    assert ring == pytest.approx([glat[0], glon[0]], abs=1e-6)
    # A shape drawn on the page (GCJ-02, as the tiles) reaches the console in WGS-84.
    wgs = [(30.27, 120.14), (30.27, 120.15), (30.28, 120.15)]
    page_ring = [list(reversed(wgs84_to_gcj02(lon, lat))) for lat, lon in wgs]
    with qtbot.waitSignal(screen.area_drawn, timeout=LOAD_MS) as drawn:
        js(qtbot, screen, f"StationMap.bridge.areaDrawn({json.dumps(json.dumps(page_ring))}) || 1")
    assert np.allclose(np.array(drawn.args[0]), np.array(wgs), atol=1e-7)
    # The heat reaches the page shifted as well.
    heat = js(qtbot, screen, "StationMap.heat._latlngs[0]")
    back = gcj02_to_wgs84(heat[1], heat[0])
    south, west, _north, _east = screen.loaded.heat_grid.bounds(0)
    assert south - 0.05 < back[1] < south + 0.5 and west - 0.05 < back[0] < west + 0.5


@pytest.mark.parametrize("tiled_map", [("xyz", "WGS-84")], indirect=True)
def test_wgs84_tiles_leave_the_overlays_where_they_are(qtbot: QtBot, tiled_map: MapScreen) -> None:
    arrays = tiled_map.loaded.arrays
    first = int(arrays.ids[0])
    shown = js(qtbot, tiled_map, f"[StationMap.incidents.latLngOf({first}).lat, "
                                 f"StationMap.incidents.latLngOf({first}).lng]")
    assert shown == pytest.approx([arrays.lat[0], arrays.lon[0]], abs=1e-6)
    assert js(qtbot, tiled_map, "StationMap.config.crs") == "WGS-84"
    qtbot.waitUntil(lambda: js(qtbot, tiled_map, LOADED_TILES.format(width=256)) > 0, timeout=LOAD_MS)


@pytest.mark.parametrize("tiled_map", [("missing", "GCJ-02")], indirect=True)
def test_a_broken_tile_setting_leaves_the_plain_map_and_says_why(qtbot: QtBot, tiled_map: MapScreen) -> None:
    assert tiled_map.page_ok is True and tiled_map.view.tiles is None
    assert "gone.mbtiles" in tiled_map.status.text()
    assert js(qtbot, tiled_map, "document.querySelectorAll('img.leaflet-tile').length") == 0
    assert js(qtbot, tiled_map, "StationMap.config.crs") == "WGS-84"


def test_tiles_dialog_checks_the_choice_before_keeping_it(qtbot: QtBot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = TilesDialog(settings)
    qtbot.addWidget(dialog)
    (tmp_path / "empty").mkdir()
    dialog.path.setText(str(tmp_path / "empty"))
    dialog.save()
    assert "no tiles found" in dialog.message.text() and settings.value(SETTING_PATH) is None
    where = write_tiles("mbtiles", {(14, 1, 1): png("#ffffff")}, tmp_path)
    dialog.path.setText(str(where))
    dialog.crs.setCurrentIndex(dialog.crs.findData("WGS-84"))
    with qtbot.waitSignal(dialog.accepted, timeout=LOAD_MS):
        dialog.save()
    reread = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert (reread.value(SETTING_PATH), reread.value(SETTING_CRS)) == (str(where), "WGS-84")
