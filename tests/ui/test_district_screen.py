"""The district screen: one row per station (and the district's total), the chart, the report."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from station_console.services.analytics import PeriodKind
from station_console.services.district import DISTRICT_KEYS, DistrictService
from station_console.services.station import station_profile
from station_console.store.database import Database
from station_console.ui.district.district_screen import DistrictScreen
from station_console.ui.main_window import MainWindow
from tests.conftest import DEMO_END
from tests.unit.district_helpers import DistrictFiles


def _district(template: tuple[Path, DistrictFiles], tmp_path: Path) -> Database:
    target = tmp_path / "district.db"
    shutil.copyfile(template[0], target)
    return Database.open(target)


def test_one_row_per_station_and_the_total(qtbot: QtBot, district_template: tuple[Path, DistrictFiles],
                                           tmp_path: Path) -> None:
    db = _district(district_template, tmp_path)
    try:
        screen = DistrictScreen(db, now=lambda: DEMO_END)
        qtbot.addWidget(screen)
        qtbot.waitUntil(lambda: screen.data is not None and not screen.jobs.busy, timeout=30_000)
        assert screen.data is not None
        expected = DistrictService(db, now=lambda: DEMO_END).compare(screen.current_period())
        names = sorted(district_template[1].stations)
        table = screen.table
        assert table.columnCount() == 1 + len(DISTRICT_KEYS)
        assert [table.item(r, 0).text() for r in range(table.rowCount())] == [*names, "District total"]
        calls = 1 + DISTRICT_KEYS.index("calls")
        feedback = 1 + DISTRICT_KEYS.index("task_feedback_rate")
        for row, line in enumerate(expected.rows):
            assert table.item(row, calls).text().split()[0] == f"{line.figure('calls').value:,.0f}"
            rate = line.figure("task_feedback_rate").value
            assert rate is not None
            assert table.item(row, feedback).text().split()[0] == f"{rate * 100:.1f}%"
        assert table.item(0, 0).toolTip().startswith("Last package applied")
        assert screen.chart.getPlotItem().listDataItems() or screen.chart.getPlotItem().items

        with qtbot.waitSignal(screen.refreshed, timeout=30_000):
            screen.kind.setCurrentIndex(screen.kind.findData(PeriodKind.MONTH.value))
        assert screen.data.period.kind == PeriodKind.MONTH

        out = tmp_path / "week.pdf"
        with qtbot.waitSignal(screen.report_written, timeout=30_000) as written:
            screen.write_report(out)
        assert written.args == [out]
        assert out.read_bytes().startswith(b"%PDF")
        screen.shutdown()
    finally:
        db.close()


def test_the_main_window_shows_the_district_only_where_stations_meet(
        qtbot: QtBot, district_template: tuple[Path, DistrictFiles], demo_db: Database,
        tmp_path: Path) -> None:
    db = _district(district_template, tmp_path)
    try:
        for database, shown in ((db, True), (demo_db, False)):
            window = MainWindow(database, station_profile(database),
                                QSettings(str(tmp_path / f"{shown}.ini"), QSettings.Format.IniFormat))
            qtbot.addWidget(window)
            window.show()
            qtbot.waitExposed(window)
            assert ("district" in window.screens) is shown
            if shown:
                assert window.show_screen("district").wait_ready(30_000) is None
                assert window.screens["district"].title() in window.windowTitle()
    finally:
        db.close()
