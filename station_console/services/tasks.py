"""Community-officer tasks: templates, issuing, the state workflow, queues and officer figures.

Every command runs in one write transaction and leaves an entry in the task event log. The
current time comes from an injectable clock, so deadlines and alerts can be tested at any
fixed moment. Rows cross to the UI as plain frozen dataclasses.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from station_console.config import data_path
from station_console.domain.security import Perm
from station_console.domain.tasks import (
    CLOCK_STATES,
    DEFAULT_SIGNOFF_MIN,
    DEFAULT_WARN,
    OPEN_STATES,
    ClockLevel,
    FieldType,
    FormField,
    FormProblem,
    Refusal,
    RunningClock,
    TaskAction,
    TaskError,
    TaskSource,
    TaskState,
    TemplateProblem,
    WatchedClock,
    answer_text,
    check_transition,
    feedback_deadline,
    field_to_dict,
    median_minutes,
    parse_form_schema,
    require_reason,
    running_clock,
    signoff_deadline,
    template_problems,
    validate_answers,
)
from station_console.store.database import Database
from station_console.store.models import (
    Community,
    Incident,
    IncidentCategory,
    Officer,
    OfficerCommunity,
    Task,
    TaskEvent,
    TaskIncident,
    TaskTemplate,
)

TEMPLATES_FILE = "task_templates.json"


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


TEMPLATE = _t(TaskTemplate)
TASK = _t(Task)
EVENT = _t(TaskEvent)
LINK = _t(TaskIncident)
OFFICER = _t(Officer)
COMMUNITY = _t(Community)
OFFICER_COMMUNITY = _t(OfficerCommunity)
INCIDENT = _t(Incident)
CATEGORY = _t(IncidentCategory)

#: The team whose officers receive community tasks first in pick lists.
COMMUNITY_TEAM = "community"


# plain data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
    """A task template (标准件) with its parsed feedback form."""

    code: str
    name: str
    kind: str
    lead_department: str
    basis: str
    measures: str
    standard: str
    signoff_limit_min: int
    feedback_limit_h: int
    fields: tuple[FormField, ...]
    category_codes: tuple[str, ...]
    active: bool = True


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One task as the queues show it."""

    id: int
    task_no: str
    external_no: str | None
    template_code: str
    template_name: str
    title: str
    source: str
    assignee_id: int
    assignee_name: str
    community_id: int | None
    community_name: str
    state: TaskState
    issued_at: datetime
    signoff_due: datetime
    signed_at: datetime | None
    feedback_due: datetime | None
    feedback_at: datetime | None
    reviewed_at: datetime | None
    return_count: int
    was_overdue: bool
    incident_nos: tuple[str, ...] = ()

    @property
    def clock(self) -> RunningClock | None:
        """The deadline the assignee works against now (None once feedback is in)."""
        return running_clock(self.state, self.signoff_due, self.feedback_due)

    def level(self, now: datetime, warn: timedelta = DEFAULT_WARN) -> ClockLevel:
        clock = self.clock
        return clock.level(now, warn) if clock else ClockLevel.OK


@dataclass(frozen=True)
class EventRow:
    """One entry of a task's event log."""

    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class TaskDetail:
    """A task with its template, detail text, answers and event log."""

    row: TaskRow
    detail: str
    template: TemplateRow
    answers: dict[str, Any]
    events: tuple[EventRow, ...]


@dataclass(frozen=True)
class OfficerChoice:
    """An officer who can receive tasks."""

    id: int
    name: str
    badge_no: str
    team: str
    communities: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        where = "、".join(self.communities)
        return f"{self.name}（{where}）" if where else self.name


@dataclass(frozen=True)
class CommunityChoice:
    id: int
    name: str


@dataclass(frozen=True)
class IssueRequest:
    """Everything needed to issue one task."""

    template_code: str
    assignee_id: int
    title: str
    detail: str = ""
    incident_ids: tuple[int, ...] = ()
    community_id: int | None = None
    source: TaskSource = TaskSource.MANUAL
    external_no: str | None = None
    issued_at: datetime | None = None


@dataclass(frozen=True)
class IssueProposal:
    """What issuing from an incident proposes: template, officer, title (all editable)."""

    incident_id: int
    incident_no: str
    received_at: datetime
    category_code: str
    address: str
    community_id: int | None
    community_name: str
    officer_id: int | None
    template_code: str | None
    title: str
    detail: str

    def request(self, **changes: Any) -> IssueRequest:
        """The issue request this proposal stands for, with ``changes`` applied."""
        if self.officer_id is None and "assignee_id" not in changes:
            raise TaskError(Refusal.NO_ASSIGNEE,
                            f"incident {self.incident_no} has no community officer; choose one")
        if self.template_code is None and "template_code" not in changes:
            raise TaskError(Refusal.UNKNOWN_TEMPLATE,
                            f"no template suits incident {self.incident_no}; choose one")
        base = IssueRequest(
            template_code=self.template_code or "", assignee_id=self.officer_id or 0,
            title=self.title, detail=self.detail, incident_ids=(self.incident_id,),
            community_id=self.community_id, source=TaskSource.INCIDENT,
        )
        return replace(base, **changes)


@dataclass(frozen=True)
class TaskFilter:
    """What the queues show. ``None`` and empty mean "any"."""

    officer_id: int | None = None
    template_code: str | None = None
    states: frozenset[TaskState] = OPEN_STATES
    community_id: int | None = None
    #: Only tasks whose running clock ends within this window from now (overdue ones included).
    due_within: timedelta | None = None
    overdue_only: bool = False


@dataclass(frozen=True)
class TaskCounts:
    """The status bar's figures."""

    open: int
    expiring: int
    overdue: int
    awaiting_review: int


