"""The task service on a real demo station database: issuing, the workflow, queues, figures."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from station_console.domain.tasks import ClockLevel, Refusal, TaskError, TaskSource, TaskState
from station_console.services.tasks import (
    EVENT,
    TASK,
    FeedbackInvalid,
    IssueRequest,
    TaskFilter,
    TaskService,
    TemplateInvalid,
    demo_answers,
    generate_demo_tasks,
    load_shipped_templates,
)
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES, DEMO_SEED


class Clock:
    """A controllable "now"."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock(DEMO_END)


@pytest.fixture
def svc(demo_db: Database, clock: Clock) -> TaskService:
    return TaskService(demo_db, now=clock, actor="值班员")


def _repeat_incident(db: Database) -> int:
    with db.read() as conn:
        return int(conn.exec_driver_sql(
            "SELECT id FROM incident WHERE is_repeat AND community_id IS NOT NULL "
            "ORDER BY received_at DESC LIMIT 1").scalar_one())


def _events(db: Database, task_id: int) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(select(EVENT.c.action).where(EVENT.c.task_id == task_id)
                                 .order_by(EVENT.c.id)).scalars())


@DEMO_ON_BOTH_ENGINES
def test_shipped_templates_are_a_complete_starter_set(svc: TaskService) -> None:
    shipped = load_shipped_templates()
    assert len(shipped) >= 30
    templates = svc.templates()
    assert len(templates) == len(shipped)
    for t in templates:
        assert t.lead_department and t.basis and t.measures and t.standard
        assert t.signoff_limit_min == 30
        assert t.feedback_limit_h in (3, 6, 9, 24)
        assert t.fields
    assert {f.type for t in templates for f in t.fields} == {
        "pick_one", "pick_many", "yes_no", "number", "datetime", "short_text", "long_text"}


def test_templates_install_lazily_into_an_empty_database(db: Database) -> None:
    svc = TaskService(db)
    assert len(svc.templates()) >= 30
    svc.ensure_templates()
    assert len(TaskService(db).templates()) >= 30


@DEMO_ON_BOTH_ENGINES
def test_issue_from_an_incident_proposes_the_community_officer(svc: TaskService, demo_db: Database) -> None:
    incident_id = _repeat_incident(demo_db)
    proposal = svc.propose_from_incident(incident_id)
    assert proposal.template_code == "BZ03"
    with demo_db.read() as conn:
        primary = conn.execute(text(
            "SELECT officer_id FROM officer_community WHERE community_id = :c AND is_primary"),
            {"c": proposal.community_id}).scalar()
    assert proposal.officer_id == primary
    row = svc.issue_from_incident(incident_id)
    assert row.state == TaskState.AWAITING_SIGNOFF
    assert row.source == TaskSource.INCIDENT
    assert row.assignee_id == primary and row.community_id == proposal.community_id
    assert row.signoff_due == DEMO_END + timedelta(minutes=30)
    assert row.feedback_due is None
    assert proposal.incident_no in row.incident_nos
    assert row.task_no.startswith("RW20260315-")
    assert row.id in {t.id for t in svc.tasks_for_incident(incident_id)}
    assert _events(demo_db, row.id) == ["issued"]


@DEMO_ON_BOTH_ENGINES
def test_full_day_sign_feed_back_return_and_review(svc: TaskService, clock: Clock, demo_db: Database) -> None:
    row = svc.issue_from_incident(_repeat_incident(demo_db))
    clock.advance(minutes=12)
    row = svc.sign(row.id)
    assert row.state == TaskState.SIGNED and row.signed_at == clock.now
    assert row.feedback_due == clock.now + timedelta(hours=6)
    template = svc.template(row.template_code)
    clock.advance(hours=2)
    row = svc.file_feedback(row.id, demo_answers(template.fields, random.Random(1), clock.now))
    assert row.state == TaskState.FEEDBACK_FILED and row.clock is None
    clock.advance(minutes=30)
    returned_at = clock.now
    row = svc.return_to_officer(row.id, "请补充当事人态度")
    assert row.state == TaskState.RETURNED and row.return_count == 1
    # Returning restarts the feedback clock from the moment of return.
    assert row.feedback_due == returned_at + timedelta(hours=6)
    clock.advance(hours=1)
    row = svc.file_feedback(row.id, demo_answers(template.fields, random.Random(2), clock.now))
    row = svc.review(row.id)
    assert row.state == TaskState.REVIEWED and row.reviewed_at == clock.now
    assert not row.was_overdue
    assert _events(demo_db, row.id) == [
        "issued", "sign", "file_feedback", "return", "file_feedback", "review"]
    detail = svc.detail(row.id)
    assert detail.answers and detail.events[3].detail == "请补充当事人态度"


