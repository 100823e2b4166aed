"""The one seam for engine-specific SQL.

Everything else in the store writes portable SQL. What differs between SQLite and PostgreSQL
lives here: connection set-up (pragmas on SQLite, the session's time zone on PostgreSQL), the
text-search index over incidents (FTS5 with the trigram tokenizer on SQLite, a pg_trgm GIN index
on PostgreSQL), how bulk loads suspend that index, and the triggers that keep incidents' sync
identity (SQL triggers on SQLite, PL/pgSQL on PostgreSQL). The bulk paths that talk to the driver
directly write their statements once with ``?`` parameters and values in SQLite's stored form;
``driver_sql``, ``driver_cursor`` and ``bulk_insert`` carry them to PostgreSQL.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Table, cast, event, func, text
from sqlalchemy.engine import URL, Connection, Engine

#: Columns of ``incident`` covered by the text search (number, address, description, caller).
SEARCH_COLUMNS = ("incident_no", "address", "description", "caller_name", "caller_phone")
#: FTS5's trigram tokenizer matches substrings of three or more characters only.
TRIGRAM_MIN_CHARS = 3
#: A text in at least this share of the incidents (and at least ``DENSE_MIN_MATCHES`` of them) is
#: searched row by row in the board's order: a page of 100 then takes ~2,000 rows at most.
DENSE_SHARE = 0.05
DENSE_MIN_MATCHES = 5_000
#: PostgreSQL, texts too short for the trigram index: a text found fewer than ``SHORT_RARE_HITS``
#: times in the newest ``SHORT_PROBE_ROWS`` incidents is rare, and its matches (at most
#: ``SHORT_RARE_MAX``) are collected in one scan of the table that also counts them. A common
#: text is counted by a scan and its page found by walking the board's order (a few hundred rows).
SHORT_PROBE_ROWS = 10_000
SHORT_RARE_HITS = 100
SHORT_RARE_MAX = 20_000
#: The index sees every column with this character appended, so any two characters of a column
#: (a two-character name, the end of an address) start a trigram: "XY" is then found through the
#: trigrams beginning with "XY", a range of the index's vocabulary.
END_MARK_SQL = "char(3)"
#: The view the index is built from (the incident columns with the end mark).
_CONTENT_VIEW = "incident_fts_content"
#: PostgreSQL: the trigram index over the searched columns.
_PG_SEARCH_INDEX = "ix_incident_search_trgm"

SQLITE_BUSY_TIMEOUT_MS = 10_000
#: SQLite's page cache during one bulk write (KiB). The default 2 MB is far smaller than the
#: incident table's sixteen indexes, so a big load re-reads and re-writes the same index pages
#: through the operating system for every few rows; 48 MB keeps most of them in memory.
BULK_CACHE_KIB = 49_152
#: Execution option that marks a connection's transactions as writes (BEGIN IMMEDIATE).
WRITE_OPTION = "station_console_write"

_FTS_TRIGGERS = {
    "incident_fts_ai": """
        CREATE TRIGGER IF NOT EXISTS incident_fts_ai AFTER INSERT ON incident BEGIN
          INSERT INTO incident_fts(rowid, {cols}) VALUES (new.id, {new_cols});
        END""",
    "incident_fts_ad": """
        CREATE TRIGGER IF NOT EXISTS incident_fts_ad AFTER DELETE ON incident BEGIN
          INSERT INTO incident_fts(incident_fts, rowid, {cols}) VALUES ('delete', old.id, {old_cols});
        END""",
    "incident_fts_au": """
        CREATE TRIGGER IF NOT EXISTS incident_fts_au AFTER UPDATE OF {cols} ON incident BEGIN
          INSERT INTO incident_fts(incident_fts, rowid, {cols}) VALUES ('delete', old.id, {old_cols});
          INSERT INTO incident_fts(rowid, {cols}) VALUES (new.id, {new_cols});
        END""",
}


def install_sqlite_pragmas(engine: Engine) -> None:
    """Set the pragmas on every new SQLite connection (busy_timeout before WAL)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN reach SQLite unchanged; pysqlite would otherwise open
        # transactions lazily and break BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front instead of failing on a lock upgrade later;
        # readers stay deferred so that they never wait for another workstation's writer.
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def postgres_url(url: URL) -> URL:
    """A PostgreSQL URL with the psycopg 3 driver unless the URL names another one."""
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def install_postgres_session(engine: Engine) -> None:
    """Give every new PostgreSQL session the workstation's UTC offset as its time zone.

    Timestamps are stored without a zone, as local wall-clock time (as on SQLite); the server's
    own clock (audit records, ``localtimestamp``) then reads as the workstation's clock does.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        offset = datetime.now().astimezone().utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        sign = "-" if minutes < 0 else "+"
        zone = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET TIME ZONE INTERVAL '{zone}' HOUR TO MINUTE")
        dbapi_conn.commit()


def _trigger_sql() -> list[str]:
    cols = ", ".join(SEARCH_COLUMNS)
    new_cols = ", ".join(f"new.{c} || {END_MARK_SQL}" for c in SEARCH_COLUMNS)
    old_cols = ", ".join(f"old.{c} || {END_MARK_SQL}" for c in SEARCH_COLUMNS)
    return [
        sql.format(cols=cols, new_cols=new_cols, old_cols=old_cols) for sql in _FTS_TRIGGERS.values()
    ]


def _pg_search_text(prefix: str = "") -> str:
    """The searched columns as one text (PostgreSQL): the trigram index's expression.

    The columns are joined by a control character that no search text contains, so a match never
    spans two columns. The board's clause must repeat the expression exactly to use the index.
    """
    return " || chr(31) || ".join(f"coalesce({prefix}{c}, '')" for c in SEARCH_COLUMNS)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: the text-search index (FTS5 tables, pg_trgm index) is managed here."""
    if type_ == "index":
        return name != _PG_SEARCH_INDEX
    return not (type_ == "table" and name is not None and name.startswith("incident_fts"))


