"""The closed-loops screen on the demo station: repeat groups scanned in the background,
diversions listed with clocks and driven through the loop from the screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station_console.services.disputes import DisputeInput, DisputeService, PartyInput
from station_console.services.diversion import DiversionService
from station_console.services.importer import import_feed
from station_console.services.importer_profiles import parse_profile
from station_console.services.warnings import WarningService
from station_console.store.database import Database
from station_console.ui.loops import loops_screen
from station_console.ui.loops.loops_screen import LoopsScreen, format_clock
from tests.conftest import DEMO_END


@pytest.fixture
def screen(demo_db: Database, qtbot: QtBot) -> Iterator[LoopsScreen]:
    widget = LoopsScreen(demo_db, now=lambda: DEMO_END)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    yield widget
    widget.shutdown()


def test_repeat_groups_arrive_from_the_background_scan(screen: LoopsScreen, qtbot: QtBot) -> None:
    screen.activated()
    qtbot.waitUntil(lambda: not screen.jobs.busy and screen.group_table.rowCount() > 0, timeout=20_000)
    total = screen.group_table.rowCount()
    screen.kind_filter.setCurrentIndex(screen.kind_filter.findData("person"))
    assert 0 < screen.group_table.rowCount() < total
    screen.group_table.selectRow(0)
    assert screen.group_calls.text().count("J") >= 3


def test_a_diversion_through_the_screen(screen: LoopsScreen, demo_db: Database, qtbot: QtBot) -> None:
    with demo_db.read() as conn:
        incident = conn.execute(text(
            "SELECT i.id FROM incident i JOIN incident_category c ON c.code = i.category_code "
            "WHERE NOT c.is_police AND NOT i.is_diverted ORDER BY i.id DESC LIMIT 1")).scalar_one()
    service = DiversionService(demo_db, now=lambda: DEMO_END)
    row = service.divert(incident, service.departments()[0].id, "phone")
    screen.activated()
    qtbot.waitUntil(lambda: not screen.jobs.busy, timeout=20_000)
    # The demo station's own diversions are listed too; find the new one.
    table = screen.diversion_table
    mine = next(r for r in range(table.rowCount())
                if any(table.item(r, c) is not None and table.item(r, c).text() == row.incident_no
                       for c in range(table.columnCount())))
    assert table.item(mine, 5).text() == format_clock(2 * 3600)
    assert not screen.action_buttons["accept"].isEnabled()
    table.selectRow(mine)
    assert screen.action_buttons["accept"].isEnabled() and not screen.action_buttons["revisit"].isEnabled()
    screen.action_buttons["accept"].click()
    assert service.get(row.id).state == "accepted"
    assert "%" in screen.rate_label.text()


def test_the_lists_follow_what_other_workstations_enter(demo_db: Database, qtbot: QtBot,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loops_screen, "WARNINGS_RELOAD_MS", 200)
    screen = LoopsScreen(demo_db, now=lambda: DEMO_END)
    qtbot.addWidget(screen)
    screen.activated()
    qtbot.waitUntil(lambda: not screen.jobs.busy, timeout=20_000)
    warnings, disputes = screen.warnings_tab.table.rowCount(), screen.disputes_tab.table.rowCount()
    # Entered elsewhere (another workstation on the same database): the screen did not do it.
    elsewhere = WarningService(demo_db, now=lambda: DEMO_END)
    elsewhere.enter("anti_fraud", 1, subject_phone="13900001111", received_at=DEMO_END)
    # A warning order has a clock: it appears on the screen's own timer, whatever is in front.
    qtbot.waitUntil(lambda: screen.warnings_tab.table.rowCount() == warnings + 1, timeout=5_000)
    DisputeService(demo_db, now=lambda: DEMO_END).register(
        DisputeInput("D03", "邻里噪音纠纷", (PartyInput("孙某"), PartyInput("李某"))))
    assert screen.disputes_tab.table.rowCount() == disputes
    # Coming back to the screen shows every list as it stands.
    screen.activated()
    assert screen.disputes_tab.table.rowCount() == disputes + 1
    screen.shutdown()


def test_format_clock() -> None:
    assert format_clock(3725) == "1:02:05" and format_clock(-65) == "-0:01:05"


def test_history_scan_from_the_screen_flags_imported_history(screen: LoopsScreen, demo_db: Database,
                                                              qtbot: QtBot, tmp_path: Path) -> None:
    old = DEMO_END - timedelta(days=300)
    feed = tmp_path / "history.csv"
    feed.write_text("接警单号,报警时间,警情类别,发案地址,联系电话,简要警情\n" + "".join(
        f"OLD{i},{old + timedelta(days=i):%Y-%m-%d %H:%M},0501,杭州市西湖区文三路1号,13900007777,报警\n"
        for i in range(3)), encoding="utf-8")
    profile = parse_profile('[options]\nformat = "csv"\n[columns]\nincident_no = "接警单号"\n'
                            'received_at = "报警时间"\ncategory = "警情类别"\naddress = "发案地址"\n'
                            'caller_phone = "联系电话"\ndescription = "简要警情"\n', "history")
    assert import_feed(demo_db, feed, profile, now=DEMO_END).repeats_unchecked == 3
    screen.history_since.setDate(QDate(old.year, old.month, old.day).addDays(-1))
    qtbot.mouseClick(screen.history_button, Qt.MouseButton.LeftButton)
    assert not screen.history_button.isEnabled() and screen.history_cancel.isVisibleTo(screen)
    qtbot.waitUntil(lambda: not screen.jobs.busy and screen.history_button.isEnabled(), timeout=60_000)
    assert not screen.history_progress.isVisibleTo(screen)
    with demo_db.read() as conn:
        flagged = conn.execute(text("SELECT incident_no FROM incident WHERE is_repeat "
                                    "AND incident_no LIKE 'OLD%'")).scalars().all()
    assert flagged == ["OLD2"]
    assert "follow-up" in screen.repeat_status.text()
