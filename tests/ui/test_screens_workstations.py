"""Two workstations on one PostgreSQL database: the closed loops and the dashboard of one follow
what the other commits as soon as the server announces it (their own timers set to an hour)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from station_console.services.disputes import DisputeInput, DisputeService, PartyInput
from station_console.services.tasks import IssueRequest, TaskService
from station_console.services.warnings import WarningService
from station_console.store.database import Database
from station_console.ui.dashboard.dashboard_screen import DashboardScreen
from station_console.ui.live import LiveChanges
from station_console.ui.loops import loops_screen
from station_console.ui.loops.loops_screen import LoopsScreen
from tests.conftest import pg_copy, pg_drop

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

#: Far inside the screens' own timers (set to an hour below): only an announcement makes it.
WITHIN_MS = 10_000
HOUR_MS = 3_600_000


def test_the_loops_and_the_dashboard_follow_another_workstation(
        qtbot: QtBot, pg_station: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loops_screen, "WARNINGS_RELOAD_MS", HOUR_MS)
    url = pg_copy(pg_station)
    here, there = Database.open(url), Database.open(url)
    screens: tuple[LoopsScreen | DashboardScreen, ...] = ()
    try:
        loops = LoopsScreen(here)
        qtbot.addWidget(loops)
        loops.reload_lists()
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        dashboard = DashboardScreen(here, settings, poll_ms=HOUR_MS)
        qtbot.addWidget(dashboard)
        screens = (loops, dashboard)
        qtbot.waitUntil(lambda: dashboard.data is not None and not dashboard.jobs.busy, timeout=WITHIN_MS)
        # The workstation's one listener, which both screens took, is connected.
        live = LiveChanges.shared(here)
        try:
            qtbot.waitUntil(lambda: live.connected, timeout=WITHIN_MS)
        finally:
            live.release()
        warnings, disputes = loops.warnings_tab.table.rowCount(), loops.disputes_tab.table.rowCount()

        WarningService(there).enter("anti_fraud", 1, subject_phone="13900001111", received_at=datetime.now())
        qtbot.waitUntil(lambda: loops.warnings_tab.table.rowCount() == warnings + 1, timeout=WITHIN_MS)
        DisputeService(there).register(DisputeInput("D03", "邻里噪音纠纷", (PartyInput("孙某"),)))
        qtbot.waitUntil(lambda: loops.disputes_tab.table.rowCount() == disputes + 1, timeout=WITHIN_MS)

        tasks = TaskService(there)
        tasks.ensure_templates()
        with there.read() as conn:
            officer = int(conn.exec_driver_sql("SELECT min(id) FROM officer").scalar_one())
            template = str(conn.exec_driver_sql("SELECT min(code) FROM task_template").scalar_one())
        with qtbot.waitSignal(dashboard.refreshed, timeout=WITHIN_MS):
            tasks.issue(IssueRequest(template, officer, "回访：明湖路1号噪音扰民"))
    finally:
        for screen in screens:
            screen.shutdown()
        here.close()
        there.close()
        pg_drop(url)
