"""Online backups with SQLite's backup API, verified, written atomically; checked restores.

A backup is taken while the console runs (readers and writers carry on), copied into a
temporary file beside the target, checked with ``integrity_check`` and for a Station Console
schema, fsynced and only then renamed into place. ``restore`` refuses a damaged or foreign file
and keeps a copy of the current database before replacing its content.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from station_console.services.atomic import commit_temp, temp_path_beside
from station_console.store.database import (
    SQLITE_HEADER,
    Database,
    StoreError,
    copy_sqlite,
    known_revisions,
)

#: File names of rotating backups: ``station-20240305-080700.db``.
ROTATING_PATTERN = "station-*.db"
DEFAULT_KEEP = 7
#: Pages copied per step (progress and cancel granularity; 4 MiB with 4 KiB pages).
PAGES_PER_STEP = 1024

ProgressFn = Callable[[int, int], bool]


class BackupCancelled(Exception):
    """The user cancelled a backup; nothing was written."""


@dataclass(frozen=True)
class BackupResult:
    """A written and verified backup."""

    path: Path
    bytes: int
    schema: str
    incidents: int
    removed: tuple[Path, ...] = ()


def verify_backup(path: Path) -> tuple[str, int]:
    """Check a backup file; returns (schema revision, incidents). Raises ``StoreError`` if unusable."""
    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file. Give the path of a backup.")
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise StoreError(f"{path} is not a database backup (not an SQLite file); nothing was changed.")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path} cannot be opened ({exc}); nothing was changed.") from exc
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            raise StoreError(f"{path} is damaged ({'; '.join(rows[:3])}); it cannot be used. "
                             "Nothing was changed; choose another backup.")
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in names or "incident" not in names:
            raise StoreError(f"{path} is an SQLite file but not a Station Console database; "
                             "nothing was changed.")
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else ""
        if revision not in known_revisions():
            raise StoreError(f"{path} has schema {revision!r}, which this version does not know "
                             "(it comes from a newer program); nothing was changed.")
        incidents = int(con.execute("SELECT count(*) FROM incident").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is damaged ({exc}); it cannot be used. Nothing was changed.") from exc
    finally:
        con.close()
    return revision, incidents


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, progress: ProgressFn | None) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None and not progress(total - remaining, total):
            raise BackupCancelled("backup cancelled")

    src.backup(dst, pages=PAGES_PER_STEP, progress=step)


def backup_database(db: Database, out: Path, *, progress: ProgressFn | None = None) -> BackupResult:
    """Write a verified backup of ``db`` to ``out`` (temp file, verify, fsync, rename)."""
    if db.path is None:
        raise StoreError("only a database file can be backed up")
    out = out.expanduser().resolve()
    if out == db.path:
        raise StoreError(f"{out} is the live database itself; choose another file for the backup.")
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_beside(out)
    try:
        src = sqlite3.connect(db.path)
        try:
            dst = sqlite3.connect(temp)
            try:
                _copy(src, dst, progress)
                # A backup is a single self-contained file: no WAL beside it.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        schema, incidents = verify_backup(temp)
        commit_temp(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BackupResult(out, out.stat().st_size, schema, incidents)


def backup_rotating(db: Database, folder: Path, *, keep: int = DEFAULT_KEEP,
                    progress: ProgressFn | None = None, now: datetime | None = None) -> BackupResult:
    """A timestamped backup in ``folder``; the oldest beyond ``keep`` are deleted after it verified."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    result = backup_database(db, folder / f"station-{stamp}.db", progress=progress)
    existing = sorted(folder.glob(ROTATING_PATTERN))
    removed = tuple(existing[:-keep]) if keep > 0 and len(existing) > keep else ()
    for old in removed:
        old.unlink(missing_ok=True)
    return BackupResult(result.path, result.bytes, result.schema, result.incidents, removed)


def restore_database(db_path: Path, backup: Path, *, now: datetime | None = None) -> Path:
    """Replace the database's content with a verified backup; returns the copy of the old one.

    The copy of the current database (``<name>.before-restore-<time>.bak``) is written first;
    then the backup is copied in with the backup API, which other connections see atomically.
    Reopen the database afterwards: an older schema is upgraded then.
    """
    verify_backup(backup)
    db_path = db_path.expanduser().resolve()
    if backup.resolve() == db_path:
        raise StoreError(f"{backup} is the live database itself; choose a backup file.")
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    keep = db_path.with_name(f"{db_path.name}.before-restore-{stamp}.bak")
    if db_path.exists():
        temp = temp_path_beside(keep)
        try:
            copy_sqlite(db_path, temp, standalone=True)
            commit_temp(temp, keep)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    copy_sqlite(backup, db_path, read_only_source=True)
    return keep