@dataclass(frozen=True)
class OfficerFigures:
    """One officer's task figures for a period."""

    officer_id: int
    officer_name: str
    received: int
    signoff_on_time_rate: float | None
    feedback_on_time_rate: float | None
    overdue: int
    median_sign_min: float | None
    median_feedback_min: float | None


@dataclass(frozen=True)
class TemplateDraft:
    """A template's editable values, as the editor holds them before saving."""

    name: str
    kind: str = ""
    lead_department: str = ""
    basis: str = ""
    measures: str = ""
    standard: str = ""
    signoff_limit_min: int = DEFAULT_SIGNOFF_MIN
    feedback_limit_h: int = 24
    form: tuple[dict[str, Any], ...] = ()
    category_codes: tuple[str, ...] = ()
    active: bool = True


class TemplateInvalid(TaskError):
    """A template that cannot be saved; ``problems`` name each part and form field that is wrong."""

    def __init__(self, code: str, problems: list[TemplateProblem]) -> None:
        super().__init__(Refusal.INVALID_TEMPLATE,
                         f"template {code} cannot be saved: " + "; ".join(p.message for p in problems),
                         template=code)
        self.problems = problems


# templates ---------------------------------------------------------------------------------


def load_shipped_templates() -> list[dict[str, Any]]:
    """The starter templates shipped in ``data/task_templates.json`` (their forms are checked)."""
    doc = json.loads(data_path(TEMPLATES_FILE).read_text(encoding="utf-8"))
    templates: list[dict[str, Any]] = doc["templates"]
    for tpl in templates:
        parse_form_schema(tpl["form"], where=f"{TEMPLATES_FILE}, template {tpl['code']}")
    return templates


def install_templates(conn: Connection) -> int:
    """Insert the shipped templates the database lacks; return how many were added.

    Existing rows are left alone: the station may have edited them.
    """
    have = set(conn.execute(select(TEMPLATE.c.code)).scalars())
    rows = [
        {
            "code": t["code"], "name": t["name"], "kind": t.get("kind", ""),
            "lead_department": t.get("lead_department", ""), "basis": t.get("basis", ""),
            "measures": t.get("measures", ""), "standard": t.get("standard", ""),
            "signoff_limit_min": int(t.get("signoff_limit_min", 30)),
            "feedback_limit_h": int(t["feedback_limit_h"]),
            "form_schema": json.dumps(t["form"], ensure_ascii=False),
            "category_codes": ",".join(t.get("categories", ())),
            "active": True, "sort_order": order,
        }
        for order, t in enumerate(load_shipped_templates(), start=1)
        if t["code"] not in have
    ]
    if rows:
        conn.execute(insert(TEMPLATE), rows)
    return len(rows)


#: Codes of templates added in the editor: the shipped BZnn series, continued.
TEMPLATE_CODE_PREFIX = "BZ"


def _next_template_code(conn: Connection) -> str:
    numbers = [int(c[len(TEMPLATE_CODE_PREFIX):]) for c in conn.execute(select(TEMPLATE.c.code)).scalars()
               if c.startswith(TEMPLATE_CODE_PREFIX) and c[len(TEMPLATE_CODE_PREFIX):].isdigit()]
    return f"{TEMPLATE_CODE_PREFIX}{max(numbers, default=0) + 1:02d}"


def _template_row(r: Any) -> TemplateRow:
    return TemplateRow(
        code=r.code, name=r.name, kind=r.kind, lead_department=r.lead_department, basis=r.basis,
        measures=r.measures, standard=r.standard, signoff_limit_min=r.signoff_limit_min,
        feedback_limit_h=r.feedback_limit_h,
        fields=parse_form_schema(json.loads(r.form_schema), where=f"template {r.code}"),
        category_codes=tuple(c for c in r.category_codes.split(",") if c), active=bool(r.active),
    )


# the service -------------------------------------------------------------------------------


#: The permission each workflow action needs.
ACTION_PERMISSIONS = {
    TaskAction.SIGN: Perm.TASK_WORK, TaskAction.FILE_FEEDBACK: Perm.TASK_WORK,
    TaskAction.REVIEW: Perm.TASK_REVIEW, TaskAction.RETURN: Perm.TASK_REVIEW,
    TaskAction.CANCEL: Perm.TASK_ISSUE, TaskAction.REASSIGN: Perm.TASK_ISSUE,
}


