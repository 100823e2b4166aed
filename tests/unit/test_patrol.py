"""Patrol tracks, coverage and the patrol plan: import (CSV, GPX), presence minutes, gaps, plan files, CLI."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from station_console.cli import main
from station_console.domain.coords import CoordSystem, from_wgs84
from station_console.domain.security import PermissionDenied, Role, identity_for
from station_console.services.hotspots import CellGrid, Hotspot
from station_console.services.patrol_coverage import (
    TrackArrays,
    assess,
    box_presence,
    coverage_report,
    load_tracks,
    presence_grid,
)
from station_console.services.patrol_plan import HEADER, build_plan, write_plan
from station_console.services.patrol_tracks import TrackFileRejected, TrackFormat, import_tracks
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES, ON_BOTH_ENGINES

GOOD_CSV = """巡逻组,定位时间,纬度,经度
巡逻一组,2026-03-10 08:00:00,30.270000,120.150000
巡逻一组,2026-03-10 08:02:00,30.270100,120.150200
巡逻二组,2026/3/10 8:00,30.271000,120.151000
"""


def _count(db: Database, sql: str) -> int:
    with db.read() as conn:
        return int(conn.execute(text(sql)).scalar_one())


@ON_BOTH_ENGINES
def test_csv_in_gb18030_with_chinese_headers_imports_once_with_one_audit_record(db: Database,
                                                                                  tmp_path: Path) -> None:
    path = tmp_path / "轨迹.csv"
    path.write_bytes(GOOD_CSV.encode("gb18030"))
    before = _count(db, "SELECT count(*) FROM audit_log")
    summary = import_tracks(db, path)
    assert (summary.read, summary.inserted, summary.duplicates) == (3, 3, 0)
    assert summary.subjects == ["巡逻一组", "巡逻二组"]
    assert summary.first == datetime(2026, 3, 10, 8, 0)
    again = import_tracks(db, path)
    assert (again.read, again.inserted, again.duplicates) == (3, 0, 3)
    assert _count(db, "SELECT count(*) FROM patrol_track_point") == 3
    # One record per file, none per point.
    assert _count(db, "SELECT count(*) FROM audit_log") == before + 2
    assert _count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'patrol_track_point'") == 0
    with db.read() as conn:
        detail = json.loads(conn.execute(text("SELECT detail FROM audit_log WHERE action = 'import' "
                                              "ORDER BY id LIMIT 1")).scalar_one())
    assert detail["what"] == "patrol tracks" and detail["inserted"] == 3


@ON_BOTH_ENGINES
def test_bad_rows_refuse_the_whole_file_naming_line_and_field(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("unit,time,lat,lon\nU1,2026-03-10 08:00,30.27,120.15\nU1,yesterday,30.27,120.15\n"
                    "U1,2026-03-10 08:04,130.2,120.15\n,2026-03-10 08:05,30.27,abc\n", encoding="utf-8")
    with pytest.raises(TrackFileRejected) as caught:
        import_tracks(db, path)
    issues = [(i.line, i.field) for i in caught.value.issues]
    assert issues == [(3, "time"), (4, "lat"), (5, "unit"), (5, "lon")]
    assert "bad.csv" in str(caught.value) and "line 3, field time" in str(caught.value)
    assert _count(db, "SELECT count(*) FROM patrol_track_point") == 0
    assert _count(db, "SELECT count(*) FROM audit_log WHERE action = 'import' AND outcome = 'rejected'") == 1
    missing = tmp_path / "columns.csv"
    missing.write_text("unit,when,lat\nU1,2026-03-10 08:00,30.27\n", encoding="utf-8")
    with pytest.raises(TrackFileRejected, match="field time, lon: no such column"):
        import_tracks(db, missing)


def _gpx(tracks: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
            f'xmlns="http://www.topografix.com/GPX/1/1">\n{tracks}</gpx>\n')


@ON_BOTH_ENGINES
def test_gpx_tracks_are_units_times_go_to_station_time_and_gcj02_is_converted(db: Database,
                                                                            tmp_path: Path) -> None:
    wgs = (120.15, 30.27)
    glon, glat = from_wgs84(*wgs, CoordSystem.GCJ02)
    path = tmp_path / "day.gpx"
    path.write_text(_gpx(
        f'<trk><name>巡逻三组</name><trkseg>\n<trkpt lat="{glat}" lon="{glon}"><time>2026-03-10T00:00:00Z'
        f'</time></trkpt>\n<trkpt lat="{glat}" lon="{glon}"><time>2026-03-10T00:01:00Z</time></trkpt>\n'
        '</trkseg></trk>\n<trk><name>P0012</name><trkseg><trkpt lat="30.28" lon="120.16">'
        '<time>2026-03-10T08:00:00+08:00</time></trkpt></trkseg></trk>\n'), encoding="utf-8")
    summary = import_tracks(db, path, coords=CoordSystem.GCJ02)
    assert summary.format == "gpx" and summary.inserted == 3
    tracks = load_tracks(db)
    assert tracks.subjects == ("P0012", "巡逻三组")
    first = int(np.nonzero(tracks.subject == 1)[0][0])
    assert abs(tracks.lat[first] - wgs[1]) < 1e-6 and abs(tracks.lon[first] - wgs[0]) < 1e-6
    assert tracks.t[first] == np.datetime64("2026-03-10T08:00:00").astype(np.int64)


@ON_BOTH_ENGINES
def test_gpx_problems_name_line_point_and_field(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "broken.gpx"
    path.write_text(_gpx('<trk><trkseg><trkpt lat="30.2" lon="120.1"><time>2026-03-10T08:00:00</time>'
                         '</trkpt></trkseg></trk>\n<trk><name>U</name><trkseg>\n'
                         '<trkpt lat="30.2" lon="120.1"></trkpt>\n'
                         '<trkpt lat="x" lon="120.1"><time>2026-03-10T08:00:00</time></trkpt>\n'
                         '</trkseg></trk>\n'), encoding="utf-8")
    with pytest.raises(TrackFileRejected) as caught:
        import_tracks(db, path)
    shown = [str(i) for i in caught.value.issues]
    assert shown[0].startswith("line 3 (track 1), field name")
    assert shown[1].startswith("line 5 (track 2 point 1), field time")
    assert shown[2].startswith("line 6 (track 2 point 2), field lat")
    path.write_text("<gpx><trk>", encoding="utf-8")
    with pytest.raises(TrackFileRejected, match="not well-formed XML"):
        import_tracks(db, path, fmt=TrackFormat.GPX)


@ON_BOTH_ENGINES
def test_import_needs_the_import_permission(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    db.identity = identity_for("cop", Role.COMMUNITY)
    with pytest.raises(PermissionDenied):
        import_tracks(db, path)


T0 = np.datetime64("2026-03-10T08:00:00")


def _tracks(rows: list[tuple[str, int, float, float]]) -> TrackArrays:
    """Points as (subject, seconds after 08:00, lat, lon)."""
    return TrackArrays.build([r[0] for r in rows], [T0 + np.timedelta64(r[1], "s") for r in rows],
                             [r[2] for r in rows], [r[3] for r in rows])


def test_presence_minutes_match_a_hand_count() -> None:
    grid = CellGrid(30.0, 120.0, 100.0, 10, 10)
    x = grid.centre(11)   # cell 11: row 1, col 1
    y = grid.centre(55)
    tracks = _tracks([
        ("A", 0, *x), ("A", 60, *x), ("A", 120, *x),   # 60 s + 60 s in x
        ("A", 1800, *y),                               # 28 min later: the step in x is capped at 5 min
        ("A", 3700, *y),                               # 09:01:40 in y; before it 5 min (capped) in y at 08
        ("B", 3000, *x),                               # B's only point: no time of its own
    ])
    minutes = presence_grid(tracks, grid, cap_s=300)
    assert minutes[11, 8] == pytest.approx((60 + 60 + 300) / 60)
    assert minutes[55, 8] == pytest.approx(300 / 60)
    assert minutes[55, 9] == 0
    assert minutes.sum() == pytest.approx((60 + 60 + 300 + 300) / 60)
    by_box = box_presence(tracks, [grid.bounds(11), grid.bounds(55)], cap_s=300)
    assert by_box[0, 8] == pytest.approx(7.0) and by_box[1, 8] == pytest.approx(5.0)


def _spot(rank: int, grid: CellGrid, cell: int, peak: tuple[int, int], count: int) -> Hotspot:
    lat, lon = grid.centre(cell)
    return Hotspot(rank, cell, lat, lon, grid.bounds(cell), count, 4.0, [("0101", count)], peak, None)


def test_a_planted_gap_is_found_and_a_well_patrolled_hotspot_is_not() -> None:
    grid = CellGrid(30.0, 120.0, 150.0, 20, 20)
    patrolled = _spot(1, grid, 42, (8, 11), 40)
    neglected = _spot(2, grid, 210, (19, 22), 30)
    rows = []
    for day in range(3):
        base = day * 86400
        # 30 minutes a day in the first hotspot at 09:00, a point every minute.
        rows += [("U1", base + 3600 + 60 * k, patrolled.lat, patrolled.lon) for k in range(31)]
        # The second is visited too, but at noon, outside its evening peak hours.
        rows += [("U2", base + 4 * 3600 + 60 * k, neglected.lat, neglected.lon) for k in range(31)]
    found = assess([patrolled, neglected], _tracks(rows), threshold=10.0)
    assert [c.gap for c in found] == [False, True]
    # 30 minutes a day, and 5 (the cap) after each day's last point but the last day's.
    assert found[0].per_day == pytest.approx((3 * 30 + 2 * 5) / 3)
    assert found[1].per_day == 0 and sum(found[1].by_hour) == pytest.approx(3 * 30 + 2 * 5)


@DEMO_ON_BOTH_ENGINES
def test_demo_station_has_tracks_with_covered_and_neglected_hotspots(demo_db: Database) -> None:
    report = coverage_report(demo_db, days=365, now=DEMO_END)
    assert report.points > 1000 and report.tracked_days >= 14
    assert report.hotspots and report.gaps
    assert any(not h.gap for h in report.hotspots)
    assert report.heat(), "no coverage heat"
    assert all(0 < w <= 1 for _lat, _lon, w in report.heat())


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


@DEMO_ON_BOTH_ENGINES
def test_patrol_plan_xlsx_and_pdf_carry_the_stops_the_stamp_and_are_audited(demo_db: Database,
                                                                           tmp_path: Path) -> None:
    demo_db.identity = identity_for("zhangwei", Role.LEADER, display_name="张伟")
    plan = build_plan(demo_db, days=365, now=DEMO_END)
    assert plan.stops and any(s.gap for s in plan.stops) and all(s.post for s in plan.stops)
    xlsx, pdf = tmp_path / "plan.xlsx", tmp_path / "plan.pdf"
    write_plan(demo_db, plan, xlsx)
    write_plan(demo_db, plan, pdf)
    sheet = load_workbook(xlsx).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0].endswith("巡逻防控计划")
    assert "制作人 张伟" in values[2][0] and f"{DEMO_END:%Y-%m-%d %H:%M}" in values[2][0]
    header = values.index(HEADER)
    stops = values[header + 1:]
    assert len(stops) == len(plan.stops)
    first = plan.stops[0]
    assert stops[0][0] == first.post and stops[0][5] == f"{first.band[0]:02d}:00-{first.band[1] or 24:02d}:00"
    assert sum(1 for r in stops if r[10] == "覆盖不足") == sum(s.gap for s in plan.stops)
    text_ = _pdf_text(pdf)
    assert "巡逻防控计划" in text_ and "制作人" in text_ and "张伟" in text_ and first.post in text_
    with demo_db.read() as conn:
        exports = conn.execute(text("SELECT object_id, username FROM audit_log WHERE action = 'export' "
                                    "ORDER BY id")).all()
    assert [tuple(r) for r in exports[-2:]] == [("plan.xlsx", "zhangwei"), ("plan.pdf", "zhangwei")]
    demo_db.identity = identity_for("cop", Role.COMMUNITY)
    with pytest.raises(PermissionDenied):
        write_plan(demo_db, plan, tmp_path / "no.xlsx")


@DEMO_ON_BOTH_ENGINES
def test_plan_for_a_chosen_unit(demo_db: Database) -> None:
    plan = build_plan(demo_db, days=365, now=DEMO_END, unit="巡逻一组")
    assert plan.unit == "巡逻一组" and {s.units for s in plan.stops} == {"巡逻一组"}
    with pytest.raises(ValueError, match="no patrol unit"):
        build_plan(demo_db, days=365, now=DEMO_END, unit="巡逻九组")


def test_patrol_commands(demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_db_path)]
    csv_file = tmp_path / "tracks.csv"
    csv_file.write_text(GOOD_CSV, encoding="utf-8")
    assert main([*db, "import-tracks", str(csv_file), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["inserted"] == 3 and summary["outcome"] == "committed"
    assert summary["unlinked"] == [] and summary["subjects"] == ["巡逻一组", "巡逻二组"]
    assert main([*db, "import-tracks", str(csv_file), "--format", "csv", "--coords", "GCJ-02"]) == 0
    assert "0 new, 3 already stored" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,time,lat,lon\nU,2026-03-10 08:00,91,120\n", encoding="utf-8")
    assert main([*db, "import-tracks", str(bad)]) == 2
    assert "line 2, field lat" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main([*db, "import-tracks", str(csv_file), "--coords", "mars"])
    assert usage.value.code == 2 and "GCJ-02" in capsys.readouterr().err
    # The demo station ends at DEMO_END: ten years back from today covers all of it.
    assert main([*db, "coverage-gaps", "--days", "3650", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["gaps"] and all(g["gap"] and g["presence_per_day"] < 10 for g in report["gaps"])
    assert {"lat", "lon", "peak_hours", "count"} <= set(report["gaps"][0])
    out = tmp_path / "plan.xlsx"
    assert main([*db, "patrol-plan", "--days", "3650", "--out", str(out)]) == 0
    assert out.is_file() and "must-visit points" in capsys.readouterr().out
    assert main([*db, "patrol-plan", "--out", str(tmp_path / "plan.doc")]) == 2
    assert main([*db, "coverage-gaps", "--category", "nonsense"]) == 2


@ON_BOTH_ENGINES
def test_one_import_of_many_points_writes_one_audit_record(db: Database, tmp_path: Path) -> None:
    start = datetime(2026, 3, 1)
    lines = ["unit,time,lat,lon"] + [f"U{k % 7},{start + timedelta(seconds=30 * k):%Y-%m-%d %H:%M:%S},"
                                     f"{30.2 + (k % 100) * 1e-4:.6f},120.1" for k in range(20_000)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _count(db, "SELECT count(*) FROM audit_log")
    assert import_tracks(db, path).inserted == 20_000
    assert _count(db, "SELECT count(*) FROM audit_log") == before + 1
