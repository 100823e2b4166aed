"""Opening the station database: checks, the connection factory and schema migrations.

``Database.open`` never overwrites or "repairs" a file it does not recognise: a missing,
foreign, damaged, read-only or newer database raises ``StoreError`` with a message that names
the file and says what to do. The target is an SQLite file's path, or the URL of a PostgreSQL
database (``postgresql://user@host:5432/name``), which gets the same checks.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import Session

from station_console import __version__
from station_console.domain.security import Identity
from station_console.store.auditing import AuditContext, install_audit, install_audit_triggers
from station_console.store.dialect import (
    SQLITE_BUSY_TIMEOUT_MS,
    WRITE_OPTION,
    install_postgres_session,
    install_sqlite_pragmas,
    postgres_url,
)

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreError(Exception):
    """A database problem the user can act on; the message is meant to be shown as it is."""


@dataclass(frozen=True)
class SchemaState:
    """The schema revision a database is at, and the newest this program knows."""

    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def _alembic_config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_alembic_config())


def known_revisions() -> set[str]:
    """Every schema revision this program knows (it can upgrade from any of them)."""
    return {rev.revision for rev in _script().walk_revisions()}


def schema_head() -> str:
    """The newest schema revision this program can write."""
    head = _script().get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def driver_reason(exc: BaseException) -> str:
    """The first line of what the database driver said (the wrapped error's, if any)."""
    orig = getattr(exc, "orig", None)
    return (str(orig) if orig is not None else str(exc)).strip().splitlines()[0]


def is_database_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``--db`` names a database server (a URL) rather than an SQLite file."""
    return isinstance(target, str) and "://" in target


def _server_url(target: str) -> URL:
    """The SQLAlchemy URL of a PostgreSQL database (the psycopg 3 driver unless one is named)."""
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise StoreError(f"{target} is not a database URL ({exc}). Give an SQLite file's path "
                         "or a URL like postgresql://user@host:5432/station.") from exc
    if url.get_backend_name() != "postgresql":
        raise StoreError(
            f"{url.render_as_string(hide_password=True)}: only SQLite files and PostgreSQL "
            "servers (postgresql://...) are supported.")
    return postgres_url(url)


def _check_sqlite_file(path: Path, create: bool) -> None:
    """Refuse anything that is not a writable SQLite file (or a creatable new one)."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file. Give the path of a .db file.")
    if path.exists():
        try:
            with path.open("rb") as fh:
                header = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"Cannot read {path}: {exc.strerror}. Check the file's permissions.") from exc
        if header and header != SQLITE_HEADER:
            raise StoreError(
                f"{path} is not a Station Console database (it is not an SQLite file). "
                "The file was left unchanged; check the path given with --db."
            )
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise StoreError(
                f"{path} is read-only (the file or its folder cannot be written). The console "
                "needs to write to its database; copy it to a writable folder or fix permissions."
            )
        return
    if not create:
        raise StoreError(f"There is no database at {path}. Create one with the 'demo' command.")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the folder {parent} for the database: {exc.strerror}."
        ) from exc
    if not os.access(parent, os.W_OK):
        raise StoreError(
            f"Cannot create {path}: the folder {parent} is read-only. Choose a writable location."
        )


def _checkpoint(path: Path) -> None:
    """Copy the write-ahead log into the database file, without waiting for or blocking anyone
    (a reader still using old pages leaves them for the next checkpoint).

    Nothing is lost when this fails (the file gone, the disk full): the committed data is in the
    log, and the next commit's automatic checkpoint copies it instead.
    """
    try:
        raw = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            raw.close()
    except sqlite3.Error:
        return