def create_search_index(conn: Connection) -> None:
    """Create the incident text-search index for this engine and fill it from existing rows."""
    if conn.dialect.name == "sqlite":
        cols = ", ".join(SEARCH_COLUMNS)
        marked = ", ".join(f"{c} || {END_MARK_SQL} AS {c}" for c in SEARCH_COLUMNS)
        conn.exec_driver_sql(
            f"CREATE VIEW IF NOT EXISTS {_CONTENT_VIEW} AS SELECT id, {marked} FROM incident")
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS incident_fts USING fts5({cols}, "
            f"content='{_CONTENT_VIEW}', content_rowid='id', tokenize='trigram')"
        )
        for sql in _trigger_sql():
            conn.exec_driver_sql(sql)
        conn.exec_driver_sql("INSERT INTO incident_fts(incident_fts) VALUES ('rebuild')")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {_PG_SEARCH_INDEX} ON incident "
            f"USING gin (({_pg_search_text()}) gin_trgm_ops)"
        )


def drop_search_index(conn: Connection) -> None:
    """Remove the text-search index (migration downgrade)."""
    if conn.dialect.name == "sqlite":
        for name in _FTS_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS incident_fts")
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {_CONTENT_VIEW}")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {_PG_SEARCH_INDEX}")


@contextmanager
def search_index_suspended(conn: Connection) -> Iterator[None]:
    """Bulk loads: drop the per-row index triggers, then rebuild the index once at the end."""
    if conn.dialect.name != "sqlite":
        yield
        return
    for name in _FTS_TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    yield
    for sql in _trigger_sql():
        conn.exec_driver_sql(sql)
    conn.exec_driver_sql("INSERT INTO incident_fts(incident_fts) VALUES ('rebuild')")


