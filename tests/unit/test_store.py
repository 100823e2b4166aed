"""The store: connection factory, transactions, tables and the text-search seam."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import SQLModel

from station_console.domain.security import Role, identity_for
from station_console.services.audit import verify_chain
from station_console.store.database import Database, StoreError
from station_console.store.dialect import BULK_CACHE_KIB, bulk_cache, include_object, search_clause
from station_console.store.models import (
    CategoryGroupRow,
    Community,
    Incident,
    IncidentCategory,
    IncidentEvent,
    Station,
)
from tests.conftest import ON_BOTH_ENGINES

SQUARE = '{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01],[120,30.01],[120,30]]]}'


def _seed_minimal(db: Database) -> None:
    with db.session(write=True) as s:
        s.add(Station(id=1, code="S1", name="测试派出所", center_lat=30.0, center_lon=120.0))
        s.add(CategoryGroupRow(code="dispute", name="纠纷", name_en="Dispute"))
        s.flush()
        s.add(IncidentCategory(code="0501", group_code="dispute", name="家庭纠纷",
                               name_en="Family dispute"))
        s.add(Community(id=1, station_id=1, code="C1", name="明湖社区", center_lat=30.005,
                        center_lon=120.005, geometry=SQUARE))


def _incident(no: str, **kw: object) -> Incident:
    fields: dict[str, object] = {
        "incident_no": no, "source": "110", "category_code": "0501",
        "received_at": datetime(2026, 3, 1, 8, 7), "updated_at": datetime(2026, 3, 1, 8, 7),
        "address": "明湖路188号3幢2单元501室", "description": "家中夫妻吵架，请求民警调解",
        "caller_name": "王秀英", "caller_phone": "13812345678", "community_id": 1,
    }
    fields.update(kw)
    return Incident(**fields)  # type: ignore[arg-type]


def test_new_database_has_the_newest_schema_and_pragmas(db: Database) -> None:
    state = db.schema_state()
    assert state.up_to_date and state.current == state.head
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@ON_BOTH_ENGINES
def test_migrations_build_exactly_the_model_schema(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(ctx, SQLModel.metadata) == []


@ON_BOTH_ENGINES
def test_rows_round_trip_with_local_times(db: Database) -> None:
    _seed_minimal(db)
    with db.session(write=True) as s:
        s.add(_incident("J001", dispatched_at=datetime(2026, 3, 1, 8, 8, 30)))
    with db.session() as s:
        row = s.exec(select(Incident).where(Incident.incident_no == "J001")).scalar_one()
        assert row.received_at == datetime(2026, 3, 1, 8, 7)
        assert row.dispatched_at == datetime(2026, 3, 1, 8, 8, 30)
        assert row.received_at.tzinfo is None
        assert row.address.startswith("明湖路")


@ON_BOTH_ENGINES
def test_foreign_keys_are_enforced(db: Database) -> None:
    _seed_minimal(db)
    with pytest.raises(IntegrityError), db.session(write=True) as s:
        s.add(IncidentEvent(incident_id=999, at=datetime(2026, 3, 1), action="note"))


@ON_BOTH_ENGINES
def test_failed_write_leaves_nothing_behind(db: Database) -> None:
    _seed_minimal(db)
    with pytest.raises(IntegrityError), db.session(write=True) as s:
        s.add(_incident("J001"))
        s.flush()
        s.add(_incident("J001"))  # duplicate upstream number
    with db.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM incident")).scalar_one() == 0


def test_a_bulk_write_gets_a_large_page_cache_for_its_duration_only(db: Database) -> None:
    def cache(conn) -> int:
        return int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())

    with db.write() as conn:
        before = cache(conn)
        with bulk_cache(conn):
            assert cache(conn) == -BULK_CACHE_KIB
        assert cache(conn) == before
        with pytest.raises(RuntimeError), bulk_cache(conn):
            raise RuntimeError("a failed load")
        assert cache(conn) == before
    assert before != -BULK_CACHE_KIB


def test_a_large_write_leaves_copying_its_log_into_the_file_to_a_background_thread(
        db: Database, tmp_path: Path) -> None:
    _seed_minimal(db)
    # About 7 MB of incidents: far over the thousand log pages at which a commit checkpoints.
    rows = [_incident(f"J{n:04d}", description="夫妻纠纷调解记录" * 500) for n in range(600)]
    with db.bulk_write() as conn:
        conn.execute(Incident.__table__.insert(), [r.model_dump(exclude={"id"}) for r in rows])
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0

    def file_alone() -> int:
        """Incidents in a copy of the database file without its log."""
        copy = tmp_path / "file-alone.db"
        copy.write_bytes(Path(db.path).read_bytes())
        with closing(sqlite3.connect(copy)) as raw:
            return int(raw.execute("SELECT count(*) FROM incident").fetchone()[0])

    # The commit returned with the rows in the log; the background copy then puts them in the
    # file itself (nothing else writes here that could checkpoint instead).
    deadline = time.monotonic() + 30
    while file_alone() < 600 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert file_alone() == 600
    with db.write() as conn:
        # The pooled connection checkpoints automatically again.
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    with pytest.raises(RuntimeError), db.bulk_write() as conn:
        conn.exec_driver_sql("DELETE FROM incident")
        raise RuntimeError("a failed bulk write")
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM incident").scalar() == 600
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000


def test_writes_take_the_lock_up_front(db: Database, tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer is refused at once, readers are not blocked."""
    _seed_minimal(db)
    other = sqlite3.connect(db.path, timeout=0.1, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"):  # noqa: SIM117
            with db.engine.connect() as conn:
                conn.connection.dbapi_connection.execute("PRAGMA busy_timeout = 100")
                conn = conn.execution_options(station_console_write=True)
                with conn.begin():
                    pass
        with db.read() as conn:
            assert conn.execute(text("SELECT count(*) FROM station")).scalar_one() == 1
    finally:
        other.execute("ROLLBACK")
        other.close()


@ON_BOTH_ENGINES
@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("明湖路188", {"J001"}),      # address substring, trigram index
        ("夫妻", {"J001"}),           # two characters: LIKE fallback
        ("5678", {"J001", "J002"}),   # part of a phone number
        ("王秀", {"J001", "J002"}),   # part of a name
        ("李四", set()),
        ("100%", set()),              # LIKE wildcards are literal
    ],
)
def test_text_search_finds_chinese_substrings(db: Database, needle: str, expected: set[str]) -> None:
    _seed_minimal(db)
    with db.session(write=True) as s:
        s.add(_incident("J001"))
        s.add(_incident("J002", address="湖滨路1号", description="邻居噪音",
                        caller_phone="13912345678"))
    with db.read() as conn:
        clause, params = search_clause(conn, needle)
        rows = conn.execute(
            select(text("incident_no")).select_from(text("incident")).where(clause), params
        ).scalars().all()
    assert set(rows) == expected


