"""Non-police diversion (非警务分流): hand a call to a department and follow it to closure.

handed over -> accepted -> done -> fed back -> revisited (was the caller satisfied?), each step
with its own clock; a department may decline, the command room may cancel. One write
transaction per command, each logged in the loop event log and the incident's timeline.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Table, and_, case, func, insert, select, update
from sqlalchemy.engine import Connection

from station_console.config import data_path
from station_console.domain.loops import (
    DIVERSION,
    DIVERSION_LIMITS,
    DiversionAction,
    DiversionMethod,
    DiversionState,
    Loop,
    LoopError,
    StepClock,
)
from station_console.domain.security import Perm
from station_console.services import audit
from station_console.services.atomic import commit_temp, temp_path_beside
from station_console.store.database import Database
from station_console.store.models import (
    Department,
    Diversion,
    Incident,
    IncidentCategory,
    IncidentEvent,
    LoopEvent,
    Station,
)


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


DEPARTMENT = _t(Department)
DIVERSION_T = _t(Diversion)
INCIDENT = _t(Incident)
CATEGORY = _t(IncidentCategory)
INCIDENT_EVENT = _t(IncidentEvent)
LOOP_EVENT = _t(LoopEvent)
STATION = _t(Station)
DEPARTMENTS_FILE = "departments.json"
OPEN_STATES = (DiversionState.HANDED_OVER, DiversionState.ACCEPTED, DiversionState.DONE,
               DiversionState.FED_BACK)
#: When each state's clock starts (the column holding the moment the step began).
_STEP_START = {
    DiversionState.HANDED_OVER: "handed_over_at", DiversionState.ACCEPTED: "accepted_at",
    DiversionState.DONE: "done_at", DiversionState.FED_BACK: "feedback_at",
}


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    code: str
    name: str
    kind: str
    contact: str
    phone: str
    active: bool


@dataclass(frozen=True)
class DiversionRow:
    """One diversion with its incident and department, as lists and the detail pane show it."""

    id: int
    incident_id: int
    incident_no: str
    category_name: str
    address: str
    department: str
    method: str
    contact: str
    state: str
    handed_over_at: datetime
    accepted_at: datetime | None
    done_at: datetime | None
    feedback_at: datetime | None
    revisited_at: datetime | None
    result: str
    satisfied: bool | None
    was_overdue: bool

    def clock(self) -> StepClock | None:
        """The running clock of the current step (None once the loop is closed)."""
        state = DiversionState(self.state)
        if state not in _STEP_START:
            return None
        started = getattr(self, _STEP_START[state])
        return StepClock(started, started + DIVERSION_LIMITS[state])


@dataclass(frozen=True)
class DiversionRate:
    """Diversion figures for the dashboard over a period."""

    calls: int
    non_police: int
    diverted: int
    closed: int
    satisfied: int
    revisited: int

    @property
    def rate(self) -> float | None:
        """Diverted calls as a share of all calls."""
        return self.diverted / self.calls if self.calls else None

    @property
    def rate_of_non_police(self) -> float | None:
        return self.diverted / self.non_police if self.non_police else None

    @property
    def satisfaction(self) -> float | None:
        return self.satisfied / self.revisited if self.revisited else None


@dataclass(frozen=True)
class DepartmentFigures:
    """One department's line of the per-department report."""

    department: str
    handed_over: int
    accepted: int
    done: int
    closed: int
    declined: int
    open: int
    overdue: int
    satisfied: int
    revisited: int
    #: The department answered: its feedback is in (fed back, revisited or closed).
    fed_back: int = 0


def load_shipped_departments() -> list[dict[str, Any]]:
    """The departments shipped in ``data/departments.json``."""
    with data_path(DEPARTMENTS_FILE).open(encoding="utf-8") as fh:
        return list(json.load(fh)["departments"])


def install_departments(conn: Connection) -> int:
    """Insert the shipped departments the database lacks (edited rows stay as they are)."""
    have = set(conn.execute(select(DEPARTMENT.c.code)).scalars())
    rows = [{"code": d["code"], "name": d["name"], "kind": d.get("kind", ""), "contact": d.get("contact", ""),
             "phone": d.get("phone", ""), "active": True, "sort_order": i}
            for i, d in enumerate(load_shipped_departments(), start=1) if d["code"] not in have]
    if rows:
        conn.execute(insert(DEPARTMENT), rows)
    return len(rows)


