"""The audit trail: recording actions, verifying the hash chain, reading, exporting, retention.

Changes to business rows are recorded by the store's triggers (``store/auditing.py``). This
module records what triggers cannot see (sign-ins, failures, lockouts, reveals of personal data,
imports, exports, backups, restores), verifies the chain, and keeps it for the configured time,
exporting an archive before anything is purged.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from station_console.domain.security import Perm, neutralise_cell
from station_console.services.atomic import atomic_open
from station_console.store.auditing import (
    AUDIT_TABLE,
    CHAINED_FIELDS,
    purge_allowed,
    record_hash,
    rows_unrecorded,
    writes_checked,
)
from station_console.store.database import Database

#: app_meta keys that anchor the chain after a purge (the last purged record).
ANCHOR_ID_KEY = "audit_anchor_id"
ANCHOR_HASH_KEY = "audit_anchor_hash"

COLUMNS = ("id", "at", "username", "workstation", "action", "object_type", "object_id",
           "outcome", "detail", "prev_hash", "hash")


class Action:
    """Names of the actions recorded explicitly (row changes use create / update / delete)."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    SESSION_LOCK = "session_lock"
    SESSION_UNLOCK = "session_unlock"
    PASSWORD_CHANGE = "password_change"
    REVEAL = "reveal"
    DENIED = "denied"
    IMPORT = "import"
    EXPORT = "export"
    BACKUP = "backup"
    RESTORE = "restore"
    BULK = "bulk_load"
    ROLE_CHANGE = "role_change"
    AUDIT_EXPORT = "audit_export"
    AUDIT_PURGE = "audit_purge"


def record(conn: Connection, db: Database, action: str, *, object_type: str = "",
           object_id: object = "", outcome: str = "ok", detail: dict[str, Any] | str = "",
           username: str | None = None) -> None:
    """Append one record in the caller's write transaction (the triggers chain it)."""
    payload = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False,
                                                                 default=str)
    conn.execute(
        text(f"INSERT INTO {AUDIT_TABLE} (at, username, workstation, action, object_type, "
             "object_id, outcome, detail) VALUES (:at, :u, :ws, :a, :ot, :oid, :out, :d)"),
        {"at": db.audit.now_text(), "u": username or db.identity.username,
         "ws": db.audit.workstation, "a": action, "ot": object_type, "oid": str(object_id),
         "out": outcome, "d": payload})


def log(db: Database, action: str, **kwargs: Any) -> None:
    """Append one record in a transaction of its own."""
    with db.write() as conn:
        record(conn, db, action, **kwargs)


@contextmanager
def bulk(conn: Connection, db: Database, action: str, *, perm: Perm | None = None,
         **kwargs: Any) -> Iterator[dict[str, Any]]:
    """A bulk load on ``conn``: no per-row records, one record at the end with what it did.

    With ``perm`` the permission is checked once here instead of on every row. The caller may
    add to the yielded dict (row counts); it becomes the record's detail.
    """
    detail: dict[str, Any] = dict(kwargs.pop("detail", {}) or {})
    if perm is not None:
        db.identity.require(perm)
    with rows_unrecorded(conn), writes_checked(conn) if perm else nullcontext():
        yield detail
    record(conn, db, action, detail=detail, **kwargs)


# ---- verification --------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainReport:
    """What verifying the chain found: how many records, and the first broken one."""

    records: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(db: Database) -> ChainReport:
    """Recompute every record's hash in order; name the first record that does not fit."""
    with db.read() as conn:
        anchor_id = _meta_int(conn, ANCHOR_ID_KEY)
        prev = _meta(conn, ANCHOR_HASH_KEY)
        expected_id = (anchor_id or 0) + 1
        rows = conn.execute(text(
            f"SELECT {', '.join(CHAINED_FIELDS)}, prev_hash, hash FROM {AUDIT_TABLE} ORDER BY id"))
        count = 0
        for row in rows:
            count += 1
            values = tuple(row[: len(CHAINED_FIELDS)])
            rid, stored_prev, stored = row[0], row[-2], row[-1]
            if rid != expected_id:
                return ChainReport(count, rid, f"record {expected_id} is missing (deleted) "
                                   f"before record {rid}")
            if (stored_prev or None) != (prev or None):
                return ChainReport(count, rid, "does not follow the record before it "
                                   "(a record before it was changed, removed or reordered)")
            if stored != record_hash(prev, values):
                return ChainReport(count, rid, "its content was changed after it was written")
            prev = stored
            expected_id = rid + 1
        return ChainReport(count)


def _meta(conn: Connection, key: str) -> str | None:
    value = conn.execute(text("SELECT value FROM app_meta WHERE key = :k"), {"k": key}).scalar()
    return str(value) if value is not None else None


def _meta_int(conn: Connection, key: str) -> int | None:
    value = _meta(conn, key)
    return int(value) if value else None


# ---- reading and exporting -----------------------------------------------------------------

