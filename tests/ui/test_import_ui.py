"""The data exchange screen: import dialog with preview, check, import and cancel; drop folder; backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import text

from station_console.store.database import Database
from station_console.ui.sync.sync_screen import SyncScreen

#: The offscreen platform says so whenever a top-level dialog is shown; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

HEADER = "接警单号,报警时间,警情类别,发案地址,经度,纬度,报警人,联系电话,简要警情,处警状态\n"


def feed(path: Path, n: int, bad_line: int | None = None) -> Path:
    with path.open("w", encoding="gb18030", newline="") as fh:
        fh.write(HEADER)
        for i in range(n):
            when = "不是时间" if i == bad_line else f"2024/3/{i % 28 + 1} 8:{i % 60:02d}"
            fh.write(f"U{i:06d},{when},盗窃电动车,杭州市西湖区竹影街{i}号,120.1294,30.2552,张三,13812345678,"
                     f"\"车被偷\n第{i}起\",已派警\n")
    return path


def count(db: Database, like: str = "U%") -> int:
    with db.read() as conn:
        return int(conn.execute(text("SELECT count(*) FROM incident WHERE incident_no LIKE :l"),
                                {"l": like}).scalar_one())


def make_screen(qtbot, db: Database, tmp_path: Path) -> SyncScreen:
    settings = QSettings(str(tmp_path / "data" / "settings.ini"), QSettings.Format.IniFormat)
    screen = SyncScreen(db, settings)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    return screen


def test_import_dialog_previews_checks_and_imports(qtbot, demo_db, tmp_path) -> None:
    screen = make_screen(qtbot, demo_db, tmp_path)
    dialog = screen.open_import_dialog(feed(tmp_path / "feed.csv", 30, bad_line=3))
    qtbot.addWidget(dialog)
    dialog.profile_box.setCurrentText("110-csv")
    assert "接警单号" in dialog.profile_edit.toPlainText()

    with qtbot.waitSignal(dialog.run_preview().signals.finished, timeout=10_000):
        pass
    table = dialog.preview_table
    assert table.rowCount() == 20
    assert table.item(0, 2).text() == "U000000" and table.item(0, 4).text() == "0101"
    assert "received_at" in table.item(3, 1).text() and not table.item(0, 1).text()

    with qtbot.waitSignal(dialog.run_import(dry_run=False).signals.finished, timeout=10_000):
        pass
    assert count(demo_db) == 0
    assert "line 8, received_at" in dialog.report.toPlainText()

    dialog.accept_valid.setChecked(True)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.run_import(dry_run=False)
    assert count(demo_db) == 29
    assert (tmp_path / "feed.csv.rejects.csv").exists()
    dialog.close()


def test_cancelled_import_leaves_the_database_as_it_was(qtbot, demo_db, tmp_path) -> None:
    screen = make_screen(qtbot, demo_db, tmp_path)
    dialog = screen.open_import_dialog(feed(tmp_path / "feed.csv", 3000))
    qtbot.addWidget(dialog)
    dialog.profile_box.setCurrentText("110-csv")
    worker = dialog.run_import(dry_run=False)
    dialog.cancel_button.click()
    with qtbot.waitSignal(worker.signals.failed, timeout=20_000):
        pass
    assert count(demo_db) == 0
    assert dialog.import_button.isEnabled()
    dialog.close()


def test_drop_folder_imports_waiting_files_and_files_it_sees_arrive(qtbot, demo_db, tmp_path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feed(inbox / "early.csv", 5)
    screen = make_screen(qtbot, demo_db, tmp_path)
    screen.inbox_edit.setText(str(inbox))
    screen.inbox_profile.setCurrentText("110-csv")
    screen.inbox_on.setChecked(True)
    qtbot.waitUntil(lambda: (inbox / "processed" / "early.csv").exists(), timeout=15_000)
    assert count(demo_db) == 5
    bad = inbox / "late.csv"
    bad.write_text(HEADER + "Z1,昨天,盗窃,竹影街,120.1,30.2,,,,\n", encoding="utf-8")
    qtbot.waitUntil(lambda: (inbox / "failed" / "late.csv.report.txt").exists(), timeout=15_000)
    report = (inbox / "failed" / "late.csv.report.txt").read_text(encoding="utf-8")
    assert "outcome: rejected" in report and "line 2, received_at" in report
    qtbot.waitUntil(lambda: screen.inbox_log.count() == 2, timeout=5_000)
    screen.inbox_on.setChecked(False)
    assert not screen.watcher.running


def test_backup_from_the_screen(qtbot, demo_db, tmp_path) -> None:
    screen = make_screen(qtbot, demo_db, tmp_path)
    target = tmp_path / "backups" / "b.db"
    with qtbot.waitSignal(screen.backup_to(target).signals.finished, timeout=20_000):
        pass
    assert target.exists() and "3000" in screen.backup_status.text()
