"""Warning orders (预警指令): entered by hand or imported from upstream files, then reviewed,
verified and answered against a limit per kind and level.

received -> reviewed (second review) -> dispatched (verification) -> fed back -> closed; the
second review may dismiss a false alarm. The response clock (dispatch the verification) and
the answer clock (verification feedback) both run from receipt. One write transaction per
command or import, each step logged in the shared loop event log.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, and_, func, insert, select, update
from sqlalchemy.engine import Connection

from station_console.domain.feedparse import cell_text, detect_encoding, parse_datetime
from station_console.domain.loops import (
    WARNING,
    WARNING_LIMITS,
    Loop,
    LoopError,
    StepClock,
    WarningAction,
    WarningKind,
    WarningState,
)
from station_console.domain.security import Perm, PersonalField, masker_for
from station_console.services.diversion import log_loop_event
from station_console.store.database import Database
from station_console.store.models import Incident, LoopEvent, Officer, WarningLimit, WarningOrder


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


WARNING_T = _t(WarningOrder)
LIMIT_T = _t(WarningLimit)
INCIDENT = _t(Incident)
OFFICER = _t(Officer)
LOOP_EVENT = _t(LoopEvent)
OPEN_STATES = (WarningState.RECEIVED, WarningState.REVIEWED, WarningState.DISPATCHED, WarningState.FED_BACK)
LEVELS = (1, 2, 3)

#: Spellings of the kinds in upstream files (and the codes themselves).
KIND_WORDS: dict[str, WarningKind] = {
    "反诈": WarningKind.ANTI_FRAUD, "涉诈": WarningKind.ANTI_FRAUD, "电诈": WarningKind.ANTI_FRAUD,
    "反诈预警": WarningKind.ANTI_FRAUD, "失踪": WarningKind.MISSING_PERSON,
    "走失": WarningKind.MISSING_PERSON,
    "失踪人员": WarningKind.MISSING_PERSON, "在逃": WarningKind.WANTED_PERSON,
    "在逃人员": WarningKind.WANTED_PERSON, "重点人员": WarningKind.KEY_PERSON,
    "重点人": WarningKind.KEY_PERSON, "感知": WarningKind.SENSOR_ALARM, "感知告警": WarningKind.SENSOR_ALARM,
    "传感器": WarningKind.SENSOR_ALARM, **{k.value: k for k in WarningKind},
}
LEVEL_WORDS = {"1": 1, "2": 2, "3": 3, "一级": 1, "二级": 2, "三级": 3, "红": 1, "橙": 2, "黄": 3,
               "红色": 1, "橙色": 2, "黄色": 3}
#: Column headings of import files, Chinese or English, to fields.
COLUMNS: dict[str, str] = {
    "预警编号": "order_no", "指令编号": "order_no", "order_no": "order_no",
    "预警类型": "kind", "类型": "kind", "kind": "kind",
    "预警等级": "level", "等级": "level", "level": "level",
    "下发时间": "received_at", "预警时间": "received_at", "received_at": "received_at",
    "姓名": "subject_name", "subject_name": "subject_name",
    "手机号": "subject_phone", "电话": "subject_phone", "subject_phone": "subject_phone",
    "身份证号": "subject_id_no", "证件号码": "subject_id_no", "subject_id_no": "subject_id_no",
    "地址": "address", "地点": "address", "address": "address",
    "预警内容": "content", "内容": "content", "content": "content",
    "关联警情": "incident_no", "incident_no": "incident_no",
}
REQUIRED_COLUMNS = ("order_no", "kind", "level")


@dataclass(frozen=True)
class WarningRow:
    """One warning order as the list and the detail pane show it."""

    id: int
    order_no: str
    kind: str
    level: int
    source: str
    received_at: datetime
    subject_name: str
    subject_phone: str
    subject_id_no: str
    address: str
    content: str
    state: str
    response_due: datetime
    reviewed_at: datetime | None
    review_note: str
    dispatched_at: datetime | None
    officer_name: str
    feedback_due: datetime | None
    feedback_at: datetime | None
    feedback: str
    closed_at: datetime | None
    incident_no: str
    was_overdue: bool

    def clock(self) -> StepClock | None:
        """The running clock: respond (dispatch) by ``response_due``, then answer by ``feedback_due``."""
        state = WarningState(self.state)
        if state in (WarningState.RECEIVED, WarningState.REVIEWED):
            return StepClock(self.received_at, self.response_due)
        if state == WarningState.DISPATCHED and self.feedback_due is not None:
            return StepClock(self.received_at, self.feedback_due)
        return None


@dataclass(frozen=True)
class WarningEvent:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class OnTimeFigures:
    """Warnings received in a period and how many were answered within their limit."""

    received: int
    answered: int
    on_time: int

    @property
    def rate(self) -> float | None:
        """Warnings answered on time as a share of those answered."""
        return self.on_time / self.answered if self.answered else None


@dataclass(frozen=True)
class ImportIssue:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class WarningImportError(Exception):
    """The file was rejected whole; ``issues`` name each bad line and field."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        super().__init__("\n".join(str(i) for i in issues[:20]) + (
            f"\n… and {len(issues) - 20} more" if len(issues) > 20 else "")
                         + "\nNothing was imported; correct the file and import it again.")
        self.issues = issues


