"""The board's loop hooks: "Divert" for non-police calls and the detail pane's "Loops" section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station_console.services.disputes import DisputeInput, DisputeService, PartyInput
from station_console.services.diversion import DiversionService
from station_console.store.database import Database
from station_console.ui.board.board_screen import BoardScreen
from station_console.ui.board.divert_dialog import DivertDialog
from tests.conftest import DEMO_END

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def board(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> Iterator[BoardScreen]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = QMainWindow()
    screen = BoardScreen(demo_db, settings, window.statusBar(), now=lambda: DEMO_END, poll_ms=50)
    window.setCentralWidget(screen)
    window.resize(1400, 800)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: screen.model.total > 0 and not screen.busy_label.isVisible())
    yield screen
    screen.shutdown()


def _newest(db: Database, police: bool) -> int:
    with db.read() as conn:
        return int(conn.execute(text(
            "SELECT i.id FROM incident i JOIN incident_category c ON c.code = i.category_code "
            "WHERE c.is_police = :p AND NOT i.is_diverted AND i.merged_into_id IS NULL "
            "ORDER BY i.received_at DESC LIMIT 1"), {"p": police}).scalar_one())


def _select(board: BoardScreen, qtbot: QtBot, incident_id: int) -> None:
    board.select_incident(incident_id)
    qtbot.waitUntil(lambda: board.current_id() == incident_id and board.detail.detail is not None
                    and not board.detail.loops.busy)


def test_divert_a_non_police_call_from_the_board(board: BoardScreen, demo_db: Database, qtbot: QtBot) -> None:
    police = _newest(demo_db, police=True)
    _select(board, qtbot, police)
    assert not board.actions_by_name["divert"].isEnabled()
    incident = _newest(demo_db, police=False)
    _select(board, qtbot, incident)
    assert board.actions_by_name["divert"].isEnabled()
    assert "diversion" not in board.detail.loops.text().lower()
    board.actions_by_name["divert"].trigger()
    dialog = board.active_dialog
    assert isinstance(dialog, DivertDialog)
    dialog.department.setCurrentIndex(1)
    dialog.contact.setText("工单 12345-001")
    dialog.submit()
    diversions = DiversionService(demo_db).for_incident(incident)
    assert len(diversions) == 1 and diversions[0].contact == "工单 12345-001"
    assert diversions[0].department == dialog.department.currentText()
    section = board.detail.loops
    qtbot.waitUntil(lambda: section.loops is not None and bool(section.loops.diversions))
    assert diversions[0].department in board.detail.loops.text()


def test_a_refused_diversion_keeps_the_dialog_open(board: BoardScreen, demo_db: Database,
                                                   qtbot: QtBot) -> None:
    incident = _newest(demo_db, police=False)
    service = DiversionService(demo_db, now=lambda: DEMO_END)
    service.divert(incident, service.departments()[0].id, "phone")
    dialog = DivertDialog(service, incident, "X", board)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert "already with a department" in dialog.problem.text() and dialog.diversion is None


def test_the_loops_section_lists_disputes_and_tasks(board: BoardScreen, demo_db: Database,
                                                    qtbot: QtBot) -> None:
    incident = _newest(demo_db, police=True)
    disputes = DisputeService(demo_db, now=lambda: DEMO_END)
    row = disputes.register(DisputeInput("D03", "楼上楼下漏水纠纷", (PartyInput("孙某"),),
                                         incident_ids=(incident,)))
    task = disputes.schedule_revisit(row.id)
    _select(board, qtbot, incident)
    shown = board.detail.loops.text()
    assert row.dispute_no in shown and task.task_no in shown