class TaskService:
    """Task use cases over one database. ``actor`` is who the event log names."""

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now,
                 actor: str = "") -> None:
        self.db = db
        self.now = now
        self.actor = actor
        self._templates_ready = False

    def _now(self) -> datetime:
        return self.now().replace(microsecond=0)

    def ensure_templates(self) -> None:
        """Install the shipped templates once, the first time the service is used."""
        if self._templates_ready:
            return
        with self.db.read() as conn:
            count = conn.execute(select(func.count()).select_from(TEMPLATE)).scalar_one()
        if not count:
            with self.db.write() as conn:
                install_templates(conn)
        self._templates_ready = True

    # look-ups -----------------------------------------------------------------------------

    def templates(self, *, active_only: bool = True) -> list[TemplateRow]:
        """The task templates in their order."""
        self.ensure_templates()
        query = select(TEMPLATE).order_by(TEMPLATE.c.sort_order, TEMPLATE.c.code)
        if active_only:
            query = query.where(TEMPLATE.c.active.is_(True))
        with self.db.read() as conn:
            return [_template_row(r) for r in conn.execute(query)]

    def template(self, code: str) -> TemplateRow:
        """One template; ``TaskError`` when the code is unknown."""
        self.ensure_templates()
        with self.db.read() as conn:
            return get_template(conn, code)

    def template_draft(self, code: str) -> TemplateDraft:
        """A template's editable values, its form as a list of field objects."""
        t = self.template(code)
        return TemplateDraft(
            name=t.name, kind=t.kind, lead_department=t.lead_department, basis=t.basis,
            measures=t.measures, standard=t.standard, signoff_limit_min=t.signoff_limit_min,
            feedback_limit_h=t.feedback_limit_h, form=tuple(field_to_dict(f) for f in t.fields),
            category_codes=t.category_codes, active=t.active,
        )

    def save_template(self, code: str | None, draft: TemplateDraft) -> TemplateRow:
        """Save a template of the code table (``code`` None adds a new one) in one transaction.

        Refused with ``TemplateInvalid`` listing every problem (name, limits, each form field).
        """
        self._may_edit_templates()
        self.ensure_templates()
        with self.db.write() as conn:
            if code is None:
                code = _next_template_code(conn)
                order = conn.execute(select(func.coalesce(func.max(TEMPLATE.c.sort_order), 0))).scalar_one()
                new = True
            else:
                get_template(conn, code)
                new = False
            problems = template_problems(code, draft.name, draft.signoff_limit_min, draft.feedback_limit_h,
                                         list(draft.form))
            if problems:
                raise TemplateInvalid(code, problems)
            values = {
                "name": draft.name.strip(), "kind": draft.kind.strip(),
                "lead_department": draft.lead_department.strip(), "basis": draft.basis.strip(),
                "measures": draft.measures.strip(), "standard": draft.standard.strip(),
                "signoff_limit_min": draft.signoff_limit_min, "feedback_limit_h": draft.feedback_limit_h,
                "form_schema": json.dumps(list(draft.form), ensure_ascii=False),
                "category_codes": ",".join(c.strip() for c in draft.category_codes if c.strip()),
                "active": draft.active,
            }
            if new:
                conn.execute(insert(TEMPLATE).values(code=code, sort_order=order + 1, **values))
            else:
                conn.execute(update(TEMPLATE).where(TEMPLATE.c.code == code).values(**values))
            return get_template(conn, code)

    def _may_edit_templates(self) -> None:
        """Templates are a code table the chief (who issues tasks) or the administrator edits."""
        if not self.db.identity.can(Perm.TASK_ISSUE):
            self.db.identity.require(Perm.EDIT_CODE_TABLES)

    def update_template(self, code: str, **changes: Any) -> TemplateRow:
        """Change some values of a template (the form as a list of field objects)."""
        return self.save_template(code, replace(self.template_draft(code), **changes))

    def template_usage(self, code: str) -> int:
        """How many tasks (in any state) were issued from a template."""
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(TASK)
                                    .where(TASK.c.template_code == code)).scalar_one())

    def delete_template(self, code: str) -> None:
        """Delete a template no task uses; one that is used can only be deactivated."""
        self._may_edit_templates()
        self.ensure_templates()
        with self.db.write() as conn:
            get_template(conn, code)
            used = conn.execute(select(func.count()).select_from(TASK)
                                .where(TASK.c.template_code == code)).scalar_one()
            if used:
                raise TaskError(Refusal.TEMPLATE_IN_USE,
                                f"template {code} is used by {used} tasks; deactivate it instead",
                                template=code, tasks=used)
            conn.execute(TEMPLATE.delete().where(TEMPLATE.c.code == code))

    def officers(self) -> list[OfficerChoice]:
        """Active officers, community officers first, with their home communities."""
        with self.db.read() as conn:
            homes: dict[int, list[str]] = defaultdict(list)
            for oid, name in conn.execute(
                select(OFFICER_COMMUNITY.c.officer_id, COMMUNITY.c.name)
                .join(COMMUNITY, COMMUNITY.c.id == OFFICER_COMMUNITY.c.community_id)
                .order_by(OFFICER_COMMUNITY.c.is_primary.desc(), COMMUNITY.c.name)
            ):
                homes[oid].append(name)
            rows = conn.execute(
                select(OFFICER.c.id, OFFICER.c.name, OFFICER.c.badge_no, OFFICER.c.team)
                .where(OFFICER.c.active.is_(True))
            ).all()
        choices = [OfficerChoice(r.id, r.name, r.badge_no, r.team, tuple(homes.get(r.id, ())))
                   for r in rows]
        choices.sort(key=lambda o: (o.team != COMMUNITY_TEAM, not o.communities, o.badge_no))
        return choices

    def communities(self) -> list[CommunityChoice]:
        with self.db.read() as conn:
            rows = conn.execute(select(COMMUNITY.c.id, COMMUNITY.c.name).order_by(COMMUNITY.c.code))
            return [CommunityChoice(r.id, r.name) for r in rows]

    def propose_from_incident(self, incident_id: int) -> IssueProposal:
        """Template, officer and title proposed for a task issued from an incident."""
        self.ensure_templates()
        with self.db.read() as conn:
            return _proposal(conn, incident_id)

    # issuing ------------------------------------------------------------------------------

    def issue(self, request: IssueRequest) -> TaskRow:
        """Issue one task (one transaction, logged)."""
        return self.issue_bulk([request])[0]

    def issue_bulk(self, requests: Sequence[IssueRequest]) -> list[TaskRow]:
        """Issue several tasks at once: all of them or, on any refusal, none."""
        self.db.identity.require(Perm.TASK_ISSUE)
        self.ensure_templates()
        now = self._now()
        with self.db.write() as conn:
            ids = [issue_task(conn, r, now, self.actor) for r in requests]
            return _rows(conn, TASK.c.id.in_(ids), order_ids=ids)

    def issue_from_incident(self, incident_id: int, **changes: Any) -> TaskRow:
        """Issue a task from an incident in one action, with the proposed officer and template."""
        return self.issue(self.propose_from_incident(incident_id).request(**changes))

    # workflow -----------------------------------------------------------------------------

    def sign(self, task_id: int) -> TaskRow:
        """The assignee signs for the task: the feedback clock starts."""
        return self._apply(task_id, TaskAction.SIGN)

    def file_feedback(self, task_id: int, answers: dict[str, Any]) -> TaskRow:
        """File the feedback form; refused with every problem listed when answers are invalid."""
        return self._apply(task_id, TaskAction.FILE_FEEDBACK, answers=answers)

    def review(self, task_id: int, note: str = "") -> TaskRow:
        """The duty leader accepts the feedback: the task is closed."""
        return self._apply(task_id, TaskAction.REVIEW, reason=note)

    def return_to_officer(self, task_id: int, reason: str) -> TaskRow:
        """Send the feedback back with a reason; the feedback clock restarts."""
        return self._apply(task_id, TaskAction.RETURN, reason=reason)

    def cancel(self, task_id: int, reason: str) -> TaskRow:
        """Withdraw an open task, saying why."""
        return self._apply(task_id, TaskAction.CANCEL, reason=reason)

    def reassign(self, task_id: int, officer_id: int, reason: str) -> TaskRow:
        """Give the task to another officer, who must sign for it again."""
        return self._apply(task_id, TaskAction.REASSIGN, reason=reason, officer_id=officer_id)

    def _apply(self, task_id: int, action: TaskAction, **kwargs: Any) -> TaskRow:
        identity = self.db.identity
        perm = ACTION_PERMISSIONS[action]
        identity.require(perm)
        now = self._now()
        with self.db.write() as conn:
            if perm is Perm.TASK_WORK:
                row = conn.execute(select(TASK.c.task_no, TASK.c.assignee_id)
                                   .where(TASK.c.id == task_id)).first()
                if row is not None and not identity.works_on(row.assignee_id):
                    raise TaskError(Refusal.NOT_YOURS, f"task {row.task_no} is not assigned to "
                                    f"{identity.username}'s officer", task_no=row.task_no)
            apply_action(conn, task_id, action, now, self.actor, **kwargs)
            return _rows(conn, TASK.c.id == task_id)[0]

    # queues -------------------------------------------------------------------------------

    def list_tasks(self, flt: TaskFilter = TaskFilter(), *, limit: int = 2000) -> list[TaskRow]:
        """Tasks matching ``flt``: overdue first, then by the running deadline, then newest."""
        now = self._now()
        clauses = []
        if flt.states:
            clauses.append(TASK.c.state.in_(sorted(s.value for s in flt.states)))
        if flt.officer_id is not None:
            clauses.append(TASK.c.assignee_id == flt.officer_id)
        if flt.template_code:
            clauses.append(TASK.c.template_code == flt.template_code)
        if flt.community_id is not None:
            clauses.append(TASK.c.community_id == flt.community_id)
        if flt.overdue_only or flt.due_within is not None:
            horizon = now if flt.overdue_only else now + (flt.due_within or timedelta())
            clauses.append(_due_before(horizon, strict=flt.overdue_only))
        with self.db.read() as conn:
            rows = _rows(conn, and_(*clauses) if clauses else None, limit=limit)
        return sort_for_queue(rows, now)

    def detail(self, task_id: int) -> TaskDetail:
        """A task with its template, answers and event log."""
        with self.db.read() as conn:
            found = _rows(conn, TASK.c.id == task_id)
            if not found:
                raise TaskError(Refusal.NOT_FOUND, f"there is no task {task_id}", task_id=task_id)
            row = found[0]
            extra = conn.execute(select(TASK.c.detail, TASK.c.feedback).where(TASK.c.id == task_id)).one()
            events = tuple(
                EventRow(e.at, e.actor, e.action, e.detail)
                for e in conn.execute(select(EVENT).where(EVENT.c.task_id == task_id)
                                      .order_by(EVENT.c.at, EVENT.c.id))
            )
            template = get_template(conn, row.template_code)
        return TaskDetail(row, extra.detail, template, json.loads(extra.feedback or "{}"), events)

    def counts(self, warn: timedelta = DEFAULT_WARN) -> TaskCounts:
        """Open, about-to-expire, overdue and awaiting-review counts for the status bar."""
        now = self._now()
        with self.db.read() as conn:
            open_count = conn.execute(select(func.count()).select_from(TASK)
                                      .where(TASK.c.state.in_([s.value for s in OPEN_STATES]))).scalar_one()
            overdue = conn.execute(select(func.count()).select_from(TASK)
                                   .where(_due_before(now, strict=True))).scalar_one()
            due_soon = conn.execute(select(func.count()).select_from(TASK)
                                    .where(_due_before(now + warn, strict=False))).scalar_one()
            review = conn.execute(select(func.count()).select_from(TASK).where(
                TASK.c.state == TaskState.FEEDBACK_FILED.value)).scalar_one()
        return TaskCounts(open_count, due_soon - overdue, overdue, review)

    def watched_clocks(self) -> list[WatchedClock]:
        """Every running clock, for the alert tracker."""
        with self.db.read() as conn:
            rows = conn.execute(
                select(TASK.c.id, TASK.c.task_no, TASK.c.state, TASK.c.signoff_due, TASK.c.feedback_due)
                .where(TASK.c.state.in_([s.value for s in CLOCK_STATES]))
            ).all()
        clocks = []
        for r in rows:
            clock = running_clock(TaskState(r.state), r.signoff_due, r.feedback_due)
            if clock is not None:
                clocks.append(WatchedClock(r.id, r.task_no, clock))
        return clocks

    def tasks_for_incident(self, incident_id: int) -> list[TaskRow]:
        """Tasks issued from an incident (any state)."""
        with self.db.read() as conn:
            ids = select(LINK.c.task_id).where(LINK.c.incident_id == incident_id)
            return _rows(conn, TASK.c.id.in_(ids))

    # figures ------------------------------------------------------------------------------

    def officer_figures(self, start: datetime, end: datetime) -> list[OfficerFigures]:
        """Per officer, for tasks issued in [start, end): received, on-time rates, overdue, medians.

        A sign-off is on time when it came by the sign-off deadline; an unsigned task past its
        deadline counts as late. Feedback likewise against the (last) feedback deadline.
        """
        now = self._now()
        with self.db.read() as conn:
            rows = conn.execute(
                select(TASK.c.assignee_id, OFFICER.c.name, TASK.c.state, TASK.c.issued_at,
                       TASK.c.signoff_due, TASK.c.signed_at, TASK.c.feedback_started_at,
                       TASK.c.feedback_due, TASK.c.feedback_at, TASK.c.was_overdue)
                .join(OFFICER, OFFICER.c.id == TASK.c.assignee_id)
                .where(TASK.c.issued_at >= start, TASK.c.issued_at < end,
                       TASK.c.state != TaskState.CANCELLED.value)
            ).all()
        per: dict[int, list[Any]] = defaultdict(list)
        names: dict[int, str] = {}
        for r in rows:
            per[r.assignee_id].append(r)
            names[r.assignee_id] = r.name
        figures = []
        for oid, items in per.items():
            sign_ok = sign_late = fb_ok = fb_late = overdue = 0
            to_sign: list[timedelta] = []
            to_feed: list[timedelta] = []
            for r in items:
                state = TaskState(r.state)
                if r.signed_at is not None:
                    to_sign.append(r.signed_at - r.issued_at)
                    if r.signed_at <= r.signoff_due:
                        sign_ok += 1
                    else:
                        sign_late += 1
                elif now > r.signoff_due:
                    sign_late += 1
                if r.feedback_at is not None and state not in (TaskState.SIGNED, TaskState.RETURNED):
                    to_feed.append(r.feedback_at - (r.feedback_started_at or r.signed_at))
                    if r.feedback_due is None or r.feedback_at <= r.feedback_due:
                        fb_ok += 1
                    else:
                        fb_late += 1
                elif r.feedback_due is not None and now > r.feedback_due:
                    fb_late += 1
                clock = running_clock(state, r.signoff_due, r.feedback_due)
                if r.was_overdue or (clock is not None and now > clock.due):
                    overdue += 1
            figures.append(OfficerFigures(
                officer_id=oid, officer_name=names[oid], received=len(items),
                signoff_on_time_rate=_rate(sign_ok, sign_ok + sign_late),
                feedback_on_time_rate=_rate(fb_ok, fb_ok + fb_late),
                overdue=overdue, median_sign_min=median_minutes(to_sign),
                median_feedback_min=median_minutes(to_feed),
            ))
        figures.sort(key=lambda f: (-f.received, f.officer_name))
        return figures

    # the command line ---------------------------------------------------------------------

    def open_tasks_report(self, *, officer: str | None = None, state: str | None = None,
                          overdue: bool = False) -> list[dict[str, Any]]:
        """Open tasks as plain dicts for scripts (``tasks --json``)."""
        states = OPEN_STATES
        if state is not None:
            try:
                states = frozenset({TaskState(state)})
            except ValueError:
                names = ", ".join(s.value for s in TaskState)
                raise ValueError(f"unknown task state {state!r}; use one of {names}") from None
        officer_id = None
        if officer:
            matches = [o for o in self.officers() if officer in (o.name, o.badge_no)]
            if not matches:
                raise ValueError(f"no officer is named {officer!r} (give a name or a badge number)")
            officer_id = matches[0].id
        rows = self.list_tasks(TaskFilter(officer_id=officer_id, states=states, overdue_only=overdue))
        now = self._now()

        def iso(t: datetime | None) -> str | None:
            return t.isoformat(sep=" ") if t else None

        return [
            {
                "number": r.task_no, "external_no": r.external_no, "template": r.template_code,
                "template_name": r.template_name, "title": r.title, "assignee": r.assignee_name,
                "community": r.community_name, "state": r.state.value, "issued": iso(r.issued_at),
                "signoff_deadline": iso(r.signoff_due), "feedback_deadline": iso(r.feedback_due),
                "overdue": r.level(now) == ClockLevel.OVERDUE, "incidents": list(r.incident_nos),
            }
            for r in rows
        ]


