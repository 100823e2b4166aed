"""The dashboard screen: figures arrive off the UI thread, drill-downs open the board on the same
count, new incidents refresh it, charts export to PNG, the briefing is written from the screen."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from station_console.domain.tasks import TaskState
from station_console.services.analytics import PeriodKind, Unit
from station_console.services.incidents import IncidentFilter, IncidentService, IntakeForm
from station_console.services.tasks import TaskService
from station_console.store.database import Database
from station_console.ui.dashboard.dashboard_screen import DashboardScreen, figure_text
from station_console.ui.dashboard.items_dialog import Col, ItemsDialog
from tests.conftest import DEMO_END

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _screen(qtbot: QtBot, db: Database, tmp_path: Path) -> DashboardScreen:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    screen = DashboardScreen(db, settings, now=lambda: DEMO_END, poll_ms=60_000)
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.show()
    qtbot.waitUntil(lambda: screen.data is not None and not screen.jobs.busy, timeout=20_000)
    return screen


def test_tiles_and_drill_down(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    screen = _screen(qtbot, demo_db, tmp_path)
    assert screen.data is not None
    calls = screen.data.tile("calls")
    assert screen.tiles["calls"].value.text() == f"{calls.value:,.0f}"
    assert screen.current_kind() == PeriodKind.MONTH
    board = IncidentService(demo_db, now=lambda: DEMO_END)
    opened: list[IncidentFilter] = []
    screen.drill_down.connect(opened.append)
    for key in ("calls", "arrival_rate", "repeat_rate", "property"):
        with qtbot.waitSignal(screen.drill_down):
            screen.tiles[key].clicked.emit()
        assert board.count(opened[-1]) == screen.data.tile(key).count
    screen.matrix.cellClicked.emit(2, 10)
    assert board.count(opened[-1]) == screen.data.matrix[2][10]
    screen.communities.cellClicked.emit(0, 3)
    assert board.count(opened[-1]) == screen.data.communities[0].calls
    assert screen.scorecard.rowCount() == len(screen.data.scorecard) > 0


def test_period_change_and_live_refresh(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    screen = _screen(qtbot, demo_db, tmp_path)
    with qtbot.waitSignal(screen.refreshed, timeout=20_000):
        screen.set_period(PeriodKind.DAY, DEMO_END.date())
    assert screen.data is not None
    before = screen.data.tile("calls").value or 0
    lookups = screen.incidents.lookups()
    result = IncidentService(demo_db, now=lambda: DEMO_END).register(IntakeForm(
        source="walk_in", category_code="0101", address="测试路1号", description="测试",
        community_id=lookups.communities[0].id, received_at=DEMO_END - timedelta(minutes=5)))
    assert result.ok, result.errors
    with qtbot.waitSignal(screen.refreshed, timeout=20_000):
        screen.poll()
    assert screen.data.tile("calls").value == before + 1


def test_a_signed_task_or_the_clock_alone_refreshes_the_figures(qtbot: QtBot, demo_db: Database,
                                                                 tmp_path: Path) -> None:
    clock = [DEMO_END]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    screen = DashboardScreen(demo_db, settings, now=lambda: clock[0], poll_ms=60_000)
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.show()
    qtbot.waitUntil(lambda: screen.data is not None and not screen.jobs.busy, timeout=20_000)
    # Nothing changed and the figures are fresh: looking again computes nothing.
    with qtbot.assertNotEmitted(screen.refreshed, wait=300):
        screen.activated()
    # A task signed (no incident changed): the task figures are computed again.
    with demo_db.read() as conn:
        task_id = conn.exec_driver_sql("SELECT id FROM task WHERE state = ? ORDER BY id LIMIT 1",
                                       (TaskState.AWAITING_SIGNOFF.value,)).scalar_one()
    TaskService(demo_db, now=lambda: clock[0]).sign(task_id)
    with qtbot.waitSignal(screen.refreshed, timeout=20_000):
        screen.activated()
    # Two minutes on, with no new data: "overdue now" may have moved, so it is computed again.
    clock[0] += timedelta(minutes=2)
    with qtbot.waitSignal(screen.refreshed, timeout=20_000):
        screen.poll()
    with qtbot.assertNotEmitted(screen.refreshed, wait=300):
        screen.poll()


def test_a_month_on_its_first_day_is_charted_by_days(qtbot: QtBot, demo_db: Database,
                                                     tmp_path: Path) -> None:
    first = datetime(DEMO_END.year, DEMO_END.month, 1, 10, 0)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    screen = DashboardScreen(demo_db, settings, now=lambda: first, poll_ms=60_000)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.data is not None and not screen.jobs.busy, timeout=20_000)
    assert screen.current_kind() == PeriodKind.MONTH and screen.data is not None
    assert [p.day for p in screen.data.trend] == [first.date()]
    (left, right), _ = screen.trend.viewRange()
    # A week and more across (the axis labels days), the one bar inside it.
    assert right - left >= 7 * 86_400
    bar = datetime.combine(first.date(), datetime.min.time()).timestamp() + 43_200
    assert left < bar < right


def test_charts_export_and_briefing(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    screen = _screen(qtbot, demo_db, tmp_path)
    paths = screen.export_charts(tmp_path)
    assert [p.name for p in paths] == ["dashboard-trend.png", "dashboard-categories.png"]
    assert all(p.stat().st_size > 2000 for p in paths)
    written: list[Path] = []
    screen.write_briefing(tmp_path / "b.pdf", written.append)
    qtbot.waitUntil(lambda: bool(written), timeout=30_000)
    assert (tmp_path / "b.pdf").read_bytes()[:5] == b"%PDF-"
    screen.grab().save(str(tmp_path / "dashboard.png"))


def _loaded(qtbot: QtBot, screen: DashboardScreen, sections: int) -> ItemsDialog:
    dialog = screen.items_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: len(dialog.rows) == sections, timeout=20_000)
    return dialog


def test_loop_tiles_list_the_records_behind_them(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    screen = _screen(qtbot, demo_db, tmp_path)
    assert screen.data is not None
    opened: list[tuple[str, object]] = []
    screen.open_screen.connect(lambda target, arg: opened.append((target, arg)))
    targets = {"disputes_opened": ("loops", "disputes"), "disputes_resolved": ("loops", "disputes"),
               "warning_on_time_rate": ("loops", "warnings"), "task_signoff_rate": ("tasks", None),
               "task_feedback_rate": ("tasks", None)}
    for key, target in targets.items():
        fig = screen.data.tile(key)
        assert screen.tiles[key].value.text() == figure_text(fig)
        screen.tiles[key].clicked.emit()
        dialog = _loaded(qtbot, screen, 1)
        table = dialog.tables[0]
        if fig.unit == Unit.RATE:
            assert fig.base > 0, key
            on_time = [table.item(r, Col.ON_TIME).text() for r in range(table.rowCount())]
            assert (table.rowCount(), on_time.count(dialog.tr("yes"))) == (fig.base, fig.count), key
            assert str(fig.count) in dialog.summaries[0].text()
        else:
            assert table.rowCount() == fig.count, key
        dialog.open_button.click()
        assert opened[-1] == target
        dialog.grab().save(str(tmp_path / f"{key}.png"))
        dialog.close()


def test_scorecard_row_lists_the_officers_calls_and_tasks(qtbot: QtBot, demo_db: Database,
                                                          tmp_path: Path) -> None:
    screen = _screen(qtbot, demo_db, tmp_path)
    assert screen.data is not None
    row = next(i for i, r in enumerate(screen.data.scorecard) if r.values["signoff_rate"] is not None)
    score = screen.data.scorecard[row]
    screen.scorecard.cellClicked.emit(row, 2)
    dialog = _loaded(qtbot, screen, 3)
    assert dialog.windowTitle() == score.name
    assert dialog.tables[0].rowCount() == score.values["handled"]
    for index, key in ((1, "signoff_rate"), (2, "feedback_rate")):
        table = dialog.tables[index]
        on_time = [table.item(r, Col.ON_TIME).text() for r in range(table.rowCount())]
        rate = on_time.count(dialog.tr("yes")) / len(on_time) if on_time else None
        assert rate == score.values[key], key
    opened: list[tuple[str, object]] = []
    screen.open_screen.connect(lambda target, arg: opened.append((target, arg)))
    dialog.tabs.setCurrentIndex(1)
    dialog.open_button.click()
    assert opened == [("tasks", score.officer_id)]
    dialog.close()