@dataclass(frozen=True)
class AuditFilter:
    """What the auditor asks for (every field optional)."""

    start: datetime | None = None
    end: datetime | None = None
    username: str = ""
    action: str = ""
    object_type: str = ""
    text: str = ""
    #: Only records up to this id: pages stay stable while new records arrive.
    max_id: int | None = None

    def where(self) -> tuple[str, dict[str, Any]]:
        parts, params = ["1 = 1"], {}
        if self.max_id is not None:
            parts.append("id <= :max_id")
            params["max_id"] = self.max_id
        if self.start:
            parts.append("at >= :start")
            params["start"] = self.start.isoformat(sep=" ")
        if self.end:
            parts.append("at < :end")
            params["end"] = self.end.isoformat(sep=" ")
        for name in ("username", "action", "object_type"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name} = :{name}")
                params[name] = value
        if self.text:
            parts.append("(object_id LIKE :t OR detail LIKE :t OR workstation LIKE :t)")
            params["t"] = f"%{self.text}%"
        return " AND ".join(parts), params


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    username: str
    workstation: str
    action: str
    object_type: str
    object_id: str
    outcome: str
    detail: str


class AuditService:
    """The auditor's reading of the trail; every read needs the audit permission."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self, flt: AuditFilter) -> int:
        self.db.identity.require(Perm.READ_AUDIT)
        where, params = flt.where()
        with self.db.read() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {AUDIT_TABLE} WHERE {where}"),
                                    params).scalar_one())

    def page(self, flt: AuditFilter, offset: int = 0, limit: int = 200) -> list[AuditRow]:
        """Newest first."""
        self.db.identity.require(Perm.READ_AUDIT)
        where, params = flt.where()
        with self.db.read() as conn:
            rows = conn.execute(text(
                f"SELECT {', '.join(CHAINED_FIELDS)} FROM {AUDIT_TABLE} WHERE {where} "
                "ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset"),
                {**params, "limit": limit, "offset": offset}).all()
        return [AuditRow(*r) for r in rows]

    def distinct(self, column: str) -> list[str]:
        """The users, actions or object types present (for the filter lists)."""
        self.db.identity.require(Perm.READ_AUDIT)
        if column not in ("username", "action", "object_type"):
            raise ValueError(column)
        with self.db.read() as conn:
            return [str(v) for v in conn.execute(text(
                f"SELECT DISTINCT {column} FROM {AUDIT_TABLE} ORDER BY 1")).scalars()]

    def verify(self) -> ChainReport:
        self.db.identity.require(Perm.READ_AUDIT)
        return verify_chain(self.db)

    def export_csv(self, flt: AuditFilter, target: Path) -> int:
        """Write the matching records (with their hashes) to a CSV file; returns the count."""
        self.db.identity.require(Perm.READ_AUDIT)
        where, params = flt.where()
        count = _write_csv(self.db, target, where, params)
        log(self.db, Action.AUDIT_EXPORT, object_type="file", object_id=target.name,
            detail={"records": count, "filter": where})
        return count

    def purge_before(self, cutoff: datetime, archive: Path) -> int:
        """Archive, then remove, the records older than ``cutoff`` (retention).

        Refused for a cutoff inside the configured retention. The archive is written and
        flushed before the records are deleted; the chain stays verifiable through the anchor.
        """
        from station_console.services.accounts import load_policy

        self.db.identity.require(Perm.SECURITY_POLICY)
        keep_days = load_policy(self.db).audit_retention_days
        if cutoff > datetime.now() - timedelta(days=keep_days):
            raise ValueError(f"records of the last {keep_days} days must be kept "
                             "(the retention setting); choose an earlier date")
        boundary = cutoff.isoformat(sep=" ")
        with self.db.write() as conn:
            last = conn.execute(text(
                f"SELECT id, hash FROM {AUDIT_TABLE} WHERE at < :c ORDER BY id DESC LIMIT 1"),
                {"c": boundary}).first()
            if last is None:
                return 0
            count = _write_csv(self.db, archive, "id <= :last", {"last": last.id}, conn=conn)
            with purge_allowed(conn):
                conn.execute(text(f"DELETE FROM {AUDIT_TABLE} WHERE id <= :last"),
                             {"last": last.id})
            for key, value in ((ANCHOR_ID_KEY, str(last.id)), (ANCHOR_HASH_KEY, last.hash)):
                conn.execute(text("DELETE FROM app_meta WHERE key = :k"), {"k": key})
                conn.execute(text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"),
                             {"k": key, "v": value})
            record(conn, self.db, Action.AUDIT_PURGE, object_type="file",
                   object_id=archive.name, detail={"records": count, "up_to_id": last.id})
        return count


def _write_csv(db: Database, target: Path, where: str, params: dict[str, Any],
               conn: Connection | None = None) -> int:
    count = 0
    with atomic_open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        with db.read() if conn is None else nullcontext(conn) as c:
            for row in c.execute(text(
                    f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE} WHERE {where} ORDER BY id"),
                    params):
                writer.writerow([neutralise_cell(v) for v in row])
                count += 1
    return count
