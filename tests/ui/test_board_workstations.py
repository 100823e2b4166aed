"""Two workstations on one PostgreSQL database: each board shows the other's changes at once,
and an operator acting on an incident someone else changed meanwhile is told so and shown it.

The boards' polls are set to an hour, so only the server's announcements can refresh them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from station_console.domain.security import Role, identity_for
from station_console.services.incidents import IncidentFilter, IntakeForm
from station_console.store.database import Database
from station_console.store.dialect import LISTENER_APPLICATION
from station_console.ui.board.board_screen import BoardScreen
from station_console.ui.dialogs.dispatch_dialog import DispatchDialog
from tests.conftest import PG_ENV, _pg_admin, pg_copy, pg_drop

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

HOUR_MS = 3_600_000


@pytest.fixture
def server_url(pg_station: str) -> Iterator[str]:
    url = pg_copy(pg_station)
    yield url
    pg_drop(url)


def _workstation(qtbot: QtBot, url: str, tmp_path: Path, name: str,
                 display: str) -> tuple[Database, QMainWindow, BoardScreen]:
    db = Database.open(url)
    db.identity = identity_for(name, Role.OPERATOR, display_name=display, workstation=f"PC-{name}")
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    settings.setValue("board/filter", IncidentFilter().to_json())
    window = QMainWindow()
    board = BoardScreen(db, settings, window.statusBar(), poll_ms=HOUR_MS)
    window.setCentralWidget(board)
    window.resize(1300, 700)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return db, window, board


@pytest.fixture
def two_boards(qtbot: QtBot, server_url: str,
               tmp_path: Path) -> Iterator[tuple[BoardScreen, BoardScreen]]:
    db_a, _window_a, board_a = _workstation(qtbot, server_url, tmp_path, "wang", "王值班")
    db_b, _window_b, board_b = _workstation(qtbot, server_url, tmp_path, "li", "李值班")
    for board in (board_a, board_b):
        assert board.live is not None
        qtbot.waitUntil(lambda b=board: b.live.connected and "●" in b.live_label.text())
    yield board_a, board_b
    for board, db in ((board_a, db_a), (board_b, db_b)):
        board.shutdown()
        db.close()


def _status_shown(board: BoardScreen, incident_id: int) -> str | None:
    row = board.model.row_at(0)
    return row.status if row is not None and row.id == incident_id else None


def test_each_board_shows_the_others_changes_and_a_stale_action_is_refused(
        qtbot: QtBot, two_boards: tuple[BoardScreen, BoardScreen]) -> None:
    board_a, board_b = two_boards
    community = board_a.lookups.communities[0].id
    result = board_a.service.register(IntakeForm(
        source="110", category_code="0301", address="明湖路1号", description="有人打架",
        caller_phone="13700001111", community_id=community), actor=board_a.actor)
    incident = result.incident_id
    assert incident is not None

    # Registered on A: it appears on B without B's poll.
    qtbot.waitUntil(lambda: _status_shown(board_b, incident) == "new")
    for board in (board_a, board_b):
        qtbot.waitUntil(lambda b=board: _status_shown(b, incident) == "new")
        board.select_incident(incident)
        qtbot.waitUntil(lambda b=board: b.detail.detail is not None and b.detail.detail.row.id == incident)

    units = [u.id for u in board_a.service.unit_board() if u.status == "available"]
    # B opens the dispatch dialog on the incident as it saw it ("new") ...
    board_b.dispatch_selected()
    dialog_b = board_b.active_dialog
    assert isinstance(dialog_b, DispatchDialog)
    # ... while A dispatches it first.
    board_a.dispatch_selected()
    dialog_a = board_a.active_dialog
    assert isinstance(dialog_a, DispatchDialog)
    dialog_a.select_unit(units[0])
    dialog_a.accept()
    qtbot.waitUntil(lambda: "dispatched" in board_a.last_message)

    # B's board shows A's dispatch by itself, detail included.
    qtbot.waitUntil(lambda: _status_shown(board_b, incident) == "dispatched")
    qtbot.waitUntil(lambda: board_b.detail.detail is not None
                    and board_b.detail.detail.row.status == "dispatched")

    # B now sends its own choice: refused, told who changed what, and shown the incident as it is.
    dialog_b.select_unit(units[1])
    dialog_b.accept()
    assert "王值班" in board_b.last_message and board_b.message.isVisible()
    qtbot.waitUntil(lambda: board_b.detail.value_text("unit").startswith(
        next(u.name for u in board_b.service.unit_board() if u.id == units[0])))
    detail = board_a.service.detail(incident)
    assert detail is not None
    assert [e.action for e in detail.events] == ["received", "dispatched"]
    assert {u.id: u.status for u in board_a.service.unit_board()}[units[1]] == "available"

    # A stale row without a dialog: A records the arrival, B (not yet refreshed) does too.
    board_a.arrive_selected()
    board_b.arrive_selected()
    qtbot.waitUntil(lambda: _status_shown(board_a, incident) == "arrived"
                    and _status_shown(board_b, incident) == "arrived")
    detail = board_a.service.detail(incident)
    assert detail is not None and [e.action for e in detail.events].count("arrived") == 1


def test_a_board_whose_server_connection_dropped_catches_up_when_it_is_back(
        qtbot: QtBot, two_boards: tuple[BoardScreen, BoardScreen], server_url: str) -> None:
    board_a, board_b = two_boards
    # The listener reconnects at once, so the drop is caught as it is announced: the label as
    # the board set it on each change of the connection (the board's own slot runs first).
    shown: list[str] = []
    board_b.live.connection_changed.connect(  # type: ignore[union-attr]
        lambda _up: shown.append(board_b.live_label.text()))
    with qtbot.waitSignal(board_b.live.connection_changed,  # type: ignore[union-attr]
                          check_params_cb=lambda up: not up, timeout=10_000), \
            _pg_admin(os.environ[PG_ENV]) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND application_name = %s",
                      (make_url(server_url).database, LISTENER_APPLICATION))
    assert "reconnecting" in shown[0]
    # Written while B's listener is away: nobody tells B, the reconnection makes it look.
    result = board_a.service.register(IntakeForm(
        source="110", category_code="0301", address="明湖路2号", description="噪音扰民",
        caller_phone="13700002222", community_id=board_a.lookups.communities[0].id))
    qtbot.waitUntil(lambda: board_b.live.connected, timeout=10_000)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: board_b.model.total == 1 and board_b.model.row_at(0) is not None
                    and board_b.model.row_at(0).id == result.incident_id)  # type: ignore[union-attr]
