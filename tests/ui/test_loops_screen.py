"""The closed-loops screen on the demo station: repeat groups scanned in the background,
diversions listed with clocks and driven through the loop from the screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station_console.services.diversion import DiversionService
from station_console.store.database import Database
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


def test_format_clock() -> None:
    assert format_clock(3725) == "1:02:05" and format_clock(-65) == "-0:01:05"
