"""The repeat check at import and intake on a million incidents (figures, not a timed test).

    .venv/bin/python bench/bench_repeat_import.py [--db bench/out/board_1m.db] [--rows 10000] [--runs 3]

Copies the database to bench/out/ (the source is never written), keys the addresses of the
history once (a one-time cost of a database from before the detector, printed separately),
then imports feeds of ``--rows`` calls of the last two days (one in ten repeating the phone,
address and point of a call of the last 60 days) alternately without and with the repeat check, in the
same run on the same file, and prints the medians and their ratio. Then one intake: the
earlier-calls look-up of the dialog and the check of the saved call.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station_console.services.importer import import_feed  # noqa: E402
from station_console.services.importer_profiles import parse_profile  # noqa: E402
from station_console.services.incidents import IncidentService, IntakeForm  # noqa: E402
from station_console.services.repeats import IntakeCall, RepeatService  # noqa: E402
from station_console.store.database import Database  # noqa: E402

OUT = ROOT / "bench" / "out"
PROFILE = parse_profile("""
[options]
format = "csv"

[columns]
incident_no = "no"
received_at = "at"
category = "category"
address = "address"
lon = "lon"
lat = "lat"
caller_phone = "phone"
description = "text"
""", "bench-repeats")


def make_feed(db: Database, path: Path, rows: int, tag: str, end: datetime, seed: int) -> Path:
    """``rows`` calls of the two days before ``end``: one in ten repeats a recent call's caller and place."""
    rng = random.Random(seed)
    with db.read() as conn:
        history = conn.execute(text(
            "SELECT caller_phone, address, lat, lon, category_code FROM incident WHERE received_at > :s "
            "ORDER BY random() LIMIT :n"), {"s": end - timedelta(days=60), "n": rows}).all()
        codes = [r[0] for r in conn.execute(text("SELECT code FROM incident_category WHERE active"))]
    lines = ["no,at,category,address,lon,lat,phone,text"]
    for i in range(rows):
        at = end - timedelta(seconds=rng.randint(0, 2 * 86400))
        if i % 10 == 0 and history:
            h = history[i % len(history)]
            phone, address, lat, lon, code = h.caller_phone, h.address, h.lat, h.lon, h.category_code
        else:
            phone, code = f"13{rng.randint(0, 999_999_999):09d}", rng.choice(codes)
            address = (f"杭州市西湖区竹影街{rng.randint(1, 400)}号{rng.randint(1, 30)}幢"
                       f"{rng.randint(1, 6)}0{rng.randint(1, 4)}室")
            lat, lon = 30.262 + rng.uniform(-0.015, 0.015), 120.129 + rng.uniform(-0.02, 0.02)
        point = (f"{lon:.6f}", f"{lat:.6f}") if lat is not None and lon is not None else ("", "")
        lines.append(f"{tag}{i:07d},{at:%Y-%m-%d %H:%M:%S},{code},{address},{point[0]},{point[1]},"
                     f"{phone},报警")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=OUT / "board_1m.db")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    target = OUT / "bench_repeat_import.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(args.db, target)
    db = Database.open(target)
    with db.read() as conn:
        count = conn.execute(text("SELECT count(*) FROM incident")).scalar_one()
        newest = conn.execute(text("SELECT max(received_at) FROM incident")).scalar()
    end = datetime.fromisoformat(str(newest))
    repeats = RepeatService(db, now=lambda: end)
    t = time.perf_counter()
    keyed = repeats.index_addresses()
    print(f"incidents: {count:,}; address keys of the history (once): {keyed:,} in "
          f"{time.perf_counter() - t:.1f} s")
    stamp = f"{time.time():.0f}"[-5:]  # a database used before already holds earlier runs' numbers
    plain: list[float] = []
    checked: list[float] = []
    flagged = 0
    for run in range(args.runs):
        for check in (False, True):
            tag = f"{'C' if check else 'P'}{stamp}{run}"
            feed = make_feed(db, OUT / f"repeat_feed_{tag}.csv", args.rows, tag, end, seed=run * 2 + check)
            t = time.perf_counter()
            summary = import_feed(db, feed, PROFILE, now=end, check_repeats=check)
            seconds = time.perf_counter() - t
            assert summary.inserted == args.rows, summary.issues[:3]
            (checked if check else plain).append(seconds)
            flagged += summary.repeats_flagged
            feed.unlink()
    p, c = statistics.median(plain), statistics.median(checked)
    print(f"import of {args.rows:,} calls without the check: {p:.2f} s (median of {args.runs})")
    print(f"import of {args.rows:,} calls with the check:    {c:.2f} s; {flagged // args.runs:,} calls "
          f"flagged per import")
    print(f"ratio with/without: {c / p:.2f}x")
    incidents = IncidentService(db, now=lambda: end)
    with db.read() as conn:
        phone, address = conn.execute(text(
            "SELECT caller_phone, address FROM incident WHERE caller_phone != '' "
            "ORDER BY id DESC LIMIT 1")).one()
    call = IntakeCall(received_at=end, category_code="0501", phone=phone, address=address, community_id=1)
    t = time.perf_counter()
    history = repeats.intake_history(call)
    look_up = time.perf_counter() - t
    result = incidents.register(IntakeForm(source="110", category_code="0501", address=address,
                                           description="报警", caller_phone=phone, community_id=1,
                                           received_at=end))
    assert result.incident_id is not None
    t = time.perf_counter()
    repeats.check_incident(result.incident_id, index_history=False)
    check_s = time.perf_counter() - t
    print(f"intake: earlier-calls look-up {look_up * 1000:.1f} ms ({len(history.same_phone)} same phone, "
          f"{len(history.same_address)} same address); check of the saved call {check_s * 1000:.1f} ms")
    db.close()


if __name__ == "__main__":
    main()