@dataclass(frozen=True)
class WarningImportSummary:
    file: str
    added: int
    already_there: int


def install_limits(conn: Connection) -> None:
    """Insert the default limits the database lacks (edited limits stay)."""
    have = {(r.kind, r.level) for r in conn.execute(select(LIMIT_T.c.kind, LIMIT_T.c.level))}
    rows = [{"kind": kind.value, "level": level, "response_limit_min": r, "feedback_limit_min": f}
            for kind, levels in WARNING_LIMITS.items() for level, (r, f) in levels.items()
            if (kind.value, level) not in have]
    if rows:
        conn.execute(insert(LIMIT_T), rows)


def _limits(conn: Connection) -> dict[tuple[str, int], tuple[int, int]]:
    install_limits(conn)
    return {(r.kind, r.level): (r.response_limit_min, r.feedback_limit_min)
            for r in conn.execute(select(LIMIT_T))}


class WarningService:
    """Warning-order use cases over one database; ``now`` is injectable for the clocks."""

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now, actor: str = "") -> None:
        self.db = db
        self.now = now
        self.actor = actor

    def _now(self) -> datetime:
        return self.now().replace(microsecond=0)

    def limits(self) -> dict[tuple[str, int], tuple[int, int]]:
        """(kind, level) -> (response minutes, answer minutes)."""
        with self.db.write() as conn:
            return _limits(conn)

    def set_limit(self, kind: WarningKind | str, level: int, response_min: int, feedback_min: int) -> None:
        """Change one kind and level's limits (minutes; the answer limit is not shorter than the response)."""
        self.db.identity.require(Perm.EDIT_CODE_TABLES)
        kind = WarningKind(kind)
        if level not in LEVELS or response_min < 1 or feedback_min < response_min:
            raise LoopError("a limit needs level 1-3, a response of at least 1 minute and an answer "
                            "limit no shorter than the response limit")
        with self.db.write() as conn:
            install_limits(conn)
            conn.execute(update(LIMIT_T).where(LIMIT_T.c.kind == kind.value, LIMIT_T.c.level == level)
                         .values(response_limit_min=response_min, feedback_limit_min=feedback_min))

    def officers(self) -> list[tuple[int, str]]:
        """Active officers who can verify a warning: (id, name)."""
        with self.db.read() as conn:
            query = select(OFFICER.c.id, OFFICER.c.name).where(OFFICER.c.active.is_(True))
            query = query.order_by(OFFICER.c.id)
            return [(r.id, r.name) for r in conn.execute(query)]

    def incident_id(self, incident_no: str) -> int:
        """The id of the incident with this number; ``LoopError`` when there is none."""
        with self.db.read() as conn:
            found = conn.execute(select(INCIDENT.c.id).where(INCIDENT.c.incident_no == incident_no.strip())
                                 ).scalar_one_or_none()
        if found is None:
            raise LoopError(f"there is no incident {incident_no.strip()}; check the number")
        return int(found)

    # entering ---------------------------------------------------------------------------

    def enter(self, kind: WarningKind | str, level: int, *, subject_name: str = "", subject_phone: str = "",
              subject_id_no: str = "", address: str = "", content: str = "", incident_id: int | None = None,
              order_no: str = "", received_at: datetime | None = None) -> WarningRow:
        """Record a warning order by hand (its clocks start at ``received_at``, default now)."""
        self.db.identity.require(Perm.LOOPS)
        kind = WarningKind(kind)
        if level not in LEVELS:
            raise LoopError(f"level must be 1, 2 or 3, not {level}")
        if not (subject_name.strip() or subject_phone.strip() or subject_id_no.strip() or address.strip()):
            raise LoopError("give the subject (name, phone or ID number) or the place of the warning")
        now = self._now()
        with self.db.write() as conn:
            if incident_id is not None and conn.execute(
                    select(INCIDENT.c.id).where(INCIDENT.c.id == incident_id)).first() is None:
                raise LoopError(f"there is no incident {incident_id}")
            order_no = order_no.strip() or self._next_no(conn, now)
            if conn.execute(select(WARNING_T.c.id).where(WARNING_T.c.order_no == order_no)).first():
                raise LoopError(f"warning {order_no} is already recorded")
            values = {"order_no": order_no, "kind": kind.value, "level": level,
                      "received_at": received_at or now,
                      "subject_name": subject_name.strip(), "subject_phone": subject_phone.strip(),
                      "subject_id_no": subject_id_no.strip().upper(), "address": address.strip(),
                      "content": content.strip(), "incident_id": incident_id}
            warning_id = self._insert(conn, _limits(conn), values, "manual", now)
        return self.get(warning_id)

    @staticmethod
    def _next_no(conn: Connection, now: datetime) -> str:
        prefix = f"YJ{now:%Y%m%d}"
        # The highest number of the day, not the count: imported and demo orders leave gaps.
        number = WARNING_T.c.order_no
        last = conn.execute(select(func.max(number)).where(
            number.like(prefix + "%"), func.length(number) == len(prefix) + 4)).scalar()
        seq = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
        return f"{prefix}{seq:04d}"

    def _insert(self, conn: Connection, limits: dict[tuple[str, int], tuple[int, int]],
                values: dict[str, Any], source: str, now: datetime, actor: str = "") -> int:
        response_min, feedback_min = limits[(values["kind"], values["level"])]
        received = values["received_at"]
        warning_id = int(conn.execute(insert(WARNING_T).values(
            **values, source=source, state=WarningState.RECEIVED.value,
            response_due=received + timedelta(minutes=response_min),
            feedback_due=received + timedelta(minutes=feedback_min), was_overdue=False,
            updated_at=now)).inserted_primary_key[0])
        log_loop_event(conn, Loop.WARNING, warning_id, received, actor or self.actor, "received",
                       values["content"])
        return warning_id

    # the loop ---------------------------------------------------------------------------

    def review(self, warning_id: int, note: str) -> WarningRow:
        """The second review (二次研判) is done; the note says what it found."""
        return self._apply(warning_id, WarningAction.REVIEW, _required(note, "the review's finding"))

    def dismiss(self, warning_id: int, reason: str) -> WarningRow:
        """The review found a false alarm: the loop closes with the reason."""
        return self._apply(warning_id, WarningAction.DISMISS, _required(reason, "a reason"))

    def dispatch(self, warning_id: int, officer_id: int | None = None, note: str = "") -> WarningRow:
        """Verification sent out (to an officer, or as the note says)."""
        if officer_id is None and not note.strip():
            raise LoopError("name the officer or say who verifies")
        return self._apply(warning_id, WarningAction.DISPATCH, note.strip(), officer_id=officer_id)

    def feedback(self, warning_id: int, result: str) -> WarningRow:
        """The verification's result came back."""
        return self._apply(warning_id, WarningAction.FEEDBACK, _required(result, "the verification result"))

    def close(self, warning_id: int, note: str = "") -> WarningRow:
        """The answer went upstream; the loop closes."""
        return self._apply(warning_id, WarningAction.CLOSE, note.strip())

    def _apply(self, warning_id: int, action: WarningAction, text: str, *,
               officer_id: int | None = None) -> WarningRow:
        self.db.identity.require(Perm.LOOPS)
        now = self._now()
        with self.db.write() as conn:
            row = conn.execute(select(WARNING_T).where(WARNING_T.c.id == warning_id)).first()
            if row is None:
                raise LoopError(f"there is no warning {warning_id}")
            target = WarningState(WARNING.check(f"warning {row.order_no}", row.state, action))
            values: dict[str, Any] = {"state": target.value, "updated_at": now}
            state = WarningState(row.state)
            due = row.response_due if state in (WarningState.RECEIVED, WarningState.REVIEWED) else (
                row.feedback_due if state == WarningState.DISPATCHED else None)
            if due is not None and now > due:
                values["was_overdue"] = True
            detail = text
            if action == WarningAction.REVIEW:
                values.update(reviewed_at=now, review_note=text)
            elif action == WarningAction.DISMISS:
                values.update(review_note=text, feedback=text)
                if row.reviewed_at is None:
                    values["reviewed_at"] = now
            elif action == WarningAction.DISPATCH:
                if officer_id is not None:
                    officer = conn.execute(select(OFFICER.c.name).where(OFFICER.c.id == officer_id)).first()
                    if officer is None:
                        raise LoopError(f"there is no officer {officer_id}; choose another")
                    detail = (officer.name + (f": {text}" if text else "")).strip()
                values.update(dispatched_at=now, officer_id=officer_id)
            elif action == WarningAction.FEEDBACK:
                values.update(feedback_at=now, feedback=text)
            if target in WARNING.final:
                values["closed_at"] = now
            conn.execute(update(WARNING_T).where(WARNING_T.c.id == warning_id).values(**values))
            log_loop_event(conn, Loop.WARNING, warning_id, now, self.actor, action.value, detail)
        return self.get(warning_id)

    # queries ----------------------------------------------------------------------------

    def get(self, warning_id: int) -> WarningRow:
        """One warning."""
        rows = self._rows(WARNING_T.c.id == warning_id)
        if not rows:
            raise LoopError(f"there is no warning {warning_id}")
        return rows[0]

    def find(self, *, kind: str | None = None, level: int | None = None, state: str | None = None,
             open_only: bool = False, limit: int = 2000) -> list[WarningRow]:
        """Warnings for the list, newest first."""
        conds: list[Any] = []
        if kind:
            conds.append(WARNING_T.c.kind == kind)
        if level is not None:
            conds.append(WARNING_T.c.level == level)
        if state:
            conds.append(WARNING_T.c.state == state)
        if open_only:
            conds.append(WARNING_T.c.state.in_([s.value for s in OPEN_STATES]))
        return self._rows(and_(True, *conds), limit=limit)

    def for_incident(self, incident_id: int) -> list[WarningRow]:
        """The warning orders linked to an incident, newest first."""
        return self._rows(WARNING_T.c.incident_id == incident_id)

    def overdue(self) -> list[WarningRow]:
        """Open warnings whose clock has run out now."""
        now = self._now()
        return [r for r in self.find(open_only=True, limit=1_000_000)
                if (c := r.clock()) is not None and c.overdue(now)]

    def events(self, warning_id: int) -> list[WarningEvent]:
        """The warning's log, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(select(LOOP_EVENT.c.at, LOOP_EVENT.c.actor, LOOP_EVENT.c.action,
                                       LOOP_EVENT.c.detail)
                                .where(LOOP_EVENT.c.loop == Loop.WARNING.value,
                                       LOOP_EVENT.c.item_id == warning_id)
                                .order_by(LOOP_EVENT.c.at, LOOP_EVENT.c.id)).all()
        return [WarningEvent(*r) for r in rows]

    def on_time(self, start: datetime, end: datetime) -> OnTimeFigures:
        """Warnings received in ``[start, end)``: answered (fed back or dismissed) and answered in time."""
        with self.db.read() as conn:
            w = WARNING_T
            rows = conn.execute(select(w.c.state, w.c.feedback_at, w.c.feedback_due, w.c.closed_at,
                                       w.c.response_due, w.c.dispatched_at)
                                .where(WARNING_T.c.received_at >= start, WARNING_T.c.received_at < end)).all()
        answered = on_time = 0
        for r in rows:
            if r.feedback_at is not None:
                answered += 1
                on_time += r.feedback_at <= r.feedback_due
            elif r.state == WarningState.CLOSED and r.dispatched_at is None:
                answered += 1  # dismissed at review: answered when it closed
                on_time += r.closed_at <= r.response_due
        return OnTimeFigures(len(rows), answered, on_time)

    def _rows(self, where: Any, limit: int = 2000) -> list[WarningRow]:
        w = WARNING_T
        with self.db.read() as conn:
            rows = conn.execute(
                select(w.c.id, w.c.order_no, w.c.kind, w.c.level, w.c.source, w.c.received_at,
                       w.c.subject_name, w.c.subject_phone, w.c.subject_id_no, w.c.address, w.c.content,
                       w.c.state,
                       w.c.response_due, w.c.reviewed_at, w.c.review_note, w.c.dispatched_at,
                       func.coalesce(OFFICER.c.name, ""), w.c.feedback_due, w.c.feedback_at, w.c.feedback,
                       w.c.closed_at, func.coalesce(INCIDENT.c.incident_no, ""), w.c.was_overdue)
                .select_from(w.outerjoin(OFFICER, OFFICER.c.id == w.c.officer_id)
                             .outerjoin(INCIDENT, INCIDENT.c.id == w.c.incident_id))
                .where(where).order_by(w.c.received_at.desc(), w.c.id.desc()).limit(limit)).all()
        mask = masker_for(self.db.identity)
        return [dataclasses.replace(
            WarningRow(*r[:22], bool(r[22])),
            subject_name=mask(PersonalField.NAME, r.subject_name),
            subject_phone=mask(PersonalField.PHONE, r.subject_phone),
            subject_id_no=mask(PersonalField.ID_NO, r.subject_id_no),
            content=mask.text(r.content)) for r in rows]

    # import -----------------------------------------------------------------------------

    def import_file(self, path: Path, progress: Callable[[int, int], bool] | None = None
                    ) -> WarningImportSummary:
        """Import a CSV/XLSX file of warning orders in one transaction; raises ``WarningImportError``.

        Warnings whose upstream number is already recorded are left as they are, so a re-sent
        file is a no-op. Any bad line rejects the whole file.
        """
        self.db.identity.require(Perm.LOOPS)
        name = path.name
        records = list(_read_records(path))
        if not records:
            raise WarningImportError([ImportIssue(name, 1, "", "the file is empty")])
        header_line, header = records[0]
        fields: dict[int, str] = {}
        for index, title in enumerate(header):
            key = COLUMNS.get(cell_text(title).strip()) if title is not None else None
            if key:
                fields[index] = key
        missing = [c for c in REQUIRED_COLUMNS if c not in fields.values()]
        if missing:
            raise WarningImportError([ImportIssue(name, header_line, c, "this column is missing; the header "
                                                  "needs 预警编号, 预警类型 and 预警等级") for c in missing])
        now = self._now()
        issues: list[ImportIssue] = []
        added = already = 0
        with self.db.write() as conn:
            limits = _limits(conn)
            known = set(conn.execute(select(WARNING_T.c.order_no)).scalars())
            incidents: dict[str, int | None] = {}
            seen: dict[str, int] = {}
            parsed: list[dict[str, Any]] = []
            total = len(records) - 1
            for done, (line, cells) in enumerate(records[1:], start=1):
                if progress is not None and done % 200 == 0 and not progress(done, total):
                    raise WarningImportError([ImportIssue(name, line, "", "the import was cancelled")])
                raw = {fields[i]: cell for i, cell in enumerate(cells) if i in fields}
                if all(cell_text(v).strip() == "" for v in raw.values() if v is not None):
                    continue
                values = _convert(name, line, raw, issues, now)
                if values is None:
                    continue
                order_no = values["order_no"]
                if order_no in seen:
                    issues.append(ImportIssue(name, line, "order_no",
                                              f"{order_no} is also on line {seen[order_no]}; keep one"))
                    continue
                seen[order_no] = line
                incident_no = values.pop("incident_no")
                values["incident_id"] = None
                if incident_no:
                    if incident_no not in incidents:
                        incidents[incident_no] = conn.execute(select(INCIDENT.c.id).where(
                            INCIDENT.c.incident_no == incident_no)).scalar_one_or_none()
                    if incidents[incident_no] is None:
                        issues.append(ImportIssue(name, line, "incident_no", f"there is no incident "
                                                  f"{incident_no}; leave the cell empty or import it first"))
                        continue
                    values["incident_id"] = incidents[incident_no]
                if order_no in known:
                    already += 1
                else:
                    parsed.append(values)
            if issues:
                raise WarningImportError(issues)
            for values in parsed:
                self._insert(conn, limits, values, "import", now, actor=name)
            added = len(parsed)
        return WarningImportSummary(name, added, already)


def _read_records(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The file's lines (CSV in UTF-8 or GB18030) or rows (XLSX), numbered from 1."""
    name = path.name
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            issue = ImportIssue(name, 0, "", f"not a readable XLSX file ({exc})")
            raise WarningImportError([issue]) from None
        try:
            rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
        yield from enumerate(rows, start=1)
        return
    data = path.read_bytes()
    encoding = detect_encoding(data, at_eof=True)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise WarningImportError([ImportIssue(name, line, "", f"the text is not valid {encoding}; save the "
                                              "file as UTF-8 or GB18030")]) from None
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        yield number, list(row)