@DEMO_ON_BOTH_ENGINES
def test_refused_transitions_change_nothing(svc: TaskService, demo_db: Database) -> None:
    row = svc.issue_from_incident(_repeat_incident(demo_db))
    for call in (lambda: svc.review(row.id), lambda: svc.return_to_officer(row.id, "x"),
                 lambda: svc.file_feedback(row.id, {})):
        with pytest.raises(TaskError) as err:
            call()
        assert err.value.code == Refusal.WRONG_STATE
    with pytest.raises(TaskError) as err:
        svc.cancel(row.id, " ")
    assert err.value.code == Refusal.NO_REASON
    with pytest.raises(TaskError) as err:
        svc.reassign(row.id, row.assignee_id, "换人")
    assert err.value.code == Refusal.SAME_ASSIGNEE
    svc.sign(row.id)
    with pytest.raises(FeedbackInvalid) as bad:
        svc.file_feedback(row.id, {"way": "飞鸽传书"})
    assert {p.code for p in bad.value.problems} >= {"required", "not_an_option"}
    assert svc.detail(row.id).row.state == TaskState.SIGNED
    assert _events(demo_db, row.id) == ["issued", "sign"]
    svc.cancel(row.id, "重复下发")
    with pytest.raises(TaskError):
        svc.sign(row.id)
    assert svc.detail(row.id).row.state == TaskState.CANCELLED


@DEMO_ON_BOTH_ENGINES
def test_reassign_restarts_the_signoff_clock_and_logs_both_names(
        svc: TaskService, clock: Clock, demo_db: Database) -> None:
    row = svc.issue_from_incident(_repeat_incident(demo_db))
    svc.sign(row.id)
    other = next(o for o in svc.officers() if o.id != row.assignee_id)
    clock.advance(minutes=40)
    moved = svc.reassign(row.id, other.id, "原民警休假")
    assert moved.assignee_id == other.id and moved.state == TaskState.AWAITING_SIGNOFF
    assert moved.signoff_due == clock.now + timedelta(minutes=30) and moved.feedback_due is None
    detail = svc.detail(row.id)
    assert detail.events[-1].action == "reassign"
    assert row.assignee_name in detail.events[-1].detail and other.name in detail.events[-1].detail


@DEMO_ON_BOTH_ENGINES
def test_bulk_issue_is_all_or_nothing(svc: TaskService, demo_db: Database) -> None:
    officer = svc.officers()[0]
    with demo_db.read() as conn:
        before = conn.execute(select(func.count()).select_from(TASK)).scalar_one()
    good = IssueRequest("BZ08", officer.id, "出租房屋检查：文澜路 1 号")
    with pytest.raises(TaskError) as err:
        svc.issue_bulk([good, IssueRequest("NOPE", officer.id, "x")])
    assert err.value.code == Refusal.UNKNOWN_TEMPLATE
    with demo_db.read() as conn:
        assert conn.execute(select(func.count()).select_from(TASK)).scalar_one() == before
    rows = svc.issue_bulk([good, IssueRequest("BZ29", officer.id, "独居老人走访")])
    assert [r.template_code for r in rows] == ["BZ08", "BZ29"]
    assert rows[0].task_no != rows[1].task_no


@DEMO_ON_BOTH_ENGINES
def test_queue_puts_overdue_first_and_filters(svc: TaskService, clock: Clock) -> None:
    officer = svc.officers()[0]
    early = svc.issue(IssueRequest("BZ08", officer.id, "早"))
    clock.advance(minutes=20)
    late = svc.issue(IssueRequest("BZ07", officer.id, "晚"))
    clock.advance(minutes=15)   # early is 35 min old: overdue; late has 15 min left
    mine = svc.list_tasks(TaskFilter(officer_id=officer.id))
    ids = [r.id for r in mine]
    assert ids.index(early.id) < ids.index(late.id)
    assert mine[0].level(clock.now) == ClockLevel.OVERDUE
    overdue = svc.list_tasks(TaskFilter(officer_id=officer.id, overdue_only=True))
    assert early.id in {r.id for r in overdue} and late.id not in {r.id for r in overdue}
    soon = svc.list_tasks(TaskFilter(officer_id=officer.id, due_within=timedelta(minutes=16)))
    assert {early.id, late.id} <= {r.id for r in soon}
    only_bz07 = svc.list_tasks(TaskFilter(officer_id=officer.id, template_code="BZ07"))
    assert [r.id for r in only_bz07] == [late.id]
    counts = svc.counts()
    assert counts.overdue >= 1 and counts.open >= 2


