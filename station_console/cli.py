"""The command line: ``station-console [--db PATH] COMMAND``.

Every command except ``gui`` runs without Qt, so scripts and scheduled tasks work on a
machine without a display. Problems the user can fix print one clear line and exit 2;
``check`` exits 1 when the database is unsound.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station_console import __version__
from station_console.cli_accounts import COMMANDS as ACCOUNT_COMMANDS
from station_console.cli_accounts import add_commands as add_account_commands
from station_console.cli_accounts import add_identity_arguments, open_db
from station_console.cli_patrol import COMMANDS as PATROL_COMMANDS
from station_console.cli_patrol import add_commands as add_patrol_commands
from station_console.config import Paths, resolve_paths
from station_console.domain.security import PermissionDenied
from station_console.services.accounts import AccountProblem
from station_console.store.database import Database, StoreError, is_database_url

if TYPE_CHECKING:
    from station_console.services.crypto import Secret

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_DENIED = 3


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the command line in the README)."""
    parser = argparse.ArgumentParser(
        prog="station-console",
        description="Station Console: the command room workstation of a police station.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_identity_arguments(parser)
    parser.add_argument("--db", metavar="PATH", help="database file (default: station.db in the "
                        "data folder), or a PostgreSQL URL postgresql://user@host:5432/name")
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help="folder for the database, settings and logs (default: the per-user data folder, "
        "or $STATION_CONSOLE_DATA_DIR)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_account_commands(sub)

    gui = sub.add_parser("gui", help="open the main window (the default command)")
    gui.add_argument("--smoke", action="store_true",
                     help="visit every screen once, print timings as JSON and exit")
    gui.add_argument("--lang", choices=["zh_CN", "en"], help="user interface language for this run")
    gui.add_argument("--shots", type=Path, metavar="DIR",
                     help="with --smoke: save a screenshot of each screen as DIR/<lang>-<screen>.png")

    demo = sub.add_parser("demo", help="build the demo station (deterministic for a seed)")
    demo.add_argument("--incidents", type=_non_negative, default=20_000, metavar="N",
                      help="number of incidents (default 20000; 0 gives the station only)")
    demo.add_argument("--seed", type=int, default=20240501, metavar="S", help="random seed")
    demo.add_argument("--days", type=_positive, default=365, metavar="D",
                      help="days of history before now (default 365)")
    demo.add_argument("--end", type=datetime.fromisoformat, metavar="'YYYY-MM-DD HH:MM'",
                      help="the demo's present moment (default: now); the same seed and end "
                           "give the same station")
    demo.add_argument("--force", action="store_true",
                      help="replace the data of a database that is not empty")
    demo.add_argument("--station", type=int, default=0, choices=range(20), metavar="K",
                      help="build station K (1-19) of the demo district instead: its own name, "
                           "station code and incident numbers (default 0: the demo station)")

    stats = sub.add_parser("stats", help="counts per table and headline figures")
    stats.add_argument("--json", action="store_true", help="print JSON")

    check = sub.add_parser("check", help="schema version, integrity and foreign keys")
    check.add_argument("--json", action="store_true", help="print JSON")

    imp = sub.add_parser("import", help="import an incident feed (CSV, TSV, XLSX, JSON, NDJSON)")
    imp.add_argument("file", type=Path, metavar="FILE")
    how = imp.add_mutually_exclusive_group(required=True)
    how.add_argument("--profile", metavar="NAME", help="a saved or shipped mapping profile")
    how.add_argument("--mapping", type=Path, metavar="FILE.toml", help="a mapping profile file")
    imp.add_argument("--dry-run", action="store_true", help="check and count, change nothing")
    imp.add_argument("--json", action="store_true", help="print the summary as JSON")
    imp.add_argument("--accept-valid", action="store_true",
                     help="import the valid rows and write the rejected ones to FILE.rejects.csv")

    backup = sub.add_parser("backup", help="verified online backup of the database, encrypted")
    backup.add_argument("out", type=Path, metavar="OUT",
                        help="backup file, or a folder for a rotating set (station-<time>.db.enc)")
    backup.add_argument("--keep", type=_positive, default=7, metavar="N",
                        help="backups kept in a folder (default 7)")
    how_key = backup.add_mutually_exclusive_group()
    how_key.add_argument("--passphrase-env", metavar="VAR",
                         help="encrypt with a key derived from the passphrase in environment variable VAR "
                              "(default: the key file backup.key beside the database)")
    how_key.add_argument("--plain", action="store_true", help="write an unencrypted backup")

    restore = sub.add_parser("restore", help="replace the database with a verified backup")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--passphrase-env", metavar="VAR",
                         help="the passphrase of an encrypted backup is in environment variable VAR "
                              "(default: the key file backup.key beside the database)")

    move = sub.add_parser("move-station", help="copy the station into a new SQLite file or an "
                          "empty PostgreSQL database (and back), verified row by row")
    move.add_argument("--from", dest="source", required=True, metavar="SOURCE",
                      help="the station: an SQLite file or postgresql://user@host:5432/name")
    move.add_argument("--to", dest="target", required=True, metavar="TARGET",
                      help="a file that does not exist yet, or an empty PostgreSQL database's URL")
    move.add_argument("--json", action="store_true", help="print the per-table report as JSON")

    _add_package_commands(sub)

    hotspots = sub.add_parser("hotspots", help="ranked hotspot cells (significant by Getis-Ord Gi*)")
    hotspots.add_argument("--days", type=_positive, default=30, metavar="N",
                          help="the last N days up to now (default 30)")
    hotspots.add_argument("--category", action="append", default=[], metavar="C",
                          help="category code or group code (e.g. 0101 or criminal); repeatable")
    hotspots.add_argument("--hours", metavar="H1-H2",
                          help="only incidents received from hour H1 up to H2 (e.g. 18-22; 22-2 "
                          "crosses midnight)")
    hotspots.add_argument("--cell", type=_positive, default=150, metavar="M",
                          help="cell size in metres (default 150)")
    hotspots.add_argument("--json", action="store_true", help="print JSON")
    add_patrol_commands(sub)

    tasks = sub.add_parser("tasks", help="open community-officer tasks (e.g. a shift's overdue list)")
    tasks.add_argument("--officer", metavar="NAME", help="only this officer's tasks (name or badge number)")
    tasks.add_argument("--state", metavar="S", help="only tasks in this state (awaiting_signoff, signed, "
                       "returned, feedback_filed)")
    tasks.add_argument("--overdue", action="store_true", help="only tasks past a deadline")
    tasks.add_argument("--json", action="store_true", help="print JSON")

    repeats = sub.add_parser("repeats", help="current repeat-call groups (one person / place / event)")
    repeats.add_argument("--scan", action="store_true",
                         help="record the groups and issue their follow-up tasks (once per pattern)")
    repeats.add_argument("--since", type=_day, metavar="YYYY-MM-DD",
                         help="with --scan: also scan the calls since this day (imported history "
                              "older than the repeat window, which an import does not check)")
    repeats.add_argument("--kind", choices=("person", "place", "event"), action="append",
                         help="only groups of this kind (repeatable)")
    repeats.add_argument("--json", action="store_true", help="print JSON")

    report = sub.add_parser("report", help="reports; `report daily` writes the morning briefing (日报)")
    report_sub = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    daily = report_sub.add_parser("daily", help="one day's briefing as an A4 PDF or an XLSX")
    daily.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                       help="the day to report on (default: yesterday, for a run at 07:00)")
    daily.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.xlsx",
                       help="where to write the briefing (the suffix chooses the format)")
    diversion = report_sub.add_parser(
        "diversion", help="non-police diversions per department (非警务分流) as an A4 PDF or an XLSX")
    diversion.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                           help="first day (default: 30 days before --to)")
    diversion.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                           help="last day, included (default: yesterday)")
    diversion.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.xlsx",
                           help="where to write the report (the suffix chooses the format)")
    district = report_sub.add_parser(
        "district", help="the district's comparison of its stations (分局各所对比) as an A4 PDF or an XLSX")
    when = district.add_mutually_exclusive_group()
    when.add_argument("--week", metavar="YYYY-Www", help="an ISO week (default: last week)")
    when.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                      help="first day of a range of days (with --to)")
    district.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                          help="last day of the range, included (default: yesterday)")
    district.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.xlsx",
                          help="where to write the report (the suffix chooses the format)")
    return parser