def log_loop_event(conn: Connection, loop: Loop, item_id: int, at: datetime, actor: str, action: str,
                   detail: str = "") -> None:
    """One entry in the shared loop event log."""
    conn.execute(insert(LOOP_EVENT).values(loop=loop.value, item_id=item_id, at=at, actor=actor,
                                           action=action, detail=detail))


class DiversionService:
    """Diversion use cases over one database."""

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now, actor: str = "") -> None:
        self.db = db
        self.now = now
        self.actor = actor

    def _now(self) -> datetime:
        return self.now().replace(microsecond=0)

    # departments ------------------------------------------------------------------------

    def departments(self, *, active_only: bool = True) -> list[DepartmentRow]:
        """The department list (installed from the shipped file on first use)."""
        with self.db.write() as conn:
            install_departments(conn)
        with self.db.read() as conn:
            query = select(DEPARTMENT).order_by(DEPARTMENT.c.sort_order, DEPARTMENT.c.id)
            if active_only:
                query = query.where(DEPARTMENT.c.active.is_(True))
            return [DepartmentRow(r.id, r.code, r.name, r.kind, r.contact, r.phone, bool(r.active))
                    for r in conn.execute(query)]

    def save_department(self, code: str, name: str, *, kind: str = "", contact: str = "", phone: str = "",
                        active: bool = True) -> DepartmentRow:
        """Add a department or change the one with this code."""
        self.db.identity.require(Perm.EDIT_CODE_TABLES)
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise LoopError("a department needs a code and a name")
        values = {"name": name, "kind": kind, "contact": contact, "phone": phone, "active": active}
        with self.db.write() as conn:
            if conn.execute(select(DEPARTMENT.c.id).where(DEPARTMENT.c.code == code)).first():
                conn.execute(update(DEPARTMENT).where(DEPARTMENT.c.code == code).values(**values))
            else:
                order = conn.execute(select(func.coalesce(func.max(DEPARTMENT.c.sort_order), 0))).scalar_one()
                conn.execute(insert(DEPARTMENT).values(code=code, sort_order=order + 1, **values))
        return next(d for d in self.departments(active_only=False) if d.code == code)

    # the loop ---------------------------------------------------------------------------

    def divert(self, incident_id: int, department_id: int, method: DiversionMethod | str, contact: str = "",
               note: str = "") -> DiversionRow:
        """Hand a non-police call to a department (the loop starts: handed over)."""
        self.db.identity.require(Perm.DIVERT)
        now = self._now()
        method = DiversionMethod(method)
        with self.db.write() as conn:
            inc = conn.execute(select(INCIDENT.c.incident_no, CATEGORY.c.is_police, CATEGORY.c.name)
                               .join(CATEGORY, CATEGORY.c.code == INCIDENT.c.category_code)
                               .where(INCIDENT.c.id == incident_id)).first()
            if inc is None:
                raise LoopError(f"there is no incident {incident_id}")
            if inc.is_police:
                raise LoopError(f"{inc.incident_no} is a police matter ({inc.name}); only non-police "
                                "calls are diverted. Change its category first if it was misfiled.")
            dept = conn.execute(select(DEPARTMENT.c.name, DEPARTMENT.c.active)
                                .where(DEPARTMENT.c.id == department_id)).first()
            if dept is None or not dept.active:
                raise LoopError(f"department {department_id} does not exist or is inactive; choose another")
            running = conn.execute(select(DIVERSION_T.c.id).where(
                DIVERSION_T.c.incident_id == incident_id,
                DIVERSION_T.c.state.in_([s.value for s in OPEN_STATES]))).first()
            if running is not None:
                raise LoopError(f"{inc.incident_no} is already with a department; wait for it to decline "
                                "or cancel that diversion first")
            diversion_id = int(conn.execute(insert(DIVERSION_T).values(
                incident_id=incident_id, department_id=department_id, method=method.value,
                contact=contact.strip(), state=DiversionState.HANDED_OVER.value, handed_over_at=now,
                result="", note=note.strip(), was_overdue=False, updated_at=now)).inserted_primary_key[0])
            conn.execute(update(INCIDENT).where(INCIDENT.c.id == incident_id)
                         .values(is_diverted=True, updated_at=now))
            detail = f"{dept.name} / {method.value} {contact}".strip()
            conn.execute(insert(INCIDENT_EVENT).values(incident_id=incident_id, at=now, actor=self.actor,
                                                       action="diverted", detail=detail))
            log_loop_event(conn, Loop.DIVERSION, diversion_id, now, self.actor, "handed_over", detail)
        return self.get(diversion_id)

    def accept(self, diversion_id: int, note: str = "") -> DiversionRow:
        """The department accepted the call."""
        return self._apply(diversion_id, DiversionAction.ACCEPT, note=note)

    def decline(self, diversion_id: int, reason: str) -> DiversionRow:
        """The department refused it (the reason is required); the call can be diverted again."""
        return self._apply(diversion_id, DiversionAction.DECLINE, note=_required(reason, "a reason"))

    def complete(self, diversion_id: int, result: str) -> DiversionRow:
        """The department reports the matter done."""
        return self._apply(diversion_id, DiversionAction.COMPLETE, result=_required(result, "what was done"))

    def feedback(self, diversion_id: int, result: str) -> DiversionRow:
        """The department's written feedback arrived."""
        return self._apply(diversion_id, DiversionAction.FEEDBACK, result=_required(result, "the feedback"))

    def revisit(self, diversion_id: int, satisfied: bool, note: str = "") -> DiversionRow:
        """The command room asked the caller; the loop closes."""
        return self._apply(diversion_id, DiversionAction.REVISIT, satisfied=satisfied, note=note)

    def cancel(self, diversion_id: int, reason: str) -> DiversionRow:
        """Withdraw the diversion (the reason is required)."""
        return self._apply(diversion_id, DiversionAction.CANCEL, note=_required(reason, "a reason"))

    def _apply(self, diversion_id: int, action: DiversionAction, *, note: str = "", result: str = "",
               satisfied: bool | None = None) -> DiversionRow:
        self.db.identity.require(Perm.DIVERT)
        now = self._now()
        with self.db.write() as conn:
            row = conn.execute(select(DIVERSION_T).where(DIVERSION_T.c.id == diversion_id)).first()
            if row is None:
                raise LoopError(f"there is no diversion {diversion_id}")
            state = DiversionState(row.state)
            target = DiversionState(DIVERSION.check(f"diversion {diversion_id}", state, action))
            values: dict[str, Any] = {"state": target.value, "updated_at": now}
            limit = DIVERSION_LIMITS.get(state)
            started = getattr(row, _STEP_START[state]) if state in _STEP_START else None
            if limit is not None and started is not None and now > started + limit:
                values["was_overdue"] = True
            stamp = {DiversionAction.ACCEPT: "accepted_at", DiversionAction.COMPLETE: "done_at",
                     DiversionAction.FEEDBACK: "feedback_at", DiversionAction.REVISIT: "revisited_at"}
            if action in stamp:
                values[stamp[action]] = now
            if target in DIVERSION.final:
                values["closed_at"] = now
            if result:
                values["result"] = result
            if satisfied is not None:
                values["satisfied"] = satisfied
            if note:
                values["note"] = (row.note + "\n" + note).strip()
            conn.execute(update(DIVERSION_T).where(DIVERSION_T.c.id == diversion_id).values(**values))
            detail = result or note
            if action == DiversionAction.REVISIT:
                detail = ("satisfied" if satisfied else "not satisfied") + (f": {note}" if note else "")
            log_loop_event(conn, Loop.DIVERSION, diversion_id, now, self.actor, action.value, detail)
            if action in (DiversionAction.DECLINE, DiversionAction.CANCEL):
                # No other department holds it: the call is no longer counted as diverted.
                conn.execute(update(INCIDENT).where(INCIDENT.c.id == row.incident_id)
                             .values(is_diverted=False, updated_at=now))
        return self.get(diversion_id)

    # queries ----------------------------------------------------------------------------

    def get(self, diversion_id: int) -> DiversionRow:
        """One diversion."""
        rows = self._rows(DIVERSION_T.c.id == diversion_id)
        if not rows:
            raise LoopError(f"there is no diversion {diversion_id}")
        return rows[0]

    def for_incident(self, incident_id: int) -> list[DiversionRow]:
        """An incident's diversions, newest first."""
        return self._rows(DIVERSION_T.c.incident_id == incident_id)

    def find(self, *, state: str | None = None, department_id: int | None = None, open_only: bool = False,
             start: datetime | None = None, end: datetime | None = None,
             limit: int = 2000) -> list[DiversionRow]:
        """Diversions for the loops screen, newest first."""
        conds: list[Any] = []
        if state:
            conds.append(DIVERSION_T.c.state == state)
        if open_only:
            conds.append(DIVERSION_T.c.state.in_([s.value for s in OPEN_STATES]))
        if department_id is not None:
            conds.append(DIVERSION_T.c.department_id == department_id)
        if start is not None:
            conds.append(DIVERSION_T.c.handed_over_at >= start)
        if end is not None:
            conds.append(DIVERSION_T.c.handed_over_at < end)
        return self._rows(and_(True, *conds), limit=limit)

    def _rows(self, where: Any, limit: int = 2000) -> list[DiversionRow]:
        with self.db.read() as conn:
            rows = conn.execute(
                select(DIVERSION_T.c.id, DIVERSION_T.c.incident_id, INCIDENT.c.incident_no,
                       func.coalesce(CATEGORY.c.name, INCIDENT.c.category_code), INCIDENT.c.address,
                       DEPARTMENT.c.name, DIVERSION_T.c.method, DIVERSION_T.c.contact, DIVERSION_T.c.state,
                       DIVERSION_T.c.handed_over_at, DIVERSION_T.c.accepted_at, DIVERSION_T.c.done_at,
                       DIVERSION_T.c.feedback_at, DIVERSION_T.c.revisited_at, DIVERSION_T.c.result,
                       DIVERSION_T.c.satisfied, DIVERSION_T.c.was_overdue)
                .select_from(DIVERSION_T.join(INCIDENT, INCIDENT.c.id == DIVERSION_T.c.incident_id)
                             .join(DEPARTMENT, DEPARTMENT.c.id == DIVERSION_T.c.department_id)
                             .outerjoin(CATEGORY, CATEGORY.c.code == INCIDENT.c.category_code))
                .where(where).order_by(DIVERSION_T.c.handed_over_at.desc(), DIVERSION_T.c.id.desc())
                .limit(limit)).all()
        return [DiversionRow(*r[:15], None if r[15] is None else bool(r[15]), bool(r[16])) for r in rows]

    def rate(self, start: datetime, end: datetime) -> DiversionRate:
        """Diversion figures of calls received in ``[start, end)`` (the dashboard's tiles)."""
        with self.db.read() as conn:
            calls = conn.execute(
                select(func.count(), _count_if(CATEGORY.c.is_police.is_(False)),
                       _count_if(INCIDENT.c.is_diverted.is_(True)))
                .select_from(INCIDENT.join(CATEGORY, CATEGORY.c.code == INCIDENT.c.category_code))
                .where(INCIDENT.c.received_at >= start, INCIDENT.c.received_at < end,
                       INCIDENT.c.merged_into_id.is_(None))).one()
            loop = conn.execute(
                select(_count_if(DIVERSION_T.c.state == DiversionState.CLOSED.value),
                       _count_if(DIVERSION_T.c.satisfied.is_(True)),
                       func.count(DIVERSION_T.c.revisited_at))
                .select_from(DIVERSION_T.join(INCIDENT, INCIDENT.c.id == DIVERSION_T.c.incident_id))
                .where(INCIDENT.c.received_at >= start, INCIDENT.c.received_at < end)).one()
        return DiversionRate(int(calls[0]), int(calls[1]), int(calls[2]), int(loop[0]), int(loop[1]),
                             int(loop[2]))

    def department_report(self, start: datetime, end: datetime) -> list[DepartmentFigures]:
        """Per department: diversions handed over in ``[start, end)`` and how far each got."""
        now = self._now()
        rows = self.find(start=start, end=end, limit=1_000_000)
        figures: dict[str, list[int]] = {}
        for r in rows:
            f = figures.setdefault(r.department, [0] * 10)
            clock = r.clock()
            f[0] += 1
            f[1] += r.accepted_at is not None
            f[2] += r.done_at is not None
            f[3] += r.state == DiversionState.CLOSED
            f[4] += r.state == DiversionState.DECLINED
            f[5] += r.state in OPEN_STATES
            f[6] += r.was_overdue or (clock is not None and clock.overdue(now))
            f[7] += bool(r.satisfied)
            f[8] += r.revisited_at is not None
            f[9] += r.feedback_at is not None
        return [DepartmentFigures(name, *f) for name, f in sorted(figures.items(), key=lambda kv: -kv[1][0])]

    def write_department_report(self, path: Path, start: datetime, end: datetime,
                                headers: list[str] | None = None) -> int:
        """The per-department report as XLSX, or as an A4 PDF for a ``.pdf`` path (written
        atomically); returns the number of department lines."""
        lines = self.department_report(start, end)
        if path.suffix.lower() == ".pdf":
            from station_console.services.diversion_report import write_department_pdf

            who = self.db.identity
            write_department_pdf(path, lines, start, end, self.rate(start, end), self._now(),
                                 _station_name(self.db), who.display_name or who.username)
            audit.log(self.db, audit.Action.EXPORT, object_type="file", object_id=path.name,
                      detail={"what": "diversion report", "departments": len(lines)})
            return len(lines)
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "非警务分流"
        sheet.append([f"非警务分流部门报表 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}"])
        sheet.append(headers or ["部门", "移交", "已接收", "已办结", "已回访闭环", "退回", "未结", "超时",
                                 "回访满意", "已回访", "已反馈"])
        for f in lines:
            sheet.append([f.department, f.handed_over, f.accepted, f.done, f.closed, f.declined, f.open,
                          f.overdue, f.satisfied, f.revisited, f.fed_back])
        sheet.column_dimensions["A"].width = 34
        tmp = temp_path_beside(path)
        try:
            book.save(tmp)
            commit_temp(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return len(lines)


def _station_name(db: Database) -> str:
    with db.read() as conn:
        return str(conn.execute(select(STATION.c.name).limit(1)).scalar() or "")


def _count_if(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _required(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise LoopError(f"give {what}")
    return text


#: Demo diversions: (step, hours after the previous step: low, high).
_DEMO_STEPS = (("accepted_at", 0.2, 1.8), ("done_at", 2.0, 60.0), ("feedback_at", 1.0, 20.0),
               ("revisited_at", 2.0, 60.0))
_DEMO_RESULTS = ("已清理完毕", "已派员维修", "已约谈当事商户", "已协调物业处理", "已答复诉求人")


def generate_demo_diversions(db: Database, seed: int, end: datetime, days: int = 45) -> int:
    """Diversions of the demo's diverted calls of the last ``days`` before ``end``, at every step.

    Older ones are mostly revisited and closed (some declined, some late); the newest are still
    with the department. The same seed and end give the same rows; returns how many were written.
    """
    rng = random.Random(f"{seed}:diversions")
    with db.write() as conn:
        install_departments(conn)
        departments = list(conn.execute(select(DEPARTMENT.c.id).where(DEPARTMENT.c.active.is_(True))
                                        .order_by(DEPARTMENT.c.sort_order, DEPARTMENT.c.id)).scalars())
        calls = conn.execute(select(INCIDENT.c.id, INCIDENT.c.received_at).where(
            INCIDENT.c.is_diverted.is_(True), INCIDENT.c.merged_into_id.is_(None),
            INCIDENT.c.received_at >= end - timedelta(days=days), INCIDENT.c.received_at <= end)
            .order_by(INCIDENT.c.id)).all()
        if not departments:
            return 0
        written = 0
        for call in calls:
            at = call.received_at + timedelta(minutes=rng.randint(3, 25))
            if at > end:
                continue
            row: dict[str, Any] = {
                "incident_id": call.id, "department_id": rng.choice(departments),
                "method": rng.choice([m.value for m in DiversionMethod]), "contact": "", "handed_over_at": at,
                "state": DiversionState.HANDED_OVER.value, "result": "", "note": "", "satisfied": None,
                "was_overdue": False}
            events = [("handed_over", at, "")]
            actions = (DiversionAction.ACCEPT, DiversionAction.COMPLETE, DiversionAction.FEEDBACK,
                       DiversionAction.REVISIT)
            declined = rng.random() < 0.06
            states = (DiversionState.ACCEPTED, DiversionState.DONE, DiversionState.FED_BACK,
                      DiversionState.CLOSED)
            for (column, low, high), state, action in zip(_DEMO_STEPS, states, actions, strict=True):
                limit = DIVERSION_LIMITS[DiversionState(row["state"])]
                # About one step in twenty runs past its limit.
                step = (limit * rng.uniform(1.1, 1.6) if rng.random() < 0.05
                        else timedelta(hours=rng.uniform(low, high)))
                if at + step > end:
                    break
                row["was_overdue"] = row["was_overdue"] or step > limit
                at += step
                if declined:
                    row.update(state=DiversionState.DECLINED.value, closed_at=at, result="不属本部门职责")
                    events.append((DiversionAction.DECLINE.value, at, "不属本部门职责"))
                    break
                row[column] = at
                row["state"] = state.value
                if state == DiversionState.DONE:
                    row["result"] = rng.choice(_DEMO_RESULTS)
                if state == DiversionState.CLOSED:
                    row.update(closed_at=at, satisfied=rng.random() < 0.85)
                events.append((action.value, at, row["result"] if state == DiversionState.DONE else ""))
            row["updated_at"] = at
            diversion_id = int(conn.execute(insert(DIVERSION_T).values(**row)).inserted_primary_key[0])
            for action, moment, detail in events:
                log_loop_event(conn, Loop.DIVERSION, diversion_id, moment, "demo", action, detail)
            written += 1
    return written
