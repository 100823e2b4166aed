"""Encrypted against plain backups of the same database, in the same run.

    .venv/bin/python bench/bench_backup.py [--size-mb 1000] [--incidents 3000] [--keep DIR]

Builds a demo station (``--incidents``) and grows it to ``--size-mb`` with a filler table of
random (incompressible) blobs, the size of a million-incident station's file, then times:

- floor: a plain file copy of the database (``shutil.copyfile``), what any backup costs at least;
- backup plain / encrypted with the key file / encrypted with a passphrase (scrypt once);
- verify plain / encrypted (the encrypted one decrypts to a temporary file first);
- restore plain / encrypted into a copy of the station.

Each figure is printed as seconds and MB/s with its ratio to the plain operation (and the plain
backup's to the floor). The Python heap's peak during an encrypted backup (``tracemalloc``, a
separate, untimed run) shows that memory stays flat however large the file: it is streamed in
1 MiB chunks.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station_console.services.backup import backup_database, restore_database, verify_backup  # noqa: E402
from station_console.services.crypto import KeyFile, Passphrase  # noqa: E402
from station_console.services.demo import generate_demo  # noqa: E402
from station_console.store.database import Database  # noqa: E402

MB = 1024 * 1024


def build(path: Path, incidents: int, size_mb: int) -> None:
    db = Database.open(path, create=True)
    try:
        generate_demo(db, incidents=incidents)
    finally:
        db.close()
    import sqlite3

    con = sqlite3.connect(path)
    try:
        con.execute("CREATE TABLE bench_fill (id INTEGER PRIMARY KEY, data BLOB)")
        blob = 64 * 1024
        missing = max(0, size_mb * MB - path.stat().st_size)
        with con:
            con.executemany("INSERT INTO bench_fill (data) VALUES (?)",
                            ((os.urandom(blob),) for _ in range(missing // blob)))
    finally:
        con.close()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def line(label: str, seconds: float, size: int, base: float | None, base_name: str) -> None:
    ratio = f"  {seconds / base:5.2f}x {base_name}" if base else ""
    print(f"{label:<34} {seconds:7.2f} s  {size / MB / seconds:7.1f} MB/s{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1000)
    parser.add_argument("--incidents", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="work in this folder and leave the files")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-backup-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(work, args.incidents, args.size_mb)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def run(work: Path, incidents: int, size_mb: int) -> None:
    source = work / "data" / "station.db"
    source.parent.mkdir(exist_ok=True)
    if not source.exists():
        print(f"building a {size_mb} MB station ({incidents} incidents + filler)…", flush=True)
        build(source, incidents, size_mb)
    size = source.stat().st_size
    out = work / "out"
    out.mkdir(exist_ok=True)
    key = KeyFile.beside(source)
    key.new_key()
    phrase = Passphrase("a long off-site passphrase")
    print(f"database: {size / MB:.0f} MB, {os.cpu_count()} cores")

    floor = timed(lambda: shutil.copyfile(source, out / "copy.db"))
    (out / "copy.db").unlink()
    db = Database.open(source)
    try:
        plain = timed(lambda: backup_database(db, out / "plain.db"))
        encrypted = timed(lambda: backup_database(db, out / "key.db.enc", secret=key))
        tracemalloc.start()
        backup_database(db, out / "traced.db.enc", secret=key)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        (out / "traced.db.enc").unlink()
        passphrase = timed(lambda: backup_database(db, out / "phrase.db.enc", secret=phrase))
    finally:
        db.close()
    enc_size = (out / "key.db.enc").stat().st_size
    line("file copy (floor)", floor, size, None, "")
    line("backup, plain", plain, size, floor, "floor")
    line("backup, encrypted (key file)", encrypted, size, plain, "plain")
    line("backup, encrypted (passphrase)", passphrase, size, plain, "plain")
    print(f"{'encrypted file overhead':<34} {enc_size - size} bytes "
          f"({(enc_size - size) / size * 100:.3f} %)")
    print(f"{'Python heap peak, encrypted backup':<34} {peak / MB:7.1f} MB for a {size / MB:.0f} MB file")

    v_plain = timed(lambda: verify_backup(out / "plain.db"))
    v_enc = timed(lambda: verify_backup(out / "key.db.enc", secret=key, work_dir=source.parent))
    line("verify, plain", v_plain, size, None, "")
    line("verify, encrypted", v_enc, size, v_plain, "plain")

    r_plain = timed(lambda: restore_database(source, out / "plain.db"))
    r_enc = timed(lambda: restore_database(source, out / "key.db.enc", secret=key))
    line("restore, plain", r_plain, size, None, "")
    line("restore, encrypted", r_enc, size, r_plain, "plain")


if __name__ == "__main__":
    main()
