"""Moving a station between SQLite and PostgreSQL: copied whole, verified row by row, and
nothing left at the target when the copy is refused, cancelled or does not verify."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from station_console.cli import EXIT_OK, EXIT_USAGE, main
from station_console.services.audit import verify_chain
from station_console.services.incidents import IncidentFilter, IncidentService
from station_console.services.move_station import (
    MoveCancelled,
    MoveFailed,
    model_tables,
    move_station,
)
from station_console.services.stats import table_counts
from station_console.store.database import Database, StoreError
from tests.conftest import DEMO_END, PG_ENV, _pg_admin, pg_create, pg_drop


def _board(db: Database) -> tuple[Any, ...]:
    """The board's first page, its total, and a Chinese text search's hits."""
    with db.read() as conn:
        street = conn.execute(text("SELECT address FROM incident ORDER BY id LIMIT 1")).scalar_one()
    needle = re.sub(r"[0-9号]+.*$", "", street)[-3:]
    board = IncidentService(db, now=lambda: DEMO_END)
    total, page = board.first_page(IncidentFilter())
    found, hits = board.first_page(IncidentFilter(text=needle))
    return total, [r.incident_no for r in page], found, [r.incident_no for r in hits]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _alter_one_incident(conn: Connection) -> None:
    conn.execute(text("UPDATE incident SET description = description || '!' "
                      "WHERE id = (SELECT min(id) FROM incident)"))


def test_sqlite_copy_verifies_and_opens_with_the_same_board(demo_db_path: Path,
                                                           tmp_path: Path) -> None:
    target = tmp_path / "moved" / "station.db"
    source = Database.open(demo_db_path)
    try:
        before = verify_chain(source).records
        seen: list[tuple[int, int]] = []
        report = move_station(source, target, progress=lambda d, t: seen.append((d, t)) or True,
                              batch_rows=700)
        assert report.ok and report.audit_chain_ok
        assert [t.name for t in report.tables] == [t.name for t in model_tables()]
        incidents = next(t for t in report.tables if t.name == "incident")
        assert incidents.source_rows == incidents.target_rows == 3000
        # Each side recorded the move after the copied records.
        assert report.audit_records == verify_chain(source).records > 1
        assert report.audit_records == before + 1
        assert seen[-1][0] == seen[-1][1] == 2 * report.rows
        assert [d for d, _t in seen] == sorted(d for d, _t in seen)
        moved = Database.open(target)
        try:
            assert _board(moved) == _board(source)
            assert table_counts(moved) == table_counts(source)
            with moved.read() as conn:
                last = conn.execute(text("SELECT action, object_id FROM audit_log "
                                         "ORDER BY id DESC LIMIT 1")).one()
            assert tuple(last) == ("import", str(demo_db_path.resolve()))
        finally:
            moved.close()
    finally:
        source.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["station.db"]


def test_a_target_that_is_not_new_is_refused_untouched(demo_db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "existing.db"
    Database.open(target, create=True).close()
    before = _sha(target)
    source = Database.open(demo_db_path)
    try:
        with pytest.raises(StoreError, match="already exists"):
            move_station(source, target)
    finally:
        source.close()
    assert _sha(target) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "existing" in p.name) == ["existing.db"]


def test_an_altered_copy_fails_and_the_target_is_removed(demo_db_path: Path,
                                                          tmp_path: Path) -> None:
    target = tmp_path / "out" / "station.db"
    source = Database.open(demo_db_path)
    try:
        with pytest.raises(MoveFailed) as failed:
            move_station(source, target, before_verify=_alter_one_incident)
    finally:
        source.close()
    report = failed.value.report
    assert report.mismatched == ["incident"]
    bad = next(t for t in report.tables if t.name == "incident")
    assert bad.source_rows == bad.target_rows and bad.source_digest != bad.target_digest
    assert list(target.parent.iterdir()) == []


def test_a_reference_to_a_missing_row_fails_the_move(demo_db_path: Path, tmp_path: Path) -> None:
    with sqlite3.connect(demo_db_path) as con:
        con.execute("UPDATE incident SET merged_into_id = 99999 WHERE id = 5")
    target = tmp_path / "out" / "station.db"
    source = Database.open(demo_db_path)
    try:
        with pytest.raises(StoreError, match="FOREIGN KEY"):
            move_station(source, target)
    finally:
        source.close()
    assert list(target.parent.iterdir()) == []


def test_a_cancelled_move_leaves_nothing(demo_db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "station.db"
    source = Database.open(demo_db_path)
    try:
        with pytest.raises(MoveCancelled):
            move_station(source, target, progress=lambda done, total: done < total // 4)
    finally:
        source.close()
    assert list(target.parent.iterdir()) == []


def test_the_command_reports_per_table_and_fails_on_a_used_target(
        demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "moved.db"
    assert main(["move-station", "--from", str(demo_db_path), "--to", str(target),
                 "--json"]) == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["audit_chain_ok"]
    assert all(t["ok"] and t["sha256"] == t["target_sha256"] for t in out["tables"])
    assert main(["move-station", "--from", str(demo_db_path), "--to", str(target)]) == EXIT_USAGE
    assert "already exists" in capsys.readouterr().err


# ---- PostgreSQL ----------------------------------------------------------------------------

@pytest.fixture
def empty_pg() -> Iterator[str]:
    """The URL of a new database without tables on the test server."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (scripts/pg_test_server.sh start prints it)")
    url = pg_create(f"sc_move_{uuid.uuid4().hex[:12]}")
    yield url
    pg_drop(url)