def _add_package_commands(sub: Any) -> None:
    """Change packages between stations and the keys that sign them."""
    export = sub.add_parser("export-package",
                            help="write the changes since the last package for a peer as a signed zip")
    export.add_argument("out", type=Path, metavar="OUT")
    export.add_argument("--peer", required=True, metavar="NAME", help="a trusted peer (see `keys peers`)")
    export.add_argument("--full", action="store_true",
                        help="every row, not only the changes since the last package")
    export.add_argument("--mask-personal", action="store_true",
                        help="mask callers' names, phone and ID numbers for a peer without clearance")
    export.add_argument("--plain", action="store_true",
                        help="signed but not encrypted (by default only the peer can read the package)")
    apply = sub.add_parser("import-package", aliases=["apply-package"],
                           help="verify a change package from a peer and apply it")
    apply.add_argument("file", type=Path, metavar="FILE")
    apply.add_argument("--json", action="store_true", help="print the summary as JSON")
    keys = sub.add_parser("keys", help="this station's signing key and the trusted peers")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    init = keys_sub.add_parser("init", help="create this station's Ed25519 key in the data folder")
    init.add_argument("--force", action="store_true", help="replace an existing key")
    card = keys_sub.add_parser("card", help="print this station's peer card (or write it to a file)")
    card.add_argument("out", type=Path, nargs="?", metavar="FILE")
    card.add_argument("--name", help="the name this station goes by (kept)")
    trust = keys_sub.add_parser("trust", help="register a peer's card (administrator)")
    trust.add_argument("name", metavar="NAME")
    trust.add_argument("card", metavar="CARD", help="the card file a peer sent, or its text")
    keys_sub.add_parser("peers", help="list the trusted peers")
    untrust = keys_sub.add_parser("untrust", help="stop trusting a peer")
    untrust.add_argument("name", metavar="NAME")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give 0 or more")
    return number


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return number