@DEMO_ON_BOTH_ENGINES
def test_late_actions_are_remembered_in_the_figures(svc: TaskService, clock: Clock) -> None:
    officer = svc.officers()[-1]
    start = clock.now
    on_time = svc.issue(IssueRequest("BZ05", officer.id, "按时"))
    late = svc.issue(IssueRequest("BZ05", officer.id, "超时"))
    clock.advance(minutes=10)
    svc.sign(on_time.id)
    clock.advance(minutes=30)
    svc.sign(late.id)            # 40 minutes: late
    template = svc.template("BZ05")
    clock.advance(hours=2)
    svc.file_feedback(on_time.id, demo_answers(template.fields, random.Random(3), clock.now))
    clock.advance(hours=2)       # late's 3-hour feedback clock has run out
    figures = {f.officer_id: f for f in svc.officer_figures(start, start + timedelta(days=1))}
    mine = figures[officer.id]
    assert mine.received == 2
    assert mine.signoff_on_time_rate == 0.5
    assert mine.feedback_on_time_rate == 0.5
    assert mine.overdue == 1
    assert mine.median_sign_min == 25.0
    assert mine.median_feedback_min == 150.0   # signed at +10 min, fed back at +160 min
    assert svc.detail(late.id).row.was_overdue


@DEMO_ON_BOTH_ENGINES
def test_cli_report_lists_open_tasks(svc: TaskService, demo_db: Database) -> None:
    row = svc.issue_from_incident(_repeat_incident(demo_db))
    report = svc.open_tasks_report(officer=row.assignee_name)
    mine = next(r for r in report if r["number"] == row.task_no)
    assert mine["state"] == "awaiting_signoff" and mine["incidents"] == list(row.incident_nos)
    assert mine["signoff_deadline"] == "2026-03-15 11:00:00"
    with pytest.raises(ValueError, match="unknown task state"):
        svc.open_tasks_report(state="lost")
    with pytest.raises(ValueError, match="no officer"):
        svc.open_tasks_report(officer="无此人")


@DEMO_ON_BOTH_ENGINES
def test_demo_tasks_are_deterministic_and_varied(demo_db: Database) -> None:
    svc = TaskService(demo_db, now=lambda: DEMO_END)
    rows = svc.list_tasks(TaskFilter(states=frozenset(TaskState)))
    states = {r.state for r in rows}
    assert {TaskState.REVIEWED, TaskState.SIGNED} <= states and len(rows) >= 20
    assert any(r.level(DEMO_END) == ClockLevel.OVERDUE for r in rows)
    assert all(r.incident_nos for r in rows)
    with demo_db.read() as conn:
        before = [tuple(r) for r in conn.execute(
            select(TASK.c.task_no, TASK.c.state, TASK.c.feedback).order_by(TASK.c.task_no))]
        conn.rollback()
    with demo_db.write() as conn:
        conn.exec_driver_sql("DELETE FROM task_event")
        conn.exec_driver_sql("DELETE FROM task_incident")
        conn.exec_driver_sql("DELETE FROM task")
    generate_demo_tasks(demo_db, DEMO_SEED, DEMO_END)
    with demo_db.read() as conn:
        after = [tuple(r) for r in conn.execute(
            select(TASK.c.task_no, TASK.c.state, TASK.c.feedback).order_by(TASK.c.task_no))]
    assert after == before
    assert all(json.loads(f) for _no, state, f in after if state == "reviewed")


@DEMO_ON_BOTH_ENGINES
def test_template_edits_are_validated(svc: TaskService) -> None:
    edited = svc.update_template("BZ01", feedback_limit_h=6, name="家庭纠纷回访（加急）")
    assert edited.feedback_limit_h == 6 and edited.name.endswith("（加急）")
    with pytest.raises(TemplateInvalid, match="unknown type"):
        svc.update_template("BZ01", form=[{"key": "a", "label": "A", "type": "essay"}])
    with pytest.raises(TaskError):
        svc.update_template("ZZ99", name="x")
