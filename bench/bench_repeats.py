"""Repeat detection benchmark: a full scan (index addresses, three detectors, record patterns)
and an intake check, against a baseline measured in the same run: a plain SQL GROUP BY over the
caller phone (the floor any one-person rule pays).

    .venv/bin/python bench/bench_repeats.py [--db bench/out/map_demo.db]

The database is copied to bench/out/ first, so the source is never written.
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from station_console.services.repeats import RepeatService
from station_console.store.database import Database

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=OUT / "map_demo.db")
    args = parser.parse_args()
    target = OUT / "bench_repeats.db"
    shutil.copyfile(args.db, target)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    db = Database.open(target)
    with db.read() as conn:
        newest = conn.execute(text("SELECT max(received_at) FROM incident")).scalar()
        end = datetime.fromisoformat(str(newest))
        count = conn.execute(text("SELECT count(*) FROM incident")).scalar_one()
        last_id = conn.execute(text("SELECT max(id) FROM incident")).scalar_one()
    t = time.perf_counter()
    with db.read() as conn:
        conn.execute(text("SELECT caller_phone, count(*) FROM incident WHERE received_at >= :s "
                          "GROUP BY caller_phone HAVING count(*) >= 3"),
                     {"s": end.replace(year=end.year - 1)}).all()
    baseline = time.perf_counter() - t
    service = RepeatService(db, now=lambda: end)
    t = time.perf_counter()
    indexed = service.index_addresses()
    index_s = time.perf_counter() - t
    t = time.perf_counter()
    result = service.scan()
    scan_s = time.perf_counter() - t
    t = time.perf_counter()
    service.check_incident(last_id)
    check_s = time.perf_counter() - t
    db.close()
    print(f"incidents: {count:,}; addresses indexed: {indexed:,} in {index_s:.2f} s")
    print(f"baseline GROUP BY phone: {baseline * 1000:.1f} ms")
    print(f"full scan (3 detectors, record, follow up): {scan_s * 1000:.0f} ms "
          f"({scan_s / baseline:.0f}x baseline); {result.groups} groups, {len(result.tasks_issued)} tasks")
    print(f"intake check of one call: {check_s * 1000:.1f} ms ({check_s / baseline:.2f}x baseline)")


if __name__ == "__main__":
    main()