def _convert(name: str, line: int, raw: dict[str, Any], issues: list[ImportIssue],
             now: datetime) -> dict[str, Any] | None:
    def text(key: str) -> str:
        value = raw.get(key)
        return "" if value is None else cell_text(value).strip()

    start = len(issues)
    order_no = text("order_no")
    if not order_no:
        issues.append(ImportIssue(name, line, "order_no", "the warning number is empty; every warning needs "
                                  "its upstream number"))
    kind = KIND_WORDS.get(text("kind"))
    if kind is None:
        issues.append(ImportIssue(name, line, "kind", f"{text('kind')!r} is not a warning kind; use 反诈, "
                                  "失踪, 在逃, 重点人员 or 感知"))
    level = LEVEL_WORDS.get(text("level").removesuffix(".0"))
    if level is None:
        issues.append(ImportIssue(name, line, "level", f"{text('level')!r} is not a level; use 1, 2 or 3"))
    received = now
    if text("received_at"):
        try:
            received = parse_datetime(raw["received_at"])
        except ValueError as exc:
            issues.append(ImportIssue(name, line, "received_at", f"{exc}; write e.g. 2024-05-01 08:30"))
    if len(issues) > start:
        return None
    return {"order_no": order_no, "kind": kind, "level": level, "received_at": received,
            "subject_name": text("subject_name")[:50], "subject_phone": text("subject_phone")[:32],
            "subject_id_no": text("subject_id_no").upper()[:32], "address": text("address")[:200],
            "content": text("content"), "incident_no": text("incident_no")}


