"""Task orders from the district centre in (CSV / XLSX), feedback back out (CSV / XLSX).

An order file has one task per row; columns are found by their usual Chinese or English
headers (``ORDER_COLUMNS``). A whole file is checked first and written in one transaction, so a
file with any bad row changes nothing; each problem names the file, row, column and what to
do. An order number already in the database is skipped, so a re-sent file is a no-op.

The feedback export writes the order columns too, so an exported file reads back as orders.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from station_console.domain.feedparse import cell_text, detect_encoding, parse_datetime
from station_console.domain.tasks import TaskError, TaskSource, TaskState, answer_text
from station_console.services.atomic import atomic_open
from station_console.services.tasks import (
    COMMUNITY,
    INCIDENT,
    OFFICER,
    OFFICER_COMMUNITY,
    TASK,
    TEMPLATE,
    IssueRequest,
    TaskFilter,
    TaskService,
    get_template,
    issue_task,
)
from station_console.store.database import Database

#: Field -> accepted headers (compared without spaces, case-insensitively).
ORDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "order_no": ("指令编号", "任务编号", "指令单号", "order_no"),
    "template": ("标准件", "标准件编号", "任务类型", "template"),
    "officer": ("责任民警", "承办民警", "民警", "officer"),
    "community": ("社区", "责任社区", "community"),
    "incidents": ("关联警情", "警情编号", "incidents"),
    "title": ("任务标题", "任务名称", "title"),
    "detail": ("任务内容", "任务要求", "detail"),
    "issued_at": ("下发时间", "issued_at"),
}
REQUIRED = ("order_no", "template")
SPLIT = re.compile(r"[\s,;，；、]+")
FEEDBACK_HEADER = ["指令编号", "标准件", "任务标题", "责任民警", "社区", "关联警情", "任务内容", "下发时间",
                   "任务编号", "状态", "签收时间", "反馈时间", "审核时间", "反馈内容", "反馈数据"]
STATE_ZH = {TaskState.AWAITING_SIGNOFF: "待签收", TaskState.SIGNED: "已签收", TaskState.RETURNED: "已退回",
            TaskState.FEEDBACK_FILED: "已反馈", TaskState.REVIEWED: "已审核", TaskState.CANCELLED: "已撤销"}


class OrderFileError(ValueError):
    """A task-order file that cannot be imported; ``problems`` lists every row's problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        shown = problems[:20]
        more = f"\n… and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__(f"{path.name}: nothing was imported.\n" + "\n".join(shown) + more)
        self.path = path
        self.problems = problems


@dataclass(frozen=True)
class OrderImport:
    """What an import did."""

    file: str
    rows: int
    added: int
    already_there: int
    task_numbers: tuple[str, ...]