@contextmanager
def bulk_cache(conn: Connection, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A large SQLite page cache for one bulk write; the connection's own size again afterwards.

    The memory is given back when the cache shrinks at the end. PostgreSQL's buffers are the
    server's business, so there this does nothing.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


#: Hybrid-clock value of the present moment: milliseconds since the epoch, times 2^16.
_SQLITE_NOW_HLC = "(CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) * 65536)"
_PG_NOW_HLC = "(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint * 65536)"
_SYNC_NODE = "(SELECT value FROM app_meta WHERE key = 'sync_station_id')"
_SYNC_TRIGGERS = ("incident_sync_au", "incident_sync_ad")


def _sqlite_sync_triggers(content_columns: Sequence[str]) -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in content_columns)
    return [
        f"""CREATE TRIGGER incident_sync_au AFTER UPDATE OF {", ".join(content_columns)} ON incident
        WHEN OLD.sync_uuid IS NOT NULL AND NEW.sync_seq IS OLD.sync_seq AND ({changed})
        BEGIN
          UPDATE incident SET sync_origin = {_SYNC_NODE}, sync_base = OLD.sync_hlc,
            sync_hlc = max({_SQLITE_NOW_HLC}, OLD.sync_hlc + 1),
            sync_seq = (SELECT max(sync_seq) FROM incident) + 1
          WHERE id = NEW.id;
        END""",
        f"""CREATE TRIGGER incident_sync_ad AFTER DELETE ON incident
        WHEN OLD.sync_uuid IS NOT NULL
        BEGIN
          INSERT OR IGNORE INTO sync_tombstone (table_name, row_uuid, row_key, origin, hlc, base, seq)
          VALUES ('incident', OLD.sync_uuid, OLD.incident_no, {_SYNC_NODE},
                  max({_SQLITE_NOW_HLC}, OLD.sync_hlc + 1), OLD.sync_hlc,
                  coalesce((SELECT max(seq) FROM sync_tombstone), 0) + 1);
        END""",
    ]


def _pg_sync_triggers(content_columns: Sequence[str]) -> list[str]:
    # The new version is stamped on the row being written (BEFORE UPDATE), which has the same
    # result as SQLite's follow-up UPDATE without a second write of the row.
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in content_columns)
    return [
        f"""CREATE OR REPLACE FUNCTION incident_sync_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.sync_origin := {_SYNC_NODE};
          NEW.sync_base := OLD.sync_hlc;
          NEW.sync_hlc := greatest({_PG_NOW_HLC}, OLD.sync_hlc + 1);
          NEW.sync_seq := (SELECT max(sync_seq) FROM incident) + 1;
          RETURN NEW;
        END $$""",
        f"""CREATE TRIGGER incident_sync_au BEFORE UPDATE OF {", ".join(content_columns)}
        ON incident FOR EACH ROW
        WHEN (OLD.sync_uuid IS NOT NULL AND NEW.sync_seq IS NOT DISTINCT FROM OLD.sync_seq
              AND ({changed}))
        EXECUTE FUNCTION incident_sync_stamp()""",
        f"""CREATE OR REPLACE FUNCTION incident_sync_tombstone() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO sync_tombstone (table_name, row_uuid, row_key, origin, hlc, base, seq)
          VALUES ('incident', OLD.sync_uuid, OLD.incident_no, {_SYNC_NODE},
                  greatest({_PG_NOW_HLC}, OLD.sync_hlc + 1), OLD.sync_hlc,
                  coalesce((SELECT max(seq) FROM sync_tombstone), 0) + 1)
          ON CONFLICT DO NOTHING;
          RETURN NULL;
        END $$""",
        """CREATE TRIGGER incident_sync_ad AFTER DELETE ON incident FOR EACH ROW
        WHEN (OLD.sync_uuid IS NOT NULL) EXECUTE FUNCTION incident_sync_tombstone()""",
    ]


def create_sync_triggers(conn: Connection, content_columns: Sequence[str]) -> None:
    """Triggers that restamp an edited incident's sync identity and leave tombstones."""
    if conn.dialect.name == "sqlite":
        statements = _sqlite_sync_triggers(content_columns)
    else:
        statements = _pg_sync_triggers(content_columns)
    for sql in statements:
        conn.exec_driver_sql(sql)


def drop_sync_triggers(conn: Connection) -> None:
    """Remove the sync identity triggers (migration downgrade)."""
    on = "" if conn.dialect.name == "sqlite" else " ON incident"
    for name in _SYNC_TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{on}")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS incident_sync_stamp()")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS incident_sync_tombstone()")


