"""Opening databases: upgrades keep data; newer, foreign, damaged and unwritable files are refused."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from station_console import __version__
from station_console.store.database import Database, StoreError, _alembic_config
from station_console.store.dialect import install_sqlite_pragmas, search_clause


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _database_at(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    install_sqlite_pragmas(engine)
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), revision)
    engine.dispose()


def test_older_schema_is_upgraded_on_open_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _database_at(path, "0001")
    con = sqlite3.connect(path)
    con.executescript(
        """
        INSERT INTO station (id, code, name, district, city, address, phone, center_lat, center_lon)
             VALUES (1, 'S1', '老库派出所', '', '', '', '', 30.0, 120.0);
        INSERT INTO category_group (code, name, name_en, is_police, sort_order)
             VALUES ('help', '求助', 'Help', 1, 0);
        INSERT INTO incident_category (code, group_code, name, name_en, is_police, is_property,
                    default_priority, dispatch_limit_s, arrival_limit_s, active, sort_order)
             VALUES ('0702', 'help', '救助求助', 'Rescue', 1, 0, 2, 120, 300, 1, 0);
        INSERT INTO incident (incident_no, source, category_code, priority, status, received_at,
                    caller_name, caller_phone, caller_id_no, address, description, outcome_code,
                    feedback, is_repeat, is_diverted, in_jurisdiction, updated_at)
             VALUES ('J20240305000001', '110', '0702', 2, 'closed', '2024-03-05 08:07:00.000000',
                     '张伟', '13800001111', '', '文三路478号华星大厦', '老人摔倒求助', '', '', 0, 0, 1,
                     '2024-03-05 09:00:00.000000');
        """
    )
    con.commit()
    con.close()

    db = Database.open(path)
    try:
        assert db.schema_state().up_to_date
        with db.read() as conn:
            assert conn.execute(text("SELECT name FROM station")).scalar_one() == "老库派出所"
            clause, params = search_clause(conn, "华星大厦")  # the new index covers old rows
            found = conn.execute(
                text(f"SELECT incident_no FROM incident WHERE {clause.text}"), params
            ).scalars().all()
            assert found == ["J20240305000001"]
            version = conn.execute(
                text("SELECT value FROM app_meta WHERE key = 'program_version'")
            ).scalar_one()
            assert version == __version__
    finally:
        db.close()
    backup = path.with_name("old.db.before-0001.bak")
    assert backup.exists()
    with sqlite3.connect(backup) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_newer_schema_is_refused_naming_the_program_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Database.open(path, create=True).close()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '0099'")
        con.execute("UPDATE app_meta SET value = '3.2.0' WHERE key = 'program_version'")
    before = _digest(path)
    with pytest.raises(StoreError) as info:
        Database.open(path)
    message = str(info.value)
    assert "3.2.0" in message and "0099" in message and str(path) in message
    assert _digest(path) == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("接警记录\n", encoding="utf-8")
    before = _digest(path)
    with pytest.raises(StoreError, match="not an SQLite file"):
        Database.open(path)
    assert _digest(path) == before


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    before = _digest(path)
    with pytest.raises(StoreError, match="another program"):
        Database.open(path)
    assert _digest(path) == before


def test_a_damaged_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    Database.open(path, create=True).close()
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xa5" * 3900  # keep the header, wreck the schema page
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(StoreError, match="damaged"):
        Database.open(path)
    assert _digest(path) == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Database.open(tmp_path)


def test_missing_database_is_not_created_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    with pytest.raises(StoreError, match="no database"):
        Database.open(path)
    assert not path.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_an_unwritable_location_is_refused() -> None:
    with pytest.raises(StoreError, match="Cannot create"):
        Database.open("/proc/station-console/station.db", create=True)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes read-only files anyway")
def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    Database.open(path, create=True).close()
    path.chmod(0o444)
    with pytest.raises(StoreError, match="read-only"):
        Database.open(path)
