"""Accounts, sign-in, lockout, passwords, the audit chain and masking rules."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from station_console.domain.security import (
    ROLE_PERMISSIONS,
    SYSTEM,
    PasswordPolicy,
    Perm,
    PermissionDenied,
    Role,
    mask_free_text,
    mask_id_no,
    mask_name,
    mask_phone,
    neutralise_cell,
)
from station_console.services import audit
from station_console.services.accounts import (
    DEMO_PASSWORD,
    AccountError,
    AccountService,
    LoginError,
    load_policy,
    save_policy,
    sign_in,
    unlock_session,
)
from station_console.store.database import Database
from tests.conftest import ON_BOTH_ENGINES

NOW = datetime(2026, 12, 1, 9, 0)
GOOD = "Qiang#Mima2026"


def _make_account(db: Database, username: str = "wangli", role: Role = Role.OPERATOR,
                  password: str = GOOD, must_change: bool = False) -> int:
    AccountService(db).create(username, "王丽", role, password=password, must_change=must_change,
                              now=NOW)
    with db.read() as conn:
        return int(conn.execute(text("SELECT id FROM user_account WHERE username = :u"),
                                {"u": username}).scalar_one())


def _audit_rows(db: Database, action: str) -> list[tuple[str, str, str]]:
    with db.read() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT username, outcome, detail FROM audit_log WHERE action = :a ORDER BY id"),
            {"a": action})]


# ---- masking -------------------------------------------------------------------------------

def test_personal_fields_are_masked_as_the_rules_say() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("") == ""
    assert mask_id_no("11010119900307123X") == "110101********123X"
    assert mask_name("张三丰") == "张**"
    assert mask_name("李四") == "李*"
    assert mask_free_text("报警人13812341234，身份证330106198801011234") == \
        "报警人138****1234，身份证330106********1234"


def test_formula_cells_are_neutralised_and_others_kept() -> None:
    for bad in ("=1+1", "+86", "-2+3", "@SUM(A1)"):
        assert neutralise_cell(bad) == "'" + bad
    assert neutralise_cell("张三") == "张三"
    assert neutralise_cell(-5) == -5


def test_password_policy_names_each_problem() -> None:
    policy = PasswordPolicy()
    assert policy.problems(GOOD) == []
    problems = policy.problems("abc", "abc")
    assert len(problems) == 3


# ---- roles ---------------------------------------------------------------------------------

def test_administration_security_and_audit_are_separated() -> None:
    admin, security, auditor = (ROLE_PERMISSIONS[r] for r in
                                (Role.SYSADMIN, Role.SECURITY, Role.AUDITOR))
    assert not admin & security and not admin & auditor and not security & auditor
    assert Perm.READ_AUDIT not in admin and Perm.ASSIGN_ROLES not in admin
    for role in (Role.SYSADMIN, Role.SECURITY, Role.AUDITOR):
        assert Perm.VIEW_INCIDENTS not in ROLE_PERMISSIONS[role]


@ON_BOTH_ENGINES
def test_system_administrator_gives_business_roles_only(db: Database) -> None:
    db.identity = SYSTEM
    _make_account(db, "sysad", Role.SYSADMIN)
    sign_in(db, "sysad", GOOD, now=NOW)
    service = AccountService(db)
    service.create("zhangsan", "张三", Role.OPERATOR, password=GOOD, now=NOW)
    with pytest.raises(PermissionDenied):
        service.create("shenji2", "审计", Role.AUDITOR, password=GOOD, now=NOW)
    account_id = next(a.id for a in service.accounts() if a.username == "zhangsan")
    with pytest.raises(PermissionDenied):
        service.set_role(account_id, Role.LEADER)


@ON_BOTH_ENGINES
def test_role_change_by_the_security_officer_is_audited(db: Database) -> None:
    target = _make_account(db, "zhangsan")
    _make_account(db, "anquan1", Role.SECURITY)
    sign_in(db, "anquan1", GOOD, now=NOW)
    AccountService(db).set_role(target, Role.LEADER)
    (user, outcome, detail), = _audit_rows(db, audit.Action.ROLE_CHANGE)
    assert user == "anquan1" and outcome == "ok"
    assert '"before": "operator"' in detail and '"after": "leader"' in detail


# ---- signing in ----------------------------------------------------------------------------

@ON_BOTH_ENGINES
def test_sign_in_sets_the_identity_and_records_it(db: Database) -> None:
    _make_account(db)
    result = sign_in(db, "wangli", GOOD, now=NOW)
    assert db.identity.username == "wangli" and db.identity.role is Role.OPERATOR
    assert not result.must_change_password
    assert _audit_rows(db, audit.Action.LOGIN)[-1][0] == "wangli"


@ON_BOTH_ENGINES
def test_unknown_user_and_wrong_password_give_the_same_message(db: Database) -> None:
    _make_account(db)
    with pytest.raises(LoginError) as unknown:
        sign_in(db, "nobody", GOOD, now=NOW)
    with pytest.raises(LoginError) as wrong:
        sign_in(db, "wangli", "Wrong#Pass2026", now=NOW)
    assert str(unknown.value) == str(wrong.value)
    assert [r[1] for r in _audit_rows(db, audit.Action.LOGIN_FAILED)] == ["denied", "denied"]


@ON_BOTH_ENGINES
def test_five_failures_lock_the_account_for_ten_minutes(db: Database) -> None:
    _make_account(db)
    for attempt in range(5):
        with pytest.raises(LoginError):
            sign_in(db, "wangli", "Wrong#Pass2026", now=NOW + timedelta(seconds=attempt))
    assert len(_audit_rows(db, audit.Action.LOCKOUT)) == 1
    with pytest.raises(LoginError, match="locked"):
        sign_in(db, "wangli", GOOD, now=NOW + timedelta(minutes=9))
    sign_in(db, "wangli", GOOD, now=NOW + timedelta(minutes=11))
    assert db.identity.username == "wangli"


def test_the_administrator_unlocks_a_locked_account(db: Database) -> None:
    account_id = _make_account(db)
    for _ in range(5):
        with pytest.raises(LoginError):
            sign_in(db, "wangli", "Wrong#Pass2026", now=NOW)
    db.identity = SYSTEM
    AccountService(db).unlock(account_id)
    sign_in(db, "wangli", GOOD, now=NOW + timedelta(minutes=1))


def test_a_weak_hash_is_replaced_at_sign_in(db: Database) -> None:
    _make_account(db)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(GOOD)
    with db.write() as conn:
        conn.execute(text("UPDATE user_account SET password_hash = :h"), {"h": weak})
    sign_in(db, "wangli", GOOD, now=NOW)
    with db.read() as conn:
        stored = conn.execute(text("SELECT password_hash FROM user_account")).scalar_one()
    assert stored != weak and "m=65536" in stored and stored.startswith("$argon2id$")


def test_initial_password_must_be_changed_and_recent_ones_not_reused(db: Database) -> None:
    _make_account(db, must_change=True)
    assert sign_in(db, "wangli", GOOD, now=NOW).must_change_password
    from station_console.services.accounts import change_password

    with pytest.raises(AccountError, match="differ"):
        change_password(db, GOOD, GOOD, now=NOW)
    with pytest.raises(AccountError, match="characters"):
        change_password(db, GOOD, "Ab1#", now=NOW)
    change_password(db, GOOD, "Neue#Mima2027", now=NOW)
    assert not sign_in(db, "wangli", "Neue#Mima2027", now=NOW).must_change_password
    with pytest.raises(AccountError, match="differ"):
        change_password(db, "Neue#Mima2027", GOOD, now=NOW)


def test_an_old_password_has_expired(db: Database) -> None:
    _make_account(db)
    assert sign_in(db, "wangli", GOOD, now=NOW + timedelta(days=91)).password_expired


def test_idle_unlock_needs_the_password(db: Database) -> None:
    _make_account(db)
    sign_in(db, "wangli", GOOD, now=NOW)
    with pytest.raises(LoginError):
        unlock_session(db, "nope", now=NOW)
    unlock_session(db, GOOD, now=NOW)
    assert _audit_rows(db, audit.Action.SESSION_UNLOCK)[-1][0] == "wangli"


def test_policy_below_its_minimum_is_refused(db: Database) -> None:
    with pytest.raises(AccountError, match="audit_retention_days"):
        save_policy(db, PasswordPolicy(audit_retention_days=30))
    save_policy(db, PasswordPolicy(max_failures=3))
    assert load_policy(db).max_failures == 3


def test_demo_station_has_an_account_per_role(demo_db: Database) -> None:
    demo_db.identity = SYSTEM
    roles = {a.role for a in AccountService(demo_db).accounts()}
    assert roles == set(Role)
    sign_in(demo_db, "shenji", DEMO_PASSWORD)
    assert demo_db.identity.can(Perm.READ_AUDIT)


# ---- the audit trail -----------------------------------------------------------------------

@ON_BOTH_ENGINES
def test_row_changes_are_recorded_with_before_and_after(db: Database) -> None:
    account_id = _make_account(db)
    sign_in(db, "wangli", GOOD, now=NOW)
    db.identity = SYSTEM
    AccountService(db).set_disabled(account_id, True)
    with db.read() as conn:
        row = conn.execute(text(
            "SELECT username, action, object_type, object_id, detail FROM audit_log "
            "WHERE action = 'update' AND detail LIKE '%disabled%'")).one()
    assert row[:4] == ("system", "update", "user_account", str(account_id))
    assert '"before":{"disabled":0}' in row[4] and '"after":{"disabled":1}' in row[4]


def test_password_hashes_never_reach_the_trail(db: Database) -> None:
    _make_account(db)
    with db.read() as conn:
        details = " ".join(conn.execute(text("SELECT detail FROM audit_log")).scalars())
    assert "$argon2" not in details and "(changed)" in details


@ON_BOTH_ENGINES
def test_bulk_loads_write_one_record(db: Database) -> None:
    with db.write() as conn, audit.bulk(conn, db, audit.Action.IMPORT, object_type="file",
                                        object_id="a.csv") as done:
        for i in range(50):
            conn.execute(text("INSERT INTO app_meta (key, value) VALUES (:k, 'v')"),
                         {"k": f"k{i}"})
        done["rows"] = 50
    with db.read() as conn:
        actions = conn.execute(text("SELECT action, detail FROM audit_log")).all()
    assert actions == [("import", '{"rows": 50}')]


@ON_BOTH_ENGINES
def test_the_trail_refuses_edits_and_deletes_through_the_program(db: Database) -> None:
    audit.log(db, audit.Action.EXPORT, object_type="file", object_id="x.csv")
    with pytest.raises(Exception, match="append-only"), db.write() as conn:
        conn.execute(text("UPDATE audit_log SET outcome = 'denied'"))
    with pytest.raises(Exception, match="retention"), db.write() as conn:
        conn.execute(text("DELETE FROM audit_log"))


def _tamper(db: Database, *sql: str) -> None:
    con = sqlite3.connect(db.path)
    with con:
        for statement in sql:
            con.execute(statement)
    con.close()


def _trail(db: Database, records: int = 6) -> None:
    for i in range(records):
        audit.log(db, audit.Action.EXPORT, object_type="file", object_id=f"f{i}.csv")


@ON_BOTH_ENGINES
def test_check_reports_the_intact_chain(db: Database) -> None:
    from station_console.services.check import check_database

    _trail(db, 3)
    report = check_database(db)
    assert report.ok and any("hash chain intact" in note for note in report.notes)


def test_check_finds_an_edited_record(db: Database) -> None:
    _trail(db)
    assert audit.verify_chain(db).ok
    _tamper(db, "UPDATE audit_log SET object_id = 'other.csv' WHERE id = 3")
    report = audit.verify_chain(db)
    assert report.broken_id == 3 and "changed" in report.reason


def test_check_finds_a_deleted_record(db: Database) -> None:
    _trail(db)
    _tamper(db, "DELETE FROM audit_log WHERE id = 4")
    report = audit.verify_chain(db)
    assert report.broken_id == 5 and "4 is missing" in report.reason


def test_check_finds_reordered_records(db: Database) -> None:
    _trail(db)
    _tamper(db, "UPDATE audit_log SET id = 100 WHERE id = 2",
            "UPDATE audit_log SET id = 2 WHERE id = 3",
            "UPDATE audit_log SET id = 3 WHERE id = 100")
    report = audit.verify_chain(db)
    assert report.broken_id == 2


def test_purge_archives_first_and_keeps_the_chain_verifiable(db: Database, tmp_path: Path) -> None:
    clock = [datetime(2024, 1, 1, 8, 0)]
    db.audit.clock = lambda: clock[0]
    _trail(db, 4)
    clock[0] = datetime.now()
    _trail(db, 2)
    archive = tmp_path / "audit-2024.csv"
    with pytest.raises(PermissionDenied):
        _make_account(db, "shenji1", Role.AUDITOR)
        sign_in(db, "shenji1", GOOD)
        audit.AuditService(db).purge_before(datetime(2025, 1, 1), archive)
    db.identity = SYSTEM
    with pytest.raises(ValueError, match="365"):
        audit.AuditService(db).purge_before(datetime.now() - timedelta(days=30), archive)
    purged = audit.AuditService(db).purge_before(datetime(2025, 1, 1), archive)
    assert purged == 4
    lines = archive.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 5 and lines[0].startswith("id,at,username")
    report = audit.verify_chain(db)
    assert report.ok and report.records > 2


def test_auditor_reads_and_exports_others_do_not(db: Database, tmp_path: Path) -> None:
    _trail(db, 3)
    _make_account(db, "shenji1", Role.AUDITOR)
    _make_account(db, "caozuo", Role.OPERATOR)
    sign_in(db, "caozuo", GOOD)
    with pytest.raises(PermissionDenied):
        audit.AuditService(db).count(audit.AuditFilter())
    sign_in(db, "shenji1", GOOD)
    service = audit.AuditService(db)
    flt = audit.AuditFilter(action=audit.Action.EXPORT)
    assert service.count(flt) == 3
    assert [r.object_id for r in service.page(flt)] == ["f2.csv", "f1.csv", "f0.csv"]
    target = tmp_path / "trail.csv"
    assert service.export_csv(flt, target) == 3
    assert service.count(audit.AuditFilter(action=audit.Action.AUDIT_EXPORT)) == 1


def test_the_store_refuses_row_changes_outside_the_role(db: Database) -> None:
    _make_account(db, "shenji1", Role.AUDITOR)
    sign_in(db, "shenji1", GOOD, now=NOW)
    with pytest.raises(Exception, match="permission denied: user_account"), db.write() as conn:
        conn.execute(text("UPDATE user_account SET display_name = 'x'"))
    with pytest.raises(Exception, match="permission denied: app_meta"), db.write() as conn:
        conn.execute(text("INSERT INTO app_meta (key, value) VALUES ('k', 'v')"))
    with db.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM app_meta WHERE key = 'k'")).scalar() == 0


def test_an_edit_is_one_record_whatever_the_sync_clock_does(demo_db: Database) -> None:
    with demo_db.write() as conn:
        incident = conn.execute(text("SELECT max(id) FROM incident")).scalar_one()
        conn.execute(text("UPDATE incident SET sync_uuid = 'u1', sync_origin = 'me', "
                          "sync_hlc = 1 WHERE id = :i"), {"i": incident})
    with demo_db.read() as conn:
        before = conn.execute(text("SELECT max(id) FROM audit_log")).scalar_one()
    with demo_db.write() as conn:
        conn.execute(text("UPDATE incident SET address = '竹影街9号' WHERE id = :i"),
                     {"i": incident})
    with demo_db.read() as conn:
        assert conn.execute(text("SELECT sync_hlc FROM incident WHERE id = :i"),
                            {"i": incident}).scalar_one() > 1
    with demo_db.read() as conn:
        records = conn.execute(text("SELECT object_type, detail FROM audit_log WHERE id > :b"),
                               {"b": before}).all()
    assert [r[0] for r in records] == ["incident"]
    assert "sync_" not in records[0][1] and "竹影街9号" in records[0][1]
