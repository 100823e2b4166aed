"""Online backups with SQLite's backup API, verified, optionally encrypted, written atomically.

A backup is taken while the console runs (readers and writers carry on), copied into a
temporary file, checked with ``integrity_check`` and for a Station Console schema, then (with
a key) encrypted with AES-256-GCM (``services.crypto``) into a temporary file beside the target,
fsynced and only then renamed into place. The plaintext copy of an encrypted backup is made
beside the live database (the data folder, which holds the plaintext anyway) and removed.
``restore`` tells plain from encrypted files, decrypts into a temporary file, refuses a wrong
key and a damaged, cut or foreign file, keeps a copy of the current database before replacing
its content. Backups and restores are recorded in the audit trail.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from station_console.services import audit
from station_console.services.atomic import commit_temp, temp_path_beside
from station_console.services.crypto import (
    CryptoError,
    Secret,
    decrypt_file,
    encrypt_file,
    is_encrypted,
    read_header,
)
from station_console.store.database import (
    SQLITE_HEADER,
    Database,
    StoreError,
    copy_sqlite,
    known_revisions,
)

#: File names of rotating backups: ``station-20240305-080700.db`` (``.db.enc`` encrypted).
ROTATING_PATTERN = "station-*.db*"
ENCRYPTED_SUFFIX = ".enc"
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
    #: "" for a plain backup, else the key's id (hex) recorded in the file's header.
    key_id: str = ""


def verify_backup(path: Path, *, secret: Secret | None = None,
                  work_dir: Path | None = None) -> tuple[str, int]:
    """Check a backup file; returns (schema revision, incidents). Raises ``StoreError`` if unusable.

    An encrypted backup is decrypted (with ``secret``) into a temporary file in ``work_dir``
    (default: the system's temporary folder), checked and removed.
    """
    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file. Give the path of a backup.")
    if is_encrypted(path):
        with _decrypted(path, secret, work_dir) as plain:
            return _verify_plain(plain, path)
    return _verify_plain(path, path)


@contextmanager
def _decrypted(path: Path, secret: Secret | None, work_dir: Path | None) -> Iterator[Path]:
    if secret is None:
        raise StoreError(f"{path} is an encrypted backup; give its key (the key file of the station "
                         "that wrote it, or --passphrase-env). Nothing was changed.")
    fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".tmp", dir=work_dir)
    plain = Path(name)
    try:
        with open(fd, "wb") as fh:
            decrypt_file(path, fh, secret)
        yield plain
    except CryptoError as exc:
        raise StoreError(str(exc)) from exc
    finally:
        plain.unlink(missing_ok=True)


def _verify_plain(path: Path, named: Path) -> tuple[str, int]:
    """Check the plain SQLite file ``path``; messages name ``named`` (the backup the user gave)."""
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise StoreError(f"{named} is not a database backup (not an SQLite file); nothing was changed.")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{named} cannot be opened ({exc}); nothing was changed.") from exc
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            raise StoreError(f"{named} is damaged ({'; '.join(rows[:3])}); it cannot be used. "
                             "Nothing was changed; choose another backup.")
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in names or "incident" not in names:
            raise StoreError(f"{named} is an SQLite file but not a Station Console database; "
                             "nothing was changed.")
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else ""
        if revision not in known_revisions():
            raise StoreError(f"{named} has schema {revision!r}, which this version does not know "
                             "(it comes from a newer program); nothing was changed.")
        incidents = int(con.execute("SELECT count(*) FROM incident").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{named} is damaged ({exc}); it cannot be used. Nothing was changed.") from exc
    finally:
        con.close()
    return revision, incidents


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, progress: ProgressFn | None) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None and not progress(total - remaining, total):
            raise BackupCancelled("backup cancelled")

    src.backup(dst, pages=PAGES_PER_STEP, progress=step)


def backup_database(db: Database, out: Path, *, progress: ProgressFn | None = None,
                    secret: Secret | None = None) -> BackupResult:
    """Write a verified backup of ``db`` to ``out`` (temp file, verify, encrypt, fsync, rename).

    With ``secret`` the file is encrypted (AES-256-GCM); the backup is recorded in the audit trail.
    """
    if db.path is None:
        raise StoreError("only a database file can be backed up")
    out = out.expanduser().resolve()
    if out == db.path:
        raise StoreError(f"{out} is the live database itself; choose another file for the backup.")
    out.parent.mkdir(parents=True, exist_ok=True)
    plain = temp_path_beside(out if secret is None else db.path)
    temp = temp_path_beside(out) if secret is not None else plain
    key_id = ""
    try:
        src = sqlite3.connect(db.path)
        try:
            dst = sqlite3.connect(plain)
            try:
                _copy(src, dst, progress)
                # A backup is a single self-contained file: no WAL beside it.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        schema, incidents = verify_backup(plain)
        if secret is not None:
            try:
                with temp.open("wb") as fh:
                    key_id = encrypt_file(plain, fh, secret).key_id.hex()
            except CryptoError as exc:
                raise StoreError(str(exc)) from exc
            plain.unlink()
        commit_temp(temp, out)
    except BaseException:
        plain.unlink(missing_ok=True)
        temp.unlink(missing_ok=True)
        raise
    result = BackupResult(out, out.stat().st_size, schema, incidents, key_id=key_id)
    _record(db, audit.Action.BACKUP, out, {"path": str(out), "bytes": result.bytes, "schema": schema,
                                           "incidents": incidents, "encrypted": bool(key_id),
                                           "key_id": key_id})
    return result


def _record(db: Database, action: str, file: Path, detail: dict[str, Any]) -> None:
    """Append an audit record, unless the database predates the audit trail (not yet upgraded)."""
    with db.read() as conn:
        has_trail = conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"),
                                 {"n": audit.AUDIT_TABLE}).first() is not None
    if has_trail:
        audit.log(db, action, object_type="file", object_id=file.name, detail=detail)


def backup_rotating(db: Database, folder: Path, *, keep: int = DEFAULT_KEEP,
                    progress: ProgressFn | None = None, now: datetime | None = None,
                    secret: Secret | None = None) -> BackupResult:
    """A timestamped backup in ``folder``; the oldest beyond ``keep`` are deleted after it verified."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = f"station-{stamp}.db" + (ENCRYPTED_SUFFIX if secret is not None else "")
    result = backup_database(db, folder / name, progress=progress, secret=secret)
    existing = sorted(p for p in folder.glob(ROTATING_PATTERN)
                      if p.name.endswith((".db", ".db" + ENCRYPTED_SUFFIX)))
    removed = tuple(existing[:-keep]) if keep > 0 and len(existing) > keep else ()
    for old in removed:
        old.unlink(missing_ok=True)
    return BackupResult(result.path, result.bytes, result.schema, result.incidents, removed,
                        result.key_id)


def restore_database(db_path: Path, backup: Path, *, now: datetime | None = None,
                     secret: Secret | None = None) -> Path:
    """Replace the database's content with a verified backup; returns the copy of the old one.

    An encrypted backup is decrypted with ``secret`` into a temporary file beside the database
    and checked before anything changes. The copy of the current database
    (``<name>.before-restore-<time>.bak``) is written first; then the backup is copied in with
    the backup API, which other connections see atomically. The database is reopened (an older
    schema is upgraded) and the restore recorded in its audit trail.
    """
    db_path = db_path.expanduser().resolve()
    if backup.expanduser().resolve() == db_path:
        raise StoreError(f"{backup} is the live database itself; choose a backup file.")
    if not backup.is_file():
        raise StoreError(f"{backup} does not exist or is not a file. Give the path of a backup.")
    if is_encrypted(backup):
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with _decrypted(backup, secret, db_path.parent) as plain:
            _verify_plain(plain, backup)
            keep = _replace(db_path, plain, now)
        key_id = _key_id(backup)
    else:
        verify_backup(backup)
        keep = _replace(db_path, backup, now)
        key_id = ""
    restored = Database.open(db_path)
    try:
        _record(restored, audit.Action.RESTORE, backup,
                {"from": str(backup.expanduser().resolve()), "encrypted": bool(key_id), "key_id": key_id,
                 "kept": str(keep)})
    finally:
        restored.close()
    return keep


def _key_id(path: Path) -> str:
    with path.open("rb") as fh:
        return read_header(path, fh)[0].key_id.hex()


def _replace(db_path: Path, source: Path, now: datetime | None) -> Path:
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
    copy_sqlite(source, db_path, read_only_source=True)
    return keep
