"""The PyInstaller package: build it from build.spec and run its smoke test on a fresh data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the one-folder package once for this module (about a minute)."""
    out = tmp_path_factory.mktemp("package")
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(out / "dist"), "--workpath", str(out / "work"), str(ROOT / "build.spec")],
        cwd=ROOT, check=True, timeout=1200,
    )
    exe = out / "dist" / "StationConsole" / ("StationConsole.exe" if os.name == "nt" else "StationConsole")
    assert exe.exists()
    return exe


@pytest.mark.slow
def test_built_package_starts_on_a_fresh_machine_and_visits_every_screen(package: Path,
                                                                         tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("STATION_CONSOLE_DATA_DIR", None)
    result = subprocess.run(
        [str(package), "--data-dir", str(tmp_path / "data"), "gui", "--smoke"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=600, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True and report["problems"] == []
    assert {"board", "map", "tasks", "dashboard", "sync", "admin"} <= set(report["screens_s"])
    assert (tmp_path / "data" / "station.db").exists()


@pytest.mark.slow
def test_built_package_runs_the_command_line(package: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    db = tmp_path / "s.db"
    made = subprocess.run([str(package), "--db", str(db), "demo", "--incidents", "300"],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert made.returncode == 0, made.stderr
    stats = subprocess.run([str(package), "--db", str(db), "stats", "--json"],
                           capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert json.loads(stats.stdout)["incidents"] == 300
    check = subprocess.run([str(package), "--db", str(db), "check"],
                           capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    pdf = tmp_path / "briefing.pdf"
    report = subprocess.run([str(package), "--db", str(db), "report", "daily", "--out", str(pdf)],
                            capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert report.returncode == 0, report.stdout + report.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