def _rate(ok: int, total: int) -> float | None:
    return round(ok / total, 4) if total else None


def sort_for_queue(rows: Iterable[TaskRow], now: datetime) -> list[TaskRow]:
    """Overdue first, then about to expire, then by the running deadline; no clock last."""
    far = datetime.max

    def key(r: TaskRow) -> tuple[int, datetime, datetime]:
        clock = r.clock
        level = r.level(now)
        rank = {ClockLevel.OVERDUE: 0, ClockLevel.EXPIRING: 1, ClockLevel.OK: 2}[level]
        if clock is None:
            rank = 3
        return rank, clock.due if clock else far, r.issued_at

    return sorted(rows, key=key)


def _due_before(horizon: datetime, *, strict: bool) -> Any:
    """Tasks whose running clock ends before ``horizon`` (strictly, for "overdue")."""

    def before(col: Any) -> Any:
        return col < horizon if strict else col <= horizon

    return or_(
        and_(TASK.c.state == TaskState.AWAITING_SIGNOFF.value, before(TASK.c.signoff_due)),
        and_(TASK.c.state.in_([TaskState.SIGNED.value, TaskState.RETURNED.value]),
             before(TASK.c.feedback_due)),
    )


# transaction-level helpers (also used by the demo generator and the task-order import) -------


