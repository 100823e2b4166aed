"""The disputes ledger on the demo station: every stage change, refusals, reopening, revisits."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from station_console.domain.loops import LoopError
from station_console.services.disputes import (
    DISPUTE_TEMPLATE,
    DisputeInput,
    DisputeService,
    PartyInput,
    generate_demo_disputes,
)
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(DEMO_END)


@pytest.fixture
def svc(demo_db: Database, clock: Clock) -> DisputeService:
    return DisputeService(demo_db, now=clock, actor="值班员")


def _incidents(db: Database, n: int) -> list[int]:
    with db.read() as conn:
        query = text("SELECT id FROM incident WHERE community_id IS NOT NULL ORDER BY id DESC LIMIT :n")
        return [int(i) for i in conn.execute(query, {"n": n}).scalars()]


def _register(svc: DisputeService, db: Database, risk: int = 1) -> int:
    incident = _incidents(db, 1)[0]
    row = svc.register(DisputeInput(
        "D03", "张三与李四邻里噪音纠纷",
        (PartyInput("张三", "报警人", "138 0013 8000", "11010519491231002X"), PartyInput("李四", "对方")),
        risk_level=risk, description="楼上装修噪音", incident_ids=(incident,)))
    return row.id


def _actions(svc: DisputeService, dispute_id: int) -> list[str]:
    return [e.action for e in svc.detail(dispute_id).events]


@DEMO_ON_BOTH_ENGINES
def test_register_keeps_parties_and_links(svc: DisputeService, demo_db: Database) -> None:
    dispute_id = _register(svc, demo_db)
    detail = svc.detail(dispute_id)
    assert detail.dispute.stage == "registered" and detail.dispute.category_name == "邻里纠纷"
    assert detail.dispute.dispute_no.startswith(f"JF{DEMO_END:%Y%m%d}")
    assert detail.dispute.community  # taken from the linked incident
    assert [(p.name, p.phone, p.id_no) for p in detail.parties] == [
        ("张三", "13800138000", "11010519491231002X"), ("李四", "", "")]
    assert len(detail.incidents) == 1
    assert _actions(svc, dispute_id) == ["registered"]
    assert [c.code for c in svc.categories()][:3] == ["D01", "D02", "D03"] and len(svc.categories()) == 16


@DEMO_ON_BOTH_ENGINES
def test_invalid_registration_lists_every_problem_and_writes_nothing(svc: DisputeService) -> None:
    before = len(svc.find())
    with pytest.raises(LoopError) as err:
        svc.register(DisputeInput("X99", " ", (PartyInput("", phone="12345"),
                                               PartyInput("王五", id_no="110105194912310021")),
                                  risk_level=5, incident_ids=(10**9,)))
    message = str(err.value)
    for field in ("category:", "title:", "risk level:", "party 1, name", "party 1, phone",
                  "party 2, ID number", "linked incidents:"):
        assert field in message
    with pytest.raises(LoopError, match="parties: add at least one party"):
        svc.register(DisputeInput("D01", "无当事人", ()))
    assert len(svc.find()) == before


@DEMO_ON_BOTH_ENGINES
def test_every_stage_change_and_refusal(svc: DisputeService, demo_db: Database, clock: Clock) -> None:
    dispute_id = _register(svc, demo_db)
    with pytest.raises(LoopError, match="registered: 'fail' is not possible"):
        svc.fail(dispute_id, "x")
    with pytest.raises(LoopError, match="registered: 'hand_over' is not possible"):
        svc.hand_over(dispute_id, "司法所")
    clock.now += timedelta(hours=1)
    assert svc.mediate(dispute_id).stage == "mediating"
    with pytest.raises(LoopError, match="give why mediation failed"):
        svc.fail(dispute_id, " ")
    assert svc.fail(dispute_id, "双方分歧大").stage == "unresolved"
    with pytest.raises(LoopError, match="unresolved: 'resolve' is not possible"):
        svc.resolve(dispute_id, "x")
    assert svc.mediate(dispute_id, "再次调解").stage == "mediating"
    assert svc.fail(dispute_id, "仍未果").stage == "unresolved"
    with pytest.raises(LoopError, match="give who takes it over"):
        svc.hand_over(dispute_id, "")
    row = svc.hand_over(dispute_id, "司法所人民调解委员会")
    assert row.stage == "handed_over" and row.handed_to == "司法所人民调解委员会"
    with pytest.raises(LoopError, match="the loop is closed"):
        svc.mediate(dispute_id)
    with pytest.raises(LoopError, match="register a new dispute"):
        svc.link_incident(dispute_id, _incidents(demo_db, 5)[-1])
    with pytest.raises(LoopError, match="no longer revisited"):
        svc.schedule_revisit(dispute_id)
    assert _actions(svc, dispute_id) == ["registered", "mediate", "fail", "mediate", "fail", "hand_over"]


@DEMO_ON_BOTH_ENGINES
def test_resolving_directly_or_after_mediation(svc: DisputeService, demo_db: Database) -> None:
    first = _register(svc, demo_db)
    with pytest.raises(LoopError, match="give how it was resolved"):
        svc.resolve(first, "")
    assert svc.resolve(first, "现场调解和好").stage == "resolved"
    with pytest.raises(LoopError, match="resolved: 'mediate' is not possible"):
        svc.mediate(first)
    second = _register(svc, demo_db)
    svc.mediate(second)
    assert svc.resolve(second, "签订协议").stage == "resolved"


@DEMO_ON_BOTH_ENGINES
def test_a_resolved_dispute_with_a_new_incident_is_reopened_and_escalated(
        svc: DisputeService, demo_db: Database) -> None:
    dispute_id = _register(svc, demo_db, risk=2)
    new, other = _incidents(demo_db, 3)[1:]
    svc.link_incident(dispute_id, new)
    assert svc.get(dispute_id).risk_level == 2  # still open: just linked
    with pytest.raises(LoopError, match="already linked"):
        svc.link_incident(dispute_id, new)
    svc.resolve(dispute_id, "和解")
    row = svc.link_incident(dispute_id, other)
    assert (row.stage, row.risk_level, row.escalated, row.reopen_count) == ("mediating", 3, True, 1)
    assert _actions(svc, dispute_id)[-2:] == ["linked", "reopen"]
    assert "risk 2 → 3" in svc.detail(dispute_id).events[-1].detail
    assert len(svc.detail(dispute_id).incidents) == 3
    assert dispute_id in [d.id for d in svc.for_incident(other)]
    svc.resolve(dispute_id, "再次和解")
    svc.link_incident(dispute_id, _incidents(demo_db, 4)[-1])
    assert svc.get(dispute_id).risk_level == 3  # the highest level stays


@DEMO_ON_BOTH_ENGINES
def test_revisits_are_dispute_tasks_for_the_community_officer(svc: DisputeService, demo_db: Database) -> None:
    dispute_id = _register(svc, demo_db, risk=3)
    task = svc.schedule_revisit(dispute_id)
    assert task.template_code == DISPUTE_TEMPLATE and task.source == "dispute"
    assert task.state == "awaiting_signoff" and task.community_id == svc.get(dispute_id).community_id
    assert task.title.endswith("张三与李四邻里噪音纠纷")
    assert len(task.incident_nos) == 1
    second = svc.schedule_revisit(dispute_id)
    detail = svc.detail(dispute_id)
    assert sorted(t.id for t in detail.revisits) == sorted([task.id, second.id])
    assert f"by {DEMO_END + timedelta(days=7):%Y-%m-%d}" in detail.events[-1].detail
    with pytest.raises(LoopError, match="no community"):
        no_community = svc.register(DisputeInput("D01", "无社区", (PartyInput("赵六"),)))
        svc.schedule_revisit(no_community.id)


@DEMO_ON_BOTH_ENGINES
def test_filters(svc: DisputeService, demo_db: Database) -> None:
    dispute_id = _register(svc, demo_db, risk=3)
    row = svc.get(dispute_id)
    assert dispute_id in [d.id for d in svc.find(stage="registered", category_code="D03", risk_level=3,
                                                 community_id=row.community_id)]
    assert dispute_id not in [d.id for d in svc.find(stage="mediating")]
    assert dispute_id in [d.id for d in svc.find(open_only=True)]


@DEMO_ON_BOTH_ENGINES
def test_demo_station_has_disputes_at_several_stages(demo_db: Database) -> None:
    rows = DisputeService(demo_db).find()
    assert len(rows) >= 8
    assert len({r.stage for r in rows}) >= 3
    assert all(r.registered_at < DEMO_END for r in rows)
    assert any(r.handed_to for r in rows) or any(r.stage == "resolved" for r in rows)


LEDGER = text("SELECT dispute_no, title, stage, risk_level, handed_to FROM dispute ORDER BY id")


@DEMO_ON_BOTH_ENGINES
def test_demo_disputes_are_deterministic(demo_db: Database) -> None:
    with demo_db.read() as conn:
        before = conn.execute(LEDGER).all()
        seed = int(conn.execute(text("SELECT value FROM app_meta WHERE key = 'demo_seed'")).scalar_one())
    with demo_db.write() as conn:
        conn.execute(text("DELETE FROM loop_event WHERE loop = 'dispute'"))
        for table in ("dispute_task", "dispute_incident", "dispute_party", "dispute"):
            conn.execute(text(f"DELETE FROM {table}"))
    generate_demo_disputes(demo_db, seed, DEMO_END)
    with demo_db.read() as conn:
        assert conn.execute(LEDGER).all() == before
