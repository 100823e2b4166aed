"""The incident board: lazy model, filters, live updates from another connection, workflow by keyboard."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station_console.domain.enums import IncidentStatus
from station_console.domain.shifts import TimePreset
from station_console.services.incidents import (
    ExportFormat,
    Flag,
    IncidentFilter,
    IncidentService,
    Sort,
    SortKey,
)
from station_console.store.database import Database
from station_console.ui.board.board_screen import BoardScreen
from station_console.ui.dialogs.dispatch_dialog import DispatchDialog, UnitsDialog
from station_console.ui.dialogs.intake_dialog import IntakeDialog
from station_console.ui.dialogs.workflow_dialogs import ResolveDialog, TextDialog
from station_console.ui.models.incident_table import ID_ROLE, Column, IncidentTableModel
from tests.conftest import DEMO_END

# The offscreen platform plugin reports every change of a window's size constraints (layouts
# growing as notices appear); it says nothing about the board.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class Clock:
    """A settable "now" for the board (the demo station ends at DEMO_END)."""

    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value


@pytest.fixture
def clock() -> Clock:
    return Clock(DEMO_END)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _open_board(qtbot: QtBot, db: Database, settings: QSettings,
                clock: Clock) -> tuple[QMainWindow, BoardScreen]:
    window = QMainWindow()
    board = BoardScreen(db, settings, window.statusBar(), now=clock, poll_ms=50)
    window.setCentralWidget(board)
    window.resize(1400, 800)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: board.model.total > 0 and not board.busy_label.isVisible())
    return window, board


@pytest.fixture
def board(qtbot: QtBot, demo_db: Database, settings: QSettings, clock: Clock) -> Iterator[BoardScreen]:
    _window, screen = _open_board(qtbot, demo_db, settings, clock)
    yield screen
    qtbot.waitUntil(lambda: not screen.jobs.busy)


def _count(db: Database, where: str = "1") -> int:
    with db.read() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM incident WHERE {where}")).scalar_one())


def _apply_filter(qtbot: QtBot, board: BoardScreen, flt: IncidentFilter) -> None:
    with qtbot.waitSignal(board.refreshed, timeout=5000):
        board.filter_bar.set_filter(flt)
        board.filter_bar.changed.emit()


def _select_row(board: BoardScreen, row: int) -> int:
    board.view.selectRow(row)
    board.view.setFocus()
    current = board.current_id()
    assert current is not None
    return current


def _insert_incident(path: Path, number: str, received: datetime, priority: int = 2) -> None:
    """Another workstation writes an incident straight into the database file."""
    con = sqlite3.connect(path)
    try:
        stamp = received.strftime("%Y-%m-%d %H:%M:%S.%f")
        con.execute(
            "INSERT INTO incident (incident_no, source, category_code, priority, status, received_at,"
            " caller_name, caller_phone, caller_id_no, address, community_id, description, outcome_code,"
            " feedback, is_repeat, is_diverted, in_jurisdiction, updated_at)"
            " VALUES (?, '110', '0301', ?, 'new', ?, '陈某', '13700001111', '', '明湖路1号', 1,"
            " '有人打架', '', '', 0, 0, 1, ?)",
            (number, priority, stamp, stamp),
        )
        con.commit()
    finally:
        con.close()


# the model ------------------------------------------------------------------------------


def test_model_passes_the_model_tester(qtmodeltester: object, demo_db: Database) -> None:
    service = IncidentService(demo_db, now=lambda: DEMO_END)
    model = IncidentTableModel(service, page_size=16)
    model.load(IncidentFilter(preset=TimePreset.LAST_7D))
    assert 16 < model.total < 500
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_model_never_holds_the_whole_table(demo_db: Database) -> None:
    service = IncidentService(demo_db, now=lambda: DEMO_END)
    model = IncidentTableModel(service, page_size=10)
    model.load(IncidentFilter())
    assert model.total == _count(demo_db) and model.cached_rows() == 10
    ids = [model.index(r, 0).data(ID_ROLE) for r in range(model.total)]
    assert len(set(ids)) == model.total  # every row reachable, in pages
    assert model.cached_rows() <= 500  # a bounded cache, not the table
    newest = service.page(IncidentFilter(), Sort(), 0, 1)[0]
    assert ids[0] == newest.id


def test_header_sort_api_sorts_in_sql(demo_db: Database) -> None:
    model = IncidentTableModel(IncidentService(demo_db, now=lambda: DEMO_END))
    model.load(IncidentFilter())
    model.sort(Column.PRIORITY, Qt.SortOrder.AscendingOrder)
    assert model.sort_order == Sort(SortKey.PRIORITY, descending=False)
    assert model.row_at(0).priority == 1  # type: ignore[union-attr]
    model.sort(Column.ADDRESS, Qt.SortOrder.AscendingOrder)  # not an indexed column: order kept
    assert model.sort_order.key == SortKey.PRIORITY


def test_clock_tick_repaints_only_the_clock_column(qtbot: QtBot, demo_db: Database) -> None:
    now = Clock(DEMO_END)
    service = IncidentService(demo_db, now=now)
    model = IncidentTableModel(service)
    model.load(IncidentFilter(statuses=frozenset({"new", "dispatched"})))
    assert model.total > 0
    for r in range(model.total):  # draw every row once, as the view does
        model.index(r, Column.CLOCK).data()
    changes: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _roles=None: changes.append((a.row(), a.column(), b.row(), b.column())))
    model.tick(0, model.total - 1)
    assert changes == [(0, Column.CLOCK, model.total - 1, Column.CLOCK)]
    before = model.index(0, Column.CLOCK).data()
    now.value += timedelta(seconds=1)
    assert model.index(0, Column.CLOCK).data() != before


def test_overdue_rows_are_marked_by_symbol_and_colour(demo_db: Database) -> None:
    service = IncidentService(demo_db, now=lambda: DEMO_END + timedelta(hours=1))
    model = IncidentTableModel(service)
    model.load(IncidentFilter(flags=frozenset({Flag.OVERDUE})))
    assert model.total > 0
    clock_text = model.index(0, Column.CLOCK).data()
    assert clock_text.startswith("⚠")
    assert model.index(0, Column.ADDRESS).data(Qt.ItemDataRole.BackgroundRole) is not None
    status = model.index(0, Column.STATUS).data()
    assert status[0] in "◆➤" and len(status) > 2  # symbol and word, not colour alone


# the board ------------------------------------------------------------------------------


def test_board_opens_newest_first_and_filters_change_the_count(
    qtbot: QtBot, board: BoardScreen, demo_db: Database
) -> None:
    total = _count(demo_db)
    assert board.model.total == total
    assert f"{total:,}" in board.count_label.text()
    first = board.model.row_at(0)
    assert first is not None
    with demo_db.read() as conn:
        assert first.id == conn.execute(text(
            "SELECT id FROM incident ORDER BY received_at DESC, id DESC LIMIT 1")).scalar_one()
    _apply_filter(qtbot, board, IncidentFilter(categories=frozenset({"0102"}), preset=TimePreset.LAST_7D))
    expected = _count(demo_db, "category_code = '0102' AND received_at >= '"
                      + (DEMO_END - timedelta(days=7)).strftime("%Y-%m-%d %H:%M:%S") + "'")
    assert board.model.total == expected < total
    _apply_filter(qtbot, board, IncidentFilter(text="不可能出现的词"))
    assert board.model.total == 0 and "0" in board.count_label.text()


def test_header_click_sorts_in_sql(qtbot: QtBot, board: BoardScreen) -> None:
    with qtbot.waitSignal(board.refreshed):
        board.view.horizontalHeader().setSortIndicator(Column.PRIORITY, Qt.SortOrder.AscendingOrder)
    assert board.model.sort_order == Sort(SortKey.PRIORITY, descending=False)
    priorities = [board.model.row_at(r).priority for r in range(50)]  # type: ignore[union-attr]
    assert priorities == sorted(priorities) and priorities[0] == 1
    board.view.horizontalHeader().setSortIndicator(Column.ADDRESS, Qt.SortOrder.AscendingOrder)
    assert board.model.sort_order.key == SortKey.PRIORITY  # not a sortable column: unchanged
    assert board.view.horizontalHeader().sortIndicatorSection() == Column.PRIORITY


def test_filter_and_sort_are_kept_across_restarts(
    qtbot: QtBot, demo_db: Database, settings: QSettings, clock: Clock
) -> None:
    _window, first = _open_board(qtbot, demo_db, settings, clock)
    wanted = IncidentFilter(statuses=frozenset({"closed"}), priorities=frozenset({1}), text="路")
    _apply_filter(qtbot, first, wanted)
    with qtbot.waitSignal(first.refreshed):
        first.view.horizontalHeader().setSortIndicator(Column.NUMBER, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not first.jobs.busy)
    _window2, second = _open_board(qtbot, demo_db, settings, clock)
    assert second.current_filter == wanted
    assert second.model.sort_order == Sort(SortKey.NUMBER, descending=False)
    assert second.model.total == first.model.total
    qtbot.waitUntil(lambda: not second.jobs.busy)


def test_live_update_from_another_connection_keeps_the_selection(
    qtbot: QtBot, board: BoardScreen, demo_db_path: Path
) -> None:
    selected = _select_row(board, 3)
    before = board.model.total
    _insert_incident(demo_db_path, "J-LIVE-1", DEMO_END + timedelta(seconds=5))
    qtbot.waitUntil(lambda: board.model.total == before + 1, timeout=5000)
    assert board.model.row_at(0).incident_no == "J-LIVE-1"  # type: ignore[union-attr]
    assert board.current_id() == selected
    assert board.view.currentIndex().row() == 4
    assert board.detail.detail is not None and board.detail.detail.row.id == selected


def test_new_marker_when_scrolled_away_from_the_top(
    qtbot: QtBot, board: BoardScreen, demo_db_path: Path
) -> None:
    bar = board.view.verticalScrollBar()
    bar.setValue(200)
    anchor = board.model.row_at(200)
    assert anchor is not None
    _insert_incident(demo_db_path, "J-LIVE-2", DEMO_END + timedelta(seconds=6))
    _insert_incident(demo_db_path, "J-LIVE-3", DEMO_END + timedelta(seconds=7))
    qtbot.waitUntil(lambda: board.new_count == 2, timeout=5000)
    assert board.new_marker.isVisible() and "2" in board.new_marker.text()
    assert bar.value() == 202 and board.model.row_at(202).id == anchor.id  # type: ignore[union-attr]
    board.new_marker.click()
    assert bar.value() == 0 and not board.new_marker.isVisible()
    assert board.model.row_at(0).incident_no == "J-LIVE-3"  # type: ignore[union-attr]


def test_new_urgent_incident_raises_the_banner(
    qtbot: QtBot, board: BoardScreen, demo_db_path: Path
) -> None:
    assert not board.banner.isVisible()
    _insert_incident(demo_db_path, "J-URGENT", DEMO_END + timedelta(seconds=3), priority=1)
    qtbot.waitUntil(board.banner.isVisible, timeout=5000)
    assert "J-URGENT" in board.banner_label.text()
    board.banner_show.click()
    qtbot.waitUntil(lambda: board.current_row() is not None
                    and board.current_row().incident_no == "J-URGENT")  # type: ignore[union-attr]


def test_overdue_count_in_the_status_bar(qtbot: QtBot, board: BoardScreen, clock: Clock) -> None:
    service = board.service
    assert board.overdue == service.overdue_count()
    clock.value += timedelta(hours=2)  # everything still new or dispatched is now late
    expected = service.count(IncidentFilter(statuses=frozenset({"new", "dispatched"})))
    qtbot.waitUntil(lambda: board.overdue == expected, timeout=5000)
    assert str(expected) in board.overdue_label.text()
    status_bar = board.window().statusBar()  # type: ignore[attr-defined]
    assert status_bar.isAncestorOf(board.overdue_label) and board.overdue_label.isVisible()


def _key(qtbot: QtBot, board: BoardScreen, key: Qt.Key,
         modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press a shortcut in the list, as the operator does (the window has the focus again
    once a dialog has closed)."""
    board.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is board.window())
    board.view.setFocus()
    qtbot.keyClick(board.view, key, modifier)