def _read_rows(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [list(r) for r in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    if suffix in (".csv", ".txt"):
        raw = path.read_bytes()
        text = raw.decode(detect_encoding(raw[:65536], at_eof=len(raw) <= 65536))
        return [list(r) for r in csv.reader(io.StringIO(text))]
    raise OrderFileError(path, [f"{path.name}: unknown file type {path.suffix!r}; give a .csv or .xlsx file"])


def _header_map(path: Path, header: Sequence[Any]) -> dict[str, int]:
    names = [cell_text(h).replace(" ", "").lower() for h in header]
    found: dict[str, int] = {}
    for key, aliases in ORDER_COLUMNS.items():
        for alias in aliases:
            if alias.lower() in names:
                found[key] = names.index(alias.lower())
                break
    missing = [ORDER_COLUMNS[k][0] for k in REQUIRED if k not in found]
    if missing:
        raise OrderFileError(path, [
            f"{path.name}, row 1: missing column(s) {', '.join(missing)}; the first row must hold the "
            f"headers (for example {', '.join(ORDER_COLUMNS[k][0] for k in ORDER_COLUMNS)})"])
    return found


def import_task_orders(db: Database, path: Path, *, now: datetime | None = None,
                       actor: str = "") -> OrderImport:
    """Import a task-order file in one transaction; orders already imported are skipped."""
    path = Path(path)
    if not path.exists():
        raise OrderFileError(path, [f"{path}: the file does not exist"])
    rows = [r for r in _read_rows(path) if any(cell_text(c).strip() for c in r)]
    if not rows:
        raise OrderFileError(path, [f"{path.name}: the file is empty"])
    cols = _header_map(path, rows[0])
    moment = (now or datetime.now()).replace(microsecond=0)
    TaskService(db).ensure_templates()
    problems: list[str] = []
    requests: list[IssueRequest] = []
    skipped = 0
    with db.write() as conn:
        templates = {code: name for code, name in conn.execute(select(TEMPLATE.c.code, TEMPLATE.c.name))}
        by_name = {name: code for code, name in templates.items()}
        officers = conn.execute(select(OFFICER.c.id, OFFICER.c.name, OFFICER.c.badge_no)
                                .where(OFFICER.c.active.is_(True))).all()
        communities = {name: cid for cid, name in conn.execute(select(COMMUNITY.c.id, COMMUNITY.c.name))}
        # A re-sent file, or our own feedback export read back, names orders already here.
        existing = set(conn.execute(
            select(TASK.c.external_no).where(TASK.c.external_no.is_not(None))).scalars())
        existing |= set(conn.execute(select(TASK.c.task_no)).scalars())
        seen: dict[str, int] = {}
        for line, raw in enumerate(rows[1:], start=2):
            def cell(key: str, raw: list[Any] = raw) -> str:
                index = cols.get(key)
                return cell_text(raw[index]).strip() if index is not None and index < len(raw) else ""

            def bad(column: str, what: str, line: int = line) -> None:
                problems.append(f"{path.name}, row {line}, column {column}: {what}")

            order_no = cell("order_no")
            if not order_no:
                bad("指令编号", "the order number is empty; every order needs its number")
                continue
            if order_no in existing:
                skipped += 1
                continue
            if order_no in seen:
                bad("指令编号", f"order {order_no} is also on row {seen[order_no]}; remove one of them")
                continue
            seen[order_no] = line
            template = cell("template")
            code = template if template in templates else by_name.get(template)
            if code is None:
                bad("标准件", f"{template!r} is not a task template code or name of this station; "
                    "use a code such as BZ01 or add the template first")
                continue
            community_id = None
            community = cell("community")
            if community:
                community_id = communities.get(community)
                if community_id is None:
                    bad("社区", f"{community!r} is not a community of this station; correct the name")
                    continue
            officer_text = cell("officer")
            officer_id = _officer_id(conn, officers, officer_text, community_id)
            if officer_id is None:
                bad("责任民警", f"no active officer {officer_text!r}" if officer_text else
                    "no officer given and no community officer to propose; fill in the officer")
                continue
            incident_ids: list[int] = []
            unknown: list[str] = []
            for number in SPLIT.split(cell("incidents")):
                if not number:
                    continue
                found = conn.execute(select(INCIDENT.c.id).where(INCIDENT.c.incident_no == number)).scalar()
                if found is None:
                    unknown.append(number)
                else:
                    incident_ids.append(found)
            if unknown:
                bad("关联警情", f"incident(s) {', '.join(unknown)} are not in this database; import the "
                    "incident feed first or leave the column empty")
                continue
            issued = moment
            if cell("issued_at"):
                try:
                    issued = parse_datetime(cell("issued_at"))
                except ValueError as exc:
                    bad("下发时间", f"{exc}; write it as YYYY-MM-DD HH:MM")
                    continue
            requests.append(IssueRequest(
                template_code=code, assignee_id=officer_id,
                title=cell("title") or f"{templates[code]}（{order_no}）", detail=cell("detail"),
                incident_ids=tuple(incident_ids), community_id=community_id,
                source=TaskSource.UPSTREAM, external_no=order_no, issued_at=issued))
        if problems:
            raise OrderFileError(path, problems)
        ids: list[int] = []
        for req in requests:
            try:
                ids.append(issue_task(conn, req, moment, actor))
            except TaskError as exc:
                problems.append(f"{path.name}, order {req.external_no}: {exc}")
        if problems:
            raise OrderFileError(path, problems)
        numbers = tuple(conn.execute(select(TASK.c.task_no).where(TASK.c.id.in_(ids))
                                     .order_by(TASK.c.id)).scalars())
    return OrderImport(path.name, len(rows) - 1, len(ids), skipped, numbers)


def _officer_id(conn: Connection, officers: Sequence[Any], text: str, community_id: int | None) -> int | None:
    if text:
        for o in officers:
            if text in (o.name, o.badge_no):
                return int(o.id)
        return None
    if community_id is None:
        return None
    found = conn.execute(
        select(OFFICER_COMMUNITY.c.officer_id)
        .join(OFFICER, and_(OFFICER.c.id == OFFICER_COMMUNITY.c.officer_id, OFFICER.c.active.is_(True)))
        .where(OFFICER_COMMUNITY.c.community_id == community_id)
        .order_by(OFFICER_COMMUNITY.c.is_primary.desc(), OFFICER.c.id)
    ).scalar()
    return int(found) if found is not None else None


def when(value: datetime | None) -> str:
    """A time as the export writes it (empty when unset)."""
    return f"{value:%Y-%m-%d %H:%M:%S}" if value else ""


def export_feedback(db: Database, path: Path, *, start: datetime | None = None, end: datetime | None = None,
                    upstream_only: bool = False) -> int:
    """Write the tasks issued in [start, end) with their feedback to CSV or XLSX; returns rows.

    The file is written atomically: a reader never sees half of it.
    """
    path = Path(path)
    service = TaskService(db)
    rows = [r for r in service.list_tasks(TaskFilter(states=frozenset(TaskState)), limit=1_000_000)
            if (start is None or r.issued_at >= start) and (end is None or r.issued_at < end)
            and (not upstream_only or r.external_no)]
    rows.sort(key=lambda r: (r.issued_at, r.id))
    out: list[list[Any]] = [FEEDBACK_HEADER]
    with db.read() as conn:
        templates = {}
        for r in rows:
            if r.template_code not in templates:
                templates[r.template_code] = get_template(conn, r.template_code)
            extra = conn.execute(select(TASK.c.detail, TASK.c.feedback).where(TASK.c.id == r.id)).one()
            answers = json.loads(extra.feedback or "{}")
            t = templates[r.template_code]
            text = "；".join(f"{f.label}：{answer_text(f, answers[f.key])}"
                            for f in t.fields if f.key in answers)
            out.append([r.external_no or r.task_no, r.template_code, r.title, r.assignee_name,
                        r.community_name, " ".join(r.incident_nos), extra.detail, when(r.issued_at),
                        r.task_no,
                        STATE_ZH[r.state], when(r.signed_at), when(r.feedback_at), when(r.reviewed_at), text,
                        json.dumps(answers, ensure_ascii=False) if answers else ""])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("反馈")
        for line in out:
            sheet.append(line)
        with atomic_open(path, "wb") as fh:
            book.save(fh)
    elif suffix == ".csv":
        # UTF-8 with a BOM: Excel on a Chinese Windows opens it without garbling.
        with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(out)
    else:
        raise ValueError(f"{path.name}: give a .csv or .xlsx file name")
    return len(out) - 1
