"""The map's patrol coverage panel with the real map page (QtWebEngine offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from station_console.store.database import Database
from station_console.ui.map.map_screen import MapScreen
from tests.conftest import DEMO_END
from tests.ui.test_map import LOAD_MS, js

# Leaflet.heat reads its canvas back on every redraw; Chromium advises about it (as for the tiles).
pytestmark = pytest.mark.qt_log_ignore("Canvas2D: Multiple readback operations")


@pytest.fixture
def screen(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> Iterator[MapScreen]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    screen = MapScreen(demo_db, settings, tmp_path / "cache", now=lambda: DEMO_END)
    qtbot.addWidget(screen)
    screen.resize(1400, 800)
    screen.show()
    with qtbot.waitSignal(screen.patrol.coverage_shown, timeout=LOAD_MS):
        screen.activated()
    yield screen
    screen.view.close()
    screen.close()
    screen.deleteLater()
    qtbot.wait(50)


def test_coverage_layer_gap_list_import_and_plan(qtbot: QtBot, screen: MapScreen, tmp_path: Path) -> None:
    panel = screen.patrol
    screen.side_tabs.setCurrentWidget(panel)
    # The small demo station has significant hotspots over a year.
    with qtbot.waitSignal(panel.coverage_shown, timeout=LOAD_MS):
        panel.days.setValue(365)
        panel.refresh()
    report = panel.report
    assert report is not None and report.gaps and panel.table.rowCount() == len(report.gaps)
    assert panel.table.item(0, 0).text() == f"#{report.gaps[0].hotspot.rank}"
    assert js(qtbot, screen, "StationMap.coverage._latlngs.length") == len(report.heat()) > 0
    assert js(qtbot, screen, "StationMap.gaps.getLayers().length") == len(report.gaps)
    names = js(qtbot, screen, "Array.from(document.querySelectorAll("
                              "'.leaflet-control-layers-overlays label')).map(e => e.textContent.trim())")
    assert screen.labels().coverage in names
    assert js(qtbot, screen, "StationMap.map.hasLayer(StationMap.layers.coverage)") is True
    panel.show_layer.setChecked(False)
    qtbot.waitUntil(lambda: js(qtbot, screen, "StationMap.map.hasLayer(StationMap.layers.coverage)") is False,
                    timeout=LOAD_MS)
    # Switched on in the page's layer control, the panel's box follows.
    js(qtbot, screen, "Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
                      f".find(e => e.textContent.trim() === {screen.labels().coverage!r})"
                      ".querySelector('input').click()")
    qtbot.waitUntil(panel.show_layer.isChecked, timeout=LOAD_MS)
    assert js(qtbot, screen, "StationMap.map.hasLayer(StationMap.layers.coverage)") is True

    tracks = tmp_path / "tracks.csv"
    tracks.write_text("unit,time,lat,lon\n巡逻一组,2026-03-14 20:00,30.27,120.15\n"
                      "巡逻一组,2026-03-14 20:02,30.2702,120.1501\n", encoding="utf-8")
    with qtbot.waitSignal(panel.finished, timeout=LOAD_MS) as done:
        panel.import_tracks(tracks)
    assert "2 new" in done.args[0]
    qtbot.waitSignal(panel.coverage_shown, timeout=LOAD_MS).wait()
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,time,lat,lon\nU,not a time,30.27,120.15\n", encoding="utf-8")
    with qtbot.waitSignal(panel.finished, timeout=LOAD_MS) as refused:
        panel.import_tracks(bad)
    assert "bad.csv" in refused.args[0] and "line 2, field time" in refused.args[0]

    plan = tmp_path / "plan.xlsx"
    with qtbot.waitSignal(panel.finished, timeout=LOAD_MS) as exported:
        panel.export_plan(plan)
    assert plan.is_file() and str(plan) in exported.args[0]
    assert screen.view.guard.blocked == []
