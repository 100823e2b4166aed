"""The map screen with the real QtWebEngine (offscreen): offline page, layers, board link."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, QSettings, Qt
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from station_console.services.geo_import import COMMUNITY, INCIDENT
from station_console.services.hotspots import TimeWindow, find_hotspots, grid_for, heat_points, window_mask
from station_console.services.map_data import load_jurisdiction
from station_console.services.map_page import MapLabels, render_map_page
from station_console.store.database import Database
from station_console.ui.board.board_screen import BoardScreen
from station_console.ui.map.boundary_dialog import BoundaryChoice, BoundaryDialog
from station_console.ui.map.map_screen import CUSTOM_PERIOD, MapScreen, link_with_board
from tests.conftest import DEMO_END

LOAD_MS = 30_000


def js(qtbot: QtBot, screen: MapScreen, script: str) -> Any:
    """Evaluate the expression ``script`` in the map page and return its value (through JSON)."""
    out: list[Any] = []
    screen.view.page().runJavaScript(f"JSON.stringify({script})", 0, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=LOAD_MS)
    return json.loads(out[0]) if out[0] else None


@pytest.fixture
def map_screen(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> Iterator[MapScreen]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    screen = MapScreen(demo_db, settings, tmp_path / "cache", now=lambda: DEMO_END)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    with qtbot.waitSignal(screen.data_applied, timeout=LOAD_MS):
        screen.activated()
    yield screen
    screen.view.close()
    screen.close()
    screen.deleteLater()
    qtbot.wait(50)


@pytest.fixture
def board_and_map(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> Iterator[tuple[BoardScreen, MapScreen]]:
    """The board and the map side by side, linked as in the main window."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    host = QSplitter()
    board = BoardScreen(demo_db, settings, now=lambda: DEMO_END)
    screen = MapScreen(demo_db, settings, tmp_path / "cache", now=lambda: DEMO_END,
                       filter_source=lambda: board.current_filter)
    link_with_board(screen, board)
    host.addWidget(board)
    host.addWidget(screen)
    qtbot.addWidget(host)
    host.resize(1900, 900)
    host.setSizes([700, 1200])
    host.show()
    with qtbot.waitSignal(screen.data_applied, timeout=LOAD_MS):
        screen.activated()
    yield board, screen
    screen.view.close()
    board.shutdown()
    host.close()
    host.deleteLater()
    qtbot.wait(50)


def test_page_links_only_vendored_files(demo_db: Database) -> None:
    page = render_map_page(load_jurisdiction(demo_db), MapLabels())
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links and all(link.startswith(("web/", "qrc:///")) for link in links)
    assert "http://" not in page and "https://" not in page
    repo = Path(__file__).resolve().parents[2]
    for link in links:
        if link.startswith("web/"):
            assert (repo / "resources" / link).is_file(), link


def test_map_page_loads_offline_with_every_layer(qtbot: QtBot, map_screen: MapScreen) -> None:
    assert map_screen.page_ok is True
    assert js(qtbot, map_screen, "typeof L") == "object"
    assert js(qtbot, map_screen, "typeof L.heatLayer") == "function"
    assert js(qtbot, map_screen, "StationMap.bridge !== null") is True
    # Every layer of the base map and the data layers is in the layer control.
    names = js(qtbot, map_screen, "Array.from(document.querySelectorAll("
                                  "'.leaflet-control-layers-overlays label')).map(e => e.textContent.trim())")
    labels = map_screen.labels()  # in whatever language an earlier test installed
    for expected in (labels.communities, labels.grids, labels.posts, labels.incidents, labels.heat,
                     labels.hotspots):
        assert expected in names
    assert labels.place_layer.format(type=labels.place_types["bank"]) in names
    shown = js(qtbot, map_screen, "StationMap.incidents.count()")
    assert shown == len(map_screen.loaded.arrays) > 0
    # The demo station has hotspots over a year (e-bike theft and fraud concentrate by design).
    with qtbot.waitSignal(map_screen.hotspots_shown, timeout=LOAD_MS):
        map_screen.days.setCurrentIndex(map_screen.days.findData(365))
    assert map_screen.hotspots and map_screen.table.rowCount() == len(map_screen.hotspots)
    cells = "StationMap.hotspots.getLayers().filter(l => l instanceof L.Rectangle).length"
    assert js(qtbot, map_screen, cells) == len(map_screen.hotspots)
    assert js(qtbot, map_screen, "StationMap.hotspotLabels.getLayers().length") == len(map_screen.hotspots)
    # Rank numbers only where a cell is wide enough on the screen to hold one (150 m cells: about
    # 8 px at zoom 13, 250 px at zoom 18).
    for zoom, shown in ((13, False), (18, True), (13, False)):
        js(qtbot, map_screen, f"(StationMap.map.setZoom({zoom}, {{animate: false}}), 0)")
        assert js(qtbot, map_screen, "StationMap.hotspots.hasLayer(StationMap.hotspotLabels)") is shown
    # Nothing asked for the network, and no link on the page leads there.
    assert map_screen.view.guard.blocked == []
    assert js(qtbot, map_screen, "document.querySelectorAll('a[href^=\"http\"]').length") == 0
    credit = js(qtbot, map_screen, "document.querySelector('.leaflet-control-attribution').textContent")
    assert "Leaflet" in credit


