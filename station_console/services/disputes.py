"""The disputes ledger (矛盾纠纷): register, mediate, resolve or hand over, revisit, reopen.

registered -> mediating -> resolved / unresolved -> handed over; a resolved dispute that gets a
new linked incident flared up again: it is reopened (mediating) and its risk level goes up.
Revisits are community-officer tasks from the dispute template. One write transaction per
command, each logged in the shared loop event log.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, func, insert, select, update
from sqlalchemy.engine import Connection

from station_console.config import data_path
from station_console.domain.intake import id_number_problem, normalize_phone, phone_problem
from station_console.domain.loops import (
    DISPUTE,
    DISPUTE_REVISIT_DAYS,
    RISK_LEVELS,
    DisputeAction,
    DisputeStage,
    Loop,
    LoopError,
    escalated_risk,
)
from station_console.domain.security import Perm, PersonalField, masker_for
from station_console.domain.tasks import TaskSource
from station_console.services.diversion import log_loop_event
from station_console.services.repeats import _community_officer
from station_console.services.tasks import IssueRequest, TaskRow, install_templates, issue_task
from station_console.services.tasks import _rows as task_rows
from station_console.store.database import Database
from station_console.store.models import (
    Community,
    Dispute,
    DisputeCategory,
    DisputeIncident,
    DisputeParty,
    DisputeTask,
    Incident,
    IncidentCategory,
    LoopEvent,
    Task,
)


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


DISPUTE_T = _t(Dispute)
CATEGORY = _t(DisputeCategory)
PARTY = _t(DisputeParty)
LINK = _t(DisputeIncident)
DISPUTE_TASK = _t(DisputeTask)
INCIDENT = _t(Incident)
INCIDENT_CATEGORY = _t(IncidentCategory)
COMMUNITY = _t(Community)
LOOP_EVENT = _t(LoopEvent)
TASK = _t(Task)
CATEGORIES_FILE = "dispute_categories.json"
#: The task template of dispute revisits (矛盾纠纷排查化解).
DISPUTE_TEMPLATE = "BZ27"
OPEN_STAGES = (DisputeStage.REGISTERED, DisputeStage.MEDIATING, DisputeStage.UNRESOLVED)
_STAMP = {DisputeAction.MEDIATE: "mediating_at", DisputeAction.RESOLVE: "resolved_at",
          DisputeAction.FAIL: "unresolved_at", DisputeAction.HAND_OVER: "handed_over_at",
          DisputeAction.REOPEN: "mediating_at"}


@dataclass(frozen=True)
class PartyInput:
    """A party as the register dialog collects it."""

    name: str
    role: str = ""
    phone: str = ""
    id_no: str = ""
    address: str = ""


@dataclass(frozen=True)
class DisputeInput:
    """Everything needed to register a dispute."""

    category_code: str
    title: str
    parties: tuple[PartyInput, ...]
    risk_level: int = 1
    description: str = ""
    address: str = ""
    community_id: int | None = None
    incident_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class DisputeRow:
    """One dispute as the ledger lists it."""

    id: int
    dispute_no: str
    category_code: str
    category_name: str
    title: str
    description: str
    address: str
    community_id: int | None
    community: str
    risk_level: int
    stage: str
    registered_at: datetime
    updated_at: datetime
    handed_to: str
    reopen_count: int
    escalated: bool


@dataclass(frozen=True)
class PartyRow:
    name: str
    role: str
    phone: str
    id_no: str
    address: str


@dataclass(frozen=True)
class LinkedIncident:
    id: int
    incident_no: str
    received_at: datetime
    category_name: str
    address: str


@dataclass(frozen=True)
class EventRow:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class DisputeDetail:
    """A dispute with its parties, linked incidents, revisit tasks and event log."""

    dispute: DisputeRow
    parties: list[PartyRow]
    incidents: list[LinkedIncident]
    revisits: list[TaskRow]
    events: list[EventRow] = field(default_factory=list)


def install_dispute_categories(conn: Connection) -> int:
    """Insert the shipped categories the database lacks (edited rows stay as they are)."""
    have = set(conn.execute(select(CATEGORY.c.code)).scalars())
    with data_path(CATEGORIES_FILE).open(encoding="utf-8") as fh:
        shipped = json.load(fh)["categories"]
    rows = [{"code": c["code"], "name": c["name"], "name_en": c["name_en"], "active": True, "sort_order": i}
            for i, c in enumerate(shipped, start=1) if c["code"] not in have]
    if rows:
        conn.execute(insert(CATEGORY), rows)
    return len(rows)


def registration_problems(conn: Connection, data: DisputeInput) -> list[str]:
    """Every problem of a registration, each naming the field and what to do (empty: valid)."""
    problems: list[str] = []
    active = conn.execute(select(CATEGORY.c.active).where(CATEGORY.c.code == data.category_code)).scalar()
    if not active:
        problems.append(f"category: {data.category_code!r} is not an active dispute category; choose one "
                        "from the list")
    if not data.title.strip():
        problems.append("title: give a short title (who and what)")
    if data.risk_level not in RISK_LEVELS:
        problems.append(f"risk level: {data.risk_level} is not 1 (low), 2 (medium) or 3 (high)")
    if not data.parties:
        problems.append("parties: add at least one party")
    for n, p in enumerate(data.parties, start=1):
        if not p.name.strip():
            problems.append(f"party {n}, name: give the party's name")
        if p.phone.strip() and phone_problem(p.phone):
            problems.append(f"party {n}, phone: {p.phone!r} is not a mobile or landline number with area "
                            "code; correct it or leave it empty")
        if p.id_no.strip() and id_number_problem(p.id_no):
            problems.append(f"party {n}, ID number: {p.id_no!r} is not a valid 18-character resident ID; "
                            "correct it or leave it empty")
    for incident_id in data.incident_ids:
        if conn.execute(select(INCIDENT.c.id).where(INCIDENT.c.id == incident_id)).first() is None:
            problems.append(f"linked incidents: there is no incident {incident_id}")
    return problems


class DisputeService:
    """Disputes ledger use cases over one database."""

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now, actor: str = "") -> None:
        self.db = db
        self.now = now
        self.actor = actor

    def _now(self) -> datetime:
        return self.now().replace(microsecond=0)

    def categories(self) -> list[CategoryRow]:
        """The active dispute categories (installed from the shipped file on first use)."""
        with self.db.write() as conn:
            install_dispute_categories(conn)
        with self.db.read() as conn:
            return [CategoryRow(r.code, r.name, r.name_en) for r in conn.execute(
                select(CATEGORY).where(CATEGORY.c.active.is_(True))
                .order_by(CATEGORY.c.sort_order, CATEGORY.c.code))]

    def communities(self) -> list[tuple[int, str]]:
        """(id, name) of the station's communities, for filters and the register dialog."""
        with self.db.read() as conn:
            return [(int(r.id), str(r.name)) for r in conn.execute(
                select(COMMUNITY.c.id, COMMUNITY.c.name).order_by(COMMUNITY.c.id))]

    def incident_id(self, incident_no: str) -> int:
        """The id of the incident with this number; refused naming the number when there is none."""
        with self.db.read() as conn:
            found = conn.execute(select(INCIDENT.c.id)
                                 .where(INCIDENT.c.incident_no == incident_no.strip())).scalar()
        if found is None:
            raise LoopError(f"there is no incident numbered {incident_no.strip()!r}; check the number")
        return int(found)

    # commands ---------------------------------------------------------------------------

    def register(self, data: DisputeInput) -> DisputeRow:
        """Register a dispute; refused with every problem listed when the input is invalid."""
        self.db.identity.require(Perm.LOOPS)
        now = self._now()
        with self.db.write() as conn:
            install_dispute_categories(conn)
            problems = registration_problems(conn, data)
            if problems:
                raise LoopError("the dispute was not registered:\n" + "\n".join(problems))
            community = data.community_id
            if community is None and data.incident_ids:
                community = conn.execute(select(INCIDENT.c.community_id)
                                         .where(INCIDENT.c.id == data.incident_ids[0])).scalar()
            dispute_id = int(conn.execute(insert(DISPUTE_T).values(
                dispute_no=_next_dispute_no(conn, now), category_code=data.category_code,
                title=data.title.strip()[:200], description=data.description.strip(),
                address=data.address.strip(), community_id=community, risk_level=data.risk_level,
                stage=DisputeStage.REGISTERED.value, registered_at=now, handed_to="", reopen_count=0,
                escalated=False, updated_at=now)).inserted_primary_key[0])
            conn.execute(insert(PARTY), [
                {"dispute_id": dispute_id, "name": p.name.strip(), "role": p.role.strip(),
                 "phone": normalize_phone(p.phone) if p.phone.strip() else "",
                 "id_no": p.id_no.strip().upper(), "address": p.address.strip()} for p in data.parties])
            for incident_id in dict.fromkeys(data.incident_ids):
                conn.execute(insert(LINK).values(dispute_id=dispute_id, incident_id=incident_id))
            # Language-neutral: the linked incident numbers.
            detail = " ".join(conn.execute(select(INCIDENT.c.incident_no)
                                           .where(INCIDENT.c.id.in_(data.incident_ids))).scalars())
            log_loop_event(conn, Loop.DISPUTE, dispute_id, now, self.actor, "registered", detail)
        return self.get(dispute_id)

    def mediate(self, dispute_id: int, note: str = "") -> DisputeRow:
        """Mediation starts (or starts again after it failed)."""
        return self._apply(dispute_id, DisputeAction.MEDIATE, note.strip())

    def resolve(self, dispute_id: int, result: str) -> DisputeRow:
        """The dispute is resolved (how is required)."""
        return self._apply(dispute_id, DisputeAction.RESOLVE, _required(result, "how it was resolved"))

    def fail(self, dispute_id: int, reason: str) -> DisputeRow:
        """Mediation did not resolve it (the reason is required)."""
        return self._apply(dispute_id, DisputeAction.FAIL, _required(reason, "why mediation failed"))

    def hand_over(self, dispute_id: int, to: str) -> DisputeRow:
        """Hand an unresolved dispute to the judicial office, a mediation committee or a court."""
        return self._apply(dispute_id, DisputeAction.HAND_OVER, _required(to, "who takes it over"),
                           handed_to=to.strip())

    def _apply(self, dispute_id: int, action: DisputeAction, detail: str, *,
               handed_to: str = "") -> DisputeRow:
        self.db.identity.require(Perm.LOOPS)
        now = self._now()
        with self.db.write() as conn:
            row = _dispute(conn, dispute_id)
            target = DISPUTE.check(row.dispute_no, row.stage, action)
            values: dict[str, Any] = {"stage": target, "updated_at": now, _STAMP[action]: now}
            if handed_to:
                values["handed_to"] = handed_to[:100]
            conn.execute(update(DISPUTE_T).where(DISPUTE_T.c.id == dispute_id).values(**values))
            log_loop_event(conn, Loop.DISPUTE, dispute_id, now, self.actor, action.value, detail)
        return self.get(dispute_id)

    def link_incident(self, dispute_id: int, incident_id: int) -> DisputeRow:
        """Link another incident; a resolved dispute is reopened and its risk level goes up."""
        self.db.identity.require(Perm.LOOPS)
        now = self._now()
        with self.db.write() as conn:
            row = _dispute(conn, dispute_id)
            if row.stage in DISPUTE.final:
                raise LoopError(f"{row.dispute_no} was handed over to {row.handed_to}; register a new "
                                "dispute for the new incident")
            incident_no = conn.execute(select(INCIDENT.c.incident_no)
                                       .where(INCIDENT.c.id == incident_id)).scalar()
            if incident_no is None:
                raise LoopError(f"there is no incident {incident_id}")
            if conn.execute(select(LINK.c.incident_id).where(LINK.c.dispute_id == dispute_id,
                                                             LINK.c.incident_id == incident_id)).first():
                raise LoopError(f"{incident_no} is already linked to {row.dispute_no}")
            conn.execute(insert(LINK).values(dispute_id=dispute_id, incident_id=incident_id))
            log_loop_event(conn, Loop.DISPUTE, dispute_id, now, self.actor, "linked", incident_no)
            if row.stage == DisputeStage.RESOLVED:
                # It flared up again: back to mediation, one risk level higher.
                target = DISPUTE.check(row.dispute_no, row.stage, DisputeAction.REOPEN)
                risk = escalated_risk(row.risk_level)
                conn.execute(update(DISPUTE_T).where(DISPUTE_T.c.id == dispute_id).values(
                    stage=target, mediating_at=now, risk_level=risk, escalated=True,
                    reopen_count=row.reopen_count + 1, updated_at=now))
                log_loop_event(conn, Loop.DISPUTE, dispute_id, now, self.actor, DisputeAction.REOPEN.value,
                               f"new incident {incident_no}; risk {row.risk_level} → {risk}")
            else:
                conn.execute(update(DISPUTE_T).where(DISPUTE_T.c.id == dispute_id).values(updated_at=now))
        return self.get(dispute_id)

    def schedule_revisit(self, dispute_id: int, assignee_id: int | None = None) -> TaskRow:
        """Issue a revisit task to the community officer (due within the risk level's revisit days)."""
        self.db.identity.require(Perm.LOOPS)
        now = self._now()
        with self.db.write() as conn:
            install_templates(conn)
            row = _dispute(conn, dispute_id)
            if row.stage in DISPUTE.final:
                raise LoopError(f"{row.dispute_no} was handed over to {row.handed_to}; it is no longer "
                                "revisited")
            officer = assignee_id if assignee_id is not None else _community_officer(conn, row.community_id)
            if officer is None:
                raise LoopError(f"{row.dispute_no} has no community or its community has no officer; "
                                "choose the officer who revisits")
            revisit_by = now + timedelta(days=DISPUTE_REVISIT_DAYS[row.risk_level])
            incidents = tuple(conn.execute(select(LINK.c.incident_id).where(LINK.c.dispute_id == dispute_id)
                                           .order_by(LINK.c.incident_id)).scalars())
            task_id = issue_task(conn, IssueRequest(
                template_code=DISPUTE_TEMPLATE, assignee_id=officer,
                title=f"矛盾纠纷回访 {row.dispute_no} {row.title}",
                detail=f"{revisit_by:%Y-%m-%d}前完成回访；风险等级{row.risk_level}", incident_ids=incidents,
                community_id=row.community_id, source=TaskSource.DISPUTE), now, self.actor)
            conn.execute(insert(DISPUTE_TASK).values(dispute_id=dispute_id, task_id=task_id))
            task = task_rows(conn, TASK.c.id == task_id)[0]
            log_loop_event(conn, Loop.DISPUTE, dispute_id, now, self.actor, "revisit_scheduled",
                           f"{task.task_no} → {task.assignee_name}, by {revisit_by:%Y-%m-%d}")
        return task

    # queries ----------------------------------------------------------------------------

    def get(self, dispute_id: int) -> DisputeRow:
        """One dispute."""
        rows = self._rows(DISPUTE_T.c.id == dispute_id)
        if not rows:
            raise LoopError(f"there is no dispute {dispute_id}")
        return rows[0]

    def find(self, *, stage: str | None = None, open_only: bool = False, category_code: str | None = None,
             risk_level: int | None = None, community_id: int | None = None,
             limit: int = 2000) -> list[DisputeRow]:
        """Disputes for the ledger, newest first."""
        conds: list[Any] = []
        if stage:
            conds.append(DISPUTE_T.c.stage == stage)
        if open_only:
            conds.append(DISPUTE_T.c.stage.in_([s.value for s in OPEN_STAGES]))
        if category_code:
            conds.append(DISPUTE_T.c.category_code == category_code)
        if risk_level is not None:
            conds.append(DISPUTE_T.c.risk_level == risk_level)
        if community_id is not None:
            conds.append(DISPUTE_T.c.community_id == community_id)
        return self._rows(and_(True, *conds), limit=limit)

    def for_incident(self, incident_id: int) -> list[DisputeRow]:
        """The disputes an incident is linked to."""
        linked = select(LINK.c.dispute_id).where(LINK.c.incident_id == incident_id)
        return self._rows(DISPUTE_T.c.id.in_(linked))

    def detail(self, dispute_id: int) -> DisputeDetail:
        """A dispute with its parties, incidents, revisits and events."""
        dispute = self.get(dispute_id)
        with self.db.read() as conn:
            mask = masker_for(self.db.identity)
            parties = [PartyRow(mask(PersonalField.NAME, r.name), r.role,
                                mask(PersonalField.PHONE, r.phone), mask(PersonalField.ID_NO, r.id_no),
                                r.address) for r in conn.execute(
                select(PARTY).where(PARTY.c.dispute_id == dispute_id).order_by(PARTY.c.id))]
            incidents = [LinkedIncident(*r) for r in conn.execute(
                select(INCIDENT.c.id, INCIDENT.c.incident_no, INCIDENT.c.received_at,
                       func.coalesce(INCIDENT_CATEGORY.c.name, INCIDENT.c.category_code), INCIDENT.c.address)
                .select_from(LINK.join(INCIDENT, INCIDENT.c.id == LINK.c.incident_id)
                             .outerjoin(INCIDENT_CATEGORY,
                                        INCIDENT_CATEGORY.c.code == INCIDENT.c.category_code))
                .where(LINK.c.dispute_id == dispute_id).order_by(INCIDENT.c.received_at))]
            task_ids = select(DISPUTE_TASK.c.task_id).where(DISPUTE_TASK.c.dispute_id == dispute_id)
            revisits = task_rows(conn, TASK.c.id.in_(task_ids))
            events = [EventRow(r.at, r.actor, r.action, r.detail) for r in conn.execute(
                select(LOOP_EVENT).where(LOOP_EVENT.c.loop == Loop.DISPUTE.value,
                                         LOOP_EVENT.c.item_id == dispute_id)
                .order_by(LOOP_EVENT.c.at, LOOP_EVENT.c.id))]
        return DisputeDetail(dispute, parties, incidents, revisits, events)

    def _rows(self, where: Any, limit: int = 2000) -> list[DisputeRow]:
        with self.db.read() as conn:
            rows = conn.execute(
                select(DISPUTE_T.c.id, DISPUTE_T.c.dispute_no, DISPUTE_T.c.category_code,
                       func.coalesce(CATEGORY.c.name, DISPUTE_T.c.category_code), DISPUTE_T.c.title,
                       DISPUTE_T.c.description, DISPUTE_T.c.address, DISPUTE_T.c.community_id,
                       func.coalesce(COMMUNITY.c.name, ""), DISPUTE_T.c.risk_level, DISPUTE_T.c.stage,
                       DISPUTE_T.c.registered_at, DISPUTE_T.c.updated_at, DISPUTE_T.c.handed_to,
                       DISPUTE_T.c.reopen_count, DISPUTE_T.c.escalated)
                .select_from(DISPUTE_T.outerjoin(CATEGORY, CATEGORY.c.code == DISPUTE_T.c.category_code)
                             .outerjoin(COMMUNITY, COMMUNITY.c.id == DISPUTE_T.c.community_id))
                .where(where).order_by(DISPUTE_T.c.registered_at.desc(), DISPUTE_T.c.id.desc())
                .limit(limit)).all()
        return [DisputeRow(*r[:15], bool(r[15])) for r in rows]


