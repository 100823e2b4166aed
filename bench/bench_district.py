"""A district merging a year of change packages from each of its 19 stations, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_district.py [--stations 19] [--incidents 6200] [--pg URL]

What a district does, with the command line only:

- each station is a generated demo station (``demo``, its own seed, one year up to a fixed end)
  with its own key (``keys init``), trusting the district's card (``keys trust``), and exports
  everything it has for the district (``export-package --full``, sealed for the district);
- the district is an empty station (``demo --incidents 0``) with its key, trusting the 19 cards;
- the timed part: ``import-package`` of the 19 packages one after the other into the district,
  each a separate process as an operator would run it (wall time, and the largest resident
  memory of one process).

The baseline in the same run is one station's package applied into an empty copy of the district
(times 19): the ratio shows what merging into a growing database costs over applying into an
empty one. With ``--pg URL`` (or ``$STATION_CONSOLE_TEST_PG``: a maintenance database on the
server, where the script creates its own databases) the district is moved to the server with
``move-station`` (not timed) and both runs are repeated there.

A station's yearly volume: DOMAIN.md's street station diverted 4,148 non-police calls, 67.2 % of
its calls, so about 6,200 calls a year (the demo's default of 20,000 is a busy station).
Station K is ``demo --station K`` (its own name, station code and incident numbers, as the
upstream 110 centre numbers calls city-wide). ``--same-numbers`` builds every station as the
demo station instead (only the seed differs): they then share their incident numbers
(``J330106<day><sequence>``), and the merge keeps one incident per number, the rule for one
upstream call imported at two stations.

Stations and packages are cached in bench/out/district/ (delete the folder to rebuild).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station_console.store.database import Database  # noqa: E402

OUT = ROOT / "bench" / "out" / "district"
END = "2026-03-15 10:30"
DISTRICT_SEED = 1
PG_ENV = "STATION_CONSOLE_TEST_PG"


@dataclass
class Run:
    seconds: float
    peak_mb: float
    out: str


def cli(data_dir: Path, db: str | None, *args: str) -> Run:
    """One ``station-console`` command as its own process: wall time and its peak resident memory."""
    command = [sys.executable, "-m", "station_console", "--data-dir", str(data_dir)]
    command += ["--db", db] if db else []
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([*command, *args], cwd=ROOT, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"station-console {' '.join(args)} failed ({proc.returncode}):\n{err.read()}")
        return Run(seconds, usage.ru_maxrss / 1024, out.read())


def build(stations: int, incidents: int, same_numbers: bool) -> tuple[Path, list[Path], int, int]:
    """The district template and the stations' packages (cached); returns the template, the
    packages, and the incidents and events they carry."""
    folder = OUT / f"{stations}x{incidents}{'-same-numbers' if same_numbers else ''}"
    district = folder / "district.db"
    district_dir = folder / "district"
    card = folder / "district.card"
    names = [f"station-{n + 1:02d}" for n in range(stations)]
    packages = [folder / f"{name}.scpkg" for name in names]
    if folder.exists() and not all(p.exists() for p in packages):
        # A station generated again has a new key the district does not trust: start over.
        shutil.rmtree(folder)
    if not district.exists():
        folder.mkdir(parents=True, exist_ok=True)
        cli(district_dir, str(district), "demo", "--incidents", "0", "--seed", str(DISTRICT_SEED),
            "--end", END)
        cli(district_dir, str(district), "keys", "init")
        cli(district_dir, str(district), "keys", "card", "--name", "district", str(card))
    todo = [n for n, package in enumerate(packages) if not package.exists()]
    with ThreadPoolExecutor(max_workers=2) as pool:  # one per core: only the packages are timed
        list(pool.map(lambda n: _station(folder, n, names[n], card, incidents, same_numbers), todo))
    trusted = cli(district_dir, str(district), "keys", "peers").out
    for name in names:
        if not any(line.split()[:1] == [name] for line in trusted.splitlines()):
            cli(district_dir, str(district), "keys", "trust", name, str(folder / f"{name}.card"))
    rows = events = 0
    for n in range(stations):
        con = sqlite3.connect(folder / f"station-{n + 1:02d}.db")
        rows += con.execute("SELECT count(*) FROM incident").fetchone()[0]
        events += con.execute("SELECT count(*) FROM incident_event").fetchone()[0]
        con.close()
    return district, packages, rows, events


def _station(folder: Path, n: int, name: str, district_card: Path, incidents: int,
             same_numbers: bool) -> None:
    """Generate one station, give it a key trusting the district and export its package."""
    started = time.perf_counter()
    db, data_dir, package = folder / f"{name}.db", folder / name, folder / f"{name}.scpkg"
    for stale in (db, data_dir):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    cli(data_dir, str(db), "demo", "--incidents", str(incidents), "--seed", str(1000 + n), "--end", END,
        "--station", "0" if same_numbers else str(n + 1))
    cli(data_dir, str(db), "keys", "init")
    cli(data_dir, str(db), "keys", "card", "--name", name, str(folder / f"{name}.card"))
    cli(data_dir, str(db), "keys", "trust", "district", str(district_card))
    cli(data_dir, str(db), "export-package", "--peer", "district", "--full", f"{package}.part")
    os.replace(f"{package}.part", package)
    print(f"  {name}: generated and exported in {time.perf_counter() - started:.0f} s", flush=True)


def _pg_admin(url: str):  # type: ignore[no-untyped-def]
    import psycopg
    from sqlalchemy.engine import make_url

    return psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False),
                           autocommit=True)


def fresh_target(engine: str, template: Path, name: str, pg: str | None) -> str:
    """An empty district copied from the template: a file, or a database moved to the server."""
    if engine == "sqlite":
        target = template.parent / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, target)
        return str(target)
    from sqlalchemy.engine import make_url

    assert pg is not None
    with _pg_admin(pg) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    url = make_url(pg).set(database=name).render_as_string(hide_password=False)
    cli(template.parent / "district", None, "move-station", "--from", str(template), "--to", url)
    return url


def count(target: str) -> tuple[int, int]:
    db = Database.open(target)
    try:
        with db.read() as conn:
            incidents = conn.exec_driver_sql("SELECT count(*) FROM incident").scalar_one()
            events = conn.exec_driver_sql("SELECT count(*) FROM incident_event").scalar_one()
    finally:
        db.close()
    return int(incidents), int(events)


def merge(engine: str, template: Path, packages: list[Path], rows: int, events: int,
          pg: str | None) -> None:
    district_dir = template.parent / "district"
    base = fresh_target(engine, template, "bench_district_baseline", pg)
    baseline = cli(district_dir, base, "import-package", str(packages[0]))
    target = fresh_target(engine, template, "bench_district_merge", pg)
    runs = []
    for n, package in enumerate(packages):
        runs.append(cli(district_dir, target, "import-package", str(package)))
        print(f"  {engine}: {package.name} applied in {runs[-1].seconds:.1f} s", flush=True)
        if n == 0:
            first_incidents, _ = count(target)
    total = sum(r.seconds for r in runs)
    got_incidents, got_events = count(target)
    expected = baseline.seconds * len(packages)
    print(f"{engine}: merge of {len(packages)} packages ({rows:,} incidents, {events:,} events)")
    print(f"  baseline: one package into an empty district  {baseline.seconds:8.1f} s"
          f"  (x{len(packages)} = {expected:.1f} s)")
    print(f"  merge: {len(packages)} packages one after another   {total:8.1f} s"
          f"  ratio {total / expected:.2f}x the baseline x{len(packages)}")
    print(f"  first package {runs[0].seconds:.1f} s, last {runs[-1].seconds:.1f} s"
          f" ({runs[-1].seconds / runs[0].seconds:.2f}x the first)")
    print(f"  {(rows + events) / total:,.0f} rows/s (incidents + events), {rows / total:,.0f} incidents/s")
    print(f"  peak memory of one import-package: {max(r.peak_mb for r in [*runs, baseline]):.0f} MB")
    print(f"  district holds {got_incidents:,} incidents (sent {rows:,}), {got_events:,} events"
          f" (sent {events:,}); after the first package {first_incidents:,}")
    if got_incidents != rows or got_events != events:
        print("  MISMATCH: the district does not hold every station's incidents and events")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=19)
    parser.add_argument("--incidents", type=int, default=6200, help="incidents per station (one year)")
    parser.add_argument("--pg", default=os.environ.get(PG_ENV),
                        help=f"a PostgreSQL maintenance database URL (default ${PG_ENV})")
    parser.add_argument("--same-numbers", action="store_true",
                        help="keep the demo's incident numbers (the same at every station)")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL even with a URL")
    args = parser.parse_args()
    started = time.perf_counter()
    template, packages, rows, events = build(args.stations, args.incidents, args.same_numbers)
    print(f"{args.stations} stations, {rows:,} incidents and {events:,} events in "
          f"{sum(p.stat().st_size for p in packages) / 1e6:.1f} MB of packages"
          f" (ready in {time.perf_counter() - started:.0f} s)", flush=True)
    merge("sqlite", template, packages, rows, events, None)
    if args.pg and not args.sqlite_only:
        merge("postgresql", template, packages, rows, events, args.pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
