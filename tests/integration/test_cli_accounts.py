"""Commands run as a named or service account on a real station; unattended on a demo one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from station_console.services.accounts import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, data_dir: Path, password: str | None = None,
        timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("STATION_CONSOLE_DATA_DIR", None)
    env.pop("STATION_CONSOLE_PASSWORD", None)
    if password is not None:
        env["STATION_CONSOLE_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "station_console", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def station(demo_db_path: Path, tmp_path: Path) -> Path:
    """A copy of the demo station that is no longer marked as a demo (a real station)."""
    target = tmp_path / "real.db"
    shutil.copy(demo_db_path, target)
    with sqlite3.connect(target) as con:
        con.execute("UPDATE app_meta SET value = '0' WHERE key = 'demo'")
        con.execute("UPDATE user_account SET password_changed_at = ?",
                    (datetime.now().isoformat(sep=" "),))
    return target


def _trail(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


def test_a_demo_station_runs_commands_unattended(demo_db_path: Path, tmp_path: Path) -> None:
    result = run("--db", str(demo_db_path), "stats", data_dir=tmp_path / "d")
    assert result.returncode == 0, result.stderr


def test_a_real_station_asks_who_runs_the_command(station: Path, tmp_path: Path) -> None:
    refused = run("--db", str(station), "stats", data_dir=tmp_path / "d")
    assert refused.returncode == 2
    assert "--user NAME" in refused.stderr and "--token-file" in refused.stderr
    wrong = run("--db", str(station), "--user", "suozhang", "stats", data_dir=tmp_path / "d",
                password="not-the-password")
    assert wrong.returncode == 2 and "Wrong user name or password" in wrong.stderr
    ok = run("--db", str(station), "--user", "suozhang", "stats", data_dir=tmp_path / "d",
             password=DEMO_PASSWORD)
    assert ok.returncode == 0, ok.stderr
    logins = _trail(station, "SELECT username, outcome FROM audit_log WHERE action LIKE 'login%'")
    assert ("suozhang", "denied") in logins and ("suozhang", "ok") in logins


def test_a_command_outside_the_role_is_refused(station: Path, tmp_path: Path) -> None:
    result = run("--db", str(station), "--user", "zhiban", "audit", "verify",
                 data_dir=tmp_path / "d", password=DEMO_PASSWORD)
    assert result.returncode == 3 and "may not read_audit" in result.stderr


def test_a_service_account_runs_with_its_token(station: Path, tmp_path: Path) -> None:
    token = tmp_path / "importer.token"
    made = run("--db", str(station), "--user", "admin", "accounts", "service", "feeds",
               "--role", "leader", "--out", str(token), data_dir=tmp_path / "d",
               password=DEMO_PASSWORD)
    assert made.returncode == 0, made.stderr
    assert token.stat().st_mode & 0o077 == 0
    listed = run("--db", str(station), "--token-file", str(token), "tasks",
                 data_dir=tmp_path / "d")
    assert listed.returncode == 0, listed.stderr
    assert ("feeds", "login") in _trail(
        station, "SELECT username, action FROM audit_log WHERE action = 'login'")


def test_check_and_audit_verify_name_a_tampered_record(station: Path, tmp_path: Path) -> None:
    ok = run("--db", str(station), "check", data_dir=tmp_path / "d")
    assert ok.returncode == 0 and "hash chain intact" in ok.stdout
    (middle,), = _trail(station, "SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 5")
    with sqlite3.connect(station) as con:
        con.execute("UPDATE audit_log SET username = 'someone' WHERE id = ?", (middle,))
    bad = run("--db", str(station), "check", data_dir=tmp_path / "d")
    assert bad.returncode == 1 and f"record {middle}" in bad.stdout
    audit = run("--db", str(station), "--user", "shenji", "audit", "verify",
                data_dir=tmp_path / "d", password=DEMO_PASSWORD)
    assert audit.returncode == 1 and f"record {middle}" in audit.stderr