def get_template(conn: Connection, code: str) -> TemplateRow:
    """One template inside a transaction; ``TaskError`` when the code is unknown."""
    row = conn.execute(select(TEMPLATE).where(TEMPLATE.c.code == code)).first()
    if row is None:
        raise TaskError(Refusal.UNKNOWN_TEMPLATE, f"there is no task template {code!r}", template=code)
    return _template_row(row)


def _rows(conn: Connection, where: Any, *, limit: int | None = None,
          order_ids: Sequence[int] | None = None) -> list[TaskRow]:
    query = (
        select(TASK.c.id, TASK.c.task_no, TASK.c.external_no, TASK.c.template_code,
               TEMPLATE.c.name.label("template_name"), TASK.c.title, TASK.c.source, TASK.c.assignee_id,
               OFFICER.c.name.label("assignee_name"), TASK.c.community_id,
               COMMUNITY.c.name.label("community_name"), TASK.c.state, TASK.c.issued_at,
               TASK.c.signoff_due, TASK.c.signed_at, TASK.c.feedback_due, TASK.c.feedback_at,
               TASK.c.reviewed_at, TASK.c.return_count, TASK.c.was_overdue)
        .join(TEMPLATE, TEMPLATE.c.code == TASK.c.template_code)
        .join(OFFICER, OFFICER.c.id == TASK.c.assignee_id)
        .outerjoin(COMMUNITY, COMMUNITY.c.id == TASK.c.community_id)
        .order_by(TASK.c.issued_at.desc(), TASK.c.id.desc())
    )
    if where is not None:
        query = query.where(where)
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    numbers: dict[int, list[str]] = defaultdict(list)
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for tid, no in conn.execute(
            select(LINK.c.task_id, INCIDENT.c.incident_no)
            .join(INCIDENT, INCIDENT.c.id == LINK.c.incident_id)
            .where(LINK.c.task_id.in_(chunk)).order_by(INCIDENT.c.received_at)
        ):
            numbers[tid].append(no)
    result = [
        TaskRow(r.id, r.task_no, r.external_no, r.template_code, r.template_name, r.title, r.source,
                r.assignee_id, r.assignee_name, r.community_id, r.community_name or "",
                TaskState(r.state), r.issued_at, r.signoff_due, r.signed_at, r.feedback_due,
                r.feedback_at, r.reviewed_at, r.return_count, bool(r.was_overdue),
                tuple(numbers.get(r.id, ())))
        for r in rows
    ]
    if order_ids is not None:
        position = {tid: i for i, tid in enumerate(order_ids)}
        result.sort(key=lambda r: position[r.id])
    return result