def _pg_tables(url: str) -> list[str]:
    with _pg_admin(url) as admin:
        return sorted(r[0] for r in admin.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))


def test_round_trip_through_postgresql(demo_db_path: Path, tmp_path: Path, empty_pg: str) -> None:
    back = tmp_path / "back.db"
    # An incident merged into a later one: the server checks that reference at once, so the
    # copy writes it once the later incident is in.
    with sqlite3.connect(demo_db_path) as con:
        con.execute("UPDATE incident SET merged_into_id = 2999 WHERE id = 5")
    source = Database.open(demo_db_path)
    try:
        there = move_station(source, empty_pg, batch_rows=1000)
        server = Database.open(empty_pg)
        try:
            # The planner has the moved tables' statistics at once.
            with server.read() as conn:
                analysed = conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_stats WHERE tablename = 'incident'").scalar_one()
            assert analysed > 0
            again = move_station(server, back)
            assert _board(server) == _board(source)
            _works_on(server)
        finally:
            server.close()
        returned = Database.open(back)
        try:
            assert _board(returned) == _board(source)
        finally:
            returned.close()
    finally:
        source.close()
    assert there.ok and again.ok and there.audit_chain_ok and again.audit_chain_ok
    # What came back is what went out, but for the record the server's trail took of the move.
    went = {t.name: (t.source_rows, t.source_digest) for t in there.tables}
    came = {t.name: (t.target_rows, t.target_digest) for t in again.tables}
    assert came.pop("audit_log")[0] == went.pop("audit_log")[0] + 1
    assert came == went
    assert again.audit_records == there.audit_records + 1


def _works_on(server: Database) -> None:
    """The station moved to the server takes writes: its triggers and sequences are back."""
    records = verify_chain(server).records
    with server.write() as conn:
        top_id = conn.execute(text("SELECT max(id) FROM incident")).scalar_one()
        conn.execute(text("UPDATE incident SET sync_uuid = 'a1', sync_hlc = 1, sync_seq = 7 "
                          "WHERE id = 1"))
    with server.write() as conn:
        conn.execute(text("UPDATE incident SET description = 'moved' WHERE id = 1"))
        new_id = conn.execute(text(
            "INSERT INTO department (code, name, kind, contact, phone, active, sort_order) "
            "VALUES ('MOVED', 'moved', 'other', '', '', true, 99) RETURNING id")).scalar_one()
    with server.read() as conn:
        seq = conn.execute(text("SELECT sync_seq FROM incident WHERE id = 1")).scalar_one()
        top_department = conn.execute(text(
            "SELECT max(id) FROM department WHERE id <> :i"), {"i": new_id}).scalar_one()
    # The edit took a new sync stamp, two audit records chain on, and the id sequence continues
    # after the copied ids.
    assert top_id == 3000 and seq == 8
    assert new_id > top_department
    chain = verify_chain(server)
    assert chain.ok and chain.records == records + 2


def test_on_the_server_a_bad_copy_is_rolled_back_and_a_used_database_refused(
        demo_db_path: Path, empty_pg: str) -> None:
    source = Database.open(demo_db_path)
    try:
        with pytest.raises(MoveFailed):
            move_station(source, empty_pg, before_verify=_alter_one_incident)
        # The schema was built in the same transaction: nothing is left.
        assert _pg_tables(empty_pg) == []
        Database.open(empty_pg, create=True).close()
        tables = _pg_tables(empty_pg)
        with pytest.raises(StoreError, match="not empty"):
            move_station(source, empty_pg)
        assert _pg_tables(empty_pg) == tables
    finally:
        source.close()
    with _pg_admin(empty_pg) as admin:
        admin.execute("DROP SCHEMA public CASCADE")
        admin.execute("CREATE SCHEMA public")
        admin.execute("CREATE TABLE notes (line text)")
    assert main(["move-station", "--from", str(demo_db_path), "--to", empty_pg]) == EXIT_USAGE
    assert _pg_tables(empty_pg) == ["notes"]


def test_a_row_the_server_refuses_is_named_and_nothing_is_kept(demo_db_path: Path,
                                                               empty_pg: str) -> None:
    # SQLite keeps a caller's name longer than the column's 50 characters; PostgreSQL does not.
    with sqlite3.connect(demo_db_path) as con:
        con.execute("UPDATE incident SET caller_name = ? WHERE id = 1234", ("名" * 60,))
    source = Database.open(demo_db_path)
    try:
        with pytest.raises(StoreError, match=r"the row 1234, field caller_name, of incident"):
            move_station(source, empty_pg)
    finally:
        source.close()
    assert _pg_tables(empty_pg) == []
