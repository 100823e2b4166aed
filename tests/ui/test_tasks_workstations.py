"""Two workstations on one PostgreSQL database: each task queue follows the other's changes at
once (the queues' own reload comes only every half minute)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from station_console.services.tasks import IssueRequest
from station_console.store.database import Database
from station_console.ui.tasks.tasks_screen import RELOAD_MS, TasksScreen
from tests.conftest import pg_copy, pg_drop

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
