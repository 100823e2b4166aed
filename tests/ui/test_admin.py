"""The Administration screen on the demo station: tabs per role, accounts made through the
dialog, the security policy and purge, the paged audit trail, chain verification (and a tampered
record found), record details with masking, and the CSV export."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from station_console.app import prepare_application
from station_console.domain.security import POLICY_MINIMUMS, Masker, Role
from station_console.services.accounts import (
    DEMO_PASSWORD,
    AccountService,
    LoginError,
    load_policy,
    read_token,
    sign_in,
)
from station_console.services.audit import COLUMNS, AuditFilter, AuditService, log
from station_console.store.database import Database
from station_console.ui.admin.accounts_tab import AccountDialog, AccountsTab, SecretDialog
from station_console.ui.admin.admin_screen import AdminScreen
from station_console.ui.admin.audit_model import PAGE_SIZE, AuditTableModel
from station_console.ui.admin.audit_tab import AuditTab
from station_console.ui.admin.labels import role_names
from station_console.ui.admin.policy_tab import PolicyTab, PurgeDialog


def _as(db: Database, username: str) -> Database:
    sign_in(db, username, DEMO_PASSWORD)
    return db


class Warnings:
    """Collects the message boxes a test would otherwise have to click away."""

    def __init__(self) -> None:
        self.shown: list[str] = []

    def __call__(self, _parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        self.shown.append(text)
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Warnings:
    box = Warnings()
    monkeypatch.setattr(QMessageBox, "warning", box)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    return box


@pytest.fixture
def secrets_shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(AccountsTab, "show_secret",
                        lambda self, title, text, secret, token_of="": shown.append((secret, token_of)))
    return shown


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QApplication]:
    prepare_application(qapp, "en")
    yield qapp


def _audit_tab(qtbot: QtBot, db: Database) -> AuditTab:
    tab = AuditTab(db)
    qtbot.addWidget(tab)
    tab.resize(1400, 700)
    tab.show()
    tab.activated()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    return tab


# ---- tabs per role -------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "tabs"), [
    ("admin", ["accounts"]),
    ("anquan", ["accounts", "policy"]),
    ("shenji", ["audit"]),
    ("zhiban", []),
    ("suozhang", []),
])
def test_each_role_sees_only_its_tabs(qtbot: QtBot, demo_db: Database, username: str,
                                      tabs: list[str]) -> None:
    screen = AdminScreen(_as(demo_db, username))
    qtbot.addWidget(screen)
    screen.show()
    screen.activated()
    assert screen.tab_names() == tabs
    assert screen.empty.isVisible() == (not tabs)
    assert screen.wait_ready(10_000) is None
    screen.shutdown()


def test_screen_rebuilds_its_tabs_when_someone_else_signs_in(qtbot: QtBot,
                                                             demo_db: Database) -> None:
    screen = AdminScreen(_as(demo_db, "admin"))
    qtbot.addWidget(screen)
    screen.activated()
    assert screen.tab_names() == ["accounts"]
    _as(demo_db, "shenji")
    screen.activated()
    assert screen.tab_names() == ["audit"]
    assert screen.wait_ready(10_000) is None
    screen.shutdown()


def test_administrator_and_security_officer_get_their_own_buttons(qtbot: QtBot,
                                                                  demo_db: Database) -> None:
    admin_tab = AccountsTab(_as(demo_db, "admin"))
    qtbot.addWidget(admin_tab)
    assert not admin_tab.new_button.isHidden() and admin_tab.role_button.isHidden()
    security_tab = AccountsTab(_as(demo_db, "anquan"))
    qtbot.addWidget(security_tab)
    assert security_tab.new_button.isHidden() and not security_tab.role_button.isHidden()


# ---- accounts ------------------------------------------------------------------------------

def _row_texts(tab: AccountsTab, username: str) -> list[str]:
    for row in range(tab.table.rowCount()):
        if tab.table.item(row, 0).text() == username:
            return [tab.table.item(row, c).text() for c in range(tab.table.columnCount())]
    raise AssertionError(f"{username} is not in the table")


def test_account_made_through_the_dialog_can_sign_in(
        qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch,
        secrets_shown: list[tuple[str, str]], english: QApplication) -> None:
    db = _as(demo_db, "admin")
    tab = AccountsTab(db)
    qtbot.addWidget(tab)
    tab.activated()
    offered: list[Role] = []

    def fill(dialog: AccountDialog) -> int:
        offered.extend(dialog.role.itemData(i) for i in range(dialog.role.count()))
        dialog.username.setText("zhang.wei")
        dialog.display_name.setText("社区民警 张伟")
        dialog.role.setCurrentIndex(dialog.role.findData(Role.COMMUNITY))
        assert dialog.officer.isEnabled() and dialog.officer.count() > 1
        dialog.officer.setCurrentIndex(1)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(AccountDialog, "exec", fill)
    tab.new_account()
    assert offered == [Role.OPERATOR, Role.LEADER, Role.COMMUNITY]
    [(password, token_of)] = secrets_shown
    assert token_of == "" and len(password) >= load_policy(db).min_length
    assert _row_texts(tab, "zhang.wei")[1:4] == [
        "社区民警 张伟", role_names()[Role.COMMUNITY], "Active (must change password)"]
    assert tab.selected_account() is not None and tab.selected_account().username == "zhang.wei"
    assert tab.selected_account().officer_id is not None
    signed = sign_in(db, "zhang.wei", password)
    assert signed.identity.role is Role.COMMUNITY and signed.must_change_password


def test_refused_account_names_the_problem_and_keeps_the_dialog_open(
        qtbot: QtBot, demo_db: Database, warnings: Warnings, english: QApplication) -> None:
    db = _as(demo_db, "admin")
    dialog = AccountDialog(db, AccountService(db))
    qtbot.addWidget(dialog)
    dialog.username.setText("zhiban")
    dialog.display_name.setText("另一个值班员")
    dialog.ok_button.click()
    assert warnings.shown == ["There is already an account 'zhiban'."]
    assert dialog.result() == 0 and dialog.secret == ""


def test_service_account_token_is_saved_to_a_file_it_signs_in_with(
        qtbot: QtBot, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        secrets_shown: list[tuple[str, str]]) -> None:
    db = _as(demo_db, "admin")
    tab = AccountsTab(db)
    qtbot.addWidget(tab)

    def fill(dialog: AccountDialog) -> int:
        assert dialog.display_name.parent() is None or dialog.display_name.isHidden()
        dialog.username.setText("nightly-import")
        dialog.role.setCurrentIndex(dialog.role.findData(Role.LEADER))
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(AccountDialog, "exec", fill)
    tab.new_service_account()
    [(token, token_of)] = secrets_shown
    assert token_of == "nightly-import"
    secret = SecretDialog("token", "shown once", token, token_of=token_of)
    qtbot.addWidget(secret)
    secret.copy()
    assert QApplication.clipboard().text() == token
    target = tmp_path / "nightly.token"
    secret.save_to(target)
    assert (target.stat().st_mode & 0o077) == 0
    username, saved = read_token(target)
    assert (username, saved) == ("nightly-import", token)
    assert sign_in(db, username, saved, service=True).identity.service


def test_unlock_disable_enable_and_reset(qtbot: QtBot, demo_db: Database, warnings: Warnings,
                                         secrets_shown: list[tuple[str, str]],
                                         english: QApplication) -> None:
    for _ in range(load_policy(demo_db).max_failures):
        with pytest.raises(LoginError):
            sign_in(demo_db, "zhiban", "not the password")
    db = _as(demo_db, "admin")
    tab = AccountsTab(db)
    qtbot.addWidget(tab)
    tab.activated()
    assert _row_texts(tab, "zhiban")[3].startswith("Locked until")
    tab.select_username("zhiban")
    assert tab.unlock_button.isEnabled()
    tab.unlock()
    assert _row_texts(tab, "zhiban")[3] == "Active"
    tab.select_username("zhiban")
    tab.toggle_disabled()
    assert _row_texts(tab, "zhiban")[3] == "Disabled" and tab.disable_button.text() == "Enable"
    with pytest.raises(LoginError):
        sign_in(db, "zhiban", DEMO_PASSWORD)
    _as(db, "admin")
    tab.toggle_disabled()
    assert _row_texts(tab, "zhiban")[3] == "Active"
    tab.reset_password()
    [(password, _)] = secrets_shown
    assert sign_in(db, "zhiban", password).must_change_password
    assert warnings.shown == []


def test_security_officer_changes_a_role_and_is_refused_account_management(
        qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch,
        warnings: Warnings, english: QApplication) -> None:
    db = _as(demo_db, "anquan")
    tab = AccountsTab(db)
    qtbot.addWidget(tab)
    tab.activated()
    tab.select_username("zhiban")
    names = role_names()
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda *_a, **_k: (names[Role.LEADER], True))
    tab.change_role()
    assert _row_texts(tab, "zhiban")[2] == names[Role.LEADER]
    assert sign_in(db, "zhiban", DEMO_PASSWORD).identity.role is Role.LEADER
    _as(db, "anquan")
    tab.reset_password()
    assert warnings.shown == ["anquan (Security officer) may not manage accounts."]


# ---- policy and purge ----------------------------------------------------------------------

def test_policy_spin_boxes_keep_the_minimums_and_save(qtbot: QtBot, demo_db: Database) -> None:
    db = _as(demo_db, "anquan")
    tab = PolicyTab(db)
    qtbot.addWidget(tab)
    tab.activated()
    for name, minimum in POLICY_MINIMUMS.items():
        assert tab.spins[name].minimum() == minimum
    assert tab.spins["idle_lock_minutes"].value() == 15
    tab.spins["idle_lock_minutes"].setValue(5)
    tab.spins["audit_retention_days"].setValue(100)  # clamped to the minimum of a year
    tab.save_button.click()
    policy = load_policy(db)
    assert policy.idle_lock_minutes == 5 and policy.audit_retention_days == 365


def test_purge_archives_old_records_first_and_the_chain_still_verifies(
        qtbot: QtBot, demo_db: Database, tmp_path: Path) -> None:
    real_clock = demo_db.audit.clock
    demo_db.audit.clock = lambda: datetime.now() - timedelta(days=800)
    log(demo_db, "backup", object_type="file", object_id="old-backup.zip")
    demo_db.audit.clock = real_clock
    db = _as(demo_db, "anquan")
    tab = PolicyTab(db)
    qtbot.addWidget(tab)
    archive = tmp_path / "archive.csv"
    tab.start_purge(datetime.now() - timedelta(days=400), archive)
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    with archive.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and any(r["object_id"] == "old-backup.zip" for r in rows)
    assert str(len(rows)) in tab.status.text()
    _as(db, "shenji")
    assert AuditService(db).verify().ok


def test_purge_dialog_offers_no_date_inside_the_retention(qtbot: QtBot) -> None:
    dialog = PurgeDialog(365, today=date(2026, 12, 1))
    qtbot.addWidget(dialog)
    assert dialog.before.maximumDate().toString("yyyy-MM-dd") == "2025-12-01"
    assert not dialog.ok_button.isEnabled()
    dialog.set_archive(Path("/tmp/archive.csv"))
    assert dialog.ok_button.isEnabled()


# ---- audit trail ---------------------------------------------------------------------------

def test_audit_table_pages_as_it_scrolls(qtbot: QtBot, demo_db: Database) -> None:
    db = _as(demo_db, "shenji")
    tab = _audit_tab(qtbot, db)
    total = AuditService(db).count(AuditFilter())
    assert total > 2 * PAGE_SIZE
    assert tab.model.total == total and tab.model.rowCount() == PAGE_SIZE
    assert f"{total:,}" in tab.count_label.text()
    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.rowCount() > PAGE_SIZE, timeout=10_000)
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    ids = [r.id for r in tab.model.rows]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    tab.shutdown()


def test_audit_filters_count_what_the_service_counts(qtbot: QtBot, demo_db: Database) -> None:
    db = _as(demo_db, "shenji")
    tab = _audit_tab(qtbot, db)
    qtbot.waitUntil(lambda: tab.action_filter.count() > 1, timeout=10_000)
    tab.action_filter.setCurrentIndex(tab.action_filter.findData("update"))
    tab.type_filter.setCurrentIndex(tab.type_filter.findData("task"))
    tab.apply_filter()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    expected = AuditService(db).count(AuditFilter(action="update", object_type="task"))
    assert expected > 0 and tab.model.total == expected
    assert {(r.action, r.object_type) for r in tab.model.rows} == {("update", "task")}
    tab.text_filter.setText("no record holds this text")
    tab.apply_filter()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    assert tab.model.total == 0 and tab.model.rowCount() == 0
    tab.shutdown()


def test_audit_model_passes_the_model_tester(qtmodeltester: Any, qtbot: QtBot,
                                             demo_db: Database) -> None:
    db = _as(demo_db, "shenji")
    model = AuditTableModel(AuditService(db), Masker(clear=False))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(AuditFilter())
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not model.busy, timeout=10_000)
    model.shutdown()


def test_record_details_show_before_and_after_with_personal_data_masked(
        qtbot: QtBot, demo_db: Database, english: QApplication) -> None:
    db = _as(demo_db, "shenji")
    tab = _audit_tab(qtbot, db)
    tab.text_filter.setText('"state"')
    tab.action_filter.setCurrentIndex(tab.action_filter.findData("update"))
    tab.apply_filter()
    qtbot.waitUntil(lambda: not tab.busy and tab.model.rowCount() > 0, timeout=10_000)
    tab.table.selectRow(0)
    html = tab.detail.toHtml()
    assert "Changed fields" in html and "Before" in html and "After" in html and "state" in html
    assert "→" in tab.model.index(0, 7).data()

    tab.text_filter.setText('"phone":"1')
    tab.type_filter.setCurrentIndex(tab.type_filter.findData("dispute_party"))
    tab.action_filter.setCurrentIndex(0)
    tab.apply_filter()
    qtbot.waitUntil(lambda: not tab.busy and tab.model.rowCount() > 0, timeout=10_000)
    record = tab.model.record(0)
    with sqlite3.connect(demo_db.path) as raw:
        name, phone = raw.execute("SELECT name, phone FROM dispute_party WHERE id = ?",
                                  (int(record.object_id),)).fetchone()
    tab.table.selectRow(0)
    text = tab.detail.toPlainText()
    assert name not in text and name[0] + "*" in text
    assert phone not in text and f"{phone[:3]}****{phone[-4:]}" in text
    tab.shutdown()


def test_verify_reports_ok_then_finds_a_tampered_record(qtbot: QtBot, demo_db: Database,
                                                        english: QApplication) -> None:
    db = _as(demo_db, "shenji")
    tab = _audit_tab(qtbot, db)
    tab.verify()
    qtbot.waitUntil(lambda: not tab.busy, timeout=20_000)
    assert tab.report is not None and tab.report.ok
    assert tab.chain_label.text().startswith("Chain intact")
    assert f"{tab.report.records:,}" in tab.chain_label.text()

    victim = tab.model.total - PAGE_SIZE - 50  # not among the rows loaded yet
    with sqlite3.connect(demo_db.path) as raw:
        raw.execute("UPDATE audit_log SET detail = '{\"forged\": true}' WHERE id = ?", (victim,))
    tab.verify()
    qtbot.waitUntil(lambda: not tab.busy and tab.table.currentIndex().isValid()
                    and tab.model.record(tab.table.currentIndex().row()).id == victim,
                    timeout=20_000)
    assert tab.report is not None and tab.report.broken_id == victim
    assert f"Chain broken at record {victim}" in tab.chain_label.text()
    assert "changed after it was written" in tab.chain_label.text()
    tab.shutdown()


def test_export_writes_the_filtered_records_with_hashes(qtbot: QtBot, demo_db: Database,
                                                        tmp_path: Path) -> None:
    db = _as(demo_db, "shenji")
    tab = _audit_tab(qtbot, db)
    qtbot.waitUntil(lambda: tab.user_filter.count() > 1, timeout=10_000)
    tab.user_filter.setCurrentIndex(tab.user_filter.findData("shenji"))
    tab.apply_filter()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    target = tmp_path / "audit.csv"
    tab.start_export(target)
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(COLUMNS)
    body = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    assert body and {r["username"] for r in body} == {"shenji"}
    assert {r["action"] for r in body} >= {"login"} and all(len(r["hash"]) == 64 for r in body)
    assert str(len(body)) in tab.chain_label.text()
    tab.shutdown()