def _log(conn: Connection, task_id: int, at: datetime, actor: str, action: str, detail: str = "") -> None:
    conn.execute(insert(EVENT).values(task_id=task_id, at=at, actor=actor, action=action, detail=detail))


def _next_task_no(conn: Connection, at: datetime) -> str:
    prefix = f"RW{at:%Y%m%d}-"
    last = conn.execute(select(func.max(TASK.c.task_no)).where(TASK.c.task_no.like(prefix + "%"))).scalar()
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _officer_exists(conn: Connection, officer_id: int) -> bool:
    return conn.execute(select(OFFICER.c.id).where(OFFICER.c.id == officer_id,
                                                   OFFICER.c.active.is_(True))).first() is not None


def issue_task(conn: Connection, req: IssueRequest, now: datetime, actor: str) -> int:
    """Insert one task with its links and an "issued" event; returns its id."""
    template = get_template(conn, req.template_code)
    title = req.title.strip()
    if not title:
        raise TaskError(Refusal.NO_TITLE, "a task needs a title")
    if not _officer_exists(conn, req.assignee_id):
        raise TaskError(Refusal.NO_ASSIGNEE, f"officer {req.assignee_id} does not exist or is inactive",
                        officer_id=req.assignee_id)
    issued = (req.issued_at or now).replace(microsecond=0)
    community = req.community_id
    if community is None and req.incident_ids:
        community = conn.execute(select(INCIDENT.c.community_id)
                                 .where(INCIDENT.c.id == req.incident_ids[0])).scalar()
    task_id = conn.execute(insert(TASK).values(
        task_no=_next_task_no(conn, issued), external_no=req.external_no,
        template_code=template.code, source=req.source.value, title=title[:200], detail=req.detail,
        community_id=community, assignee_id=req.assignee_id, state=TaskState.AWAITING_SIGNOFF.value,
        issued_by=actor, issued_at=issued,
        signoff_due=signoff_deadline(issued, template.signoff_limit_min),
        feedback="", reviewed_by="", return_count=0, was_overdue=False, updated_at=now,
    )).inserted_primary_key[0]
    for incident_id in dict.fromkeys(req.incident_ids):
        conn.execute(insert(LINK).values(task_id=task_id, incident_id=incident_id))
    _log(conn, task_id, issued, actor, "issued", f"{template.code} {template.name}")
    return int(task_id)


