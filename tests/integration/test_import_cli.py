"""The import, backup and restore commands as real processes, including a kill mid-import."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "data" / "profiles" / "110-csv.toml"
HEADER = "接警单号,报警时间,警情类别,发案地址,经度,纬度,报警人,联系电话,简要警情,处警状态\n"


def command(*args: str, db: Path) -> list[str]:
    return [sys.executable, "-m", "station_console", "--db", str(db), *args]


def env() -> dict[str, str]:
    out = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out.pop("STATION_CONSOLE_DATA_DIR", None)
    return out


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args, db=db), capture_output=True, text=True, encoding="utf-8",
                          env=env(), cwd=ROOT, timeout=300)


def feed(path: Path, n: int, encoding: str = "gb18030") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        fh.write(HEADER)
        for i in range(n):
            fh.write(f"K{i:07d},2024/3/{i % 28 + 1} {i % 24}:{i % 60:02d},盗窃电动车,"
                     f"杭州市西湖区竹影街{i % 300}号,120.129,30.255,张三,13812345678,"
                     f"\"车被偷\n第{i}起\",已派警\n")
    return path


def digest(db: Path) -> tuple:
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT count(*), max(id), total(length(incident_no || status)) FROM incident").fetchone()
    finally:
        con.close()


def test_import_summary_json_reimport_and_rejection(demo_db_path: Path, tmp_path: Path) -> None:
    path = feed(tmp_path / "feed.csv", 50)
    first = run("import", str(path), "--mapping", str(PROFILE), "--json", db=demo_db_path)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["outcome"], summary["read"], summary["inserted"]) == ("committed", 50, 50)
    again = run("import", str(path), "--profile", "110-csv", db=demo_db_path)
    assert again.returncode == 0 and "unchanged 50" in again.stdout
    dry = run("import", str(path), "--profile", "110-csv", "--dry-run", "--json", db=demo_db_path)
    assert json.loads(dry.stdout)["outcome"] == "dry_run"

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Z1,昨天,盗窃,竹影街,120.1,30.2,,,,\n", encoding="utf-8")
    before = digest(demo_db_path)
    refused = run("import", str(bad), "--profile", "110-csv", db=demo_db_path)
    assert refused.returncode == 2
    assert "bad.csv, line 2, received_at" in refused.stdout and "rejected" in refused.stderr
    assert digest(demo_db_path) == before
    missing = run("import", str(bad), "--profile", "nope", db=demo_db_path)
    assert missing.returncode == 2 and "no profile named 'nope'" in missing.stderr


def test_a_killed_import_leaves_the_database_unchanged(demo_db_path: Path, tmp_path: Path) -> None:
    path = feed(tmp_path / "big.csv", 60_000)
    before = digest(demo_db_path)
    proc = subprocess.Popen(command("import", str(path), "--profile", "110-csv", db=demo_db_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            env=env(), cwd=ROOT)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith("import:"), line
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert digest(demo_db_path) == before
    check = run("check", db=demo_db_path)
    assert check.returncode == 0, check.stdout + check.stderr
    done = run("import", str(path), "--profile", "110-csv", "--json", db=demo_db_path)
    assert json.loads(done.stdout)["inserted"] == 60_000


def test_backup_and_restore_commands(demo_db_path: Path, tmp_path: Path) -> None:
    out = run("backup", str(tmp_path / "b.db"), db=demo_db_path)
    assert out.returncode == 0 and "backup verified" in out.stdout
    folder = tmp_path / "set"
    folder.mkdir()
    assert run("backup", str(folder), db=demo_db_path).returncode == 0
    assert len(list(folder.glob("station-*.db.enc"))) == 1
    imported = run("import", str(feed(tmp_path / "f.csv", 10)), "--profile", "110-csv", db=demo_db_path)
    assert imported.returncode == 0
    restored = run("restore", str(tmp_path / "b.db"), db=demo_db_path)
    assert restored.returncode == 0, restored.stderr
    assert digest(demo_db_path)[0] == 3000
    broken = tmp_path / "broken.db"
    shutil.copyfile(tmp_path / "b.db", broken)
    with broken.open("r+b") as fh:
        fh.truncate(broken.stat().st_size // 3)
    refused = run("restore", str(broken), db=demo_db_path)
    assert refused.returncode == 2 and "Nothing was changed" in refused.stderr
    assert run("check", db=demo_db_path).returncode == 0