def _new_incident_row(qtbot: QtBot, board: BoardScreen) -> int:
    _apply_filter(qtbot, board, IncidentFilter(statuses=frozenset({"new"})))
    assert board.model.total > 0
    return _select_row(board, 0)


def _status(db: Database, incident_id: int) -> str:
    with db.read() as conn:
        return str(conn.execute(text("SELECT status FROM incident WHERE id = :i"),
                                {"i": incident_id}).scalar_one())


def _unit_status(db: Database, unit_id: int) -> str:
    with db.read() as conn:
        return str(conn.execute(text("SELECT status FROM patrol_unit WHERE id = :u"),
                                {"u": unit_id}).scalar_one())


def test_units_go_off_and_on_duty_from_the_board_and_the_dispatch_dialog(
        qtbot: QtBot, board: BoardScreen, demo_db: Database) -> None:
    incident = _new_incident_row(qtbot, board)
    unit = next(u for u in board.service.unit_board() if u.status == "available")
    _key(qtbot, board, Qt.Key.Key_U)
    units = board.active_dialog
    assert isinstance(units, UnitsDialog)
    units.board.select_unit(unit.id)
    assert units.board.off_duty.isEnabled() and not units.board.on_duty.isEnabled()
    qtbot.mouseClick(units.board.off_duty, Qt.MouseButton.LeftButton)
    assert _unit_status(demo_db, unit.id) == "off_duty"
    assert units.board.unit().status == "off_duty"  # type: ignore[union-attr]
    assert board.actor in units.board.table.item(units.board.table.currentRow(), 4).text()
    units.reject()

    board.select_incident(incident)
    _key(qtbot, board, Qt.Key.Key_D)
    dialog = board.active_dialog
    assert isinstance(dialog, DispatchDialog)
    dialog.select_unit(unit.id)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.mouseClick(dialog.board.on_duty, Qt.MouseButton.LeftButton)
    assert _unit_status(demo_db, unit.id) == "available" and ok.isEnabled()
    with qtbot.waitSignal(board.refreshed):
        dialog.accept()
    assert _status(demo_db, incident) == IncidentStatus.DISPATCHED
    _key(qtbot, board, Qt.Key.Key_U)
    units = board.active_dialog
    assert isinstance(units, UnitsDialog)
    units.board.select_unit(unit.id)
    assert not units.board.off_duty.isEnabled()  # on a call: finish it first
    assert board._set_unit_duty(unit.id, False) and _unit_status(demo_db, unit.id) == "busy"
    units.reject()


