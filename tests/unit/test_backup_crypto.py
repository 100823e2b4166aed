"""Encrypted backups: round trips, wrong keys, cut and altered files refused, audit records."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from station_console.services.backup import (
    backup_database,
    backup_rotating,
    restore_database,
    verify_backup,
)
from station_console.services.crypto import (
    HEADER_SIZE,
    MAGIC,
    TAG_SIZE,
    KeyFile,
    Passphrase,
    encrypt_file,
)
from station_console.store.database import Database, StoreError

CHUNK = 4096
RECORD = CHUNK + TAG_SIZE


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def addresses_changed(path: Path) -> int:
    db = Database.open(path)
    try:
        with db.read() as conn:
            return int(conn.execute(text("SELECT count(*) FROM incident WHERE address = 'changed'"))
                       .scalar_one())
    finally:
        db.close()


def change(path: Path) -> None:
    db = Database.open(path)
    try:
        with db.write() as conn:
            conn.execute(text("UPDATE incident SET address = 'changed' WHERE id > 100"))
    finally:
        db.close()


def audit_rows(path: Path, action: str) -> list[tuple[str, dict[str, object]]]:
    db = Database.open(path)
    try:
        with db.read() as conn:
            rows = conn.execute(text("SELECT object_id, detail FROM audit_log WHERE action = :a ORDER BY id"),
                                {"a": action}).all()
    finally:
        db.close()
    return [(r[0], json.loads(r[1])) for r in rows]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def chunked(demo_db_path: Path, tmp_path: Path) -> tuple[Path, KeyFile]:
    """The demo database encrypted in small chunks (many of them) with the key beside it."""
    key = KeyFile.beside(demo_db_path)
    out = tmp_path / "chunked.db.enc"
    with out.open("wb") as fh:
        encrypt_file(demo_db_path, fh, key, chunk_size=CHUNK)
    return out, key


def refused(db_path: Path, backup: Path, secret: KeyFile | Passphrase | None, match: str) -> None:
    """Restoring ``backup`` fails with ``match`` and leaves the database and its folder as they were."""
    before = fingerprint(db_path)
    names = sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(StoreError, match=match) as info:
        restore_database(db_path, backup, secret=secret)
    assert str(backup) in str(info.value)
    assert fingerprint(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == names


def test_encrypted_backup_round_trip_with_the_key_file(demo_db_path: Path, tmp_path: Path) -> None:
    key = KeyFile.beside(demo_db_path)
    assert not key.path.exists()
    db = Database.open(demo_db_path)
    out_dir = tmp_path / "usb"
    result = backup_database(db, out_dir / "b.db.enc", secret=key)
    db.close()
    data = result.path.read_bytes()
    assert data.startswith(MAGIC) and b"SQLite format 3" not in data and b"CREATE TABLE" not in data
    assert result.key_id and result.incidents == 3000
    assert verify_backup(result.path, secret=key) == (result.schema, 3000)
    assert leftovers(out_dir) == [] and leftovers(demo_db_path.parent) == []

    change(demo_db_path)
    kept = restore_database(demo_db_path, result.path, secret=key, now=datetime(2026, 3, 15, 11))
    assert addresses_changed(demo_db_path) == 0
    assert addresses_changed(kept) > 0
    assert leftovers(demo_db_path.parent) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_key_file_is_created_once_readable_by_the_owner_only(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    key = KeyFile.beside(db.path)
    first = backup_database(db, tmp_path / "a.enc", secret=key)
    secret = key.path.read_bytes()
    assert stat.S_IMODE(os.stat(key.path).st_mode) == 0o600
    second = backup_database(db, tmp_path / "b.enc", secret=key)
    assert key.path.read_bytes() == secret and first.key_id == second.key_id
    assert [p.name for p in db.path.parent.iterdir() if p.name.startswith(".")] == []


def test_a_damaged_key_file_is_named(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    key = KeyFile.beside(db.path)
    key.path.write_text("not a key\n")
    with pytest.raises(StoreError, match="not a backup key file"):
        backup_database(db, tmp_path / "a.enc", secret=key)
    assert not (tmp_path / "a.enc").exists() and leftovers(tmp_path) == []


def test_passphrase_round_trip_and_wrong_passphrase(demo_db_path: Path, tmp_path: Path) -> None:
    db = Database.open(demo_db_path)
    backup = backup_database(db, tmp_path / "off-site.enc", secret=Passphrase("correct horse battery")).path
    db.close()
    assert not KeyFile.beside(demo_db_path).path.exists()
    change(demo_db_path)
    refused(demo_db_path, backup, Passphrase("wrong horse battery"), "wrong key")
    refused(demo_db_path, backup, KeyFile.beside(demo_db_path), "passphrase")
    refused(demo_db_path, backup, None, "encrypted backup; give its key")
    restore_database(demo_db_path, backup, secret=Passphrase("correct horse battery"))
    assert addresses_changed(demo_db_path) == 0


def test_another_stations_key_is_refused(demo_db_path: Path, tmp_path: Path) -> None:
    db = Database.open(demo_db_path)
    backup = backup_database(db, tmp_path / "b.enc", secret=KeyFile.beside(demo_db_path)).path
    db.close()
    other = KeyFile(tmp_path / "other" / "backup.key")
    other.new_key()
    refused(demo_db_path, backup, other, "wrong key")
    refused(demo_db_path, backup, KeyFile(tmp_path / "missing" / "backup.key"), "does not exist")


@pytest.mark.parametrize("cut", [
    HEADER_SIZE // 2,              # inside the header
    HEADER_SIZE,                   # header only
    HEADER_SIZE + 10,              # inside the first chunk's tag
    HEADER_SIZE + RECORD,          # at a chunk boundary: the first chunk is not the last
    HEADER_SIZE + 3 * RECORD,      # at a later boundary
    HEADER_SIZE + 3 * RECORD + 100,  # inside a chunk
    -1,                            # one byte short
])
def test_a_cut_file_is_refused(chunked: tuple[Path, KeyFile], demo_db_path: Path, cut: int) -> None:
    backup, key = chunked
    data = backup.read_bytes()
    backup.write_bytes(data[:cut])
    refused(demo_db_path, backup, key, "cut short")
    with pytest.raises(StoreError, match="cut short"):
        verify_backup(backup, secret=key)


@pytest.mark.parametrize(("offset", "match"), [
    (3, "not a database backup"),             # magic: read as a plain file, not SQLite either
    (8, "format 0"),                          # version
    (9, "damaged header|passphrase"),         # key kind
    (HEADER_SIZE - 30, "wrong key"),          # key id
    (HEADER_SIZE - 12, "header or first chunk"),  # salt (unused by a key file) is authenticated
    (HEADER_SIZE - 1, "header or first chunk"),   # nonce prefix
    (HEADER_SIZE + 5, "header or first chunk"),   # first chunk
    (HEADER_SIZE + 2 * RECORD + 7, "chunk 3"),    # a middle chunk
    (-5, "last"),                             # the last chunk's tag
])
def test_a_flipped_byte_is_refused(chunked: tuple[Path, KeyFile], demo_db_path: Path, offset: int,
                                   match: str) -> None:
    backup, key = chunked
    data = bytearray(backup.read_bytes())
    data[offset] ^= 0x01
    backup.write_bytes(bytes(data))
    refused(demo_db_path, backup, key, match)


def test_swapped_and_appended_chunks_are_refused(chunked: tuple[Path, KeyFile], demo_db_path: Path) -> None:
    backup, key = chunked
    data = backup.read_bytes()
    head, body = data[:HEADER_SIZE], data[HEADER_SIZE:]
    chunks = [body[i:i + RECORD] for i in range(0, len(body), RECORD)]
    assert len(chunks) > 10
    swapped = chunks[:]
    swapped[2], swapped[3] = swapped[3], swapped[2]
    backup.write_bytes(head + b"".join(swapped))
    refused(demo_db_path, backup, key, "chunk 3 does not authenticate")
    backup.write_bytes(data + chunks[-1])
    refused(demo_db_path, backup, key, "altered")
    backup.write_bytes(head + b"".join(chunks[:-2] + chunks[-1:]))
    refused(demo_db_path, backup, key, "altered|cut short")


def test_small_chunks_restore_whole(chunked: tuple[Path, KeyFile], demo_db_path: Path) -> None:
    backup, key = chunked
    change(demo_db_path)
    restore_database(demo_db_path, backup, secret=key)
    assert addresses_changed(demo_db_path) == 0


def test_old_plain_backups_still_restore(demo_db_path: Path, tmp_path: Path) -> None:
    db = Database.open(demo_db_path)
    plain = backup_database(db, tmp_path / "old.db").path
    db.close()
    assert plain.read_bytes().startswith(b"SQLite format 3")
    change(demo_db_path)
    restore_database(demo_db_path, plain, secret=KeyFile.beside(demo_db_path))
    assert addresses_changed(demo_db_path) == 0
    assert verify_backup(plain)[1] == 3000


def test_cancelled_encrypted_backup_leaves_nothing(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    with pytest.raises(Exception, match="cancelled"):
        backup_database(demo_db, tmp_path / "out" / "b.enc", progress=lambda d, t: False,
                        secret=KeyFile.beside(demo_db.path))
    assert list((tmp_path / "out").iterdir()) == []
    assert leftovers(demo_db.path.parent) == []


def test_rotating_encrypted_backups_keep_the_newest_of_both_kinds(demo_db: Database, tmp_path: Path) -> None:
    assert demo_db.path is not None
    folder = tmp_path / "backups"
    backup_rotating(demo_db, folder, keep=2, now=datetime(2026, 3, 15, 8))
    key = KeyFile.beside(demo_db.path)
    for hour in (9, 10):
        result = backup_rotating(demo_db, folder, keep=2, now=datetime(2026, 3, 15, hour), secret=key)
    assert sorted(p.name for p in folder.iterdir()) == ["station-20260315-090000.db.enc",
                                                        "station-20260315-100000.db.enc"]
    assert [p.name for p in result.removed] == ["station-20260315-080000.db"]


def test_backups_and_restores_are_audited(demo_db_path: Path, tmp_path: Path) -> None:
    key = KeyFile.beside(demo_db_path)
    db = Database.open(demo_db_path)
    result = backup_database(db, tmp_path / "b.db.enc", secret=key)
    plain = backup_database(db, tmp_path / "p.db")
    db.close()
    backups = audit_rows(demo_db_path, "backup")
    assert [name for name, _ in backups] == ["b.db.enc", "p.db"]
    assert backups[0][1]["encrypted"] is True and backups[0][1]["key_id"] == result.key_id
    assert backups[1][1]["encrypted"] is False and backups[1][1]["bytes"] == plain.bytes

    restore_database(demo_db_path, result.path, secret=key)
    restores = audit_rows(demo_db_path, "restore")
    assert [name for name, _ in restores] == ["b.db.enc"]
    assert restores[0][1]["from"] == str(result.path) and restores[0][1]["encrypted"] is True
    # The restored database is the one backed up: its own backup record was written afterwards.
    assert [name for name, _ in audit_rows(demo_db_path, "backup")] == []


def test_command_line_encrypts_by_default_and_takes_a_passphrase(demo_db_path: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from station_console.cli import EXIT_OK, main

    db = ["--db", str(demo_db_path)]
    phrase = ["--passphrase-env", "STATION_BACKUP_PASS"]
    assert main([*db, "backup", str(tmp_path / "k.enc")]) == EXIT_OK
    assert "encrypted, key id" in capsys.readouterr().out
    assert (tmp_path / "k.enc").read_bytes().startswith(MAGIC)
    assert main([*db, "backup", "--plain", str(tmp_path / "p.db")]) == EXIT_OK
    assert (tmp_path / "p.db").read_bytes().startswith(b"SQLite format 3")
    monkeypatch.setenv("STATION_BACKUP_PASS", "a long off-site passphrase")
    assert main([*db, "backup", *phrase, str(tmp_path / "o.enc")]) == EXIT_OK
    capsys.readouterr()

    change(demo_db_path)
    assert main([*db, "restore", str(tmp_path / "o.enc")]) != EXIT_OK
    assert "passphrase" in capsys.readouterr().err
    assert addresses_changed(demo_db_path) > 0
    assert main([*db, "restore", *phrase, str(tmp_path / "o.enc")]) == EXIT_OK
    assert addresses_changed(demo_db_path) == 0
    change(demo_db_path)
    assert main([*db, "restore", str(tmp_path / "k.enc")]) == EXIT_OK
    assert addresses_changed(demo_db_path) == 0


def test_the_data_exchange_screen_backs_up_encrypted_and_restores(qtbot, demo_db_path: Path,
                                                                  tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from station_console.ui.sync.sync_screen import SyncScreen

    db = Database.open(demo_db_path)
    screen = SyncScreen(db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(screen)
    target = tmp_path / "usb" / "b.db.enc"
    with qtbot.waitSignal(screen.backup_to(target).signals.finished, timeout=30_000):
        pass
    assert target.read_bytes().startswith(MAGIC)
    assert "encrypted" in screen.backup_status.text() and "3000" in screen.backup_status.text()
    with db.write() as conn:
        conn.execute(text("UPDATE incident SET address = 'changed' WHERE id > 100"))
    worker = screen.restore_from(target)
    assert worker is not None
    with qtbot.waitSignal(worker.signals.finished, timeout=30_000):
        pass
    assert "Restored b.db.enc" in screen.backup_status.text()
    db.close()
    assert addresses_changed(demo_db_path) == 0
    assert [name for name, _ in audit_rows(demo_db_path, "restore")] == ["b.db.enc"]
