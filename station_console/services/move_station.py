"""Moving a station between an SQLite file and a PostgreSQL database, verified row by row.

Every table of the models is copied in primary-key order, a batch at a time (a station's million
incidents never sit in memory), through SQLAlchemy's table objects so that each engine's types
convert (SQLite's 0/1 flags and time texts become PostgreSQL's booleans and timestamps, and back).
The copy keeps every primary key and every stored value as it is: the audit trail's records with
their chain hashes (no record is written per copied row, and the chain verifies on the target),
and the rows' sync stamps (no trigger restamps them). The text-search index is derived data and is
rebuilt on the target; PostgreSQL's id sequences are moved past the copied ids.

The target must be empty: a file that does not exist yet, or a server database without tables.
It is written in one transaction: on a server the schema is built inside that transaction too, so
a failure, a cancel or a crash leaves the database as empty as it was; a file is built under a
temporary name beside the target and renamed only once it verified. Verification reads both
sides with the same code: per table the row count and a SHA-256 over every row's values in
primary-key order. Any difference fails the move and nothing is left at the target. A move
that verified is recorded in both audit trails (an export in the source's, an import in the
target's).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, bindparam, create_engine, delete, func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, StatementError
from sqlmodel import SQLModel

from station_console.domain.security import Perm
from station_console.services import audit
from station_console.services.audit import Action, verify_chain
from station_console.store import models  # noqa: F401  (registers the tables)
from station_console.store.database import (
    Database,
    StoreError,
    driver_reason,
    is_database_url,
    upgrade_schema,
)
from station_console.store.dialect import (
    WRITE_OPTION,
    advance_id_sequences,
    bulk_cache,
    bulk_insert,
    create_search_index,
    drop_search_index,
    install_sqlite_pragmas,
    search_index_suspended,
)

ProgressFn = Callable[[int, int], bool]
#: Rows read and written per batch.
BATCH_ROWS = 5_000


class MoveCancelled(Exception):
    """The move was cancelled from its progress callback; nothing is left at the target."""


@dataclass(frozen=True)
class TableCheck:
    """One table's verification: rows and digest read back on each side."""

    name: str
    source_rows: int
    target_rows: int
    source_digest: str
    target_digest: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_digest == self.target_digest


@dataclass(frozen=True)
class MoveReport:
    """What a move copied and how it verified."""

    source: str
    target: str
    schema: str
    tables: tuple[TableCheck, ...]
    copy_seconds: float
    verify_seconds: float
    #: Records of the audit trail whose chain verified on the target after a successful move
    #: (the copied ones and the record of the move).
    audit_records: int = 0
    audit_chain_ok: bool = True

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.source_rows for t in self.tables)

    @property
    def mismatched(self) -> list[str]:
        return [t.name for t in self.tables if not t.ok]


class MoveFailed(Exception):
    """The copy did not verify; the target was removed (file) or left empty (server)."""

    def __init__(self, report: MoveReport) -> None:
        super().__init__(
            f"the copy in {report.target} does not match {report.source} in "
            f"{', '.join(report.mismatched)}; nothing was kept at the target")
        self.report = report


def model_tables() -> list[Table]:
    """Every table of the models, parents before the tables that point to them."""
    return list(SQLModel.metadata.sorted_tables)


def move_station(source: Database, target: str | os.PathLike[str], *,
                 progress: ProgressFn | None = None, batch_rows: int = BATCH_ROWS,
                 before_verify: Callable[[Connection], None] | None = None) -> MoveReport:
    """Copy the station in ``source`` into the empty ``target`` (a new file or a server's URL).

    ``progress(done, total)`` counts rows copied and then rows verified; returning False cancels
    (``MoveCancelled``). ``before_verify`` gets the target's connection after the copy, before
    verification (a test alters the copy there). Raises ``StoreError`` when the target is not
    empty or cannot be written, and ``MoveFailed`` when the copy does not verify; in every failure
    the target ends as it was.
    """
    source.identity.require(Perm.BACKUP)
    state = source.schema_state()
    if not state.up_to_date:
        raise StoreError(
            f"{source.label} is at schema {state.current}, this program writes {state.head}: "
            "open it once with this program (which upgrades it), then move it.")
    end = _ServerTarget(str(target)) if is_database_url(target) else _FileTarget(Path(target))
    try:
        try:
            with _snapshot(source) as sconn, end.transaction() as tconn:
                report = _copy_and_verify(sconn, tconn, source.label, end.label, state.head,
                                          progress, batch_rows, before_verify)
                if not report.ok:
                    raise MoveFailed(report)
        except DBAPIError as exc:
            # What the rows' own checks could not name: a reference to a missing row found at
            # commit (a damaged source), the server gone, the disk full.
            raise StoreError(f"{end.label}: the copy could not be completed ({driver_reason(exc)}). "
                             "Nothing was kept at the target.") from exc
        end.finish()
    except BaseException:
        end.discard()
        raise
    # The copy of every personal record is itself recorded, on both sides, after verification.
    detail = {"rows": report.rows, "tables": len(report.tables), "from": report.source,
              "to": report.target}
    audit.log(source, Action.EXPORT, object_type="database", object_id=report.target,
              detail=detail)
    moved = Database.open(end.final)
    try:
        moved.identity = source.identity
        audit.log(moved, Action.IMPORT, object_type="database", object_id=report.source,
                  detail=detail)
        chain = verify_chain(moved)
    finally:
        moved.close()
    return MoveReport(report.source, report.target, report.schema, report.tables,
                      report.copy_seconds, report.verify_seconds,
                      audit_records=chain.records, audit_chain_ok=chain.ok)