def test_workflow_by_keyboard(qtbot: QtBot, board: BoardScreen, demo_db: Database) -> None:
    incident = _new_incident_row(qtbot, board)
    _apply_filter(qtbot, board, IncidentFilter())
    board.select_incident(incident)
    board.view.setFocus()
    free = [u for u in board.service.unit_board() if u.status == "available"]
    assert free, "the demo station has a free unit"

    _key(qtbot, board, Qt.Key.Key_D)
    dialog = board.active_dialog
    assert isinstance(dialog, DispatchDialog)
    dialog.select_unit(free[0].id)
    with qtbot.waitSignal(board.refreshed):
        dialog.accept()
    assert _status(demo_db, incident) == IncidentStatus.DISPATCHED
    assert board.current_id() == incident
    assert {u.id: u.status for u in board.service.unit_board()}[free[0].id] == "busy"

    _key(qtbot, board, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: board.detail.detail is not None and board.detail.detail.row.status == "arrived")

    _key(qtbot, board, Qt.Key.Key_R)
    resolve = board.active_dialog
    assert isinstance(resolve, ResolveDialog)
    resolve.accept()  # no outcome chosen: refused, nothing changes
    assert "outcome" in board.last_message.lower() and _status(demo_db, incident) == "arrived"
    _key(qtbot, board, Qt.Key.Key_R)
    resolve = board.active_dialog
    assert isinstance(resolve, ResolveDialog)
    resolve.set_outcome("mediated")
    with qtbot.waitSignal(board.refreshed):
        resolve.accept()
    assert _status(demo_db, incident) == "resolved"

    _key(qtbot, board, Qt.Key.Key_C)
    close = board.active_dialog
    assert isinstance(close, TextDialog)
    close.editor.setPlainText("双方和解，已签调解协议")
    with qtbot.waitSignal(board.refreshed):
        close.accept()
    assert _status(demo_db, incident) == "closed"
    assert not board.actions_by_name["dispatch"].isEnabled()
    assert board.actions_by_name["reopen"].isEnabled()
    actions = [e.action for e in board.detail.detail.events]  # type: ignore[union-attr]
    assert actions[-4:] == ["dispatched", "arrived", "resolved", "closed"]


