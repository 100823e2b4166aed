"""Online backups: verified, atomic, rotating; restore refuses damaged or foreign files."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from station_console.services.backup import backup_database, backup_rotating, restore_database, verify_backup
from station_console.store.database import Database, StoreError


def incidents(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(text("SELECT count(*) FROM incident")).scalar_one())


def changed(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(text("SELECT count(*) FROM incident WHERE address = 'changed'")).scalar_one())


def test_backup_is_complete_verified_and_leaves_no_temp_files(demo_db: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = backup_database(demo_db, tmp_path / "out" / "b.db",
                             progress=lambda d, t: seen.append((d, t)) or True)
    assert result.incidents == incidents(demo_db) == 3000
    assert verify_backup(result.path) == (result.schema, 3000)
    assert seen and seen[-1][0] == seen[-1][1]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["b.db"]


def test_cancelled_backup_writes_nothing(demo_db: Database, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="cancelled"):
        backup_database(demo_db, tmp_path / "b.db", progress=lambda d, t: False)
    assert list(tmp_path.glob("b.db*")) == [] and not list(tmp_path.glob(".b.db.*"))


def test_rotating_backups_keep_the_newest(demo_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for hour in (8, 9, 10):
        result = backup_rotating(demo_db, folder, keep=2, now=datetime(2026, 3, 15, hour))
    assert sorted(p.name for p in folder.iterdir()) == ["station-20260315-090000.db",
                                                        "station-20260315-100000.db"]
    assert [p.name for p in result.removed] == ["station-20260315-080000.db"]


def test_restore_brings_back_the_backup_and_keeps_the_current_database(demo_db_path: Path,
                                                                        tmp_path: Path) -> None:
    db = Database.open(demo_db_path)
    backup = backup_database(db, tmp_path / "b.db").path
    with db.write() as conn:
        conn.execute(text("UPDATE incident SET address = 'changed' WHERE id > 100"))
    db.close()
    kept = restore_database(demo_db_path, backup, now=datetime(2026, 3, 15, 11))
    assert kept.name == "demo.db.before-restore-20260315-110000.bak"
    restored = Database.open(demo_db_path)
    assert changed(restored) == 0 and incidents(restored) == 3000
    with restored.read() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    restored.close()
    old = Database.open(kept)
    assert changed(old) == 2900
    old.close()


def test_restore_refuses_damaged_and_foreign_files(demo_db_path: Path, tmp_path: Path) -> None:
    db = Database.open(demo_db_path)
    backup = backup_database(db, tmp_path / "b.db").path
    db.close()
    data = backup.read_bytes()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(data[: len(data) // 2])
    scribbled = tmp_path / "scribbled.db"
    scribbled.write_bytes(data[:4096 * 3] + b"\x5a" * 4096 + data[4096 * 4:])
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database", encoding="utf-8")
    foreign = tmp_path / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = demo_db_path.read_bytes()
    for bad in (truncated, scribbled, text_file, foreign, tmp_path / "missing.db"):
        with pytest.raises(StoreError):
            restore_database(demo_db_path, bad)
    assert demo_db_path.read_bytes() == before
    assert not list(demo_db_path.parent.glob("*.before-restore-*"))
