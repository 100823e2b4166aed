"""Patrol commands: ``import-tracks``, ``coverage-gaps`` and ``patrol-plan``.

They run as the command's account (``--user`` / ``--token-file``) like every other command: the
import needs the import permission, the plan the export permission, and both are audited.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from station_console.cli_accounts import open_db
from station_console.config import Paths
from station_console.domain.coords import CoordSystem
from station_console.store.database import StoreError


def _coords(value: str) -> CoordSystem:
    try:
        return CoordSystem.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _minutes(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of minutes") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give 0 or more minutes")
    return number


def _days(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return number


def add_commands(sub: Any) -> None:
    """Register the patrol commands."""
    from station_console.services.patrol_coverage import DEFAULT_DAYS, DEFAULT_THRESHOLD_MIN

    imp = sub.add_parser("import-tracks", help="import patrol GPS tracks (CSV or GPX 1.1)")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--format", choices=("csv", "gpx"),
                     help="the file's format (default: by its suffix, .gpx or else CSV)")
    imp.add_argument("--coords", type=_coords, default=CoordSystem.WGS84, metavar="SYSTEM",
                     help="coordinate system of the points: WGS-84 (default, GPS), GCJ-02 (Gaode, "
                     "Tencent) or BD-09 (Baidu); stored as WGS-84")
    imp.add_argument("--json", action="store_true", help="print the summary as JSON")

    for name, text in (("coverage-gaps", "hotspots that got little patrol presence in their peak hours"),
                       ("patrol-plan", "the hotspots as must-visit points per post, as XLSX or PDF")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--days", type=_days, default=DEFAULT_DAYS, metavar="N",
                         help=f"hotspots and tracks of the last N days (default {DEFAULT_DAYS})")
        cmd.add_argument("--category", action="append", default=[], metavar="C",
                         help="category code or group code (e.g. 0101 or criminal); repeatable")
        cmd.add_argument("--threshold", type=_minutes, default=DEFAULT_THRESHOLD_MIN, metavar="MIN",
                         help="a hotspot with fewer minutes of presence per tracked day in its peak "
                         f"hours is a gap (default {DEFAULT_THRESHOLD_MIN:g})")
        if name == "coverage-gaps":
            cmd.add_argument("--json", action="store_true", help="print JSON")
        else:
            cmd.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.pdf",
                             help="where to write the plan (the suffix chooses the format)")
            cmd.add_argument("--unit", metavar="NAME",
                             help="give every point to this patrol unit (name, code or call sign) "
                             "instead of the nearest post")


def _db_path(args: argparse.Namespace, paths: Paths) -> Path:
    return Path(args.db).expanduser() if args.db else paths.default_db


def cmd_import_tracks(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.patrol_tracks import TrackFileRejected, TrackFormat, import_tracks

    if not args.file.is_file():
        raise StoreError(f"{args.file} does not exist or is not a file.")
    db = open_db(args, _db_path(args, paths))
    try:
        fmt = TrackFormat(args.format) if args.format else None
        try:
            summary = import_tracks(db, args.file, fmt=fmt, coords=args.coords)
        except TrackFileRejected as exc:
            if args.json:
                print(json.dumps({"file": str(args.file), "outcome": "rejected", "problems": exc.count,
                                  "issues": [str(i) for i in exc.issues]}, ensure_ascii=False))
            raise StoreError(str(exc)) from None
    finally:
        db.close()
    if args.json:
        print(json.dumps({**summary.to_json(), "outcome": "committed"}, ensure_ascii=False))
    else:
        print(f"{args.file}: {summary.read} points read, {summary.inserted} new, {summary.duplicates} "
              f"already stored; {len(summary.subjects)} units or officers "
              f"({summary.first:%Y-%m-%d %H:%M} to {summary.last:%Y-%m-%d %H:%M})")
        if summary.unlinked:
            print(f"not a unit or officer of the station (kept as written): {', '.join(summary.unlinked)}")
    return 0


def cmd_coverage_gaps(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.patrol_coverage import coverage_report

    db = open_db(args, _db_path(args, paths))
    try:
        report = coverage_report(db, days=args.days, now=datetime.now(), categories=args.category,
                                 threshold=args.threshold)
    except ValueError as exc:
        raise StoreError(f"--category: {exc}") from None
    finally:
        db.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return 0
    print(f"{len(report.hotspots)} hotspots, {report.points} track points on {report.tracked_days} days "
          f"({report.start:%Y-%m-%d} to {report.end:%Y-%m-%d}); gap below {report.threshold:g} min per day")
    if not report.gaps:
        print("no coverage gap" if report.hotspots else "no significant hotspot in this period")
    for g in report.gaps:
        h = g.hotspot
        print(f"hotspot #{h.rank} {h.lat:.6f},{h.lon:.6f}: {h.count} incidents, peak "
              f"{h.peak_hours[0]:02d}-{h.peak_hours[1]:02d}, {g.per_day:.1f} min per day of patrol")
    return 0


def cmd_patrol_plan(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.patrol_plan import build_plan, write_plan

    out: Path = args.out
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        raise StoreError(f"--out {out}: the patrol plan is written as .pdf or .xlsx; give a file name "
                         "ending in one of them.")
    if not out.parent.is_dir():
        raise StoreError(f"--out {out}: the folder {out.parent} does not exist; create it first.")
    db = open_db(args, _db_path(args, paths))
    try:
        try:
            plan = build_plan(db, days=args.days, now=datetime.now(), categories=args.category,
                              unit=args.unit or "", threshold=args.threshold)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        try:
            write_plan(db, plan, out)
        except OSError as exc:
            raise StoreError(f"Cannot write {out}: {exc.strerror}. Check the folder's permissions.") from None
    finally:
        db.close()
    gaps = sum(s.gap for s in plan.stops)
    print(f"patrol plan {plan.period}: {len(plan.stops)} must-visit points ({gaps} poorly covered) "
          f"written to {out}")
    return 0


COMMANDS = {
    "import-tracks": cmd_import_tracks,
    "coverage-gaps": cmd_coverage_gaps,
    "patrol-plan": cmd_patrol_plan,
}