class Database:
    """An open station database: its engine and the read and write transaction helpers."""

    def __init__(self, engine: Engine, path: Path | None,
                 audit: AuditContext | None = None) -> None:
        self.engine = engine
        self.path = path
        #: Who acts on this database (the program's system identity until someone signs in).
        self.audit = audit or AuditContext()
        #: The background checkpoint after the last bulk write (see ``bulk_write``).
        self._checkpoint: threading.Thread | None = None

    @property
    def identity(self) -> Identity:
        return self.audit.identity

    @identity.setter
    def identity(self, identity: Identity) -> None:
        self.audit.identity = identity

    @classmethod
    def open(cls, target: str | os.PathLike[str], *, create: bool = False,
             migrate: bool = True) -> Database:
        """Open (and with ``create`` make) the database at a path, upgrading its schema.

        The file is inspected read-only first, so a file that is not ours, is damaged or
        comes from a newer program is refused before anything (even WAL mode) touches it.
        """
        if is_database_url(target):
            return cls._open_server(str(target), create=create, migrate=migrate)
        path = Path(target).expanduser().resolve()
        _check_sqlite_file(path, create)
        found = _inspect_sqlite(path) if path.exists() else _Found(tables=0, revision=None)
        if found.revision is not None and found.revision not in known_revisions():
            raise StoreError(
                f"{path} was written by Station Console {found.program_version or 'a newer version'}"
                f" (schema {found.revision}); this is version {__version__}, which knows schemas "
                f"up to {schema_head()}. Install the newer program to open it. The file was left "
                "unchanged."
            )
        if found.tables and found.revision is None:
            raise StoreError(
                f"{path} is an SQLite file of another program (it has tables but no "
                "Station Console schema). The file was left unchanged."
            )
        engine = create_engine(f"sqlite:///{path}", future=True)
        install_sqlite_pragmas(engine)
        return cls._start(engine, path, migrate=migrate)

    @classmethod
    def _open_server(cls, target: str, *, create: bool, migrate: bool) -> Database:
        """Open a PostgreSQL database: refused unless it is empty (with ``create``) or ours."""
        url = _server_url(target)
        label = url.render_as_string(hide_password=True)
        engine = create_engine(url, pool_pre_ping=True)
        try:
            with engine.connect() as conn:
                names = set(inspect(conn).get_table_names())
                revision = MigrationContext.configure(conn).get_current_revision()
                program = None
                if "app_meta" in names:
                    program = conn.execute(text(
                        "SELECT value FROM app_meta WHERE key = 'program_version'")).scalar()
        except DBAPIError as exc:
            engine.dispose()
            reason = driver_reason(exc)
            raise StoreError(
                f"Cannot connect to the database {label}: {reason}. Check the server's address, "
                "the database name, the user and password, and that the server is running."
            ) from exc
        try:
            if revision is not None and revision not in known_revisions():
                raise StoreError(
                    f"{label} was written by Station Console {program or 'a newer version'} "
                    f"(schema {revision}); this is version {__version__}, which knows schemas up "
                    f"to {schema_head()}. Install the newer program to open it. The database was "
                    "left unchanged.")
            if names and revision is None:
                raise StoreError(
                    f"{label} holds tables of another program (no Station Console schema). The "
                    "database was left unchanged; give an empty database.")
            if not names and not create:
                raise StoreError(
                    f"The database {label} is empty. Create a station in it with the 'demo' "
                    "command, or give another --db.")
        except BaseException:
            engine.dispose()
            raise
        return cls._start(engine, None, migrate=migrate)

    @classmethod
    def _start(cls, engine: Engine, path: Path | None, *, migrate: bool) -> Database:
        """Install the connection machinery on a checked engine and bring its schema to head."""
        audit = AuditContext()
        if engine.dialect.name == "postgresql":
            install_postgres_session(engine)
        install_audit(engine, audit)
        db = cls(engine, path, audit)
        try:
            state = db.schema_state()
            if migrate and not state.up_to_date:
                db._migrate(state)
                # Connections made before the upgrade carry triggers for the old tables.
                engine.dispose()
            if migrate and engine.dialect.name != "sqlite":
                with db.write() as conn:
                    install_audit_triggers(conn)
        except BaseException:
            engine.dispose()
            raise
        return db

    @property
    def label(self) -> str:
        """What to show the user as 'the database' (the file path)."""
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    def settle(self) -> None:
        """Wait for the background checkpoint of the last bulk write, if one is running."""
        if self._checkpoint is not None:
            self._checkpoint.join()

    def close(self) -> None:
        self.settle()
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection inside a read transaction (deferred: never waits for writers)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection inside a write transaction (BEGIN IMMEDIATE); commits on success."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextmanager
    def bulk_write(self) -> Iterator[Connection]:
        """A write transaction for one large change, whose caller has its result sooner.

        On SQLite a commit that leaves more than a thousand pages in the write-ahead log also
        copies them into the database file (the automatic checkpoint) before it returns: for a
        change of hundreds of megabytes that copy is a third of the wait. Here the commit only
        writes the log (durable as before: synchronous FULL), and a background thread copies it
        into the file afterwards. Readers see the committed data either way. ``settle`` and
        ``close`` wait for that thread. On a server database this is ``write``.
        """
        if self.path is None:
            with self.write() as conn:
                yield conn
            return
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            before = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            raw.execute("PRAGMA wal_autocheckpoint = 0")
            try:
                conn = conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
            finally:
                raw.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")
        self.settle()
        self._checkpoint = threading.Thread(target=_checkpoint, args=(self.path,),
                                            name="wal-checkpoint", daemon=True)
        self._checkpoint.start()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """An ORM session bound to one read or write transaction."""
        with (self.write() if write else self.read()) as conn, Session(bind=conn) as session:
            yield session
            if write:
                session.flush()

    def schema_state(self) -> SchemaState:
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        return SchemaState(current=current, head=schema_head())

    def _migrate(self, state: SchemaState) -> None:
        if state.current is not None:
            self._backup_before_upgrade(state.current)
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            command.upgrade(_alembic_config(conn), "head")
            with conn.begin():
                _set_meta(conn, "program_version", __version__)
                _set_meta(conn, "schema_upgraded_at", datetime.now().isoformat(timespec="seconds"))

    def _backup_before_upgrade(self, revision: str) -> None:
        """Keep a copy of the old database before changing its schema."""
        if self.path is None:
            return
        copy_sqlite(self.path, self.path.with_name(f"{self.path.name}.before-{revision}.bak"),
                    standalone=True)


