"""The district's command line: a demo district's station, and the weekly comparison report."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from openpyxl import load_workbook

from tests.integration.test_cli import run
from tests.unit.district_helpers import DistrictFiles


def test_demo_builds_another_station_of_the_district(tmp_path: Path) -> None:
    db = tmp_path / "station2.db"
    made = run("--db", str(db), "demo", "--station", "2", "--incidents", "50", "--seed", "9",
               "--end", "2026-03-15 10:30", data_dir=tmp_path / "data")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("杭州市西湖区北山派出所:")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT code FROM station").fetchall() == [("330106560200",)]
        numbers = [n for (n,) in conn.execute("SELECT incident_no FROM incident")]
    assert len(numbers) == 50 and all(n.startswith("J33010602") for n in numbers)
    refused = run("--db", str(tmp_path / "x.db"), "demo", "--station", "20", data_dir=tmp_path / "data")
    assert refused.returncode == 2


def test_report_district_writes_the_week_and_refuses_what_it_cannot_do(
        district_template: tuple[Path, DistrictFiles], tmp_path: Path) -> None:
    path, files = district_template
    db = tmp_path / "district.db"
    shutil.copyfile(path, db)
    data = tmp_path / "data"
    out = tmp_path / "week.xlsx"
    done = run("--db", str(db), "report", "district", "--week", "2026-W10", "--out", str(out), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "3 stations" in done.stdout and "2026年第10周" in done.stdout
    names = [row[0] for row in load_workbook(out)["主要指标"].iter_rows(min_row=2, values_only=True)]
    assert names == [*sorted(files.stations), "全局合计"]
    pdf = tmp_path / "days.pdf"
    ranged = run("--db", str(db), "report", "district", "--from", "2026-03-01", "--to", "2026-03-14",
                 "--out", str(pdf), data_dir=data)
    assert ranged.returncode == 0, ranged.stderr
    assert pdf.read_bytes().startswith(b"%PDF")

    for args, message in (
            (("--week", "2026-10"), "YYYY-Www"),
            (("--from", "2026-03-10", "--to", "2026-03-01"), "after --to"),
            (("--week", "2026-W10", "--to", "2026-03-01"), "--to goes with --from")):
        bad = run("--db", str(db), "report", "district", *args, "--out", str(tmp_path / "bad.pdf"),
                  data_dir=data)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
    station = tmp_path / "station.db"
    shutil.copyfile(files.stations[sorted(files.stations)[0]], station)
    alone = run("--db", str(station), "report", "district", "--out", str(tmp_path / "alone.pdf"),
                data_dir=data)
    assert alone.returncode == 2 and "1 station(s)" in alone.stderr
    assert not (tmp_path / "bad.pdf").exists() and not (tmp_path / "alone.pdf").exists()
