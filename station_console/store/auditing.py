"""The audit trail's machinery inside the database.

Every create, update and delete of business data is recorded by triggers, so no code path (a
service, a command, a future screen) can change data without leaving a record. On SQLite the
triggers are TEMP triggers that each of the program's connections creates for itself: they call
Python functions registered on that connection for who is acting and where, and for the hash that
chains each record to the one before. A connection opened by another tool has neither, so it can
neither forge a record nor fail on one; what it changes in the audit table breaks the chain,
which ``check`` reports.

On PostgreSQL the triggers are PL/pgSQL functions stored in the database (installed after each
schema upgrade, ``install_audit_triggers``); each of the program's connections tells them who is
acting, where, and its switches through session settings (``station_console.*``) that it sets
before a statement whenever they changed. The record's time is the server's clock and the chain
hash is computed by the server the same way as ``record_hash``; a lock taken per audit record
keeps the chain in one line when several workstations write. A session of another tool has no
such settings: it is not refused, and its changes are recorded under its database role.

Bulk loads (an import of a million rows, the demo station) switch the per-row records off for
their own connection and write one record that says what was loaded.
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from station_console.domain.security import SYSTEM, Identity, may_write

AUDIT_TABLE = "audit_log"
#: Start of the error a refused row change raises (the table's name follows).
PERMISSION_DENIED = "permission denied"
#: Tables whose rows are not business data: the trail itself, schema bookkeeping, indexes that
#: are rebuilt from other tables, and caches.
NOT_AUDITED_PREFIXES = ("incident_fts", "sqlite_", "alembic_")
NOT_AUDITED = frozenset({AUDIT_TABLE, "incident_address_key"})
#: Columns a row's sync identity keeps (``sync_uuid``, ``sync_hlc``…): recorded with the
#: change that moved them, never as a change by themselves.
BOOKKEEPING_PREFIX = "sync_"
#: Columns never copied into the trail (the record says that they changed, not their value).
SECRET_COLUMNS = frozenset({"password_hash"})
SECRET_MARK = "(changed)"
#: The fields of a record that its hash covers, in order.
CHAINED_FIELDS = ("id", "at", "username", "workstation", "action", "object_type", "object_id",
                  "outcome", "detail")

_ROWS_FLAG = "station_console_audit_rows"
_PURGE_FLAG = "station_console_audit_purge"
_IDENTITY = "station_console_identity"
_CHECKED = "station_console_write_checked"


def default_workstation() -> str:
    """The computer's name, recorded with every action."""
    try:
        return socket.gethostname()
    except OSError:
        return ""


@dataclass
class AuditContext:
    """Who is acting on a database (one per open database) and the clock of the records."""

    identity: Identity = SYSTEM
    workstation: str = field(default_factory=default_workstation)
    clock: Callable[[], datetime] = datetime.now

    def now_text(self) -> str:
        return self.clock().isoformat(sep=" ", timespec="milliseconds")


