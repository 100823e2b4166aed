"""The warning-orders tab: filters, ticking clocks that turn red, the overdue alert, the loop's
actions and refusals, and a file import in the background."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from station_console.services.warnings import WarningService
from station_console.store.database import Database
from station_console.ui.loops.loops_screen import LoopsScreen
from station_console.ui.loops.warnings_tab import COL_CLOCK, OVERDUE_BG, WarningsTab, format_clock
from tests.conftest import DEMO_END

T0 = datetime(2024, 5, 1, 9, 0)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def tab(db: Database, clock: Clock, qtbot: QtBot) -> Iterator[WarningsTab]:
    widget = WarningsTab(db, now=clock)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    yield widget
    widget.shutdown()


def test_clock_ticks_turns_red_and_alerts_once(tab: WarningsTab, db: Database, clock: Clock,
                                               qtbot: QtBot) -> None:
    service = WarningService(db, now=clock)
    service.enter("anti_fraud", 1, subject_name="张丽", content="涉诈通话")
    service.enter("key_person", 3, subject_name="赵某")
    tab.reload()
    assert tab.table.rowCount() == 2
    fraud_row = next(i for i in range(2) if tab.table.item(i, 0).text().endswith("0001"))
    clock_item = tab.table.item(fraud_row, COL_CLOCK)
    assert clock_item.text() == format_clock(300) and tab.alert.isHidden()
    clock.now += timedelta(minutes=5, seconds=1)
    with qtbot.waitSignal(tab.overdue_alert, timeout=5000) as alert:
        pass
    assert alert.args == [["YJ202405010001"]]
    assert clock_item.text() == "-0:00:01" and clock_item.background().color() == OVERDUE_BG
    assert not tab.alert.isHidden() and "YJ202405010001" in tab.alert.text()
    assert "1" in tab.overdue_label.text()
    with qtbot.assertNotEmitted(tab.overdue_alert, wait=1500):
        pass
    tab.table.selectRow(fraud_row)
    assert tab.perform("review", "属实") and tab.perform("dispatch", "民警上门")
    assert tab.alert.isHidden() and "0" in tab.overdue_label.text()


def test_filters_and_the_loop_from_the_tab(tab: WarningsTab, db: Database, clock: Clock) -> None:
    service = WarningService(db, now=clock)
    service.enter("anti_fraud", 1, subject_name="张丽")
    service.enter("missing_person", 2, subject_name="王伯")
    tab.reload()
    tab.kind_filter.setCurrentIndex(tab.kind_filter.findData("missing_person"))
    assert tab.table.rowCount() == 1 and tab.table.item(0, 3).text() == "王伯"
    tab.kind_filter.setCurrentIndex(0)
    tab.level_filter.setCurrentIndex(tab.level_filter.findData(1))
    assert tab.table.rowCount() == 1 and tab.table.item(0, 3).text() == "张丽"
    assert not tab.action_buttons["review"].isEnabled()
    tab.table.selectRow(0)
    assert tab.action_buttons["review"].isEnabled() and not tab.action_buttons["feedback"].isEnabled()
    assert "张丽" in tab.detail.toPlainText()
    assert not tab.perform("feedback", "太早了")
    assert tab.message_box is not None and "not possible now" in tab.message_box.text()
    tab.message_box.close()
    officer = service.officers()
    assert tab.perform("review", "属实")
    assert tab.perform("dispatch", "上门核查", officer_id=officer[0][0] if officer else None)
    assert tab.perform("feedback", "已劝阻")
    assert tab.action_buttons["close"].isEnabled()
    detail = tab.detail.toPlainText()
    assert "属实" in detail and "已劝阻" in detail
    assert tab.perform("close", "")
    # Closed warnings leave the default (open) list.
    assert tab.table.rowCount() == 0
    tab.state_filter.setCurrentIndex(tab.state_filter.findData("closed"))
    assert tab.table.rowCount() == 1


def test_import_runs_in_the_background(tab: WarningsTab, tmp_path: Path, qtbot: QtBot) -> None:
    good = tmp_path / "预警.csv"
    good.write_bytes("预警编号,预警类型,预警等级,下发时间,姓名\nFZ1,反诈,1,2024-05-01 08:59,张丽\n"
                     .encode("gb18030"))
    tab.import_path(good)
    qtbot.waitUntil(lambda: not tab.jobs.busy and tab.table.rowCount() == 1, timeout=10_000)
    assert tab.message_box is not None and "1" in tab.message_box.text()
    assert tab.import_button.isEnabled()
    bad = tmp_path / "bad.csv"
    bad.write_text("预警编号,预警类型,预警等级\nFZ2,天气,1\n", encoding="utf-8")
    tab.import_path(bad)
    qtbot.waitUntil(lambda: not tab.jobs.busy and tab.import_button.isEnabled(), timeout=10_000)
    box = tab.message_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert "bad.csv, line 2, field kind" in box.text()
    assert tab.table.rowCount() == 1


def test_the_tab_on_the_loops_screen_with_the_demo(demo_db: Database, qtbot: QtBot) -> None:
    screen = LoopsScreen(demo_db, now=lambda: DEMO_END)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    screen.show()
    tab = next(screen.tabs.widget(i) for i in range(screen.tabs.count())
               if isinstance(screen.tabs.widget(i), WarningsTab))
    screen.tabs.setCurrentWidget(tab)
    assert tab.table.rowCount() > 0
    assert any(tab.table.item(r, COL_CLOCK).text().startswith("-") for r in range(tab.table.rowCount()))
    assert "%" in tab.on_time_label.text()
    screen.shutdown()
    tab.shutdown()