def test_refused_action_shows_the_reason(qtbot: QtBot, board: BoardScreen, demo_db: Database) -> None:
    incident = _new_incident_row(qtbot, board)
    board.arrive_selected()  # a new incident has no unit on the way
    assert board.last_message and board.message.isVisible()
    assert _status(demo_db, incident) == "new"


def test_merge_selected_duplicates(qtbot: QtBot, board: BoardScreen, demo_db: Database) -> None:
    _apply_filter(qtbot, board, IncidentFilter(preset=TimePreset.TODAY))
    assert board.model.total >= 3
    board.view.selectRow(2)
    main = board.current_id()
    board.view.selectionModel().select(
        board.model.index(0, 0), board.view.selectionModel().SelectionFlag.Select
        | board.view.selectionModel().SelectionFlag.Rows)
    assert board.actions_by_name["merge"].isEnabled()
    board.merge_selected()
    box = board.active_dialog
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(board.refreshed):
        box.accept()
    detail = board.service.detail(main)  # type: ignore[arg-type]
    assert detail is not None and len(detail.merged_calls) == 1


def test_intake_form_validates_then_saves_and_selects(
    qtbot: QtBot, board: BoardScreen, demo_db: Database
) -> None:
    before = _count(demo_db)
    _key(qtbot, board, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = board.active_dialog
    assert isinstance(dialog, IntakeDialog)
    dialog.caller_phone.setText("12345")
    dialog.submit()
    assert dialog.isVisible()
    shown = {k for k, label in dialog.errors.items() if not label.isHidden()}
    assert {"category_code", "address", "description", "caller_phone"} <= shown
    assert _count(demo_db) == before
    dialog.category.setCurrentIndex(dialog.category.findData("0502"))
    dialog.caller_phone.setText("0571-87654321")
    dialog.address.setText("明湖路12号")
    dialog.community.setCurrentIndex(1)
    dialog.description.setPlainText("楼上噪音，双方争执")
    with qtbot.waitSignal(board.refreshed, timeout=5000):
        dialog.submit()
    assert _count(demo_db) == before + 1
    qtbot.waitUntil(lambda: board.current_row() is not None
                    and board.current_row().incident_no.startswith("L"))  # type: ignore[union-attr]
    assert board.detail.value_text("phone") == "057187654321"


def test_intake_coordinates_are_checked_derive_the_community_or_are_flagged_outside(
    qtbot: QtBot, board: BoardScreen, demo_db: Database
) -> None:
    with demo_db.read() as conn:
        community_id, lat, lon = conn.execute(
            text("SELECT id, center_lat, center_lon FROM community ORDER BY id LIMIT 1")).one()
    before = _count(demo_db)

    def fill(lat_text: str, lon_text: str) -> IntakeDialog:
        board.new_intake()
        dialog = board.active_dialog
        assert isinstance(dialog, IntakeDialog)
        dialog.category.setCurrentIndex(dialog.category.findData("0502"))
        dialog.description.setPlainText("路边争执")
        dialog.lat.setText(lat_text)
        dialog.lon.setText(lon_text)
        return dialog

    dialog = fill("北纬30", f"{lon}")
    dialog.submit()
    assert not dialog.errors["lat"].isHidden() and dialog.errors["lon"].isHidden()
    dialog.lat.setText(f"{lon}")
    dialog.lon.setText(f"{lat}")  # swapped
    dialog.submit()
    assert not dialog.errors["lat"].isHidden() and not dialog.errors["lon"].isHidden()
    assert dialog.isVisible() and _count(demo_db) == before
    dialog.lat.setText(f"{lat}")
    dialog.lon.setText(f"{lon}")
    with qtbot.waitSignal(board.refreshed, timeout=5000):
        dialog.submit()
    assert dialog.result_value is not None and dialog.result_value.community_id == community_id

    far = fill("39.9042", "116.4074")
    with qtbot.waitSignal(board.refreshed, timeout=5000):
        far.submit()
    result = far.result_value
    assert result is not None and not result.in_jurisdiction and result.incident_no in board.last_message
    with demo_db.read() as conn:
        assert conn.execute(text("SELECT in_jurisdiction, lat FROM incident WHERE id = :i"),
                            {"i": result.incident_id}).one() == (0, 39.9042)
    assert _count(demo_db) == before + 2


def test_export_of_the_filtered_view(qtbot: QtBot, board: BoardScreen, tmp_path: Path) -> None:
    _apply_filter(qtbot, board, IncidentFilter(preset=TimePreset.LAST_7D))
    target = tmp_path / "week.csv"
    board.export_to(target, ExportFormat.CSV)
    qtbot.waitUntil(lambda: "week.csv" in board.last_message, timeout=10_000)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == board.model.total + 1
    assert rows[1][0] == board.model.row_at(0).incident_no  # type: ignore[union-attr]


def test_priority_dispatch_limits_come_from_the_settings(
    qtbot: QtBot, demo_db: Database, settings: QSettings, clock: Clock
) -> None:
    settings.setValue("clocks/priority_dispatch_s", "1=20, 2=30, 3=40")
    _window, board = _open_board(qtbot, demo_db, settings, clock)
    rows = [board.model.row_at(r) for r in range(30)]
    assert all(r is not None and r.dispatch_limit_s <= {1: 20, 2: 30, 3: 40}[r.priority] for r in rows)
    qtbot.waitUntil(lambda: not board.jobs.busy)


def test_issue_task_from_the_selected_incident(qtbot: QtBot, board: BoardScreen, demo_db: Database) -> None:
    from station_console.ui.tasks.dialogs import IssueTaskDialog

    incident = _new_incident_row(qtbot, board)
    with demo_db.read() as conn:
        before = conn.execute(text("SELECT count(*) FROM task_incident WHERE incident_id = :i"),
                              {"i": incident}).scalar_one()
    _key(qtbot, board, Qt.Key.Key_T)
    dialog = board.active_dialog
    assert isinstance(dialog, IssueTaskDialog)
    if dialog.officer.currentData() is None:  # incident outside any community: pick by hand
        dialog.officer.setCurrentIndex(1)
    dialog.accept()
    assert dialog.issued_task_no
    assert dialog.issued_task_no in board.last_message
    with demo_db.read() as conn:
        after = conn.execute(text("SELECT count(*) FROM task_incident WHERE incident_id = :i"),
                             {"i": incident}).scalar_one()
    assert after == before + 1
