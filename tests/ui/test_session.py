"""Signing in, screens by role, the idle lock with a controllable clock, masking and reveal."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station_console.domain.security import SYSTEM, PersonalField, Role
from station_console.services.accounts import DEMO_PASSWORD, AccountService, sign_in
from station_console.services.incidents import IncidentFilter
from station_console.services.station import station_profile
from station_console.store.database import Database
from station_console.ui.board.board_screen import BoardScreen
from station_console.ui.board.reveal_dialog import RevealDialog
from station_console.ui.main_window import MainWindow
from station_console.ui.session import ChangePasswordDialog, IdleLock, SignInDialog


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _window(qtbot: QtBot, db: Database, settings: QSettings) -> MainWindow:
    window = MainWindow(db, station_profile(db), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _audit(db: Database, action: str) -> list[tuple[str, str, str]]:
    with db.read() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT username, object_id, detail FROM audit_log WHERE action = :a ORDER BY id"),
            {"a": action})]


def test_sign_in_dialog_lists_demo_accounts_and_refuses_a_wrong_password(
        qtbot: QtBot, demo_db: Database) -> None:
    dialog = SignInDialog(demo_db, station_name="明湖派出所", demo=True)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget, "demoAccountTable")
    assert table is not None and table.rowCount() == 6
    assert DEMO_PASSWORD in " ".join(w.text() for w in dialog.findChildren(type(dialog.error)))
    dialog.username.setText("zhiban")
    dialog.password.setText("wrong-password")
    dialog.try_sign_in()
    assert dialog.error.isVisibleTo(dialog) and dialog.error.text()
    assert dialog.result() == 0 and dialog.password.text() == ""
    table.cellDoubleClicked.emit(0, 0)
    assert dialog.username.text() == "zhiban" and dialog.password.text() == DEMO_PASSWORD
    dialog.try_sign_in()
    assert dialog.result_ is not None and demo_db.identity.username == "zhiban"


def test_sign_in_dialog_hides_demo_passwords_on_a_real_database(
        qtbot: QtBot, demo_db: Database) -> None:
    dialog = SignInDialog(demo_db, station_name="x", demo=False)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QTableWidget, "demoAccountTable") is None


@pytest.mark.parametrize(("username", "expected"), [
    ("zhiban", ["board", "map", "tasks", "loops", "dashboard", "sync"]),
    ("minjing", ["board", "map", "tasks", "loops", "dashboard"]),
    ("shenji", ["admin"]),
    ("admin", ["sync", "admin"]),
])
def test_each_role_sees_its_screens(qtbot: QtBot, demo_db: Database, settings: QSettings,
                                    username: str, expected: list[str]) -> None:
    sign_in(demo_db, username, DEMO_PASSWORD)
    window = _window(qtbot, demo_db, settings)
    assert list(window.screens) == expected
    assert demo_db.identity.display_name in window.user_label.text()


def test_idle_lock_keeps_the_open_work_and_needs_the_password(
        qtbot: QtBot, demo_db: Database, settings: QSettings) -> None:
    sign_in(demo_db, "zhiban", DEMO_PASSWORD)
    window = _window(qtbot, demo_db, settings)
    now = [datetime.now()]
    lock = IdleLock(demo_db, window, clock=lambda: now[0], check_ms=60_000)
    board = window.screens["board"]
    assert isinstance(board, BoardScreen)
    board.new_intake()
    dialog = board.active_dialog
    assert dialog is not None
    typed = dialog.findChild(QLineEdit, "intake_address")
    assert typed is not None
    typed.setText("半句话")
    now[0] += timedelta(minutes=14)
    lock.check()
    assert lock.screen is None
    now[0] += timedelta(minutes=2)
    lock.check()
    assert lock.screen is not None and lock.screen.isVisible()
    screen = lock.screen
    screen.reject()  # Escape does not open it
    assert screen.isVisible()
    screen.password.setText("not-it")
    screen.try_unlock()
    assert screen.isVisible() and screen.error.text()
    screen.password.setText(DEMO_PASSWORD)
    screen.try_unlock()
    assert lock.screen is None and not screen.isVisible()
    assert board.active_dialog is dialog and typed.text() == "半句话"
    assert [r[0] for r in _audit(demo_db, "session_lock")] == ["zhiban"]
    assert [r[0] for r in _audit(demo_db, "session_unlock")] == ["zhiban"]
    dialog.reject()
    lock.stop()


def test_input_postpones_the_idle_lock(qtbot: QtBot, demo_db: Database,
                                       settings: QSettings) -> None:
    sign_in(demo_db, "zhiban", DEMO_PASSWORD)
    window = _window(qtbot, demo_db, settings)
    now = [datetime.now()]
    lock = IdleLock(demo_db, window, clock=lambda: now[0], check_ms=60_000)
    now[0] += timedelta(minutes=10)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Shift)
    now[0] += timedelta(minutes=10)
    lock.check()
    assert lock.screen is None
    lock.stop()


def test_an_operator_sees_masked_callers_and_reveals_one_field(
        qtbot: QtBot, demo_db: Database, settings: QSettings) -> None:
    sign_in(demo_db, "zhiban", DEMO_PASSWORD)
    board = BoardScreen(demo_db, settings)
    qtbot.addWidget(board)
    row = next(r for r in board.service.page(IncidentFilter(), limit=200) if r.caller_phone)
    assert "****" in row.caller_phone
    detail = board.service.detail(row.id)
    assert detail is not None
    dialog = RevealDialog(board.service, row.id, detail)
    qtbot.addWidget(dialog)
    dialog.buttons[PersonalField.PHONE].click()
    shown = dialog.values[PersonalField.PHONE].text()
    assert "*" not in shown and shown[-4:] == row.caller_phone[-4:]
    assert "*" in dialog.values[PersonalField.ID_NO].text() or \
        dialog.values[PersonalField.ID_NO].text() == "—"
    (who, incident, field), = _audit(demo_db, "reveal")
    assert who == "zhiban" and incident == str(row.id) and "caller_phone" in field


def test_a_leader_sees_callers_in_clear(demo_db: Database, settings: QSettings) -> None:
    sign_in(demo_db, "suozhang", DEMO_PASSWORD)
    from station_console.services.incidents import IncidentService

    rows = IncidentService(demo_db).page(IncidentFilter(), limit=200)
    assert any(r.caller_phone and "*" not in r.caller_phone for r in rows)


def test_a_community_officer_cannot_dispatch_from_the_board(
        qtbot: QtBot, demo_db: Database, settings: QSettings) -> None:
    sign_in(demo_db, "minjing", DEMO_PASSWORD)
    board = BoardScreen(demo_db, settings)
    qtbot.addWidget(board)
    board.view.selectRow(0)
    for name in ("new", "dispatch", "merge", "export", "divert"):
        assert not board.actions_by_name[name].isEnabled(), name


def test_a_forced_password_change(qtbot: QtBot, demo_db: Database) -> None:
    demo_db.identity = SYSTEM
    initial = AccountService(demo_db).create("xinren", "新人", Role.OPERATOR)
    signed = sign_in(demo_db, "xinren", initial)
    assert signed.must_change_password
    dialog = ChangePasswordDialog(demo_db, reason="initial")
    qtbot.addWidget(dialog)
    dialog.old.setText(initial)
    dialog.new.setText("short")
    dialog.again.setText("short")
    dialog.try_change()
    assert dialog.error.text() and dialog.result() == 0
    dialog.new.setText("Meine#Neue2026")
    dialog.again.setText("Meine#Neue2026")
    dialog.try_change()
    assert dialog.result() == 1
    assert not sign_in(demo_db, "xinren", "Meine#Neue2026").must_change_password