def _required(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise LoopError(f"give {what}")
    return text


# demo -------------------------------------------------------------------------------------------

_DEMO_NAMES = ("张丽", "王建国", "李娜", "刘洋", "陈静", "杨帆", "赵敏", "黄伟", "周婷", "吴强",
               "徐芳", "孙浩")
#: How many steps past receipt each of the warnings still open now has gone.
_DEMO_OPEN_STAGES = (0, 0, 1, 2, 3, 1)
_DEMO_CONTENT = {
    WarningKind.ANTI_FRAUD: "反诈中心预警：该号码正在与涉诈号码通话，疑似“刷单返利”诈骗，请立即劝阻",
    WarningKind.MISSING_PERSON: "家属报告老人走失，最后出现在辖区菜市场附近",
    WarningKind.WANTED_PERSON: "人脸识别比中网上在逃人员，请核查",
    WarningKind.KEY_PERSON: "重点人员轨迹异常，进入辖区，请核实动向",
    WarningKind.SENSOR_ALARM: "烟感告警，请核实现场情况",
}


def generate_demo_warnings(db: Database, seed: int, end: datetime, count: int = 36) -> int:
    """Warning orders of the last three days before ``end`` in every state, some overdue, some open now.

    The same seed and end give the same warnings; returns how many were written.
    """
    rng = random.Random(f"{seed}:warnings")
    end = end.replace(second=0, microsecond=0)
    kinds = list(WarningKind)
    with db.write() as conn:
        limits = _limits(conn)
        officers = list(conn.execute(select(OFFICER.c.id).order_by(OFFICER.c.id)).scalars())
        addresses = list(conn.execute(select(INCIDENT.c.address).where(INCIDENT.c.address != "")
                                      .order_by(INCIDENT.c.id.desc()).limit(200)).scalars())
        rows: list[dict[str, Any]] = []
        events: list[list[tuple[str, datetime, str]]] = []
        for n in range(count):
            kind = kinds[0] if rng.random() < 0.45 else rng.choice(kinds)
            level = rng.choice(LEVELS)
            # The last few arrived within the hour and are open now at each step; the first of
            # them, an urgent anti-fraud warning, has waited past its 5 minutes.
            recent = n - (count - len(_DEMO_OPEN_STAGES))
            if recent == 0:
                kind, level = WarningKind.ANTI_FRAUD, 1
            response_min, feedback_min = limits[(kind.value, level)]
            minutes_ago = (12 if recent == 0 else rng.randrange(3, 40)) if recent >= 0 else \
                rng.randrange(90, 3 * 24 * 60)
            received = end - timedelta(minutes=minutes_ago)
            response_due = received + timedelta(minutes=response_min)
            feedback_due = received + timedelta(minutes=feedback_min)
            late = rng.random() < 0.15
            speed = 1.6 if late else rng.uniform(0.3, 0.8)
            reviewed = received + timedelta(minutes=max(1, response_min * speed * 0.4))
            dispatched = received + timedelta(minutes=max(2, response_min * speed))
            answered = received + timedelta(minutes=max(3, feedback_min * speed))
            closed = answered + timedelta(minutes=rng.randrange(2, 30))
            steps = [("received", received, _DEMO_CONTENT[kind]),
                     ("review", reviewed, "二次研判：预警属实，需核查"),
                     ("dispatch", dispatched, "社区民警前往核查"),
                     ("feedback", answered, "已核查，当面劝阻并宣传"),
                     ("close", closed, "已向上级反馈")]
            reached = [s for s in steps if s[1] <= end]
            if recent >= 0:
                reached = [(a, received + timedelta(minutes=i * minutes_ago / 5), d)
                           for i, (a, _, d) in enumerate(steps[:_DEMO_OPEN_STAGES[recent] + 1])]
            elif n % 9 == 4 and len(reached) >= 2:
                reached = [steps[0], ("dismiss", reviewed, "二次研判：误报，已排除")]
            state = {"received": "received", "review": "reviewed", "dispatch": "dispatched",
                     "feedback": "fed_back", "close": "closed", "dismiss": "closed"}[reached[-1][0]]
            at = {a: t for a, t, _ in reached}
            was_overdue = (("dispatch" in at and at["dispatch"] > response_due)
                           or ("feedback" in at and at["feedback"] > feedback_due))
            rows.append({
                "order_no": f"YJ{received:%Y%m%d}{n + 1:04d}", "kind": kind.value, "level": level,
                "source": "import", "received_at": received, "subject_name": rng.choice(_DEMO_NAMES),
                "subject_phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}", "subject_id_no": "",
                "address": rng.choice(addresses) if addresses else "", "community_id": None,
                "content": _DEMO_CONTENT[kind], "state": state, "response_due": response_due,
                "reviewed_at": at.get("review", at.get("dismiss")),
                "review_note": next((d for a, _, d in reached if a in ("review", "dismiss")), ""),
                "dispatched_at": at.get("dispatch"),
                "officer_id": rng.choice(officers) if "dispatch" in at and officers else None,
                "feedback_due": feedback_due, "feedback_at": at.get("feedback"),
                "feedback": "已核查，当面劝阻并宣传" if "feedback" in at else "",
                "closed_at": at.get("close", at.get("dismiss")), "incident_id": None,
                "was_overdue": was_overdue, "updated_at": reached[-1][1]})
            events.append(reached)
        for values, steps_done in zip(rows, events, strict=True):
            warning_id = int(conn.execute(insert(WARNING_T).values(**values)).inserted_primary_key[0])
            for action, at_, detail in steps_done:
                actor = "上级预警平台" if action == "received" else "值班员"
                log_loop_event(conn, Loop.WARNING, warning_id, at_, actor, action, detail)
    return len(rows)