def test_heat_follows_the_hour_slider(qtbot: QtBot, map_screen: MapScreen) -> None:
    def heat_total() -> float:
        return js(qtbot, map_screen, "StationMap.heat._latlngs.length")

    all_day = heat_total()
    map_screen.all_day.setChecked(False)
    map_screen.hour.setValue(3)
    qtbot.waitUntil(lambda: heat_total() < all_day, timeout=LOAD_MS)
    night = heat_total()
    map_screen.hour.setValue(15)
    qtbot.waitUntil(lambda: heat_total() != night, timeout=LOAD_MS)
    assert map_screen.hour_label.text() == "15:00–15:59"


def test_network_guard_blocks_and_records_http(qtbot: QtBot, map_screen: MapScreen) -> None:
    js(qtbot, map_screen, "document.head.appendChild(Object.assign(document.createElement('script'), "
                          "{src: 'https://cdn.example.com/leaflet.js'})) && 1")
    qtbot.waitUntil(lambda: bool(map_screen.view.guard.blocked), timeout=LOAD_MS)
    assert map_screen.view.guard.blocked == ["https://cdn.example.com/leaflet.js"]
    assert js(qtbot, map_screen, "typeof L") == "object"


def test_marker_click_selects_the_incident_on_the_board(
        qtbot: QtBot, board_and_map: tuple[BoardScreen, MapScreen]) -> None:
    board, screen = board_and_map
    target = int(screen.loaded.arrays.ids[0])

    # Board -> map: selecting on the board rings and centres the marker.
    board.select_incident(target)
    qtbot.waitUntil(lambda: board.current_id() == target, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: js(qtbot, screen, "StationMap.map.hasLayer(StationMap.ring)") is True,
                    timeout=LOAD_MS)
    ring = js(qtbot, screen, "[StationMap.ring.getLatLng().lat, StationMap.ring.getLatLng().lng]")
    assert ring == pytest.approx([screen.loaded.arrays.lat[0], screen.loaded.arrays.lon[0]], abs=1e-6)

    # Map -> board: a real mouse click on another incident's marker selects it on the board.
    other = int(screen.loaded.arrays.ids[1])
    js(qtbot, screen, f"StationMap.highlight({other}, 0, 0)")
    point = None

    def visible() -> bool:
        nonlocal point
        point = js(qtbot, screen, f"StationMap.markerPoint({other})")
        return point is not None

    qtbot.waitUntil(visible, timeout=LOAD_MS)
    with qtbot.waitSignal(screen.incident_clicked, timeout=LOAD_MS) as clicked:
        # Chromium takes mouse input through the view's focus proxy; hover first, as a hand does.
        target_widget = screen.view.focusProxy() or screen.view
        qtbot.mouseMove(target_widget, QPoint(int(point[0]), int(point[1])))
        qtbot.mouseClick(target_widget, Qt.MouseButton.LeftButton, pos=QPoint(int(point[0]), int(point[1])))
    assert clicked.args == [other]
    qtbot.waitUntil(lambda: board.current_id() == other, timeout=LOAD_MS)
    assert screen.picked.text()


