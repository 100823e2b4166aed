"""Task orders in and feedback out, as files, on a real demo station."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from station_console.domain.tasks import TaskSource
from station_console.services.task_exchange import OrderFileError, export_feedback, import_task_orders
from station_console.services.tasks import TaskFilter, TaskService, demo_answers
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES


def _orders(db: Database) -> list[list[str]]:
    officer = TaskService(db).officers()[0]
    with db.read() as conn:
        incident_no = conn.exec_driver_sql(
            "SELECT incident_no FROM incident ORDER BY id LIMIT 1").scalar_one()
        community = conn.exec_driver_sql("SELECT name FROM community ORDER BY id LIMIT 1").scalar_one()
    return [
        ["指令编号", "标准件", "责任民警", "社区", "关联警情", "任务标题", "任务内容", "下发时间"],
        ["ZX-20260315-001", "BZ27", officer.name, community, incident_no, "重点矛盾纠纷排查", "区中心交办",
         "2026-03-15 09:00"],
        ["ZX-20260315-002", "家庭纠纷回访", "", community, "", "", "", "2026/3/15 9:10"],
    ]


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@DEMO_ON_BOTH_ENGINES
def test_import_orders_then_reimport_is_a_no_op(demo_db: Database, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "orders.csv", _orders(demo_db), encoding="gb18030")
    first = import_task_orders(demo_db, path, now=DEMO_END)
    assert (first.added, first.already_there) == (2, 0)
    again = import_task_orders(demo_db, path, now=DEMO_END)
    assert (again.added, again.already_there) == (0, 2)
    rows = [r for r in TaskService(demo_db).list_tasks() if r.external_no]
    assert {r.external_no for r in rows} == {"ZX-20260315-001", "ZX-20260315-002"}
    assert all(r.source == TaskSource.UPSTREAM for r in rows)
    proposed = next(r for r in rows if r.external_no == "ZX-20260315-002")
    assert proposed.assignee_name and proposed.template_code == "BZ01"


@DEMO_ON_BOTH_ENGINES
def test_a_bad_file_names_row_and_column_and_changes_nothing(demo_db: Database, tmp_path: Path) -> None:
    rows = _orders(demo_db)
    rows.append(["ZX-3", "BZ99", "", "", "", "", "", ""])
    rows.append(["ZX-4", "BZ01", "无此人", "", "", "", "", ""])
    rows.append(["ZX-5", "BZ01", rows[1][2], "", "J000", "", "", "昨天"])
    path = _write_csv(tmp_path / "bad.csv", rows)
    before = len(TaskService(demo_db).list_tasks())
    with pytest.raises(OrderFileError) as err:
        import_task_orders(demo_db, path, now=DEMO_END)
    text = str(err.value)
    assert "bad.csv, row 4, column 标准件" in text
    assert "bad.csv, row 5, column 责任民警" in text
    assert "bad.csv, row 6, column 关联警情" in text
    assert len(TaskService(demo_db).list_tasks()) == before
    headless = _write_csv(tmp_path / "headless.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(OrderFileError, match="missing column"):
        import_task_orders(demo_db, headless)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@DEMO_ON_BOTH_ENGINES
def test_feedback_export_round_trip(demo_db: Database, tmp_path: Path, suffix: str) -> None:
    book = Workbook()
    for row in _orders(demo_db):
        book.active.append(row)
    xlsx = tmp_path / "orders.xlsx"
    book.save(xlsx)
    import_task_orders(demo_db, xlsx, now=DEMO_END)
    svc = TaskService(demo_db, now=lambda: DEMO_END)
    task = next(r for r in svc.list_tasks() if r.external_no == "ZX-20260315-001")
    svc.sign(task.id)
    answers = demo_answers(svc.template("BZ27").fields, random.Random(5), DEMO_END)
    svc.file_feedback(task.id, answers)
    out = tmp_path / f"feedback{suffix}"
    count = export_feedback(demo_db, out, upstream_only=True)
    assert count == 2
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as fh:
            table = list(csv.reader(fh))
    else:
        table = [[c if c is not None else "" for c in r]
                 for r in load_workbook(out, read_only=True).active.iter_rows(values_only=True)]
    header, body = table[0], table[1:]
    mine = dict(zip(header, next(r for r in body if r[0] == "ZX-20260315-001"), strict=True))
    assert mine["状态"] == "已反馈" and mine["反馈内容"] and "纠纷类型" in mine["反馈内容"]
    # The exported file reads back as orders: into the same station it changes nothing.
    again = import_task_orders(demo_db, out, now=DEMO_END)
    assert (again.added, again.already_there) == (0, 2)
    assert len([r for r in svc.list_tasks(TaskFilter()) if r.external_no]) == 2