def upgrade_schema(conn: Connection) -> None:
    """Build or upgrade the schema to head inside the caller's transaction on ``conn``.

    On PostgreSQL the DDL is transactional: a rollback leaves the database as it was (a move
    into a server's database builds the schema and the copy in one transaction).
    """
    command.upgrade(_alembic_config(conn), "head")
    install_audit_triggers(conn)


def copy_sqlite(source: Path, target: Path, *, read_only_source: bool = False,
                standalone: bool = False) -> None:
    """Copy an SQLite database with the online backup API (a consistent snapshot).

    ``standalone`` switches the copy to a rollback journal, so it is one self-contained file.
    """
    if read_only_source:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    else:
        src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            if standalone:
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


@dataclass(frozen=True)
class _Found:
    tables: int
    revision: str | None
    program_version: str | None = None


def _inspect_sqlite(path: Path) -> _Found:
    """Look into an existing file read-only: how many tables, which schema revision."""
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot open {path}: {exc}. The file was left unchanged.") from exc
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in names:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        program = None
        if "app_meta" in names:
            row = con.execute("SELECT value FROM app_meta WHERE key = 'program_version'").fetchone()
            program = row[0] if row else None
        return _Found(tables=len(names), revision=revision, program_version=program)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} is damaged or not a database ({str(exc).splitlines()[0]}). The file was "
            "left unchanged; restore it from a backup."
        ) from exc
    finally:
        con.close()


def _set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(text("DELETE FROM app_meta WHERE key = :k"), {"k": key})
    conn.execute(text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value})

