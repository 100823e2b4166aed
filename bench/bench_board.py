"""Benchmark of the incident board at a million incidents (figures, not a timed test).

    .venv/bin/python bench/bench_board.py [--db bench/out/board_1m.db] [--incidents 1000000] [--runs 15]
                                          [--pg URL]

Builds the demo database once (in a child process, so its memory does not count here) and
reuses it afterwards. Each figure is the median (and 95th percentile) over ``--runs`` runs of
what the board does, printed next to the same query in plain SQL (sqlite3, no ORM, no model)
on the same file in the same run, and their ratio. Targets from issue 3: first page < 0.3 s,
any filter < 0.2 s median and < 0.5 s p95, peak memory < 400 MB.

With ``--pg URL`` (a maintenance database on a PostgreSQL server, default
``$STATION_CONSOLE_TEST_PG``) the same station is moved to the database ``bench_board_1m`` there
once (``move-station``, skipped when it already holds the incidents), and the board's first page,
combined filter and text searches are measured on both engines in the same run, with the ratio
PostgreSQL / SQLite.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from station_console.diagnostics import peak_rss_mb  # noqa: E402
from station_console.domain.shifts import TimePreset  # noqa: E402
from station_console.services.incidents import (  # noqa: E402
    IncidentFilter,
    IncidentService,
    Sort,
    SortKey,
)
from station_console.store.database import Database  # noqa: E402
from station_console.ui.models.incident_table import PAGE_SIZE, IncidentTableModel  # noqa: E402

DEFAULT_DB = ROOT / "bench" / "out" / "board_1m.db"
PG_DATABASE = "bench_board_1m"
SQL_FMT = "%Y-%m-%d %H:%M:%S.%f"
ROW_COLUMNS = ("id, incident_no, received_at, status, priority, source, category_code, address, community_id,"
               " grid_id, unit_id, officer_id, caller_name, caller_phone, dispatched_at, arrived_at,"
               " reopened_at, is_repeat, is_diverted, merged_into_id, updated_at")


@dataclass
class Figure:
    name: str
    board: list[float]
    plain: list[float]

    def line(self) -> str:
        med, p95 = statistics.median(self.board), _p95(self.board)
        plain = statistics.median(self.plain)
        ratio = med / plain if plain > 0 else float("inf")
        return f"{self.name:<52} {med * 1000:9.1f} {p95 * 1000:9.1f} {plain * 1000:10.1f} {ratio:7.1f}x"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm the page cache and SQLAlchemy's statement cache once
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def ensure_database(path: Path, incidents: int, seed: int) -> None:
    """Build the demo station with ``incidents`` incidents unless the file already has them."""
    if path.exists():
        con = sqlite3.connect(path)
        try:
            have = con.execute("SELECT count(*) FROM incident").fetchone()[0]
        finally:
            con.close()
        if have >= incidents:
            return
        raise SystemExit(f"{path} holds {have} incidents, fewer than {incidents}; delete it to rebuild")
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building {incidents} incidents into {path} (once) ...", flush=True)
    subprocess.run([sys.executable, "-m", "station_console", "--db", str(path), "demo",
                    "--incidents", str(incidents), "--seed", str(seed)], check=True, cwd=ROOT)


def plain_page(con: sqlite3.Connection, where: str, params: tuple[object, ...], order: str) -> None:
    """Count and first page in plain SQL (what the board's query does, without joins or ORM)."""
    con.execute(f"SELECT count(*) FROM incident WHERE {where}", params).fetchone()
    con.execute(f"SELECT {ROW_COLUMNS} FROM incident WHERE {where} ORDER BY {order} LIMIT {PAGE_SIZE}",
                params).fetchall()


def ensure_pg_copy(path: Path, server: str, total: int) -> str:
    """The URL of ``bench_board_1m`` on the server, moved there from ``path`` unless it holds it."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server).set(database=PG_DATABASE).render_as_string(hide_password=False)
    libpq = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)).fetchone():
            try:
                with psycopg.connect(make_url(url).set(drivername="postgresql")
                                     .render_as_string(hide_password=False)) as con:
                    row = con.execute("SELECT count(*) FROM incident").fetchone()
                    have = row[0] if row else 0
            except psycopg.errors.UndefinedTable:
                have = -1
            if have == total:
                return url
            admin.execute(f"DROP DATABASE {PG_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    print(f"moving {path} to {PG_DATABASE} on the server (once) ...", flush=True)
    subprocess.run([sys.executable, "-m", "station_console", "move-station", "--from", str(path),
                    "--to", url], check=True, cwd=ROOT)
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pg", default=os.environ.get("STATION_CONSOLE_TEST_PG"),
                        help="a PostgreSQL maintenance database URL (default $STATION_CONSOLE_TEST_PG)")
    args = parser.parse_args()
    ensure_database(args.db, args.incidents, args.seed)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = Database.open(args.db)
    con = sqlite3.connect(args.db)
    newest = datetime.strptime(con.execute("SELECT max(received_at) FROM incident").fetchone()[0], SQL_FMT)
    now = newest + timedelta(minutes=1)  # the generated station's "now", whenever it was built
    service = IncidentService(db, now=lambda: now)
    week = (now - timedelta(days=7)).strftime(SQL_FMT)
    street = con.execute(  # a street name of a recent incident: a realistic 3-character search
        "SELECT substr(address, 7, 3) FROM incident ORDER BY id DESC LIMIT 1").fetchone()[0]
    phone_part = con.execute("SELECT substr(caller_phone, 4, 4) FROM incident WHERE caller_phone != ''"
                             " ORDER BY id DESC LIMIT 1").fetchone()[0]
    caller = con.execute(  # a caller's full name: a rare 3-character search, its end a rare 2-character one
        "SELECT caller_name FROM incident WHERE length(caller_name) = 3 ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    total = con.execute("SELECT count(*) FROM incident").fetchone()[0]
    newest_first = "received_at DESC, id DESC"
    fts = "id IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?)"
    figures: list[Figure] = []

    def board_first_page(flt: IncidentFilter, sort: Sort | None = None,
                         on: IncidentService | None = None) -> Callable[[], object]:
        """What the board does for a new query: count + first page, then the view draws it."""
        def run() -> object:
            model = IncidentTableModel(on or service)
            model.load(flt, sort or Sort())
            return [model.index(r, c).data() for r in range(min(40, model.total)) for c in range(10)]
        return run

    figures.append(Figure(
        "first page (all incidents, newest first)",
        _time(board_first_page(IncidentFilter()), args.runs),
        _time(lambda: plain_page(con, "1", (), newest_first), args.runs)))
    combined = IncidentFilter(preset=TimePreset.LAST_7D, categories=frozenset({"0102", "0501"}), text=street)
    figures.append(Figure(
        f"filter: category + 7 days + text '{street}'",
        _time(board_first_page(combined), args.runs),
        _time(lambda: plain_page(con, f"received_at >= ? AND category_code IN ('0102', '0501') AND {fts}",
                                 (week, f'"{street}"'), newest_first), args.runs)))
    filters: list[tuple[str, IncidentFilter, str, tuple[object, ...]]] = [
        (f"filter: text alone, street '{street}'", IncidentFilter(text=street), fts, (f'"{street}"',)),
        ("filter: text, part of a phone number", IncidentFilter(text=phone_part), fts, (f'"{phone_part}"',)),
        ("filter: today", IncidentFilter(preset=TimePreset.TODAY), "received_at >= ?",
         (now.replace(hour=0, minute=0, second=0, microsecond=0).strftime(SQL_FMT),)),
        ("filter: status new + dispatched", IncidentFilter(statuses=frozenset({"new", "dispatched"})),
         "status IN ('new', 'dispatched')", ()),
        ("filter: one community, 7 days", IncidentFilter(community_id=1, preset=TimePreset.LAST_7D),
         "community_id = 1 AND received_at >= ?", (week,)),
        ("filter: repeat calls (flag)", IncidentFilter(flags=frozenset({"repeat"})),  # type: ignore[arg-type]
         "is_repeat = 1", ()),
    ]
    for name, flt, where, params in filters:
        figures.append(Figure(name, _time(board_first_page(flt), args.runs),
                              _time(lambda w=where, p=params: plain_page(con, w, p, newest_first),
                                    args.runs)))
    figures.append(Figure(
        "sort change: priority, urgent first",
        _time(board_first_page(IncidentFilter(), Sort(SortKey.PRIORITY, descending=False)), args.runs),
        _time(lambda: plain_page(con, "1", (), "priority ASC, received_at ASC, id ASC"), args.runs)))
    figures.append(Figure(
        "scroll: page at row 500,000",
        _time(lambda: service.page(IncidentFilter(), Sort(), 500_000, PAGE_SIZE), args.runs),
        _time(lambda: con.execute(f"SELECT {ROW_COLUMNS} FROM incident ORDER BY {newest_first} "
                                  f"LIMIT {PAGE_SIZE} OFFSET 500000").fetchall(), args.runs)))
    figures.append(Figure(
        "live poll: watermark + overdue count",
        _time(lambda: (service.watermark(), service.overdue_count()), args.runs),
        _time(lambda: (con.execute("SELECT max(id) FROM incident").fetchone(),
                       con.execute("SELECT max(updated_at) FROM incident").fetchone()), args.runs)))
    short = IncidentFilter(text=street[:2])
    figures.append(Figure(
        f"filter: 2-character text '{street[:2]}' (trigrams it starts)",
        _time(board_first_page(short), max(3, args.runs // 3)),
        _time(lambda: plain_page(
            con, " OR ".join(f"{c} LIKE ?" for c in ("incident_no", "address", "description", "caller_name",
                                                     "caller_phone")),
            (f"%{street[:2]}%",) * 5, newest_first), max(3, args.runs // 3))))

    # Scroll through 300 pages of the model: the page cache stays bounded.
    model = IncidentTableModel(service)
    model.load(IncidentFilter())
    for page in range(300):
        model.index(page * 3 * PAGE_SIZE, 0).data()

    engines: list[Figure] = []
    if args.pg:
        pg_db = Database.open(ensure_pg_copy(args.db, args.pg, total))
        on_pg = IncidentService(pg_db, now=lambda: now)
        compared = [
            ("first page (all incidents, newest first)", IncidentFilter(), args.runs),
            (f"filter: category + 7 days + text '{street}'", combined, args.runs),
            (f"filter: text alone, street '{street}'", IncidentFilter(text=street), args.runs),
            ("filter: text, part of a phone number", IncidentFilter(text=phone_part), args.runs),
            (f"filter: 2-character text '{street[:2]}'", short, args.runs),
            (f"filter: 1-character text '{street[:1]}'", IncidentFilter(text=street[:1]), args.runs),
            (f"filter: rare 3-character text '{caller}'", IncidentFilter(text=caller), args.runs),
            (f"filter: rare 2-character text '{caller[1:]}'", IncidentFilter(text=caller[1:]), args.runs),
        ]
        for label, flt, runs in compared:
            matches = f" ({service.count(flt):,})" if flt.text else ""
            engines.append(Figure(label + matches, _time(board_first_page(flt, on=on_pg), runs),
                                  _time(board_first_page(flt), runs)))
        pg_db.close()

    print(f"database: {args.db} ({total:,} incidents), {args.runs} runs, times in ms")
    print(f"{'':<52} {'median':>9} {'p95':>9} {'plain SQL':>10} {'ratio':>8}")
    for figure in figures:
        print(figure.line())
    print(f"model rows in memory after scrolling 300 pages: {model.cached_rows():,}")
    print(f"peak memory: {peak_rss_mb():.0f} MB")
    if engines:
        print(f"\nthe board on PostgreSQL ({PG_DATABASE}) against SQLite, same run, times in ms")
        print(f"{'':<52} {'PG med':>9} {'PG p95':>9} {'SQLite':>10} {'PG/SQLite':>8}")
        for figure in engines:
            print(figure.line())
    con.close()
    db.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