def _dispute(conn: Connection, dispute_id: int) -> Any:
    row = conn.execute(select(DISPUTE_T).where(DISPUTE_T.c.id == dispute_id)).first()
    if row is None:
        raise LoopError(f"there is no dispute {dispute_id}")
    return row


def _next_dispute_no(conn: Connection, at: datetime) -> str:
    prefix = f"JF{at:%Y%m%d}"
    count = conn.execute(select(func.count()).where(DISPUTE_T.c.dispute_no.like(prefix + "%"))).scalar_one()
    return f"{prefix}{count + 1:04d}"


def _required(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise LoopError(f"give {what}")
    return text


# the demo station --------------------------------------------------------------------------

#: Incident dispute categories and the ledger category they are registered under.
DEMO_CATEGORY = {"0501": "D01", "0502": "D03", "0503": "D04", "0504": "D11", "0505": "D07"}
DEMO_DISPUTE_DAYS = 60
DEMO_DISPUTE_MAX = 24
_DEMO_OTHER_PARTY = ("王建国", "李秀兰", "张伟", "刘芳", "陈明", "杨丽", "赵强", "黄静")


def generate_demo_disputes(db: Database, seed: int, end: datetime) -> int:
    """Disputes from the demo's dispute incidents of the last days, at every stage; returns count.

    The same seed and end give the same disputes.
    """
    rng = random.Random(f"{seed}:disputes")
    end = end.replace(second=0, microsecond=0)
    with db.read() as conn:
        candidates = conn.execute(
            select(INCIDENT.c.id, INCIDENT.c.received_at, INCIDENT.c.category_code, INCIDENT.c.caller_name,
                   INCIDENT.c.caller_phone, INCIDENT.c.caller_id_no, INCIDENT.c.address,
                   INCIDENT.c.description)
            .where(INCIDENT.c.category_code.in_(sorted(DEMO_CATEGORY)),
                   INCIDENT.c.received_at >= end - timedelta(days=DEMO_DISPUTE_DAYS),
                   INCIDENT.c.received_at < end - timedelta(hours=2), INCIDENT.c.community_id.is_not(None),
                   INCIDENT.c.merged_into_id.is_(None), INCIDENT.c.caller_name != "")
            .order_by(INCIDENT.c.received_at, INCIDENT.c.id)).all()
    picked = [c for c in candidates if rng.random() < 0.3][-DEMO_DISPUTE_MAX:]
    clock = [end]
    service = DisputeService(db, now=lambda: clock[0], actor="演示")
    for inc in picked:
        clock[0] = inc.received_at + timedelta(minutes=rng.randint(60, 110))
        other = PartyInput(rng.choice(_DEMO_OTHER_PARTY), "对方当事人")
        caller = PartyInput(inc.caller_name, "报警人", inc.caller_phone, inc.caller_id_no, inc.address)
        row = service.register(DisputeInput(
            DEMO_CATEGORY[inc.category_code], f"{inc.caller_name}与{other.name}纠纷", (caller, other),
            risk_level=rng.choice((1, 1, 1, 2, 2, 3)), description=inc.description, address=inc.address,
            incident_ids=(inc.id,)))
        _demo_steps(service, rng, clock, row, end)
    return len(picked)


def _demo_steps(service: DisputeService, rng: random.Random, clock: list[datetime], row: DisputeRow,
                end: datetime) -> None:
    """Move one demo dispute along a random path, never past ``end``.

    No revisit tasks: the demo's task queue is generated (and regenerated) on its own.
    """
    path: Sequence[tuple[str, str]] = rng.choice((
        (),
        (("mediate", ""),),
        (("mediate", ""), ("resolve", "双方达成和解协议")),
        (("resolve", "现场调解，双方握手言和"),),
        (("mediate", ""), ("fail", "双方分歧较大，调解未果")),
        (("mediate", ""), ("fail", "一方拒绝调解"), ("hand_over", "司法所人民调解委员会")),
    ))
    for action, text in path:
        step = clock[0] + timedelta(hours=rng.randint(4, 72))
        if step >= end:
            return
        clock[0] = step
        method = getattr(service, action)
        if text:
            method(row.id, text)
        else:
            method(row.id)
