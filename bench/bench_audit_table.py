"""The audit trail tab at a million records: what the auditor waits for, against the floor.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_audit_table.py [--rows 1000000] \
        [--db bench/out/audit_1000000.db]

Fills a fresh station database with ``--rows`` audit records (raw ``executemany``, unchained:
only reading is measured; ``--db`` keeps the file for the next run), then in the same run:

- floor: one raw ``sqlite3`` query for the newest 200 records, no filter (the least the table
  can cost);
- open: the tab's model from a new filter to its first page shown (count plus first page on a
  worker thread, delivered by signal), for no filter, one user, one action, one month and a
  text search, with the service's count and first page timed apart;
- scroll: one more page at a deep offset (what ``fetchMore`` reads when the auditor has scrolled
  far down), through ``AuditService.page``.

Each figure is printed with its ratio to the floor.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from station_console.domain.security import Masker, Role, identity_for  # noqa: E402
from station_console.services.audit import AuditFilter, AuditService  # noqa: E402
from station_console.store.database import Database  # noqa: E402
from station_console.ui.admin.audit_model import PAGE_SIZE, AuditTableModel  # noqa: E402
from station_console.ui.widgets.screen import wait_until  # noqa: E402

USERS = ["zhiban", "suozhang", "minjing", "admin", "anquan", "shenji", "zhiban2", "import-svc"]
ACTIONS = ["create"] * 5 + ["update"] * 8 + ["delete", "login", "login_failed", "reveal", "export"]
TYPES = ["incident", "incident_event", "task", "task_event", "dispute", "user_account"]


def fill(path: Path, rows: int) -> None:
    rng = random.Random(9)
    start = datetime(2025, 1, 1)
    conn = sqlite3.connect(path)
    batch = []
    for i in range(1, rows + 1):
        at = start + timedelta(seconds=i * 30)
        action = rng.choice(ACTIONS)
        detail = json.dumps({"before": {"status": "dispatched", "unit_id": rng.randint(1, 9)},
                             "after": {"status": "arrived", "unit_id": rng.randint(1, 9)}},
                            ensure_ascii=False) if action == "update" else f"note {i}"
        batch.append((i, at.isoformat(sep=" ", timespec="milliseconds"), rng.choice(USERS),
                      "ws-01", action, rng.choice(TYPES), str(rng.randint(1, 200_000)), "ok",
                      detail))
        if len(batch) == 50_000:
            conn.executemany("INSERT INTO audit_log (id, at, username, workstation, action, "
                             "object_type, object_id, outcome, detail) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
            batch.clear()
    if batch:
        conn.executemany("INSERT INTO audit_log (id, at, username, workstation, action, "
                         "object_type, object_id, outcome, detail) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
    conn.commit()
    conn.close()


def floor(path: Path) -> float:
    conn = sqlite3.connect(path)
    began = time.perf_counter()
    conn.execute("SELECT id, at, username, workstation, action, object_type, object_id, outcome, "
                 "detail FROM audit_log ORDER BY id DESC LIMIT 200").fetchall()
    took = time.perf_counter() - began
    conn.close()
    return took


def open_time(model: AuditTableModel, flt: AuditFilter) -> tuple[float, int]:
    began = time.perf_counter()
    model.set_filter(flt)
    if not wait_until(lambda: not model.busy, 120_000):
        raise SystemExit("the first page did not arrive")
    return time.perf_counter() - began, model.total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="database file to fill once and reuse")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    path = args.db or ROOT / "bench" / "out" / f"audit_{args.rows}.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        Database.open(path, create=True).close()
        began = time.perf_counter()
        fill(path, args.rows)
        print(f"filled {args.rows:,} audit records in {time.perf_counter() - began:.1f} s")
    db = Database.open(path)
    db.identity = identity_for("bench", Role.AUDITOR)
    service = AuditService(db)
    model = AuditTableModel(service, Masker(clear=False))
    base = min(floor(path) for _ in range(3))
    print(f"floor: newest {PAGE_SIZE} records by raw sqlite3: {base * 1000:.1f} ms")
    cases = [("no filter", AuditFilter()), ("one user", AuditFilter(username="admin")),
             ("one action", AuditFilter(action="reveal")),
             ("one month", AuditFilter(start=datetime(2025, 3, 1), end=datetime(2025, 4, 1))),
             ("text 'note 4711'", AuditFilter(text="note 4711"))]
    for name, flt in cases:
        took, total = open_time(model, flt)
        began = time.perf_counter()
        service.count(flt)
        counted = time.perf_counter() - began
        service.page(flt, 0, PAGE_SIZE)
        paged = time.perf_counter() - began - counted
        print(f"open, {name}: {total:,} records, first page in {took * 1000:.0f} ms "
              f"({took / base:.0f}x floor; count {counted * 1000:.0f} ms, "
              f"page {paged * 1000:.0f} ms)")
    for offset in (10_000, args.rows // 2, args.rows - PAGE_SIZE):
        began = time.perf_counter()
        service.page(AuditFilter(), offset, PAGE_SIZE)
        took = time.perf_counter() - began
        print(f"scroll: page at offset {offset:,} in {took * 1000:.0f} ms "
              f"({took / base:.0f}x floor)")
    model.shutdown()
    db.close()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