def take_turns(conn: Connection, name: str) -> None:
    """Writers of one kind (``name``) take turns until the end of their transactions.

    PostgreSQL: a transaction-level advisory lock, so a second writer reads only after the first
    committed (READ COMMITTED would otherwise let both find the same rows missing and both
    insert them). SQLite's write transaction already holds the whole file.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def greatest_sql(conn: Connection) -> str:
    """The SQL function giving the largest of its arguments (SQLite's two-argument max)."""
    return "max" if conn.dialect.name == "sqlite" else "greatest"


def random_hex_sql(conn: Connection) -> str:
    """SQL expression for 32 random lower-case hex digits (a row's sync uuid)."""
    if conn.dialect.name == "sqlite":
        return "lower(hex(randomblob(16)))"
    return "replace(gen_random_uuid()::text, '-', '')"


@dataclass(frozen=True)
class TextSearch:
    """How a text filter is evaluated: a WHERE clause over ``incident`` with its parameters, and
    how many incidents contain the text when the index can say so cheaply (else ``None``)."""

    clause: Any
    params: dict[str, Any]
    matches: int | None = None
    #: For counting under other filters: the index clause even where ``clause`` scans rows
    #: (a count needs every match, and collecting them from the index is the cheaper way).
    counting: tuple[Any, dict[str, Any]] | None = None

    def bound(self) -> Any:
        return self.clause.bindparams(**self.params)

    def bound_for_count(self) -> Any:
        clause, params = self.counting or (self.clause, self.params)
        return clause.bindparams(**params)


def search_clause(conn: Connection, needle: str) -> tuple[Any, dict[str, Any]]:
    """A WHERE clause over ``incident`` matching ``needle`` as a substring of the search columns."""
    found = text_search(conn, needle)
    return found.clause, found.params


def text_search(conn: Connection, needle: str, *, alone: bool = False) -> TextSearch:
    """Plan a substring search over the search columns (``alone``: the text is the only filter
    and its matches will be counted).

    On SQLite, queries of 3+ characters match the trigram index as a phrase; two-character ones
    match any indexed trigram that starts with them (every column ends with the end mark, so each
    occurrence starts one); a single character falls back to LIKE. The index also counts the
    matches (a fraction of a join's cost). A text found in many incidents (a common street name)
    is then tested row by row in the board's order instead: the newest page is found after a
    few hundred rows, where ``id IN (matches)`` would first collect every one of them.

    On PostgreSQL one LIKE over the joined columns (ILIKE for text with Latin letters, which
    match case-insensitively as in SQLite's LIKE and FTS5) uses the pg_trgm index for three or
    more characters. A shorter text has no trigram to look up: the index would be read whole
    (seconds at a million incidents), so it is matched column by column, which the index cannot
    serve, and the server scans the table instead (in parallel workers). A rare short text
    searched ``alone`` is collected in that one scan, which also counts it: its page would
    otherwise take a second scan (a walk of the whole time index finding only a few rows).
    Every statement of the transaction is planned with its own text: a cached generic plan,
    made for no text in particular, picks the index for short texts too (the count of a
    two-character text then took 5 s instead of 0.6 s).
    """
    if conn.dialect.name == "sqlite" and len(needle) >= TRIGRAM_MIN_CHARS - 1:
        query = _fts_query(conn, needle)
        if query is None:
            return TextSearch(text("0 = 1"), {}, 0)
        matches = int(conn.exec_driver_sql(
            "SELECT count(*) FROM incident_fts WHERE incident_fts MATCH ?", (query,)).scalar_one())
        # Two subqueries: SQLite answers each lone max()/min() from the primary key.
        span = conn.exec_driver_sql("SELECT (SELECT max(id) FROM incident) - "
                                    "(SELECT min(id) FROM incident) + 1").scalar() or 0
        index = _fts_clause(query)
        if needle.lower() == needle.upper() and matches >= max(DENSE_MIN_MATCHES, DENSE_SHARE * span):
            return TextSearch(*_like_clause(needle), matches, counting=index)
        return TextSearch(*index, matches)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        if len(needle) < TRIGRAM_MIN_CHARS:
            return _pg_short_search(conn, needle, alone)
        return TextSearch(*_pg_like_clause(needle))
    return TextSearch(*_like_clause(needle))


def _pg_short_search(conn: Connection, needle: str, alone: bool) -> TextSearch:
    clause, params = _like_clause(needle, _pg_like_operator(needle))
    if not alone:
        return TextSearch(clause, params)
    hits = conn.execute(text(
        f"SELECT count(*) FROM (SELECT {', '.join(SEARCH_COLUMNS)} FROM incident "
        f"ORDER BY received_at DESC LIMIT {SHORT_PROBE_ROWS}) AS incident WHERE {clause.text}"),
        params).scalar_one()
    if hits >= SHORT_RARE_HITS:
        return TextSearch(clause, params)
    ids = conn.execute(text(f"SELECT id FROM incident WHERE {clause.text} LIMIT {SHORT_RARE_MAX + 1}"),
                       params).scalars().all()
    if len(ids) > SHORT_RARE_MAX:
        return TextSearch(clause, params)
    if not ids:
        return TextSearch(text("0 = 1"), {}, 0)
    return TextSearch(text("incident.id = ANY(:ids)"), {"ids": list(ids)}, len(ids))


def _fts_query(conn: Connection, needle: str) -> str | None:
    """The FTS5 query for a needle of two or more characters (None: it cannot occur)."""
    if len(needle) >= TRIGRAM_MIN_CHARS:
        return _phrase(needle)
    conn.exec_driver_sql("CREATE VIRTUAL TABLE IF NOT EXISTS temp.incident_fts_vocab "
                         "USING fts5vocab(main, incident_fts, 'row')")
    terms = conn.exec_driver_sql(
        "SELECT term FROM temp.incident_fts_vocab WHERE term >= ? AND term < ?",
        (needle.lower(), needle.lower() + "\U0010ffff")).scalars().all()
    return " OR ".join(_phrase(t) for t in terms) if terms else None


def _like_pattern(needle: str) -> str:
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _like_clause(needle: str, operator: str = "LIKE") -> tuple[Any, dict[str, Any]]:
    ors = " OR ".join(f"incident.{c} {operator} :q ESCAPE '\\'" for c in SEARCH_COLUMNS)
    return text(f"({ors})"), {"q": _like_pattern(needle)}


def _pg_like_operator(needle: str) -> str:
    # ILIKE only where case matters: LIKE costs about half per row it tests (Chinese text and
    # digits have no case), and the trigram index serves both.
    return "LIKE" if needle.lower() == needle.upper() else "ILIKE"


def _pg_like_clause(needle: str) -> tuple[Any, dict[str, Any]]:
    clause = text(f"({_pg_search_text('incident.')}) {_pg_like_operator(needle)} :q ESCAPE '\\'")
    return clause, {"q": _like_pattern(needle)}


def _phrase(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _fts_clause(query: str) -> tuple[Any, dict[str, Any]]:
    clause = text("incident.id IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH :q)")
    return clause, {"q": query}


def seconds_between(conn: Connection, start: str, end: str) -> str:
    """SQL expression for the seconds from column ``start`` to column ``end``."""
    if conn.dialect.name == "sqlite":
        return f"((julianday({end}) - julianday({start})) * 86400.0)"
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


def integrity_problems(conn: Connection) -> list[str]:
    """Low-level consistency problems of the database file (empty when it is sound)."""
    if conn.dialect.name != "sqlite":
        return []
    rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    problems = [str(r) for r in rows if str(r) != "ok"]
    for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check").all():
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent} row")
    return problems


def epoch_seconds(conn: Connection, column: Any) -> Any:
    """Whole seconds since the epoch of a naive datetime column (fractions dropped)."""
    if conn.dialect.name == "sqlite":
        return cast(func.strftime("%s", column), Integer)
    return cast(func.floor(func.extract("epoch", column)), Integer)


def hour_of_day(conn: Connection, column: Any) -> Any:
    """The hour (0-23) of a datetime column."""
    if conn.dialect.name == "sqlite":
        return cast(func.strftime("%H", column), Integer)
    return cast(func.extract("hour", column), Integer)


def weekday_of(conn: Connection, column: Any) -> Any:
    """The weekday of a datetime column, Monday 0 to Sunday 6 (as Python's ``weekday()``)."""
    if conn.dialect.name == "sqlite":
        return (cast(func.strftime("%w", column), Integer) + 6) % 7
    return cast(func.extract("isodow", column), Integer) - 1


def day_of(conn: Connection, column: Any) -> Any:
    """The calendar day of a datetime column as ``YYYY-MM-DD`` text."""
    if conn.dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d", column)
    return cast(func.date(column), String)


def driver_sql(conn: Connection, sql: str) -> str:
    """A statement written with ``?`` parameters in the driver's own parameter style.

    The bulk paths execute straight through the driver (``exec_driver_sql``): SQLite's driver
    takes ``?``, psycopg takes ``%s`` (and a literal ``%`` doubled). On SQLite the text is
    returned unchanged, so its raw executemany keeps its speed.
    """
    if conn.dialect.paramstyle == "qmark" or "?" not in sql:
        return sql
    return sql.replace("%", "%%").replace("?", "%s")


def driver_cursor(conn: Connection) -> Any:
    """A cursor on the connection's driver for row-at-a-time work in SQLite's terms.

    On SQLite the driver's own cursor. On PostgreSQL a stand-in that takes the same ``?``
    statements and returns values as SQLite stores them (times as text, flags as 0/1), so what
    is read (a change package's rows) is the same on both engines.
    """
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        return raw.cursor()
    return _StoredFormCursor(raw)


def _stored_form(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, bool):
        return int(value)
    return value


class _StoredFormRows:
    """The rows of one statement, each value in SQLite's stored form."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    @staticmethod
    def _row(row: Any) -> Any:
        return None if row is None else tuple(_stored_form(v) for v in row)

    def fetchone(self) -> Any:
        return self._row(self.cursor.fetchone())

    def fetchmany(self, size: int) -> list[Any]:
        return [self._row(r) for r in self.cursor.fetchmany(size)]

    def fetchall(self) -> list[Any]:
        return [self._row(r) for r in self.cursor.fetchall()]

    def __iter__(self) -> Iterator[Any]:
        return (self._row(r) for r in self.cursor)


#: Rows a server-side cursor brings per round trip.
_STREAM_ROWS = 5_000


class _StoredFormCursor:
    """PostgreSQL: executes ``?`` statements on a fresh driver cursor each, so several result
    sets can be read side by side. ``connection.execute`` (what sqlite3 offers for a second
    result set, used for whole tables) reads through a server-side cursor, a part at a time."""

    def __init__(self, raw: Any, streaming: bool = False) -> None:
        self.raw = raw
        self.streaming = streaming
        self.connection = self if streaming else _StoredFormCursor(raw, streaming=True)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _StoredFormRows:
        if self.streaming:
            cursor = self.raw.cursor(name=f"station_console_{secrets.token_hex(6)}")
            cursor.itersize = _STREAM_ROWS
        else:
            cursor = self.raw.cursor()
        if params:
            cursor.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        else:
            cursor.execute(sql)
        return _StoredFormRows(cursor)


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows whose values are in SQLite's stored form (times as text, 0/1 flags).

    SQLite takes them straight through the driver's executemany (~3x less per-row overhead than
    SQLAlchemy's). PostgreSQL takes them with ``COPY`` (psycopg's executemany sends a statement
    per row); the server reads the time texts as timestamps and 0/1 as booleans, and Python
    datetimes and booleans are written as such too. An error names the COPY's line and column.
    """
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) "
                             f"VALUES ({', '.join('?' for _ in columns)})", rows)
        return
    names = ", ".join(f'"{c}"' for c in columns)
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def advance_id_sequences(conn: Connection, tables: Sequence[str]) -> None:
    """PostgreSQL: move each table's id sequence past the ids a bulk load wrote explicitly.

    SQLite takes the next id from the table's rows; a PostgreSQL sequence does not see ids it
    did not hand out, and the next ordinary insert would collide with them.
    """
    if conn.dialect.name != "postgresql":
        return
    for name in tables:
        conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                             f"coalesce(max(id), 0) + 1, false) FROM {name}")


