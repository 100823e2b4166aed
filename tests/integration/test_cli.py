"""The command line, run as a real process, the way installers and scheduled tasks use it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, data_dir: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("STATION_CONSOLE_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "station_console", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=timeout,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_demo_stats_and_check_on_a_new_station(data_dir: Path) -> None:
    made = run("demo", "--incidents", "400", "--seed", "3", data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    assert "400" in made.stdout
    assert (data_dir / "station.db").exists()

    stats = run("stats", "--json", data_dir=data_dir)
    assert stats.returncode == 0, stats.stderr
    figures = json.loads(stats.stdout)
    assert figures["incidents"] == 400 == figures["tables"]["incident"]
    assert 6 <= figures["communities"] <= 10
    assert figures["officers"] >= 35
    assert 0.0 < figures["non_police_share"] < 1.0
    assert 0.0 < figures["arrival_5min_rate"] <= 1.0

    check = run("check", data_dir=data_dir)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.strip().endswith("ok")


def test_demo_station_without_incidents(data_dir: Path) -> None:
    assert run("demo", "--incidents", "0", data_dir=data_dir).returncode == 0
    figures = json.loads(run("stats", "--json", data_dir=data_dir).stdout)
    assert figures["incidents"] == 0
    assert figures["tables"]["officer"] >= 35 and figures["tables"]["community"] >= 6
    assert figures["arrival_5min_rate"] is None


def test_demo_refuses_to_overwrite_without_force(data_dir: Path) -> None:
    assert run("demo", "--incidents", "50", data_dir=data_dir).returncode == 0
    refused = run("demo", "--incidents", "80", data_dir=data_dir)
    assert refused.returncode == 2
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert json.loads(run("stats", "--json", data_dir=data_dir).stdout)["incidents"] == 50
    forced = run("demo", "--incidents", "80", "--force", data_dir=data_dir)
    assert forced.returncode == 0, forced.stderr
    assert json.loads(run("stats", "--json", data_dir=data_dir).stdout)["incidents"] == 80


def test_same_seed_gives_the_same_station(tmp_path: Path) -> None:
    def digest(name: str) -> list[tuple[object, ...]]:
        db = tmp_path / name
        result = run("--db", str(db), "demo", "--incidents", "200", "--seed", "11",
                     "--end", "2026-11-30 08:00", data_dir=tmp_path / "d")
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(db) as con:
            return con.execute(
                "SELECT incident_no, category_code, address, caller_phone FROM incident ORDER BY id"
            ).fetchall()

    assert digest("a.db") == digest("b.db")


@pytest.mark.parametrize("command", ["stats", "check", "gui"])
def test_a_file_that_is_not_a_database_gets_a_clear_message(tmp_path: Path, command: str) -> None:
    bogus = tmp_path / "incidents.xlsx"
    bogus.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database")
    before = bogus.read_bytes()
    args = ["--db", str(bogus), command] + (["--smoke"] if command == "gui" else [])
    result = run(*args, data_dir=tmp_path / "d")
    assert result.returncode == 2
    assert str(bogus) in result.stderr and "not an SQLite file" in result.stderr
    assert "Traceback" not in result.stderr
    assert bogus.read_bytes() == before


def test_check_reports_a_broken_foreign_key(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert run("--db", str(db), "demo", "--incidents", "20", data_dir=tmp_path / "d").returncode == 0
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("UPDATE incident SET community_id = 9999 WHERE id = 1")
    con.commit()
    con.close()
    result = run("--db", str(db), "check", "--json", data_dir=tmp_path / "d")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert any("incident row 1" in p and "community" in p for p in report["problems"])


def test_missing_database_for_stats_is_explained(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "nothing.db"), "stats", data_dir=tmp_path / "d")
    assert result.returncode == 2
    assert "no database" in result.stderr and "demo" in result.stderr


def test_gui_smoke_builds_the_demo_on_first_start_and_visits_every_screen(data_dir: Path) -> None:
    result = run("gui", "--smoke", data_dir=data_dir, timeout=600)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True and report["problems"] == []
    assert {"board", "map", "tasks", "loops", "dashboard", "sync", "admin"} <= set(report["screens_s"])
    assert report["startup_s"] > 0 and report["peak_rss_mb"] > 0
    assert report["board_first_page_s"] > 0 and report["board_filter_s"] > 0
    figures = json.loads(run("stats", "--json", data_dir=data_dir).stdout)
    assert figures["incidents"] == 20_000
