"""The main window shell: navigation, status bar, persisted state, languages and Chinese text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFontDatabase, QImage, QPainter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_console.app import prepare_application
from station_console.services.station import station_profile
from station_console.store.database import Database
from station_console.ui.main_window import MainWindow

SCREENS_ZH = ["警情", "地图", "任务", "闭环", "研判", "数据交换", "系统管理"]
SCREENS_EN = ["Incidents", "Map", "Tasks", "Closed loops", "Dashboard", "Data exchange", "Administration"]


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[QApplication]:
    prepare_application(qapp, "zh_CN")
    yield qapp
    # Later tests (in this process) read English source texts: leave no translator behind.
    prepare_application(qapp, "en")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _window(qtbot: QtBot, db: Database, settings: QSettings) -> MainWindow:
    window = MainWindow(db, station_profile(db), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _nav_texts(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_navigation_reaches_every_screen_in_chinese(
    qtbot: QtBot, chinese: QApplication, demo_db: Database, settings: QSettings
) -> None:
    window = _window(qtbot, demo_db, settings)
    assert _nav_texts(window) == SCREENS_ZH
    for row, screen_id in enumerate(window.screens):
        window.nav.setCurrentRow(row)
        assert window.current_screen_id() == screen_id
        assert window.stack.currentWidget() is window.screens[screen_id]
        assert SCREENS_ZH[row] in window.windowTitle()
    assert window.menuBar().actions()[0].text() == "文件(&F)"


def test_view_menu_shortcuts_switch_screens(
    qtbot: QtBot, chinese: QApplication, demo_db: Database, settings: QSettings
) -> None:
    window = _window(qtbot, demo_db, settings)
    view_menu = window.menuBar().actions()[1].menu()
    shortcuts = [a.shortcut().toString() for a in view_menu.actions()]
    assert shortcuts == [f"Ctrl+{i}" for i in range(1, len(SCREENS_EN) + 1)]
    view_menu.actions()[4].trigger()
    assert window.current_screen_id() == "dashboard"


def test_status_bar_shows_station_database_and_a_ticking_clock(
    qtbot: QtBot, chinese: QApplication, demo_db: Database, settings: QSettings
) -> None:
    window = _window(qtbot, demo_db, settings)
    profile = station_profile(demo_db)
    assert profile is not None and profile.is_demo
    assert window.station_label.text() == profile.name
    assert str(demo_db.path) in window.db_label.text()
    assert "演示数据" in window.db_label.text()
    first = window.clock_label.text()
    assert first
    qtbot.waitUntil(lambda: window.clock_label.text() != first, timeout=3000)


def test_window_state_and_screen_are_restored(
    qtbot: QtBot, chinese: QApplication, demo_db: Database, settings: QSettings
) -> None:
    window = _window(qtbot, demo_db, settings)
    window.resize(1024, 730)  # fits the 800x800 offscreen screen as well as a real one
    window.show_screen("tasks")
    window.close()
    again = _window(qtbot, demo_db, settings)
    assert again.current_screen_id() == "tasks"
    assert again.height() == 730


def test_english_is_complete_when_chosen(
    qtbot: QtBot, qapp: QApplication, demo_db: Database, settings: QSettings
) -> None:
    prepare_application(qapp, "en")
    try:
        window = _window(qtbot, demo_db, settings)
        assert _nav_texts(window) == SCREENS_EN
        assert window.menuBar().actions()[0].text() == "&File"
    finally:
        prepare_application(qapp, "en")


def test_language_choice_is_saved_for_the_next_start(
    qtbot: QtBot, chinese: QApplication, demo_db: Database, settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    window = _window(qtbot, demo_db, settings)
    language_menu = window.menuBar().actions()[2].menu().actions()[0].menu()
    english = next(a for a in language_menu.actions() if a.data() == "en")
    english.trigger()
    assert settings.value("ui/language") == "en"
    assert shown == ["新的界面语言将在下次启动时生效。"]


def _render(text: str, qapp: QApplication) -> QImage:
    image = QImage(64, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(qapp.font())
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def test_chinese_renders_with_the_bundled_font(chinese: QApplication) -> None:
    families = chinese.font().families()
    cjk = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert any(f in cjk for f in families), f"no CJK family in the UI font {families}"
    # Missing glyphs all draw the same box; real glyphs differ from each other.
    assert _render("警", chinese) != _render("情", chinese)
    assert _render("警", chinese) != _render("", chinese)


def test_board_loads_when_the_window_reopens_on_another_screen(
    qtbot: QtBot, chinese: QApplication, demo_db: Database, settings: QSettings
) -> None:
    """Restoring the last screen hides the board before the window is shown; it must live on."""
    settings.setValue("window/screen", "admin")
    window = _window(qtbot, demo_db, settings)
    assert window.current_screen_id() == "admin"
    board = window.show_screen("board")
    assert board.wait_ready(20_000) is None
    assert board.model.total > 0  # type: ignore[attr-defined]