# live changes between workstations (PostgreSQL) -------------------------------------------

#: The channel on which a PostgreSQL database announces committed changes to what the board shows.
CHANGE_CHANNEL = "station_console_change"
#: Tables whose writes are announced (the board's rows, timelines, units and loops; the task
#: queue and its log).
ANNOUNCED_TABLES = ("incident", "incident_event", "patrol_unit", "unit_duty_change", "diversion",
                    "loop_event", "task", "task_event")
#: What the listening connection calls itself on the server (``pg_stat_activity``).
LISTENER_APPLICATION = "station_console_listener"
#: Seconds a listener waits for the server when it (re)connects.
LISTENER_CONNECT_TIMEOUT_S = 5


def create_change_announcements(conn: Connection, tables: Sequence[str]) -> None:
    """PostgreSQL: statement-level triggers on ``tables`` that NOTIFY the change channel with the
    table's name (each migration names the tables it adds).

    The server delivers a notification when the writing transaction commits (never for a rolled
    back one) and folds repeats of the same payload within a transaction into one, so a bulk
    load announces itself once per table. SQLite has no other workstation to tell.
    """
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(f"""CREATE OR REPLACE FUNCTION station_console_announce() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('{CHANGE_CHANNEL}', TG_TABLE_NAME);
          RETURN NULL;
        END $$""")
    for table in tables:
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_announce AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION station_console_announce()")


