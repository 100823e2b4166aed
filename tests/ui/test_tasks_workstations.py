"""Two workstations on one PostgreSQL database: each task queue follows the other's changes at
once (the queues' own reload comes only every half minute); one workstation listens once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from station_console.services.tasks import IssueRequest
from station_console.store.database import Database
from station_console.store.dialect import LISTENER_APPLICATION
from station_console.ui.board.board_screen import BoardScreen
from station_console.ui.tasks.tasks_screen import RELOAD_MS, TasksScreen
from tests.conftest import PG_ENV, _pg_admin, pg_copy, pg_drop

#: Well inside the queues' own reload: only the server's announcements can make it in time.
WITHIN_MS = RELOAD_MS // 3


@pytest.fixture
def two_queues(qtbot: QtBot, pg_station: str) -> Iterator[tuple[TasksScreen, TasksScreen]]:
    url = pg_copy(pg_station)
    dbs = [Database.open(url) for _ in range(2)]
    queues = [TasksScreen(db) for db in dbs]
    for queue in queues:
        qtbot.addWidget(queue)
        assert queue.live is not None
        qtbot.waitUntil(lambda q=queue: q.live.connected, timeout=WITHIN_MS)
    yield queues[0], queues[1]
    for queue, db in zip(queues, dbs, strict=True):
        queue.shutdown()
        db.close()
    pg_drop(url)


def _state(queue: TasksScreen, task_id: int) -> str | None:
    return next((r.state for r in queue.rows if r.id == task_id), None)


def test_each_queue_shows_the_others_tasks_at_once(qtbot: QtBot,
                                                   two_queues: tuple[TasksScreen, TasksScreen]) -> None:
    a, b = two_queues
    a.service.ensure_templates()
    with a.db.read() as conn:
        officer = int(conn.exec_driver_sql("SELECT min(id) FROM officer").scalar_one())
        template = str(conn.exec_driver_sql("SELECT min(code) FROM task_template").scalar_one())
    task = a.service.issue(IssueRequest(template, officer, "回访：明湖路1号噪音扰民"))
    # Issued on A: in B's queue before B would reload by itself.
    qtbot.waitUntil(lambda: _state(b, task.id) == "awaiting_signoff", timeout=WITHIN_MS)
    # Signed on B: A's queue follows.
    b.service.sign(task.id)
    qtbot.waitUntil(lambda: _state(a, task.id) == "signed", timeout=WITHIN_MS)
    assert task.id in b._items and task.id in a._items


def test_the_board_and_the_queue_of_one_workstation_share_one_listener(
        qtbot: QtBot, pg_station: str, tmp_path: Path) -> None:
    url = pg_copy(pg_station)
    db = Database.open(url)
    try:
        settings = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
        queue = TasksScreen(db)
        qtbot.addWidget(queue)
        assert queue.live is not None
        qtbot.waitUntil(lambda: queue.live is not None and queue.live.connected, timeout=WITHIN_MS)
        window = QMainWindow()
        qtbot.addWidget(window)
        board = BoardScreen(db, settings, window.statusBar())
        # The board takes the running listener and shows its state at once.
        assert board.live is queue.live and "●" in board.live_label.text()
        with _pg_admin(os.environ[PG_ENV]) as admin:
            listening = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                                      "AND datname = %s", (LISTENER_APPLICATION, make_url(url).database)
                                      ).fetchone()
        assert listening == (1,)
        # The queue letting go leaves the board listening; the last one stops it.
        live = queue.live
        queue.shutdown()
        assert live._thread is not None
        board.shutdown()
        assert live._thread is None
    finally:
        db.close()
        pg_drop(url)