def record_hash(prev_hash: str | None, values: tuple[Any, ...]) -> str:
    """The SHA-256 that chains a record (its ``CHAINED_FIELDS`` values) to the one before."""
    payload = json.dumps([prev_hash or "", *values], ensure_ascii=False, separators=(",", ":"),
                         default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _diff(before: str | None, after: str | None) -> str:
    """The changed fields only, as ``{"before": {...}, "after": {...}}``."""
    old = json.loads(before) if before else {}
    new = json.loads(after) if after else {}
    keys = [k for k in (new or old) if old.get(k) != new.get(k)] if old and new else list(new or old)
    out: dict[str, dict[str, Any]] = {}
    if old:
        out["before"] = {k: SECRET_MARK if k in SECRET_COLUMNS else old.get(k) for k in keys}
    if new:
        out["after"] = {k: SECRET_MARK if k in SECRET_COLUMNS else new.get(k) for k in keys}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def install_audit(engine: Engine, ctx: AuditContext) -> None:
    """Register the audit machinery on every new connection of ``engine``."""
    if engine.dialect.name == "postgresql":
        _install_pg_session(engine, ctx)
    else:
        _install_sqlite(engine, ctx)


def _install_sqlite(engine: Engine, ctx: AuditContext) -> None:
    """Register the audit functions and TEMP triggers on every new SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        info = record.info

        def identity() -> Identity:
            return info.get(_IDENTITY) or ctx.identity

        def may(table: str) -> int:
            return int(bool(info.get(_CHECKED)) or may_write(identity(), table))

        dbapi_conn.create_function("sc_user", 0, lambda: identity().username)
        dbapi_conn.create_function("sc_may", 1, may)
        dbapi_conn.create_function("sc_ws", 0, lambda: ctx.workstation)
        dbapi_conn.create_function("sc_now", 0, ctx.now_text)
        dbapi_conn.create_function("sc_rows", 0, lambda: int(info.get(_ROWS_FLAG, True)))
        dbapi_conn.create_function("sc_purge", 0, lambda: int(info.get(_PURGE_FLAG, False)))
        dbapi_conn.create_function("sc_diff", 2, _diff, deterministic=True)
        dbapi_conn.create_function(
            "sc_chain", 1 + len(CHAINED_FIELDS),
            lambda prev, *values: record_hash(prev, values), deterministic=True)
        cur = dbapi_conn.cursor()
        try:
            if cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           (AUDIT_TABLE,)).fetchone():
                for sql in _trigger_statements(cur):
                    cur.execute(sql)
        finally:
            cur.close()


def _audited_tables(cur: Any) -> dict[str, list[tuple[str, str, int]]]:
    """Each audited table with its columns (name, declared type, primary-key position)."""
    names = [r[0] for r in cur.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()]
    tables: dict[str, list[tuple[str, str, int]]] = {}
    for name in names:
        if name in NOT_AUDITED or name.startswith(NOT_AUDITED_PREFIXES):
            continue
        cols = cur.execute(f'PRAGMA main.table_info("{name}")').fetchall()
        tables[name] = [(c[1], (c[2] or "").upper(), c[5]) for c in cols]
    return tables


def _json_of(alias: str, cols: list[tuple[str, str, int]]) -> str:
    parts = []
    for name, type_, _pk in cols:
        value = f"hex({alias}.{name})" if "BLOB" in type_ else f"{alias}.{name}"
        parts.append(f"'{name}', {value}")
    return f"json_object({', '.join(parts)})"


def _object_id(alias: str, cols: list[tuple[str, str, int]]) -> str:
    keys = sorted((pk, name) for name, _t, pk in cols if pk)
    names = [name for _pk, name in keys] or [cols[0][0]]
    return " || '/' || ".join(f"CAST({alias}.{n} AS TEXT)" for n in names)


def _trigger_statements(cur: Any) -> list[str]:
    statements = []
    insert = ("INSERT INTO audit_log (at, username, workstation, action, object_type, "
              "object_id, outcome, detail) VALUES (sc_now(), sc_user(), sc_ws(), '{action}', "
              "'{table}', {oid}, 'ok', sc_diff({before}, {after}))")
    for table, cols in _audited_tables(cur).items():
        # Sync bookkeeping (a row's clock, restamped after each edit) is not a change of its own.
        business = [c for c in cols if not c[0].startswith(BOOKKEEPING_PREFIX)] or cols
        new_json, old_json = _json_of("NEW", business), _json_of("OLD", business)
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c, _t, _pk in business)
        specs = [
            ("create", "INSERT", "sc_rows()", "NULL", new_json, "NEW"),
            ("update", "UPDATE", f"sc_rows() AND ({changed})", old_json, new_json, "NEW"),
            ("delete", "DELETE", "sc_rows()", old_json, "NULL", "OLD"),
        ]
        for action, verb, when, before, after, alias in specs:
            body = insert.format(action=action, table=table, oid=_object_id(alias, cols),
                                 before=before, after=after)
            statements.append(
                f'CREATE TEMP TRIGGER IF NOT EXISTS "audit_{table}_{action}" AFTER {verb} '
                f'ON main."{table}" WHEN {when} BEGIN {body}; END')
            statements.append(
                f'CREATE TEMP TRIGGER IF NOT EXISTS "guard_{table}_{action}" BEFORE {verb} '
                f"ON main.\"{table}\" WHEN NOT sc_may('{table}') BEGIN "
                f"SELECT RAISE(ABORT, '{PERMISSION_DENIED}: {table}'); END")
    prev = "(SELECT hash FROM audit_log WHERE id < NEW.id ORDER BY id DESC LIMIT 1)"
    fields = ", ".join(f"NEW.{f}" for f in CHAINED_FIELDS)
    statements += [
        "CREATE TEMP TRIGGER IF NOT EXISTS audit_log_chain AFTER INSERT ON main.audit_log "
        f"BEGIN UPDATE audit_log SET prev_hash = {prev}, hash = sc_chain({prev}, {fields}) "
        "WHERE id = NEW.id; END",
        "CREATE TEMP TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE ON main.audit_log "
        "WHEN OLD.hash IS NOT NULL BEGIN "
        "SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        "CREATE TEMP TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON main.audit_log "
        "WHEN NOT sc_purge() BEGIN "
        "SELECT RAISE(ABORT, 'audit records are removed only by the retention purge'); END",
    ]
    return statements


@contextmanager
def rows_unrecorded(conn: Connection) -> Iterator[None]:
    """Switch the per-row records off on this connection (a bulk load records itself once)."""
    conn.info[_ROWS_FLAG] = False
    try:
        yield
    finally:
        conn.info[_ROWS_FLAG] = True


@contextmanager
def acting_as(conn: Connection, identity: Identity) -> Iterator[None]:
    """Let this connection act as another identity (sign-in updating the account it checks)."""
    conn.info[_IDENTITY] = identity
    try:
        yield
    finally:
        conn.info.pop(_IDENTITY, None)


@contextmanager
def writes_checked(conn: Connection) -> Iterator[None]:
    """A bulk load whose permission the caller has checked once: skip the per-row check."""
    conn.info[_CHECKED] = True
    try:
        yield
    finally:
        conn.info.pop(_CHECKED, None)


@contextmanager
def purge_allowed(conn: Connection) -> Iterator[None]:
    """Let this connection delete audit records (the retention purge, after its archive)."""
    conn.info[_PURGE_FLAG] = True
    try:
        yield
    finally:
        conn.info[_PURGE_FLAG] = False


# ---- PostgreSQL ----------------------------------------------------------------------------

_PG_SETTINGS = ("user", "ws", "deny", "rows", "purge", "now")
_PG_PUSHED = "station_console_pg_settings"
#: Key of the transaction lock that keeps audit records (and their chain) in one line.
_PG_CHAIN_LOCK = 0x5C_A0D1


def _pg_state(info: dict[str, Any], ctx: AuditContext, denied: Callable[[Identity], str]) -> tuple[str, ...]:
    identity = info.get(_IDENTITY) or ctx.identity
    # The real clock is the server's (in the workstation's zone); a test's clock is sent.
    now = "" if ctx.clock == datetime.now else ctx.now_text()
    return (identity.username, ctx.workstation, "" if info.get(_CHECKED) else denied(identity),
            "1" if info.get(_ROWS_FLAG, True) else "0", "1" if info.get(_PURGE_FLAG) else "0", now)


def _install_pg_session(engine: Engine, ctx: AuditContext) -> None:
    """Send who acts and the connection's switches to the server before a statement needs them."""
    cache: dict[Identity, str] = {}

    def denied(identity: Identity) -> str:
        if identity not in cache:
            names = [t for t in SQLModel.metadata.tables if not may_write(identity, t)]
            cache[identity] = "," + ",".join(names) + ","
        return cache[identity]

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Settings made in a transaction that rolls back are undone: send them again.
        conn.connection.info.pop(_PG_PUSHED, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Connection, cursor: Any, statement: str, parameters: Any,
                context: Any, executemany: bool) -> None:
        info = conn.connection.info
        state = _pg_state(conn.info, ctx, denied)
        if info.get(_PG_PUSHED) == state:
            return
        sets = ", ".join(f"set_config('station_console.{n}', %s, false)" for n in _PG_SETTINGS)
        cursor.execute(f"SELECT {sets}", state)
        info[_PG_PUSHED] = state


def _pg_setting(name: str) -> str:
    return f"current_setting('station_console.{name}', true)"


def _pg_functions() -> list[str]:
    # No '%' in these bodies: the driver would read it as a parameter mark.
    program = f"coalesce({_pg_setting('user')}, '') <> ''"
    chained = " || ',' || ".join(f"coalesce(to_json(NEW.{f})::text, 'null')" for f in CHAINED_FIELDS)
    secrets = "ARRAY[" + ", ".join(f"'{c}'" for c in sorted(SECRET_COLUMNS)) + "]"
    return [
        # Booleans as 0 and 1, as SQLite stores them.
        f"""CREATE OR REPLACE FUNCTION sc_audit_object(j json, keys text[], secret text[])
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
          SELECT '{{' || coalesce(string_agg(to_json(k)::text || ':' || CASE WHEN k = ANY(secret)
                 THEN to_json('{SECRET_MARK}'::text)::text
                 WHEN json_typeof(j -> k) = 'boolean' THEN (j ->> k)::boolean::int::text
                 ELSE (j -> k)::text END, ',' ORDER BY o), '')
                 || '}}'
          FROM unnest(keys) WITH ORDINALITY AS u(k, o)
        $$""",
        f"""CREATE OR REPLACE FUNCTION sc_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          before_j json := CASE WHEN TG_OP <> 'INSERT' THEN row_to_json(OLD) END;
          after_j json := CASE WHEN TG_OP <> 'DELETE' THEN row_to_json(NEW) END;
          keys text[];
          detail text;
          oid text;
        BEGIN
          SELECT array_agg(key ORDER BY o) INTO keys
            FROM json_each(coalesce(after_j, before_j)) WITH ORDINALITY AS e(key, value, o)
            WHERE left(key, {len(BOOKKEEPING_PREFIX)}) <> '{BOOKKEEPING_PREFIX}';
          IF TG_OP = 'UPDATE' THEN
            keys := ARRAY(SELECT k FROM unnest(keys) WITH ORDINALITY AS u(k, o)
                          WHERE (before_j -> k)::jsonb IS DISTINCT FROM (after_j -> k)::jsonb
                          ORDER BY o);
            IF cardinality(keys) = 0 THEN RETURN NULL; END IF;
          END IF;
          IF before_j IS NULL THEN
            detail := '{{"after":' || sc_audit_object(after_j, keys, {secrets}) || '}}';
          ELSIF after_j IS NULL THEN
            detail := '{{"before":' || sc_audit_object(before_j, keys, {secrets}) || '}}';
          ELSE
            detail := '{{"before":' || sc_audit_object(before_j, keys, {secrets}) || ',"after":'
                      || sc_audit_object(after_j, keys, {secrets}) || '}}';
          END IF;
          SELECT string_agg(coalesce(after_j, before_j) ->> k, '/' ORDER BY o) INTO oid
            FROM unnest(TG_ARGV) WITH ORDINALITY AS u(k, o);
          INSERT INTO {AUDIT_TABLE} (at, username, workstation, action, object_type, object_id,
                                     outcome, detail)
          VALUES (coalesce(nullif({_pg_setting('now')}, ''),
                           to_char(clock_timestamp()::timestamp, 'YYYY-MM-DD HH24:MI:SS.MS')),
                  CASE WHEN {program} THEN {_pg_setting('user')} ELSE session_user::text END,
                  coalesce({_pg_setting('ws')}, coalesce(host(inet_client_addr()), '')),
                  CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update'
                             ELSE 'delete' END,
                  TG_TABLE_NAME, oid, 'ok', detail);
          RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION sc_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF position(',' || TG_TABLE_NAME || ',' IN coalesce({_pg_setting('deny')}, '')) > 0 THEN
            RAISE EXCEPTION USING MESSAGE = '{PERMISSION_DENIED}: ' || TG_TABLE_NAME;
          END IF;
          RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION sc_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          -- One writer of records at a time, to its commit: the record before is committed, and
          -- the id follows it without a gap (as SQLite's rowid; a sequence skips on rollback).
          PERFORM pg_advisory_xact_lock({_PG_CHAIN_LOCK});
          SELECT id + 1, hash INTO NEW.id, NEW.prev_hash FROM {AUDIT_TABLE}
            ORDER BY id DESC LIMIT 1;
          NEW.id := coalesce(NEW.id, 1);
          NEW.hash := encode(sha256(convert_to('[' || to_json(coalesce(NEW.prev_hash, ''))::text
                      || ',' || {chained} || ']', 'UTF8')), 'hex');
          RETURN NEW;
        END $$""",
        """CREATE OR REPLACE FUNCTION sc_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'the audit trail is append-only';
          END IF;
          RAISE EXCEPTION 'audit records are removed only by the retention purge';
        END $$""",
    ]


def _pg_pk_columns(conn: Connection, table: str) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %(t)s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)", {"t": f'"{table}"'}).scalars().all()
    if rows:
        return list(rows)
    return [conn.exec_driver_sql(
        "SELECT attname FROM pg_attribute WHERE attrelid = %(t)s::regclass AND attnum = 1",
        {"t": f'"{table}"'}).scalar_one()]


