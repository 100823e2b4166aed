"""The ``check`` command: schema version and the database file's consistency."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import inspect

from station_console.services.audit import verify_chain
from station_console.store.database import Database
from station_console.store.dialect import integrity_problems


@dataclass
class CheckReport:
    """What ``check`` found. ``ok`` is False when anything needs the user's attention."""

    database: str
    schema_current: str | None
    schema_head: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db: Database) -> CheckReport:
    """Check the schema revision, ``integrity_check``, ``foreign_key_check`` and the audit chain."""
    state = db.schema_state()
    report = CheckReport(db.label, state.current, state.head)
    if state.current is None:
        report.problems.append("the database has no Station Console schema")
    elif not state.up_to_date:
        report.notes.append(
            f"schema {state.current} is older than {state.head}; it is upgraded when the "
            "console opens it (a copy is kept beside it first)"
        )
    with db.read() as conn:
        report.problems.extend(integrity_problems(conn))
        has_trail = inspect(conn).has_table("audit_log")
    if has_trail:
        chain = verify_chain(db)
        if chain.ok:
            report.notes.append(f"audit trail: {chain.records} records, hash chain intact")
        else:
            report.problems.append(f"audit trail: record {chain.broken_id} {chain.reason}")
    return report