def apply_action(conn: Connection, task_id: int, action: TaskAction, now: datetime, actor: str, *,
                 reason: str = "", answers: dict[str, Any] | None = None,
                 officer_id: int | None = None) -> None:
    """Check and apply one workflow action at ``now`` inside the caller's transaction.

    The task's row stays locked to the end of the transaction (FOR UPDATE on PostgreSQL): a
    second workstation signing or filing the same task waits, then is checked against the
    state the first one wrote.
    """
    row = conn.execute(select(TASK).where(TASK.c.id == task_id).with_for_update()).first()
    if row is None:
        raise TaskError(Refusal.NOT_FOUND, f"there is no task {task_id}", task_id=task_id)
    state = TaskState(row.state)
    target = check_transition(row.task_no, state, action)
    clock = running_clock(state, row.signoff_due, row.feedback_due)
    late = clock is not None and now > clock.due
    values: dict[str, Any] = {"state": target.value, "updated_at": now}
    if late:
        values["was_overdue"] = True
    detail = ""
    if action == TaskAction.SIGN:
        template = get_template(conn, row.template_code)
        values.update(signed_at=now, feedback_started_at=now,
                      feedback_due=feedback_deadline(now, template.feedback_limit_h))
    elif action == TaskAction.FILE_FEEDBACK:
        template = get_template(conn, row.template_code)
        cleaned, problems = validate_answers(template.fields, answers or {})
        if problems:
            raise FeedbackInvalid(row.task_no, problems)
        values.update(feedback_at=now, feedback=json.dumps(cleaned, ensure_ascii=False))
        detail = "；".join(f"{f.label}：{answer_text(f, cleaned[f.key])}"
                          for f in template.fields if f.key in cleaned)
    elif action == TaskAction.REVIEW:
        detail = reason.strip()
        values.update(reviewed_at=now, reviewed_by=actor, closed_at=now)
    elif action == TaskAction.RETURN:
        detail = require_reason(action, reason)
        template = get_template(conn, row.template_code)
        values.update(feedback_started_at=now, return_count=row.return_count + 1,
                      feedback_due=feedback_deadline(now, template.feedback_limit_h))
    elif action == TaskAction.CANCEL:
        detail = require_reason(action, reason)
        values.update(closed_at=now)
    elif action == TaskAction.REASSIGN:
        why = require_reason(action, reason)
        if officer_id is None or not _officer_exists(conn, officer_id):
            raise TaskError(Refusal.NO_ASSIGNEE, f"officer {officer_id} does not exist or is inactive",
                            officer_id=officer_id)
        if officer_id == row.assignee_id:
            raise TaskError(Refusal.SAME_ASSIGNEE, f"task {row.task_no} is already with officer {officer_id}")
        template = get_template(conn, row.template_code)
        names = dict(conn.execute(select(OFFICER.c.id, OFFICER.c.name)
                                  .where(OFFICER.c.id.in_([row.assignee_id, officer_id]))).all())
        detail = f"{names[row.assignee_id]} → {names[officer_id]}: {why}"
        values.update(assignee_id=officer_id, signed_at=None, feedback_started_at=None,
                      feedback_due=None, signoff_due=signoff_deadline(now, template.signoff_limit_min))
    conn.execute(update(TASK).where(TASK.c.id == task_id).values(**values))
    _log(conn, task_id, now, actor, action.value, detail)


class FeedbackInvalid(TaskError):
    """The feedback form has problems; ``problems`` names each field and what is wrong."""

    def __init__(self, task_no: str, problems: list[FormProblem]) -> None:
        super().__init__(Refusal.INVALID_FEEDBACK,
                         f"feedback for task {task_no} is incomplete: "
                         + "; ".join(p.message for p in problems), task_no=task_no)
        self.problems = problems


def _proposal(conn: Connection, incident_id: int) -> IssueProposal:
    inc = conn.execute(
        select(INCIDENT.c.id, INCIDENT.c.incident_no, INCIDENT.c.received_at, INCIDENT.c.category_code,
               INCIDENT.c.address, INCIDENT.c.community_id, INCIDENT.c.is_repeat, INCIDENT.c.caller_name,
               INCIDENT.c.description, COMMUNITY.c.name.label("community_name"))
        .outerjoin(COMMUNITY, COMMUNITY.c.id == INCIDENT.c.community_id)
        .where(INCIDENT.c.id == incident_id)
    ).first()
    if inc is None:
        raise TaskError(Refusal.NOT_FOUND, f"there is no incident {incident_id}", incident_id=incident_id)
    officer_id = None
    if inc.community_id is not None:
        officer_id = conn.execute(
            select(OFFICER_COMMUNITY.c.officer_id)
            .join(OFFICER, OFFICER.c.id == OFFICER_COMMUNITY.c.officer_id)
            .where(OFFICER_COMMUNITY.c.community_id == inc.community_id, OFFICER.c.active.is_(True))
            .order_by(OFFICER_COMMUNITY.c.is_primary.desc(), OFFICER.c.team != COMMUNITY_TEAM,
                      OFFICER.c.id)
        ).scalar()
    template_code = _template_for(conn, inc.category_code, bool(inc.is_repeat))
    name = conn.execute(select(TEMPLATE.c.name).where(TEMPLATE.c.code == template_code)).scalar() \
        if template_code else ""
    place = inc.address or inc.community_name or ""
    title = f"{name}：{place}" if name else place
    detail = f"{inc.incident_no} {inc.received_at:%Y-%m-%d %H:%M} {inc.description}".strip()
    return IssueProposal(inc.id, inc.incident_no, inc.received_at, inc.category_code, inc.address,
                         inc.community_id, inc.community_name or "", officer_id, template_code,
                         title, detail)


#: The template proposed for incidents flagged as repeat calls (一人多警).
REPEAT_TEMPLATE = "BZ03"


def _template_for(conn: Connection, category_code: str, repeat: bool) -> str | None:
    rows = conn.execute(select(TEMPLATE.c.code, TEMPLATE.c.category_codes)
                        .where(TEMPLATE.c.active.is_(True))
                        .order_by(TEMPLATE.c.sort_order, TEMPLATE.c.code)).all()
    codes = {r.code for r in rows}
    if repeat and REPEAT_TEMPLATE in codes:
        return REPEAT_TEMPLATE
    for r in rows:
        if category_code in r.category_codes.split(","):
            return str(r.code)
    return None


# the demo station --------------------------------------------------------------------------


#: The demo's tasks come from the newest incidents of this many last days, at most this many.
DEMO_TASK_DAYS = 30
DEMO_TASK_MAX = 120
DISPUTE_GROUP = "dispute"


