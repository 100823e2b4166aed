"""The board's loop hooks: "Divert" for non-police calls and the detail pane's "Loops" section."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station_console.domain import geo
from station_console.services.disputes import DisputeInput, DisputeService, PartyInput
from station_console.services.diversion import DiversionService
from station_console.services.incidents import IncidentService, IntakeForm
from station_console.services.warnings import WarningService
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


def _event_calls(db: Database) -> list[int]:
    """Three calls about one fire, minutes apart within 80 m, in one community (newest on the board)."""
    with db.read() as conn:
        lat, lon = conn.execute(text("SELECT center_lat, center_lon FROM community WHERE id = 2")).one()
    ids = []
    for k in range(3):
        at = DEMO_END - timedelta(minutes=20 - 6 * k)
        p_lon, p_lat = geo.offset(lon, lat, 40.0 * k, 0.0)
        result = IncidentService(db, now=lambda at=at: at).register(IntakeForm(
            source="110", category_code="0601", address=f"合并测试路{k}号", description="冒烟",
            caller_phone=f"1390000770{k}", lat=p_lat, lon=p_lon, community_id=2, received_at=at))
        assert result.incident_id is not None
        ids.append(result.incident_id)
    return ids


def test_one_event_calls_are_proposed_for_merging_and_merged_on_confirmation(
        board: BoardScreen, demo_db: Database, qtbot: QtBot) -> None:
    first, *later = _event_calls(demo_db)
    _select(board, qtbot, later[-1])
    section = board.detail.loops
    qtbot.waitUntil(lambda: section.loops is not None)
    assert section.merge_button.isVisible()
    assert "2" in section.merge_button.text()
    section.merge_button.click()
    box = section.active_dialog
    assert box is not None
    box.button(QMessageBox.StandardButton.Ok).click()
    with demo_db.read() as conn:
        merged = conn.execute(text("SELECT id, merged_into_id FROM incident WHERE id IN (:a, :b)"),
                              {"a": later[0], "b": later[1]}).all()
    assert {m.merged_into_id for m in merged} == {first}
    # The board shows the incident the calls went into; no proposal is left for it.
    qtbot.waitUntil(lambda: board.current_id() == first and section.loops is not None
                    and section.incident_id == first and not section.busy)
    assert not section.merge_button.isVisible()


def test_a_merge_proposal_that_is_refused_says_why(board: BoardScreen, demo_db: Database,
                                                   qtbot: QtBot) -> None:
    first, *later = _event_calls(demo_db)
    section = board.detail.loops
    _select(board, qtbot, first)
    qtbot.waitUntil(lambda: section.loops is not None and section.loops.merge_proposal is not None)
    proposal = section.loops.merge_proposal
    assert proposal is not None and proposal.main_id == first
    IncidentService(demo_db, now=lambda: DEMO_END).merge(later[0], [first])  # someone merged it elsewhere
    assert not section.merge(proposal)
    assert section.text()


def test_the_loops_section_shows_warning_orders(board: BoardScreen, demo_db: Database, qtbot: QtBot) -> None:
    incident = _newest(demo_db, police=True)
    warning = WarningService(demo_db, now=lambda: DEMO_END).enter(
        "anti_fraud", 1, subject_name="钱某", subject_phone="13800001234", content="疑似刷单诈骗",
        incident_id=incident)
    _select(board, qtbot, incident)
    shown = board.detail.loops.text()
    assert warning.order_no in shown and "anti-fraud" in shown
