"""The ``tasks`` command: open tasks for scripts and a shift's overdue list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station_console.cli import EXIT_OK, EXIT_USAGE, main


def test_tasks_json_lists_open_tasks_with_deadlines_and_incidents(
        demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db_path), "tasks", "--json"]) == EXIT_OK
    rows = json.loads(capsys.readouterr().out)
    assert rows
    for row in rows:
        assert row["state"] in {"awaiting_signoff", "signed", "returned", "feedback_filed"}
        assert row["number"].startswith("RW") and row["assignee"] and row["incidents"]
        assert set(row) >= {"template", "issued", "signoff_deadline", "feedback_deadline"}
    officer = rows[0]["assignee"]
    assert main(["--db", str(demo_db_path), "tasks", "--officer", officer, "--json"]) == EXIT_OK
    mine = json.loads(capsys.readouterr().out)
    assert mine and {r["assignee"] for r in mine} == {officer}
    # The demo's deadlines are in the past of the real clock: every open task is overdue now.
    assert main(["--db", str(demo_db_path), "tasks", "--overdue", "--state", "signed", "--json"]) == EXIT_OK
    late = json.loads(capsys.readouterr().out)
    assert late and all(r["overdue"] and r["state"] == "signed" for r in late)


def test_tasks_text_output_and_bad_arguments(demo_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db_path), "tasks"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "task(s)" in out and "RW" in out
    assert main(["--db", str(demo_db_path), "tasks", "--state", "lost"]) == EXIT_USAGE
    assert "unknown task state 'lost'" in capsys.readouterr().err
    assert main(["--db", str(demo_db_path), "tasks", "--officer", "无此人"]) == EXIT_USAGE
    assert "no officer" in capsys.readouterr().err
