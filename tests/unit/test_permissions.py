"""The permission matrix: every role against every guarded action, through the real services.

An action a role holds the permission for must not be refused for permission; every other one
must raise ``PermissionDenied`` and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from station_console.domain.security import (
    ROLE_PERMISSIONS,
    SYSTEM,
    PasswordPolicy,
    Perm,
    PermissionDenied,
    PersonalField,
    Role,
)
from station_console.domain.tasks import Refusal, TaskError
from station_console.services.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    AccountService,
    save_policy,
    sign_in,
)
from station_console.services.audit import AuditFilter, AuditService
from station_console.services.importer import import_feed
from station_console.services.incidents import (
    ExportFormat,
    IncidentFilter,
    IncidentService,
    IntakeForm,
    Sort,
)
from station_console.services.tasks import TaskService
from station_console.store.database import Database
from tests.conftest import DEMO_ON_BOTH_ENGINES
from tests.unit.test_import import profile, rows, write_csv

Action = Callable[[Database, Path, int], object]


def _first_incident(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(text(
            "SELECT id FROM incident WHERE caller_phone != '' AND status = 'new' "
            "ORDER BY id DESC LIMIT 1")).scalar_one())


def _account_id(db: Database, username: str) -> int:
    with db.read() as conn:
        return int(conn.execute(text("SELECT id FROM user_account WHERE username = :u"),
                                {"u": username}).scalar_one())


ACTIONS: dict[str, tuple[Perm, Action]] = {
    "view incidents": (Perm.VIEW_INCIDENTS,
                       lambda db, _t, _i: IncidentService(db).count(IncidentFilter())),
    "intake": (Perm.INTAKE, lambda db, _t, _i: IncidentService(db).register(IntakeForm(
        source="phone", category_code="0101", address="杭州市西湖区竹影街5号",
        description="测试", caller_phone="13812345678"))),
    "note (workflow)": (Perm.DISPATCH,
                        lambda db, _t, i: IncidentService(db).add_note(i, "到场核实")),
    "reveal": (Perm.REVEAL_PERSONAL,
               lambda db, _t, i: IncidentService(db).reveal(i, PersonalField.PHONE)),
    "export": (Perm.EXPORT, lambda db, t, _i: IncidentService(db).export(
        IncidentFilter(), Sort(), t / "out.csv", ExportFormat.CSV)),
    "import": (Perm.IMPORT, lambda db, t, _i: import_feed(
        db, write_csv(t / "feed.csv", rows(2)), profile())),
    "issue task": (Perm.TASK_ISSUE,
                   lambda db, _t, i: TaskService(db).issue_from_incident(i)),
    "create account": (Perm.MANAGE_ACCOUNTS, lambda db, _t, _i: AccountService(db).create(
        "xinren", "新人", Role.OPERATOR)),
    "change role": (Perm.ASSIGN_ROLES, lambda db, _t, _i: AccountService(db).set_role(
        _account_id(db, "zhiban"), Role.LEADER)),
    "security policy": (Perm.SECURITY_POLICY,
                        lambda db, _t, _i: save_policy(db, PasswordPolicy(history=6))),
    "read audit": (Perm.READ_AUDIT, lambda db, _t, _i: AuditService(db).count(AuditFilter())),
}


@pytest.mark.parametrize(("username", "role"), [(u, r) for u, _n, r in DEMO_ACCOUNTS])
@DEMO_ON_BOTH_ENGINES
def test_every_action_for_a_role(demo_db: Database, tmp_path: Path, username: str,
                                 role: Role) -> None:
    incident = _first_incident(demo_db)
    sign_in(demo_db, username, DEMO_PASSWORD)
    for name, (perm, action) in ACTIONS.items():
        if name == "change role" and username == "zhiban":
            continue  # nobody changes their own role (tested on its own)
        allowed = perm in ROLE_PERMISSIONS[role]
        if allowed:
            action(demo_db, tmp_path, incident)
        else:
            with pytest.raises(PermissionDenied):
                action(demo_db, tmp_path, incident)


@DEMO_ON_BOTH_ENGINES
def test_the_system_identity_may_do_everything(demo_db: Database, tmp_path: Path) -> None:
    demo_db.identity = SYSTEM
    incident = _first_incident(demo_db)
    for _perm, action in ACTIONS.values():
        action(demo_db, tmp_path, incident)


@DEMO_ON_BOTH_ENGINES
def test_a_refused_action_changes_nothing(demo_db: Database) -> None:
    incident = _first_incident(demo_db)
    sign_in(demo_db, "shenji", DEMO_PASSWORD)
    with demo_db.read() as conn:
        before = conn.execute(text("SELECT count(*) FROM incident_event")).scalar()
    with pytest.raises(PermissionDenied):
        IncidentService(demo_db).add_note(incident, "审计员不得备注")
    with demo_db.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM incident_event")).scalar() == before



@DEMO_ON_BOTH_ENGINES
def test_a_community_officer_works_on_its_own_tasks_only(demo_db: Database) -> None:
    with demo_db.read() as conn:
        officer = conn.execute(text("SELECT officer_id FROM user_account WHERE username = 'minjing'")
                               ).scalar_one()
        colleague = conn.execute(text("SELECT id FROM officer WHERE id != :o ORDER BY id LIMIT 1"),
                                 {"o": officer}).scalar_one()
    incident = _first_incident(demo_db)
    issuer = TaskService(demo_db)
    mine = issuer.issue_from_incident(incident, assignee_id=officer).id
    other = issuer.issue_from_incident(incident, assignee_id=colleague).id
    sign_in(demo_db, "minjing", DEMO_PASSWORD)
    assert demo_db.identity.officer_id == officer
    service = TaskService(demo_db)
    assert service.sign(mine).state == "signed"
    with pytest.raises(TaskError) as err:
        service.sign(other)
    assert err.value.code is Refusal.NOT_YOURS
    assert service.detail(other).row.state == "awaiting_signoff"