@ON_BOTH_ENGINES
def test_search_index_follows_updates_and_deletes(db: Database) -> None:
    _seed_minimal(db)
    with db.session(write=True) as s:
        s.add(_incident("J001"))
    with db.write() as conn:
        conn.execute(text("UPDATE incident SET address = '西溪路9号' WHERE incident_no = 'J001'"))
    with db.read() as conn:
        clause, params = search_clause(conn, "西溪路")
        assert conn.execute(select(text("count(*)")).select_from(text("incident")).where(clause),
                            params).scalar_one() == 1
        clause, params = search_clause(conn, "明湖路")
        assert conn.execute(select(text("count(*)")).select_from(text("incident")).where(clause),
                            params).scalar_one() == 0
    with db.write() as conn:
        conn.execute(text("DELETE FROM incident"))
        clause, params = search_clause(conn, "西溪路")
        assert conn.execute(select(text("count(*)")).select_from(text("incident")).where(clause),
                            params).scalar_one() == 0
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM incident_fts WHERE incident_fts MATCH '\"西溪路\"'"
            ).scalar_one() == 0


@ON_BOTH_ENGINES
def test_audit_trail_records_a_write_and_guards_the_role(db: Database) -> None:
    _seed_minimal(db)
    db.identity = identity_for("wangli", Role.OPERATOR)
    with db.session(write=True) as s:
        s.add(_incident("J001"))
    with db.write() as conn:
        conn.execute(text("UPDATE incident SET address = '西溪路9号', is_repeat = :t "
                          "WHERE incident_no = 'J001'"), {"t": True})
    db.identity = identity_for("shenji1", Role.AUDITOR)
    with pytest.raises(Exception, match="permission denied: incident"), db.write() as conn:
        conn.execute(text("DELETE FROM incident"))
    with db.read() as conn:
        rows = conn.execute(text(
            "SELECT username, action, object_id, detail FROM audit_log WHERE object_type = 'incident' "
            "ORDER BY id")).all()
        incident_id = conn.execute(text("SELECT id FROM incident")).scalar_one()
    assert [r[:3] for r in rows] == [("wangli", "create", str(incident_id)),
                                     ("wangli", "update", str(incident_id))]
    assert '"after":{' in rows[0][3] and '"caller_name":"王秀英"' in rows[0][3]
    assert rows[1][3] == ('{"before":{"address":"明湖路188号3幢2单元501室","is_repeat":0},'
                          '"after":{"address":"西溪路9号","is_repeat":1}}')
    report = verify_chain(db)
    assert report.ok and report.records >= 2


@ON_BOTH_ENGINES
def test_an_edit_restamps_the_sync_identity_and_a_deletion_leaves_a_tombstone(db: Database) -> None:
    _seed_minimal(db)
    with db.session(write=True) as s:
        s.add(_incident("J001"))
    with db.write() as conn:
        conn.execute(text("UPDATE incident SET sync_uuid = 'u1', sync_origin = 'peer', "
                          "sync_hlc = 5, sync_base = 0, sync_seq = 1"))
        conn.execute(text("UPDATE incident SET address = '西溪路9号'"))
    with db.read() as conn:
        origin, base, hlc, seq = conn.execute(text(
            "SELECT sync_origin, sync_base, sync_hlc, sync_seq FROM incident")).one()
        node = conn.execute(text(
            "SELECT value FROM app_meta WHERE key = 'sync_station_id'")).scalar_one()
    assert (origin, base, seq) == (node, 5, 2) and hlc > 5
    with db.write() as conn:
        conn.execute(text("DELETE FROM incident"))
    with db.read() as conn:
        tomb = conn.execute(text(
            "SELECT table_name, row_uuid, row_key, origin, base FROM sync_tombstone")).all()
    assert tomb == [("incident", "u1", "J001", node, hlc)]


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://u@127.0.0.1/x", "only SQLite files and PostgreSQL"),
    ("postgresql://u@127.0.0.1:1/station", "Cannot connect to the database"),
])
def test_a_server_url_that_cannot_be_used_is_refused_clearly(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        Database.open(url)


def test_an_empty_server_database_is_not_created_without_asking(pg_url: str) -> None:
    from tests.conftest import _pg_admin

    with _pg_admin(pg_url) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    with pytest.raises(StoreError, match="is empty"):
        Database.open(pg_url)
    Database.open(pg_url, create=True).close()
    db = Database.open(pg_url)
    try:
        assert db.schema_state().up_to_date and db.path is None and "postgresql" in db.label
    finally:
        db.close()