def _pg_trigger_statements(conn: Connection, table: str) -> list[str]:
    keys = ", ".join(f"'{c}'" for c in _pg_pk_columns(conn, table))
    rows = f"coalesce({_pg_setting('rows')}, '1') <> '0'"
    out = []
    for action, verb in (("create", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")):
        out.append(f'CREATE OR REPLACE TRIGGER "audit_{table}_{action}" AFTER {verb} ON "{table}" '
                   f"FOR EACH ROW WHEN ({rows}) EXECUTE FUNCTION sc_audit_row({keys})")
        out.append(f'CREATE OR REPLACE TRIGGER "guard_{table}_{action}" BEFORE {verb} ON "{table}" '
                   "FOR EACH STATEMENT EXECUTE FUNCTION sc_audit_guard()")
    return out


def install_audit_triggers(conn: Connection) -> None:
    """Install the audit functions and the triggers a server database lacks (new tables).

    Only on PostgreSQL: SQLite's triggers are made by each connection for itself.
    """
    if conn.dialect.name != "postgresql":
        return
    tables = [t for t in conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ).scalars() if t not in NOT_AUDITED and not t.startswith(NOT_AUDITED_PREFIXES)]
    have = set(conn.exec_driver_sql(
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").scalars())
    missing = [t for t in tables if f"audit_{t}_create" not in have]
    # The functions are replaced every time, so a newer program's version takes over.
    for sql in _pg_functions():
        conn.exec_driver_sql(sql)
    for table in missing:
        for sql in _pg_trigger_statements(conn, table):
            conn.exec_driver_sql(sql)
    purge = f"coalesce({_pg_setting('purge')}, '0') <> '1'"
    for sql in (
        f"CREATE OR REPLACE TRIGGER audit_log_chain BEFORE INSERT ON {AUDIT_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION sc_audit_chain()",
        f"CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE ON {AUDIT_TABLE} "
        "FOR EACH ROW WHEN (OLD.hash IS NOT NULL) EXECUTE FUNCTION sc_audit_refuse()",
        f"CREATE OR REPLACE TRIGGER audit_log_no_delete BEFORE DELETE ON {AUDIT_TABLE} "
        f"FOR EACH ROW WHEN ({purge}) EXECUTE FUNCTION sc_audit_refuse()",
    ):
        conn.exec_driver_sql(sql)