def db_path(args: argparse.Namespace, paths: Paths) -> Path | str:
    """The database the command works on: an SQLite file, or a server's URL as given."""
    if args.db and is_database_url(args.db):
        return str(args.db)
    return Path(args.db).expanduser() if args.db else paths.default_db


def _sqlite_file(target: Path | str, command: str) -> Path:
    """The SQLite file a file-level command works on (a server's database is refused)."""
    if isinstance(target, str):
        raise StoreError(f"'{command}' works on an SQLite file; for a PostgreSQL database use the "
                         "server's own tools (pg_dump and pg_restore).")
    return target


def cmd_demo(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.demo import (
        clear_station_data,
        database_is_empty,
        generate_demo,
    )

    db = open_db(args, db_path(args, paths), create=True)
    try:
        if not database_is_empty(db):
            if not args.force:
                raise StoreError(
                    f"{db.label} already holds station data. Use --force to replace it "
                    "(everything in it is deleted), or give another --db."
                )
            with db.write() as conn:
                clear_station_data(conn, db)
        summary = generate_demo(
            db, incidents=args.incidents, seed=args.seed, days=args.days, end=args.end,
            progress=_stderr_progress("demo"), station_no=args.station,
        )
    finally:
        db.close()
    print(
        f"{summary.station_name}: {summary.communities} communities, {summary.grids} grids, "
        f"{summary.posts} posts, {summary.key_places} key places, {summary.officers} officers, "
        f"{summary.units} units, {summary.incidents} incidents in {summary.seconds:.1f} s "
        f"-> {db.label}"
    )
    return EXIT_OK


def _stderr_progress(label: str) -> Callable[[int, int], bool]:
    """Progress on stderr for a terminal, at most once a second."""
    last = [0.0]

    def report(done: int, total: int) -> bool:
        now = time.monotonic()
        if sys.stderr.isatty() and (now - last[0] >= 1.0 or done == total):
            last[0] = now
            share = 100.0 * done / total if total else 100.0
            print(f"\r{label}: {done}/{total} ({share:.0f}%)", end="", file=sys.stderr, flush=True)
            if done == total:
                print(file=sys.stderr)
        return True

    return report


def cmd_stats(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.stats import headline_figures, table_counts

    db = open_db(args, db_path(args, paths))
    try:
        result = {"database": db.label, "tables": table_counts(db), **headline_figures(db)}
    finally:
        db.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    print(f"database: {result['database']}")
    for key in ("station", "incidents", "officers", "communities", "non_police_share",
                "arrival_5min_rate", "first_received_at", "last_received_at"):
        print(f"{key}: {result[key]}")
    print("tables:")
    for name, count in result["tables"].items():
        print(f"  {name}: {count}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.check import check_database

    db = Database.open(db_path(args, paths), migrate=False)
    try:
        report = check_database(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps({
            "database": report.database, "ok": report.ok, "schema": report.schema_current,
            "schema_head": report.schema_head, "problems": report.problems, "notes": report.notes,
        }, ensure_ascii=False))
    else:
        print(f"database: {report.database}")
        print(f"schema: {report.schema_current} (this program: {report.schema_head})")
        for note in report.notes:
            print(f"note: {note}")
        for problem in report.problems:
            print(f"PROBLEM: {problem}")
        print("ok" if report.ok else f"{len(report.problems)} problem(s) found")
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED


def cmd_hotspots(args: argparse.Namespace, paths: Paths) -> int:
    from datetime import datetime

    from station_console.services.hotspots import parse_hours, station_hotspots

    try:
        hours = parse_hours(args.hours) if args.hours else frozenset()
    except ValueError as exc:
        raise StoreError(f"--hours: {exc}") from None
    db = open_db(args, db_path(args, paths))
    try:
        spots = station_hotspots(db, days=args.days, now=datetime.now(), categories=args.category,
                                 hours=hours, cell_m=float(args.cell))
    except ValueError as exc:
        raise StoreError(f"--category: {exc}") from None
    finally:
        db.close()
    if args.json:
        print(json.dumps([s.to_dict() for s in spots], ensure_ascii=False))
        return EXIT_OK
    if not spots:
        print("no significant hotspot in this period")
    for spot in spots:
        leading = ", ".join(f"{code} x{count}" for code, count in spot.leading)
        change = "" if spot.change_pct is None else f", {spot.change_pct:+.0f}% vs previous period"
        print(f"#{spot.rank} {spot.lat:.6f},{spot.lon:.6f}: {spot.count} incidents, z={spot.z:.1f}, "
              f"peak {spot.peak_hours[0]:02d}-{spot.peak_hours[1]:02d} ({leading}{change})")
    return EXIT_OK


def cmd_report(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.briefing import collect_briefing, write_briefing

    out: Path = args.out
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        raise StoreError(f"--out {out}: the {args.report} report is written as .pdf or .xlsx; give a file "
                         "name ending in one of them.")
    if not out.parent.is_dir():
        raise StoreError(f"--out {out}: the folder {out.parent} does not exist; create it first.")
    if args.report == "diversion":
        return _report_diversion(args, paths, out)
    if args.report == "district":
        return _report_district(args, paths, out)
    day = args.date or date.today() - timedelta(days=1)
    db = open_db(args, db_path(args, paths))
    try:
        briefing = collect_briefing(db, day)
        try:
            write_briefing(briefing, out, db=db)
        except OSError as exc:
            raise StoreError(f"Cannot write {out}: {exc.strerror}. Check the folder's permissions.") from None
    finally:
        db.close()
    print(f"daily briefing for {day.isoformat()} written to {out}")
    return EXIT_OK


def _report_district(args: argparse.Namespace, paths: Paths, out: Path) -> int:
    from station_console.services.analytics import PeriodKind, period_for
    from station_console.services.district import DistrictService, iso_week, last_whole_week
    from station_console.services.district_report import period_label, write_district_report

    if args.week and args.end:
        raise StoreError("--to goes with --from, not with --week.")
    if args.start or args.end:
        last = args.end or date.today() - timedelta(days=1)
        first = args.start or last - timedelta(days=6)
        if first > last:
            raise StoreError(f"--from {first} is after --to {last}; give the first day first.")
        period = period_for(PeriodKind.CUSTOM, first, last)
    elif args.week:
        try:
            period = iso_week(args.week)
        except ValueError as exc:
            raise StoreError(f"--week: {exc}.") from None
    else:
        period = last_whole_week(date.today())
    db = open_db(args, db_path(args, paths))
    try:
        comparison = DistrictService(db).compare(period, notable=True)
        if len(comparison.rows) < 2:
            raise StoreError(f"{db.label} holds the incidents of {len(comparison.rows)} station(s): the "
                             "district report compares the stations whose change packages a district "
                             "database applied (see README, District view).")
        try:
            write_district_report(comparison, out, db=db)
        except OSError as exc:
            raise StoreError(f"Cannot write {out}: {exc.strerror}. Check the folder's permissions.") from None
    finally:
        db.close()
    print(f"district comparison of {len(comparison.rows)} stations for {period_label(comparison)} "
          f"written to {out}")
    return EXIT_OK


def _report_diversion(args: argparse.Namespace, paths: Paths, out: Path) -> int:
    from station_console.services.diversion import DiversionService

    last = args.end or date.today() - timedelta(days=1)
    first = args.start or last - timedelta(days=29)
    if first > last:
        raise StoreError(f"--from {first} is after --to {last}; give the first day first.")
    db = open_db(args, db_path(args, paths))
    try:
        try:
            lines = DiversionService(db).write_department_report(
                out, datetime.combine(first, datetime.min.time()),
                datetime.combine(last + timedelta(days=1), datetime.min.time()))
        except OSError as exc:
            raise StoreError(f"Cannot write {out}: {exc.strerror}. Check the folder's permissions.") from None
    finally:
        db.close()
    print(f"diversion report {first.isoformat()} to {last.isoformat()} ({lines} departments) "
          f"written to {out}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.importer import import_feed
    from station_console.services.importer_profiles import (
        ProfileError,
        load_profile,
        load_profile_file,
    )

    try:
        profile = (load_profile_file(args.mapping) if args.mapping
                   else load_profile(args.profile, paths.data_dir))
    except ProfileError as exc:
        raise StoreError(str(exc)) from None
    if not args.file.is_file():
        raise StoreError(f"{args.file} does not exist or is not a file.")
    db = open_db(args, db_path(args, paths))
    try:
        summary = import_feed(db, args.file, profile, dry_run=args.dry_run,
                              accept_valid=args.accept_valid, progress=_line_progress("import"))
    finally:
        db.close()
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False))
    else:
        print(f"{args.file}: {summary.outcome.value}: read {summary.read}, inserted {summary.inserted}, "
              f"updated {summary.updated}, unchanged {summary.unchanged}, rejected {summary.rejected}"
              f" ({summary.outside_jurisdiction} outside the jurisdiction)")
        if summary.repeats_flagged:
            print(f"{summary.repeats_flagged} call(s) flagged as repeat calls")
        if summary.repeats_unchecked:
            print(f"{summary.repeats_unchecked} call(s) older than the repeat window were not checked for "
                  "repeat calls; `repeats --scan --since YYYY-MM-DD` checks them")
        for issue in summary.issues:
            print(f"  {issue}")
        if summary.issue_count > len(summary.issues):
            print(f"  ... and {summary.issue_count - len(summary.issues)} more problems")
        if summary.rejects_file:
            print(f"rejected rows written to {summary.rejects_file}")
        if summary.file_rejected:
            print("the file was rejected; the database was not changed", file=sys.stderr)
    return EXIT_USAGE if summary.file_rejected else EXIT_OK


def _line_progress(label: str) -> Callable[[int, int], bool]:
    """Progress as whole lines on stderr (scripts and logs read it), at most once a second."""
    last = [float("-inf")]

    def report(done: int, total: int) -> bool:
        now = time.monotonic()
        if now - last[0] >= 1.0 and done < total:
            last[0] = now
            share = 100.0 * done / total if total else 0.0
            print(f"{label}: {share:.0f}%", file=sys.stderr, flush=True)
        return True

    return report


def _backup_secret(args: argparse.Namespace, target: Path) -> Secret:
    from station_console.services.crypto import CryptoError, KeyFile, Passphrase

    if not args.passphrase_env:
        return KeyFile.beside(target)
    value = os.environ.get(args.passphrase_env)
    if not value:
        raise StoreError(f"environment variable {args.passphrase_env} is not set or empty; "
                         "it should hold the backup passphrase.")
    try:
        return Passphrase(value)
    except CryptoError as exc:
        raise StoreError(str(exc)) from exc


def cmd_backup(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.backup import backup_database, backup_rotating

    target = _sqlite_file(db_path(args, paths), "backup")
    secret = None if args.plain else _backup_secret(args, target)
    db = open_db(args, target, migrate=False)
    try:
        if args.out.is_dir():
            result = backup_rotating(db, args.out, keep=args.keep, secret=secret)
        else:
            result = backup_database(db, args.out, secret=secret)
    finally:
        db.close()
    how = f"encrypted, key id {result.key_id}" if result.key_id else "not encrypted"
    print(f"backup verified: {result.path} ({result.bytes} bytes, {how}, schema {result.schema}, "
          f"{result.incidents} incidents)")
    for old in result.removed:
        print(f"removed old backup {old}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.backup import restore_database

    target = _sqlite_file(db_path(args, paths), "restore")
    kept = restore_database(target, args.file, secret=_backup_secret(args, target))
    Database.open(target).close()
    print(f"restored {args.file} into {target}; the previous database was kept as {kept}")
    return EXIT_OK


def cmd_tasks(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.tasks import TaskService

    db = open_db(args, db_path(args, paths))
    try:
        try:
            rows = TaskService(db).open_tasks_report(officer=args.officer, state=args.state,
                                                     overdue=args.overdue)
        except ValueError as exc:
            raise StoreError(str(exc)) from exc
    finally:
        db.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    for r in rows:
        late = " OVERDUE" if r["overdue"] else ""
        due = r["feedback_deadline"] or r["signoff_deadline"]
        print(f"{r['number']}  {r['template_name']}  {r['assignee']}  {r['state']}  due {due}{late}  "
              f"{' '.join(r['incidents'])}")
    print(f"{len(rows)} task(s)")
    return EXIT_OK


def cmd_repeats(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.domain.repeats import RepeatKind
    from station_console.services.repeats import RepeatService

    db = open_db(args, db_path(args, paths))
    try:
        service = RepeatService(db, actor="repeats")
        issued: tuple[str, ...] = ()
        if args.since and not args.scan:
            raise StoreError("--since goes with --scan: `repeats --scan --since YYYY-MM-DD`.")
        if args.scan:
            since = datetime.combine(args.since, datetime.min.time()) if args.since else None
            issued = service.scan(_line_progress("scan") if since else None, since=since).tasks_issued
        kinds = [RepeatKind(k) for k in args.kind] if args.kind else list(RepeatKind)
        groups = service.current_groups(kinds)
    finally:
        db.close()
    if args.json:
        print(json.dumps({"groups": [g.to_json() for g in groups], "tasks_issued": list(issued)},
                         ensure_ascii=False))
        return EXIT_OK
    for g in groups:
        print(f"{g.kind}  {g.label}  {g.community}  {len(g.incident_nos)} calls  "
              f"{' '.join(g.incident_nos)}  {g.task_no}")
    print(f"{len(groups)} group(s); {len(issued)} follow-up task(s) issued")
    return EXIT_OK


def cmd_export_package(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.changes import (
        ExportOptions,
        SyncSetupError,
        export_package,
        load_key,
    )

    db = open_db(args, db_path(args, paths))
    try:
        try:
            options = ExportOptions(full=args.full, mask_personal=args.mask_personal,
                                    encrypt=not args.plain)
            result = export_package(db, args.out, args.peer, load_key(paths.data_dir),
                                    options=options, progress=_line_progress("export"))
        except SyncSetupError as exc:
            raise StoreError(str(exc)) from None
        except OSError as exc:
            raise StoreError(f"Cannot write {args.out}: {exc.strerror}.") from None
    finally:
        db.close()
    sealed = "encrypted for the peer" if options.encrypt else "not encrypted"
    print(f"package {result.sequence} for {result.peer}: {result.rows} rows, {result.tombstones} "
          f"deletions, {result.events} events, {result.bytes} bytes, {sealed} -> {result.path}")
    return EXIT_OK


def cmd_import_package(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.changes import (
        PackageError,
        SyncSetupError,
        apply_package,
        station_key_if_any,
    )

    if not args.file.is_file():
        raise StoreError(f"{args.file} does not exist or is not a file.")
    db = open_db(args, db_path(args, paths))
    try:
        try:
            r = apply_package(db, args.file, key=station_key_if_any(paths.data_dir),
                              progress=_line_progress("apply"))
        except PackageError as exc:
            raise StoreError(f"{exc}. Nothing was applied.") from None
        except SyncSetupError as exc:
            raise StoreError(str(exc)) from None
    finally:
        db.close()
    if args.json:
        print(json.dumps({"file": str(r.path), "peer": r.peer, "sequence": r.sequence, "rows": r.rows,
                          "inserted": r.inserted, "updated": r.updated, "deleted": r.deleted,
                          "unchanged": r.unchanged, "conflicts": r.conflicts,
                          "unknown_codes": r.unknown_codes, "events": r.events,
                          "events_inserted": r.events_inserted}, ensure_ascii=False))
    else:
        print(f"{args.file}: package {r.sequence} from {r.peer}: {r.rows} rows, inserted {r.inserted}, "
              f"updated {r.updated}, deleted {r.deleted}, unchanged {r.unchanged}, "
              f"conflicts {r.conflicts}, new events {r.events_inserted}")
    return EXIT_OK


def cmd_keys(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services import changes

    try:
        if args.keys_command == "init":
            print(f"key written to {changes.create_key(paths.data_dir, force=args.force)}")
            return EXIT_OK
        db = open_db(args, db_path(args, paths))
        try:
            if args.keys_command == "card":
                if args.name:
                    changes.set_station_name(db, args.name)
                card = changes.peer_card(db, changes.load_key(paths.data_dir))
                if args.out:
                    from station_console.services.atomic import write_text_atomic

                    write_text_atomic(args.out, card + "\n")
                    print(f"card written to {args.out}")
                else:
                    print(card)
                print(f"fingerprint: {changes.fingerprint(changes.parse_card(card).public_key)}")
            elif args.keys_command == "trust":
                source = Path(args.card)
                text = source.read_text(encoding="utf-8") if source.is_file() else args.card
                peer = changes.trust_peer(db, text, args.name)
                print(f"trusted {peer.name} (station {peer.station_id}, fingerprint {peer.fingerprint})")
            elif args.keys_command == "peers":
                for p in changes.list_peers(db):
                    print(f"{p.name}  station {p.station_id}  fingerprint {p.fingerprint}  sent "
                          f"{p.sent_sequence}  received {p.received_sequence}")
            elif args.keys_command == "untrust":
                changes.remove_peer(db, args.name)
                print(f"{args.name} is no longer trusted")
        finally:
            db.close()
    except changes.SyncSetupError as exc:
        raise StoreError(str(exc)) from None
    return EXIT_OK


def cmd_move_station(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.services.move_station import MoveFailed, MoveReport, move_station

    def show(report: MoveReport) -> None:
        if args.json:
            print(json.dumps({
                "source": report.source, "target": report.target, "schema": report.schema,
                "ok": report.ok, "rows": report.rows, "copy_seconds": round(report.copy_seconds, 2),
                "verify_seconds": round(report.verify_seconds, 2),
                "audit_records": report.audit_records, "audit_chain_ok": report.audit_chain_ok,
                "tables": [{"name": t.name, "rows": t.source_rows, "target_rows": t.target_rows,
                            "sha256": t.source_digest, "target_sha256": t.target_digest, "ok": t.ok}
                           for t in report.tables]}, ensure_ascii=False))
            return
        for t in report.tables:
            state = "ok" if t.ok else (f"MISMATCH: {t.target_rows} rows, sha256 "
                                       f"{t.target_digest[:16]} on the target")
            print(f"{t.name}: {t.source_rows} rows, sha256 {t.source_digest[:16]}  {state}")

    source = args.source if is_database_url(args.source) else Path(args.source).expanduser()
    target = args.target if is_database_url(args.target) else Path(args.target).expanduser()
    db = open_db(args, source)
    try:
        report = move_station(db, target, progress=_line_progress("move"))
    except MoveFailed as exc:
        show(exc.report)
        print(f"station-console: {exc}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    finally:
        db.close()
    show(report)
    if not args.json:
        chain = "verified" if report.audit_chain_ok else "broken (as in the source: run check)"
        print(f"moved {report.rows} rows of {len(report.tables)} tables from {report.source} to "
              f"{report.target} in {report.copy_seconds:.1f} s, verified in "
              f"{report.verify_seconds:.1f} s; audit trail {report.audit_records} records, "
              f"chain {chain}")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.app import run_gui

    return run_gui(db_path(args, paths), paths, smoke=args.smoke, language=args.lang,
                   started=args.started, shots=args.shots)


COMMANDS: dict[str, Callable[[argparse.Namespace, Paths], int]] = {
    "gui": cmd_gui,
    "demo": cmd_demo,
    "stats": cmd_stats,
    "check": cmd_check,
    "import": cmd_import,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "tasks": cmd_tasks,
    "repeats": cmd_repeats,
    "export-package": cmd_export_package,
    "import-package": cmd_import_package,
    "apply-package": cmd_import_package,
    "keys": cmd_keys,
    "move-station": cmd_move_station,
    "hotspots": cmd_hotspots,
    "report": cmd_report,
    **ACCOUNT_COMMANDS,
    **PATROL_COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the command; returns the exit code."""
    started = time.perf_counter()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "gui"])
    args.started = started
    paths = resolve_paths(args.data_dir)
    try:
        return COMMANDS[args.command](args, paths)
    except (StoreError, AccountProblem) as exc:
        print(f"station-console: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PermissionDenied as exc:
        print(f"station-console: refused: {exc}", file=sys.stderr)
        return EXIT_DENIED
    except KeyboardInterrupt:
        print("station-console: interrupted; nothing was changed by the unfinished step",
              file=sys.stderr)
        return 130