def generate_demo_tasks(db: Database, seed: int, end: datetime) -> int:
    """Tasks of the last days before ``end`` from repeat-call and dispute incidents; returns count.

    Some are still awaiting sign-off, some signed, fed back, reviewed, returned, a few overdue.
    The same seed and end give the same tasks.
    """
    rng = random.Random(f"{seed}:tasks")
    end = end.replace(second=0, microsecond=0)
    with db.write() as conn:
        install_templates(conn)
        dispute_codes = set(conn.execute(
            select(CATEGORY.c.code).where(CATEGORY.c.group_code == DISPUTE_GROUP)).scalars())
        templated = {code for codes in conn.execute(select(TEMPLATE.c.category_codes)).scalars()
                     for code in codes.split(",") if code}
        candidates = conn.execute(
            select(INCIDENT.c.id, INCIDENT.c.received_at, INCIDENT.c.is_repeat, INCIDENT.c.category_code)
            .where(INCIDENT.c.received_at >= end - timedelta(days=DEMO_TASK_DAYS),
                   INCIDENT.c.received_at < end, INCIDENT.c.community_id.is_not(None),
                   INCIDENT.c.merged_into_id.is_(None),
                   or_(INCIDENT.c.is_repeat.is_(True), INCIDENT.c.category_code.in_(sorted(templated))))
            .order_by(INCIDENT.c.received_at.desc(), INCIDENT.c.id.desc())
        ).all()

        non_police = set(conn.execute(
            select(CATEGORY.c.code).where(CATEGORY.c.is_police.is_(False))).scalars())

        def share(c: Any) -> float:
            # Mostly revisits of repeat calls and disputes, as in the command room's day.
            if c.is_repeat:
                return 0.9
            if c.category_code in dispute_codes:
                return 0.8
            return 0.04 if c.category_code in non_police else 0.3

        picked = [c for c in candidates if rng.random() < share(c)][:DEMO_TASK_MAX]
        picked.reverse()
        count = 0
        for inc in picked:
            try:
                proposal = _proposal(conn, inc.id)
                request = proposal.request()
            except TaskError:
                continue
            issued = inc.received_at + timedelta(minutes=rng.randint(25, 150))
            if issued >= end:
                continue
            task_id = issue_task(conn, replace(request, issued_at=issued), issued, "综合指挥室")
            count += 1
            _demo_progress(conn, rng, task_id, issued, end)
    return count


def _demo_progress(conn: Connection, rng: random.Random, task_id: int, issued: datetime,
                   end: datetime) -> None:
    """Walk a demo task through the states a real day would have brought it to by ``end``."""
    t = issued + timedelta(minutes=rng.choice([3, 8, 12, 18, 25, 28, 41, 55]))
    # Recent tasks are often still waiting; a few older ones slipped and are overdue now.
    recent = end - issued < timedelta(days=1)
    if t >= end or rng.random() < (0.5 if end - issued < timedelta(hours=6) else 0.03):
        return
    officer = conn.execute(select(OFFICER.c.name).join(TASK, TASK.c.assignee_id == OFFICER.c.id)
                           .where(TASK.c.id == task_id)).scalar_one()
    apply_action(conn, task_id, TaskAction.SIGN, t, officer)
    due = conn.execute(select(TASK.c.feedback_due).where(TASK.c.id == task_id)).scalar_one()
    span = due - t
    t = t + span * rng.choice([0.3, 0.5, 0.7, 0.85, 0.95, 1.15])
    if t >= end or rng.random() < (0.1 if recent else 0.02):
        return
    template = get_template(conn, conn.execute(select(TASK.c.template_code)
                                                .where(TASK.c.id == task_id)).scalar_one())
    apply_action(conn, task_id, TaskAction.FILE_FEEDBACK, t, officer,
                 answers=demo_answers(template.fields, rng, t))
    t += timedelta(minutes=rng.randint(20, 240))
    if t >= end:
        return
    if rng.random() < 0.15:
        apply_action(conn, task_id, TaskAction.RETURN, t, "带班领导",
                     reason="回访情况不具体，请补充当事人态度和后续措施")
        t += timedelta(minutes=rng.randint(60, 300))
        if t >= end:
            return
        apply_action(conn, task_id, TaskAction.FILE_FEEDBACK, t, officer,
                     answers=demo_answers(template.fields, rng, t))
        t += timedelta(minutes=rng.randint(20, 120))
        if t >= end:
            return
    apply_action(conn, task_id, TaskAction.REVIEW, t, "带班领导")


def demo_answers(fields: Sequence[FormField], rng: random.Random, at: datetime) -> dict[str, Any]:
    """Plausible answers to a feedback form (demo data and tests)."""
    answers: dict[str, Any] = {}
    for f in fields:
        if not f.required and rng.random() < 0.5:
            continue
        if f.type == FieldType.PICK_ONE:
            answers[f.key] = f.options[min(int(rng.random() ** 2 * len(f.options)), len(f.options) - 1)]
        elif f.type == FieldType.PICK_MANY:
            answers[f.key] = rng.sample(list(f.options), rng.randint(1, min(3, len(f.options))))
        elif f.type == FieldType.YES_NO:
            answers[f.key] = rng.random() < 0.7
        elif f.type == FieldType.NUMBER:
            low = int(f.minimum or 0)
            high = int(f.maximum) if f.maximum is not None else low + 20
            answers[f.key] = rng.randint(low, min(high, low + 6))
        elif f.type == FieldType.DATETIME:
            answers[f.key] = (at - timedelta(minutes=rng.randint(10, 90))).strftime("%Y-%m-%d %H:%M")
        elif f.type == FieldType.SHORT_TEXT:
            answers[f.key] = "已核实"
        else:
            answers[f.key] = "已按标准件要求完成，情况已登记。"
    return answers