@contextmanager
def _snapshot(db: Database) -> Iterator[Connection]:
    """One read transaction over the whole source, so every table is read at the same moment."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


class _FileTarget:
    """A new SQLite file: built under a temporary name beside it, renamed once it verified."""

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser().resolve()
        self.label = str(self.path)
        self.final: str | Path = self.path
        if self.path.exists():
            raise StoreError(
                f"{self.path} already exists: a station is moved into a new file. Give the path "
                "of a file that does not exist yet; nothing was changed.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                        suffix=".moving")
        except OSError as exc:
            raise StoreError(f"Cannot create {self.path}: {exc.strerror}. Choose a writable "
                             "folder; nothing was changed.") from exc
        os.close(fd)
        self.partial = Path(name)
        self.engine: Engine | None = None
        try:
            Database.open(self.partial, create=True).close()
        except BaseException:
            self.discard()
            raise
        self.engine = create_engine(f"sqlite:///{self.partial}")
        install_sqlite_pragmas(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        # A plain engine: without the program's per-connection audit triggers, the copied
        # records go in as they are instead of being re-chained (and refused as changes).
        assert self.engine is not None
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                # A row may point to a later row of its own table (an incident merged into a
                # newer one): foreign keys are checked at commit.
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                _clear(conn)
                with bulk_cache(conn), search_index_suspended(conn):
                    yield conn

    def finish(self) -> None:
        assert self.engine is not None
        self.engine.dispose()
        if self.path.exists():
            raise StoreError(f"{self.path} appeared while the station was being moved; the copy "
                             "was removed and that file left as it is.")
        os.replace(self.partial, self.path)

    def discard(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
        for leftover in (self.partial, Path(f"{self.partial}-wal"), Path(f"{self.partial}-shm")):
            leftover.unlink(missing_ok=True)


class _ServerTarget:
    """An empty PostgreSQL database: schema and copy in one transaction, rolled back on failure."""

    def __init__(self, url: str) -> None:
        self.db = Database.open(url, create=True, migrate=False)
        self.label = self.db.label
        self.final: str | Path = url
        try:
            with self.db.engine.connect() as conn:
                names = inspect(conn).get_table_names()
        except BaseException:
            self.db.close()
            raise
        if names:
            self.db.close()
            raise StoreError(
                f"{self.label} is not empty ({len(names)} tables): a station is moved into an "
                "empty database (createdb NAME). Nothing was changed.")

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        tables = model_tables()
        with self.db.engine.connect() as conn, conn.begin():
            upgrade_schema(conn)
            # The stored triggers (audit records and their chain, the role guard, sync stamps)
            # would record, re-chain or restamp the copied rows; foreign keys stay checked.
            for table in tables:
                conn.exec_driver_sql(f'ALTER TABLE "{table.name}" DISABLE TRIGGER USER')
            drop_search_index(conn)
            _clear(conn)
            yield conn
            create_search_index(conn)
            advance_id_sequences(conn, [t.name for t in tables if _has_serial_id(t)])
            for table in tables:
                conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ENABLE TRIGGER USER')

    def finish(self) -> None:
        # The planner's statistics of the new tables, now rather than when autovacuum gets to
        # them: until then it guesses, and the board's searches can take the wrong index.
        try:
            with self.db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        finally:
            self.db.close()

    def discard(self) -> None:
        self.db.close()


def _has_serial_id(table: Table) -> bool:
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id" and keys[0].autoincrement in (True, "auto")


def _clear(conn: Connection) -> None:
    """Remove the rows a new schema starts with (its migrations' facts): the copy brings its own."""
    for table in reversed(model_tables()):
        conn.execute(delete(table))


def _copy_and_verify(sconn: Connection, tconn: Connection, source: str, target: str, schema: str,
                     progress: ProgressFn | None, batch_rows: int,
                     before_verify: Callable[[Connection], None] | None) -> MoveReport:
    tables = model_tables()
    counts = [int(sconn.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables]
    total = 2 * sum(counts)
    done = 0

    def tick(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None and not progress(done, total):
            raise MoveCancelled("move cancelled")

    started = time.perf_counter()
    copied = [_copy_table(sconn, tconn, t, batch_rows, tick, target) for t in tables]
    copy_seconds = time.perf_counter() - started
    if before_verify is not None:
        before_verify(tconn)
    started = time.perf_counter()
    checks = []
    for table, (rows, digest) in zip(tables, copied, strict=True):
        target_rows, target_digest = _digest(tconn, table, batch_rows, tick)
        checks.append(TableCheck(table.name, rows, target_rows, digest, target_digest))
    if progress is not None:
        progress(total, total)
    return MoveReport(source, target, schema, tuple(checks), copy_seconds,
                      time.perf_counter() - started)


def _row_bytes(row: Sequence[Any]) -> bytes:
    """A row's values in one canonical text: the same Python values give the same bytes."""
    return repr(tuple(row)).encode("utf-8") + b"\n"


def _ordered(conn: Connection, table: Table, batch_rows: int) -> Iterator[Sequence[Any]]:
    """The table's rows in primary-key order, a batch at a time (server-side cursor on PG)."""
    try:
        result = conn.execute(select(table).order_by(*table.primary_key.columns),
                              execution_options={"stream_results": True, "yield_per": batch_rows})
        yield from result.partitions()
    except (DBAPIError, StatementError, ValueError) as exc:
        raise StoreError(f"Cannot read the table {table.name}: {driver_reason(exc)}. Nothing was "
                         "kept at the target.") from exc


def _digest(conn: Connection, table: Table, batch_rows: int,
            tick: Callable[[int], None]) -> tuple[int, str]:
    digest = hashlib.sha256()
    rows = 0
    for part in _ordered(conn, table, batch_rows):
        for row in part:
            digest.update(_row_bytes(row))
        rows += len(part)
        tick(len(part))
    return rows, digest.hexdigest()


def _copy_table(sconn: Connection, tconn: Connection, table: Table, batch_rows: int,
                tick: Callable[[int], None], target: str) -> tuple[int, str]:
    """Copy one table; returns its row count and the digest of the rows as read from the source."""
    digest = hashlib.sha256()
    rows = 0
    # On PostgreSQL a reference to a later row of the same table cannot wait for the commit
    # (the constraints are not deferrable): it is written empty, then set once the table is in.
    own = [] if tconn.dialect.name == "sqlite" else [
        (fk.parent, fk.column) for fk in table.foreign_keys if fk.column.table is table]
    later: list[tuple[Column[Any], Column[Any], Any, Any]] = []
    for part in _ordered(sconn, table, batch_rows):
        batch = []
        for row in part:
            digest.update(_row_bytes(row))
            values = dict(row._mapping)
            for column, referred in own:
                if values[column.name] is not None and values[column.name] > values[referred.name]:
                    later.append((column, referred, values[referred.name], values[column.name]))
                    values[column.name] = None
            batch.append(values)
        _write(tconn, table, batch, target)
        rows += len(part)
        tick(len(part))
    for column, referred, key, value in later:
        tconn.execute(table.update().where(referred == bindparam("_key"))
                      .values({column.name: bindparam("_value")}), {"_key": key, "_value": value})
    return rows, digest.hexdigest()


def _write(conn: Connection, table: Table, batch: list[dict[str, Any]], target: str) -> None:
    """Insert a batch: SQLAlchemy's executemany on SQLite (its types store the values as the
    program does); the dialect's bulk insert (COPY) on PostgreSQL."""
    try:
        if conn.dialect.name == "postgresql":
            names = [c.name for c in table.columns]
            bulk_insert(conn, table, names, [[values[n] for n in names] for values in batch])
        else:
            conn.execute(insert(table), batch)
    except (DBAPIError, StatementError, conn.dialect.loaded_dbapi.Error) as exc:
        keys = [c.name for c in table.primary_key.columns]

        def key(values: dict[str, Any]) -> str:
            return "/".join(str(values[k]) for k in keys)

        # PostgreSQL names the COPY's line and column: say which row that is.
        context = getattr(getattr(getattr(exc, "orig", exc), "diag", None), "context", None) or ""
        line = re.search(r"line (\d+)(, column (\w+))?", context)
        if line and 0 < int(line.group(1)) <= len(batch):
            where = f"the row {key(batch[int(line.group(1)) - 1])}"
            if line.group(3):
                where += f", field {line.group(3)},"
        else:
            where = f"the rows {key(batch[0])} to {key(batch[-1])}"
        raise StoreError(
            f"{target}: {where} of {table.name} could not be written ({driver_reason(exc)}). "
            "Nothing was kept at the target.") from exc