def test_drawn_rectangle_filters_the_board_and_the_map(
        qtbot: QtBot, board_and_map: tuple[BoardScreen, MapScreen]) -> None:
    board, screen = board_and_map
    everything = len(screen.loaded.arrays)
    assert not screen.clear_area.isEnabled()

    # A real drag with the rectangle tool over the middle of the map.
    tool = js(qtbot, screen, "(function () { var r = document.querySelector('.leaflet-draw-draw-rectangle')"
                             ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    size = js(qtbot, screen, "[StationMap.map.getSize().x, StationMap.map.getSize().y]")
    widget = screen.view.focusProxy() or screen.view
    qtbot.mouseMove(widget, QPoint(int(tool[0]), int(tool[1])))
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(int(tool[0]), int(tool[1])))
    qtbot.waitUntil(lambda: js(qtbot, screen, "StationMap.drawing") is True, timeout=LOAD_MS)
    start = QPoint(size[0] // 3, size[1] // 3)
    end = QPoint(2 * size[0] // 3, 2 * size[1] // 3)
    with qtbot.waitSignal(screen.area_drawn, timeout=LOAD_MS) as drawn:
        qtbot.mouseMove(widget, start)
        qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
        for step in range(1, 6):
            qtbot.mouseMove(widget, start + (end - start) * step / 5)
            qtbot.wait(30)
        qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)
    area = drawn.args[0]
    assert len(area) == 4
    south, north = min(p[0] for p in area), max(p[0] for p in area)
    west, east = min(p[1] for p in area), max(p[1] for p in area)

    # The board's filter holds the area; the map reloads with exactly the incidents inside.
    qtbot.waitUntil(lambda: board.current_filter.area == area, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: screen.loaded is not None and screen.loaded.area == area, timeout=LOAD_MS)
    arrays = screen.loaded.arrays
    assert 0 < len(arrays) < everything
    assert ((arrays.lat >= south) & (arrays.lat <= north) & (arrays.lon >= west) & (arrays.lon <= east)).all()
    assert board.service.count(board.current_filter) == len(arrays)
    assert board.filter_bar.drill_label.isVisible()
    qtbot.waitUntil(lambda: js(qtbot, screen, "StationMap.area.getLayers().length") == 1, timeout=LOAD_MS)
    assert screen.clear_area.isEnabled()

    # Clearing the area shows the whole jurisdiction again, on the board and on the map.
    screen.clear_area.click()
    qtbot.waitUntil(lambda: board.current_filter.area == (), timeout=LOAD_MS)
    qtbot.waitUntil(lambda: screen.loaded is not None and len(screen.loaded.arrays) == everything,
                    timeout=LOAD_MS)
    qtbot.waitUntil(lambda: js(qtbot, screen, "StationMap.area.getLayers().length") == 0, timeout=LOAD_MS)
    assert not screen.clear_area.isEnabled()
    assert screen.view.guard.blocked == []


def _expected_heat(screen: MapScreen, window: TimeWindow) -> int:
    loaded = screen.loaded
    return len(heat_points(loaded.arrays, window_mask(loaded.arrays, window), loaded.heat_grid,
                           loaded.heat_cells))


def test_weekdays_and_dates_narrow_the_heat_and_the_hotspots(qtbot: QtBot, map_screen: MapScreen) -> None:
    def heat_size() -> int:
        return js(qtbot, map_screen, "StationMap.heat._latlngs.length")

    year = TimeWindow(start=DEMO_END - timedelta(days=365), end=DEMO_END)
    with qtbot.waitSignal(map_screen.hotspots_shown, timeout=LOAD_MS):
        map_screen.days.setCurrentIndex(map_screen.days.findData(365))
    whole_year = list(map_screen.hotspots)

    # Saturday and Sunday only: the hotspots and the heat of the weekend.
    with qtbot.waitSignal(map_screen.hotspots_shown, timeout=LOAD_MS):
        map_screen.weekday_buttons[5].setChecked(True)
    with qtbot.waitSignal(map_screen.hotspots_shown, timeout=LOAD_MS):
        map_screen.weekday_buttons[6].setChecked(True)
    weekend = replace(year, weekdays=frozenset({5, 6}))
    assert map_screen._window() == weekend
    loaded = map_screen.loaded
    grid = grid_for(loaded.arrays, map_screen.jurisdiction.bounds(), float(map_screen.cell.value()))
    assert [h.to_dict() for h in map_screen.hotspots] == [
        h.to_dict() for h in find_hotspots(loaded.arrays, weekend, grid)]
    assert [h.count for h in map_screen.hotspots] != [h.count for h in whole_year]
    qtbot.waitUntil(lambda: heat_size() == _expected_heat(map_screen, weekend), timeout=LOAD_MS)

    # A range of dates by hand: the first week of March, both days included, still weekends only.
    with qtbot.waitSignal(map_screen.hotspots_shown, timeout=LOAD_MS):
        map_screen.days.setCurrentIndex(map_screen.days.findData(CUSTOM_PERIOD))
    assert map_screen.date_from.isVisible() and map_screen.date_to.isVisible()
    map_screen.date_to.setDate(QDate(2026, 3, 7))
    with qtbot.waitSignal(map_screen.hotspots_shown, timeout=LOAD_MS):
        map_screen.date_from.setDate(QDate(2026, 3, 1))
    week = TimeWindow(start=datetime(2026, 3, 1), end=datetime(2026, 3, 8), weekdays=frozenset({5, 6}))
    assert map_screen._window() == week
    expected = _expected_heat(map_screen, week)
    assert 0 < expected < _expected_heat(map_screen, weekend)
    qtbot.waitUntil(lambda: heat_size() == expected, timeout=LOAD_MS)


def test_boundary_import_reassigns_incidents_and_redraws(
        qtbot: QtBot, map_screen: MapScreen, demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as conn:
        rows = conn.execute(select(COMMUNITY.c.id, COMMUNITY.c.name, COMMUNITY.c.geometry)
                            .order_by(COMMUNITY.c.code)).all()
        moving = conn.execute(select(func.count()).select_from(INCIDENT).where(
            INCIDENT.c.community_id.in_([rows[0].id, rows[1].id]))).scalar()
    geometries = [json.loads(r.geometry) for r in rows]
    geometries[0], geometries[1] = geometries[1], geometries[0]
    path = tmp_path / "communities.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": r.name}, "geometry": g}
        for r, g in zip(rows, geometries, strict=True)]}, ensure_ascii=False), encoding="utf-8")

    dialog = BoundaryDialog()
    qtbot.addWidget(dialog)
    dialog.set_file(path)
    assert dialog.choice() == BoundaryChoice(path, "community", "name", "")

    with qtbot.waitSignal(map_screen.boundaries_imported, timeout=LOAD_MS):
        map_screen.import_boundaries(dialog.choice())
    assert f"{moving:,} incidents" in map_screen.boundary_message
    with qtbot.waitSignal(map_screen.data_applied, timeout=LOAD_MS):
        pass
    # The redrawn map's count does not hide what the import did.
    assert map_screen.status.text().endswith(" · " + map_screen.boundary_message)
    with demo_db.read() as conn:
        assert json.loads(conn.execute(select(COMMUNITY.c.geometry).where(COMMUNITY.c.id == rows[0].id))
                          .scalar()) == geometries[0]
    assert map_screen.jurisdiction.communities[0].geometry == geometries[0]
    assert map_screen.view.guard.blocked == []

    # A bad file is refused whole, naming the feature and the field.
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "残缺社区"}, "geometry": {"type": "LineString",
                                                                          "coordinates": [[0, 0], [1, 1]]}}]},
                              ensure_ascii=False), encoding="utf-8")
    with qtbot.waitSignal(map_screen.boundaries_imported, timeout=LOAD_MS):
        map_screen.import_boundaries(BoundaryChoice(bad, "community", "name", ""))
    assert "nothing was changed" in map_screen.boundary_message
    assert "feature 1 (残缺社区): field 'geometry'" in map_screen.boundary_message