def drop_change_announcements(conn: Connection, tables: Sequence[str], *, function: bool) -> None:
    """Remove the announcements of ``tables`` and, with ``function``, the function they call
    (migration downgrades)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_announce ON {table}")
    if function:
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS station_console_announce()")


class ListenerLost(Exception):
    """The listening connection could not be made or was lost (the server went away)."""


class ChangeListener:
    """A connection of its own, outside the engine's pool, that LISTENs on the change channel.

    Used from one background thread: ``connect``, then ``wait`` in a loop; a lost connection
    raises ``ListenerLost`` and the caller connects again when it sees fit.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Any = None

    @staticmethod
    def available(engine: Engine) -> bool:
        """Whether the engine's database announces changes (PostgreSQL does, SQLite does not)."""
        return engine.dialect.name == "postgresql"

    def connect(self) -> None:
        """Open the connection and LISTEN (autocommit: notifications arrive between statements)."""
        self.close()
        dialect = self._engine.dialect
        cargs, cparams = dialect.create_connect_args(self._engine.url)
        cparams = {**cparams, "autocommit": True, "application_name": LISTENER_APPLICATION}
        cparams.setdefault("connect_timeout", LISTENER_CONNECT_TIMEOUT_S)
        try:
            self._conn = dialect.loaded_dbapi.connect(*cargs, **cparams)
            self._conn.execute(f"LISTEN {CHANGE_CHANNEL}")
        except (dialect.loaded_dbapi.Error, OSError) as exc:
            self.close()
            raise ListenerLost(_first_line(exc)) from exc

    def wait(self, timeout_s: float) -> set[str]:
        """The tables of the next announced changes (those that came in together), or an empty
        set when none came within ``timeout_s``."""
        if self._conn is None:
            raise ListenerLost("not connected")
        try:
            # Run the generator to its end: leaving it early drops the rest of a packet.
            tables = {str(note.payload) for note in self._conn.notifies(timeout=timeout_s, stop_after=1)}
        except (self._engine.dialect.loaded_dbapi.Error, OSError) as exc:
            self.close()
            raise ListenerLost(_first_line(exc)) from exc
        if self._conn.broken:
            self.close()
            raise ListenerLost("the server closed the connection")
        return tables

    def close(self) -> None:
        """Close the connection (nothing to do when it is not open)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(self._engine.dialect.loaded_dbapi.Error, OSError):
                conn.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
