"""Dashboard and briefing at a million incidents, against plain SQL of the same aggregates.

Reuses ``bench/out/board_1m.db`` (built by bench_board.py) or builds a demo station of
``--incidents`` there. Prints the month refresh, the daily briefing PDF and the plain
``sqlite3`` time of the month's main aggregates (per category, per day, hour x weekday, per
community, and the closed loops' counts of disputes, warnings and tasks, for the period and its
two comparisons) as the baseline ratio.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from station_console.services.analytics import AnalyticsService, PeriodKind, comparison_for, period_for
from station_console.services.briefing import collect_briefing, write_pdf
from station_console.services.demo import generate_demo
from station_console.store.database import Database

OUT = Path(__file__).resolve().parent / "out"

PLAIN = [
    """SELECT category_code, count(*), sum(is_repeat), sum(is_diverted), sum(dispatched_at IS NOT NULL),
              sum(arrived_at IS NOT NULL),
              sum(arrived_at IS NOT NULL AND strftime('%s', arrived_at) - strftime('%s', received_at) <= 300)
         FROM incident WHERE received_at >= ? AND received_at < ? GROUP BY category_code""",
    "SELECT strftime('%Y-%m-%d', received_at), count(*) FROM incident "
    "WHERE received_at >= ? AND received_at < ? GROUP BY 1",
    "SELECT strftime('%w', received_at), strftime('%H', received_at), count(*) FROM incident "
    "WHERE received_at >= ? AND received_at < ? GROUP BY 1, 2",
    "SELECT community_id, count(*), sum(is_repeat) FROM incident "
    "WHERE received_at >= ? AND received_at < ? GROUP BY 1",
]
#: The closed loops' counts (disputes, warning orders, tasks); the last ``?`` is "now".
PLAIN_LOOPS = [
    "SELECT count(*) FROM dispute WHERE registered_at >= ? AND registered_at < ?",
    "SELECT count(*) FROM dispute WHERE resolved_at >= ? AND resolved_at < ?",
    """SELECT sum(feedback_at IS NOT NULL OR (state = 'closed' AND dispatched_at IS NULL)),
              sum((feedback_at IS NOT NULL AND feedback_at <= feedback_due)
                  OR (feedback_at IS NULL AND state = 'closed' AND dispatched_at IS NULL
                      AND closed_at <= response_due))
         FROM warning_order WHERE received_at >= ? AND received_at < ?""",
    """SELECT sum(signed_at IS NOT NULL OR signoff_due < :now),
              sum(signed_at IS NOT NULL AND signed_at <= signoff_due),
              sum((feedback_at IS NOT NULL AND state NOT IN ('signed', 'returned'))
                  OR (feedback_due IS NOT NULL AND feedback_due < :now)),
              sum(feedback_at IS NOT NULL AND state NOT IN ('signed', 'returned')
                  AND (feedback_due IS NULL OR feedback_at <= feedback_due))
         FROM task WHERE issued_at >= :start AND issued_at < :end AND state != 'cancelled'""",
]


def _best(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=OUT / "board_1m.db")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        db = Database.open(args.db, create=True)
        generate_demo(db, incidents=args.incidents, seed=1)
        db.close()
    db = Database.open(args.db)
    with db.read() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM incident").scalar_one()
        newest = conn.exec_driver_sql("SELECT max(received_at) FROM incident").scalar_one()
    from datetime import datetime

    now = datetime.fromisoformat(str(newest)) + timedelta(minutes=1)
    service = AnalyticsService(db, now=lambda: now)
    month = period_for(PeriodKind.MONTH, (now - timedelta(days=20)).date())
    service.dashboard(month)
    refresh = _best(lambda: service.dashboard(month), args.runs)

    cmp = comparison_for(month, now)
    con = sqlite3.connect(str(args.db))

    stamp = now.isoformat(sep=" ")

    def plain() -> None:
        for period in (cmp.current, cmp.previous, cmp.last_year):
            bounds = (period.start.isoformat(sep=" "), period.end.isoformat(sep=" "))
            for sql in PLAIN:
                con.execute(sql, bounds).fetchall()
            plain_loops(bounds)

    def plain_loops(bounds: tuple[str, str]) -> None:
        for sql in PLAIN_LOOPS:
            params = ({"start": bounds[0], "end": bounds[1], "now": stamp} if ":now" in sql else bounds)
            con.execute(sql, params).fetchall()

    def all_plain_loops() -> None:
        for period in (cmp.current, cmp.previous, cmp.last_year):
            plain_loops((period.start.isoformat(sep=" "), period.end.isoformat(sep=" ")))

    baseline = _best(plain, args.runs)
    loops_baseline = _best(all_plain_loops, args.runs)
    with db.read() as conn:
        loops = _best(lambda: service._loop_tiles(conn, cmp, now), args.runs)
    day = (now - timedelta(days=1)).date()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "briefing.pdf"
        briefing_times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            write_pdf(collect_briefing(db, day, now=lambda: now), pdf)
            briefing_times.append(time.perf_counter() - t0)
        collect = _best(lambda: collect_briefing(db, day, now=lambda: now), 1)
    db.close()
    print(f"incidents: {count:,}  month: {month.start:%Y-%m-%d} .. {month.end:%Y-%m-%d}")
    print(f"dashboard month refresh: {refresh * 1000:.0f} ms (target < 1000 ms)")
    print(f"plain SQL of the same aggregates: {baseline * 1000:.0f} ms  ratio {refresh / baseline:.2f}x")
    print(f"of which the closed loops' tiles: {loops * 1000:.1f} ms "
          f"(plain SQL {loops_baseline * 1000:.1f} ms)")
    print(f"daily briefing PDF: {min(briefing_times):.2f} s best, {statistics.median(briefing_times):.2f} s "
          f"median (target < 5 s); of which gathering the figures {collect:.2f} s")


if __name__ == "__main__":
    main()
