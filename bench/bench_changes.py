"""Change packages at 100,000 changed incidents, against a plain JSON dump of the same rows.

    .venv/bin/python bench/bench_changes.py [--rows 100000] [--backfill-rows 1000000]

In one run, on two copies of an empty station (different station ids, each trusting the other):

- export: ``export_package`` of N new incidents (stamping, NDJSON, deflate, SHA-256, Ed25519)
  against the floor: ``SELECT *`` of the same rows and ``json.dump`` to a file;
- apply: ``apply_package`` into the empty peer (signature, hashes, per-row merge, one
  transaction) against the floor: ``json.load`` of the dump and ``executemany`` into a third copy
  with the same schema and indexes (text-search index rebuilt once, as apply does for big packages);
- update: 10% of the rows edited on the peer and sent back (per-row version comparison);
- backfill: the set-based identity stamp (the SQL of migration 0009) over M unstamped incidents
  (loaded with plain sqlite3 into a throwaway copy).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from station_console.services import package_crypto  # noqa: E402
from station_console.services.changes import (  # noqa: E402
    ExportOptions,
    apply_package,
    export_package,
    parse_card,
    peer_card,
    stamp_new_rows,
    trust_peer,
)
from station_console.services.demo import generate_demo  # noqa: E402
from station_console.store.auditing import rows_unrecorded, writes_checked  # noqa: E402
from station_console.store.database import Database  # noqa: E402
from station_console.store.dialect import search_index_suspended  # noqa: E402

OUT = ROOT / "bench" / "out" / "changes"
COLUMNS = ("incident_no", "source", "category_code", "priority", "status", "received_at",
           "dispatched_at", "caller_name", "caller_phone", "caller_id_no", "address", "lat", "lon",
           "community_id", "description", "outcome_code", "feedback", "is_repeat", "is_diverted",
           "in_jurisdiction", "updated_at")


def fill(db: Database, rows: int, seed: int = 1) -> None:
    """N realistic incidents written in one transaction (unstamped, as a bulk import writes them)."""
    rng = random.Random(seed)
    with db.write() as conn, rows_unrecorded(conn), writes_checked(conn), search_index_suspended(conn):
        categories = [r[0] for r in conn.exec_driver_sql("SELECT code FROM incident_category")]
        communities = [r[0] for r in conn.exec_driver_sql("SELECT id FROM community")]
        batch = []
        for n in range(rows):
            day = 1 + n % 28
            batch.append((
                f"J3301{n:010d}", "110", rng.choice(categories), rng.choice((1, 2, 3)),
                rng.choice(("new", "dispatched", "closed")), f"2026-03-{day:02d} 08:{n % 60:02d}:00.000000",
                None, rng.choice(("张伟", "王芳", "李娜", "刘洋")), f"138{rng.randrange(10**8):08d}",
                f"330102199{rng.randrange(10**8):08d}X"[:18], f"文三路{rng.randrange(1, 999)}号",
                30.27 + rng.random() / 100, 120.13 + rng.random() / 100, rng.choice(communities),
                "报警人称家门口电动车被盗，请求处置。" * rng.choice((1, 2, 3)), "", "", 0, 0, 1,
                "2026-03-28 09:00:00.000000"))
            if len(batch) == 10_000:
                _insert(conn, batch)
                batch.clear()
        if batch:
            _insert(conn, batch)


def fill_raw(path: Path, rows: int) -> None:
    """Many unstamped incidents, loaded as fast as SQLite can (a throwaway file: the text-search
    index is left out, which the identity stamp does not touch)."""
    con = sqlite3.connect(path)
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                      "AND name LIKE 'incident_fts_%'")]
    for name in names:
        con.execute(f"DROP TRIGGER {name}")
    community = con.execute("SELECT min(id) FROM community").fetchone()[0]
    category = con.execute("SELECT min(code) FROM incident_category").fetchone()[0]
    marks = ", ".join("?" * len(COLUMNS))
    con.executemany(
        f"INSERT INTO incident ({', '.join(COLUMNS)}) VALUES ({marks})",
        ((f"B{n:012d}", "110", category, 2, "closed", "2026-03-01 08:00:00.000000", None, "张伟",
          "13800000000", "", "文三路1号", 30.27, 120.13, community, "报警人称电动车被盗。", "", "",
          0, 0, 1, "2026-03-01 09:00:00.000000") for n in range(rows)))
    con.commit()
    con.close()


def _insert(conn: object, batch: list[tuple[object, ...]]) -> None:
    marks = ", ".join("?" * len(COLUMNS))
    conn.exec_driver_sql(  # type: ignore[attr-defined]
        f"INSERT INTO incident ({', '.join(COLUMNS)}) VALUES ({marks})", batch)


def copy_as(template: Path, target: Path, station: str) -> Database:
    shutil.copyfile(template, target)
    db = Database.open(target)
    with db.write() as conn:
        conn.exec_driver_sql("UPDATE app_meta SET value = ? WHERE key = 'sync_station_id'", (station,))
    return db


def timed(fn: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()  # type: ignore[operator]
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backfill-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    template = OUT / "template.db"
    db = Database.open(template, create=True)
    generate_demo(db, incidents=0, seed=1)
    db.close()

    a = copy_as(template, OUT / "a.db", "a" * 16)
    b = copy_as(template, OUT / "b.db", "b" * 16)
    floor_db = copy_as(template, OUT / "floor.db", "f" * 16)
    keys = {"A": Ed25519PrivateKey.generate(), "B": Ed25519PrivateKey.generate()}
    trust_peer(a, parse_card(peer_card(b, keys["B"])), "B")
    trust_peer(b, parse_card(peer_card(a, keys["A"])), "A")
    fill(a, args.rows)
    n = args.rows

    # export against json.dump of SELECT *
    package = OUT / "a-to-b.zip"
    t_export, _exported = timed(lambda: export_package(a, package, "B", keys["A"]))
    dump = OUT / "dump.json"

    def plain_dump() -> int:
        with a.read() as conn:
            result = conn.exec_driver_sql("SELECT * FROM incident")
            names = list(result.keys())
            rows = [dict(zip(names, r, strict=True)) for r in result]
        with dump.open("w", encoding="utf-8") as fh:
            json.dump(rows, fh, ensure_ascii=False)
        return len(rows)

    t_dump, _ = timed(plain_dump)
    print(f"rows: {n}", flush=True)
    print(f"export_package: {t_export:.2f} s, {n / t_export:,.0f} rows/s, "
          f"{package.stat().st_size / 1e6:.1f} MB (zip)")
    print(f"floor json.dump of SELECT *: {t_dump:.2f} s, {dump.stat().st_size / 1e6:.1f} MB "
          f"-> export takes {t_export / t_dump:.2f}x the floor's time", flush=True)

    # the same rows sealed for B (X25519 + AES-256-GCM after signing), and B opening them
    # (both full exports of rows already stamped, so only the sealing differs)
    t_signed, _ = timed(lambda: export_package(a, OUT / "a-to-b-full.zip", "B", keys["A"],
                                               options=ExportOptions(full=True)))
    sealed = OUT / "a-to-b.scpkg"
    t_sealed, _ = timed(lambda: export_package(a, sealed, "B", keys["A"],
                                               options=ExportOptions(full=True, encrypt=True)))
    opened = OUT / "opened.zip"

    def unseal() -> None:
        with opened.open("wb") as fh:
            package_crypto.unseal(sealed, package_crypto.read_envelope(sealed), keys["B"], fh)

    t_unseal, _ = timed(unseal)
    print(f"full export sealed for the peer: {t_sealed:.2f} s -> {t_sealed / t_signed:.2f}x the "
          f"signed-only full export ({t_signed:.2f} s); decrypting it: {t_unseal:.2f} s "
          f"({sealed.stat().st_size / 1e6 / t_unseal:.0f} MB/s)", flush=True)

    # apply against json.load + executemany
    t_apply, applied = timed(lambda: apply_package(b, package))

    def plain_load() -> int:
        with dump.open(encoding="utf-8") as fh:
            rows = json.load(fh)
        names = [k for k in rows[0] if k != "id"]
        marks = ", ".join("?" * len(names))
        # Like apply (one audit record for the whole package), no per-row audit records.
        with floor_db.write() as conn, rows_unrecorded(conn), writes_checked(conn), \
                search_index_suspended(conn):
            conn.exec_driver_sql(f"INSERT INTO incident ({', '.join(names)}) VALUES ({marks})",
                                 [tuple(r[k] for k in names) for r in rows])
        return len(rows)

    t_load, _ = timed(plain_load)
    print(f"apply_package: {t_apply:.2f} s, {n / t_apply:,.0f} rows/s, inserted "
          f"{applied.inserted}")  # type: ignore[attr-defined]
    print(f"floor json.load + executemany: {t_load:.2f} s -> apply takes {t_apply / t_load:.2f}x "
          "the floor's time")
    print(f"round trip (export + apply) {t_export + t_apply:.2f} s vs floor {t_dump + t_load:.2f} s: "
          f"{(t_export + t_apply) / (t_dump + t_load):.2f}x", flush=True)

    # 10% edited on B and sent back
    with b.write() as conn:
        conn.exec_driver_sql("UPDATE incident SET status = 'closed', feedback = '已处置' "
                             "WHERE id % 10 = 0")
    back = OUT / "b-to-a.zip"
    t_back, _ = timed(lambda: export_package(b, back, "A", keys["B"]))
    t_back_apply, result = timed(lambda: apply_package(a, back))
    r = result
    print(f"B edits 10% and sends everything it has changed since: export {t_back:.2f} s, apply "
          f"{t_back_apply:.2f} s ({r.rows} rows: updated {r.updated}, "  # type: ignore[attr-defined]
          f"unchanged {r.unchanged}, conflicts {r.conflicts})")  # type: ignore[attr-defined]
    for d in (a, b, floor_db):
        d.close()

    if args.backfill_rows:
        big_path = OUT / "backfill.db"
        copy_as(template, big_path, "c" * 16).close()
        fill_raw(big_path, args.backfill_rows)
        big = Database.open(big_path)
        with big.write() as conn:
            t_stamp, stamped = timed(lambda: stamp_new_rows(conn))
        print(f"identity backfill (set-based, as migration 0009): {stamped:,} incidents in "
              f"{t_stamp:.1f} s ({stamped / t_stamp:,.0f} rows/s)")
        big.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
