"""Non-police diversion on the demo station: the loop, its refusals, clocks, rates and report."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from station_console.domain.loops import DiversionMethod, LoopError
from station_console.services.diversion import INCIDENT, LOOP_EVENT, DiversionService
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
def svc(demo_db: Database, clock: Clock) -> DiversionService:
    return DiversionService(demo_db, now=clock, actor="值班员")


def _incident(db: Database, police: bool) -> int:
    with db.read() as conn:
        query = text("SELECT i.id FROM incident i JOIN incident_category c ON c.code = i.category_code "
                     "WHERE c.is_police = :p AND NOT i.is_diverted ORDER BY i.id DESC LIMIT 1")
        return int(conn.execute(query, {"p": police}).scalar_one())


@DEMO_ON_BOTH_ENGINES
def test_departments_are_an_editable_list(svc: DiversionService) -> None:
    names = [d.name for d in svc.departments()]
    assert len(names) >= 10 and any("12345" in n for n in names) and any("城市管理" in n for n in names)
    svc.save_department("urban", "城管执法中队", contact="王队")
    svc.save_department("sanitation", "环卫所")
    rows = {d.code: d for d in svc.departments()}
    assert rows["urban"].name == "城管执法中队" and rows["sanitation"].name == "环卫所"
    svc.save_department("sanitation", "环卫所", active=False)
    assert "sanitation" not in {d.code for d in svc.departments()}
    with pytest.raises(LoopError):
        svc.save_department("", "无代码")


@DEMO_ON_BOTH_ENGINES
def test_the_whole_loop_with_clocks(svc: DiversionService, clock: Clock, demo_db: Database) -> None:
    incident = _incident(demo_db, police=False)
    dept = svc.departments()[0]
    row = svc.divert(incident, dept.id, DiversionMethod.PLATFORM, "工单 A-1")
    assert row.state == "handed_over" and row.department == dept.name
    clock_ = row.clock()
    assert clock_ is not None and clock_.due == DEMO_END + timedelta(hours=2)
    with demo_db.read() as conn:
        assert conn.execute(select(INCIDENT.c.is_diverted).where(INCIDENT.c.id == incident)).scalar_one()
    clock.now += timedelta(hours=3)  # late: the acceptance step overran
    row = svc.accept(row.id)
    assert row.state == "accepted" and row.was_overdue
    clock.now += timedelta(hours=5)
    row = svc.complete(row.id, "已清理占道摊位")
    clock.now += timedelta(hours=1)
    row = svc.feedback(row.id, "部门书面反馈：已办结")
    clock.now += timedelta(hours=20)
    row = svc.revisit(row.id, satisfied=True, note="报警人满意")
    assert row.state == "closed" and row.satisfied is True and row.clock() is None
    assert [r.id for r in svc.for_incident(incident)] == [row.id]
    with demo_db.read() as conn:
        actions = conn.execute(select(LOOP_EVENT.c.action).where(LOOP_EVENT.c.item_id == row.id,
                                                                 LOOP_EVENT.c.loop == "diversion")
                               .order_by(LOOP_EVENT.c.id)).scalars().all()
    assert actions == ["handed_over", "accept", "complete", "feedback", "revisit"]


@DEMO_ON_BOTH_ENGINES
def test_refusals(svc: DiversionService, demo_db: Database) -> None:
    dept = svc.departments()[0]
    with pytest.raises(LoopError, match="police matter"):
        svc.divert(_incident(demo_db, police=True), dept.id, "phone")
    incident = _incident(demo_db, police=False)
    with pytest.raises(LoopError, match="inactive"):
        svc.divert(incident, 9999, "phone")
    with pytest.raises(ValueError):
        svc.divert(incident, dept.id, "carrier pigeon")
    row = svc.divert(incident, dept.id, "phone")
    with pytest.raises(LoopError, match="already with a department"):
        svc.divert(incident, dept.id, "phone")
    with pytest.raises(LoopError, match="not possible"):
        svc.complete(row.id, "done")
    with pytest.raises(LoopError, match="reason"):
        svc.decline(row.id, "  ")
    with pytest.raises(LoopError, match="not possible"):
        svc.revisit(row.id, satisfied=False)


@DEMO_ON_BOTH_ENGINES
def test_declined_call_goes_to_another_department(svc: DiversionService, demo_db: Database) -> None:
    incident = _incident(demo_db, police=False)
    first, second = svc.departments()[:2]
    row = svc.decline(svc.divert(incident, first.id, "phone").id, "不属于本部门职责")
    assert row.state == "declined"
    with pytest.raises(LoopError, match="not possible"):
        svc.accept(row.id)
    again = svc.divert(incident, second.id, "phone")
    assert again.state == "handed_over"
    cancelled = svc.cancel(again.id, "报警人撤回")
    assert cancelled.state == "cancelled"
    with demo_db.read() as conn:
        assert not conn.execute(select(INCIDENT.c.is_diverted).where(INCIDENT.c.id == incident)).scalar_one()


@DEMO_ON_BOTH_ENGINES
def test_rate_and_department_report(svc: DiversionService, demo_db: Database, tmp_path: Path) -> None:
    start = DEMO_END - timedelta(days=30)
    rate = svc.rate(start, DEMO_END + timedelta(days=1))
    assert rate.calls > rate.non_police > rate.diverted > 0
    assert rate.rate is not None and 0.2 < rate.rate < 0.8
    incident = _incident(demo_db, police=False)
    dept = svc.departments()[0]
    row = svc.divert(incident, dept.id, "phone")
    # From the clock's start on: the demo's own diversions all lie before it.
    report = svc.department_report(DEMO_END, DEMO_END + timedelta(days=1))
    assert [(f.department, f.handed_over, f.open) for f in report] == [(dept.name, 1, 1)]
    out = tmp_path / "分流报表.xlsx"
    assert svc.write_department_report(out, DEMO_END, DEMO_END + timedelta(days=1)) == 1
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.cell(3, 1).value == dept.name and sheet.cell(3, 2).value == 1
    assert row.id > 0


@DEMO_ON_BOTH_ENGINES
def test_department_report_as_pdf(svc: DiversionService, demo_db: Database, tmp_path: Path) -> None:
    from pypdf import PdfReader

    incident = _incident(demo_db, police=False)
    dept = svc.departments()[0]
    row = svc.divert(incident, dept.id, "phone")
    svc.accept(row.id)
    svc.complete(row.id, "已清理")
    svc.feedback(row.id, "已处理完毕")
    start, end = DEMO_END, DEMO_END + timedelta(days=1)
    figures = {f.department: f for f in svc.department_report(start, end)}[dept.name]
    assert (figures.handed_over, figures.accepted, figures.fed_back, figures.overdue) == (1, 1, 1, 0)
    out = tmp_path / "分流报表.pdf"
    assert svc.write_department_report(out, start, end) == 1
    text = "".join(page.extract_text() for page in PdfReader(out).pages).replace(" ", "")
    assert "非警务分流部门报表" in text and dept.name.replace(" ", "") in text
    assert "已反馈" in text and "合计" in text and "分流率" in text
    assert "制作人system" in text  # who produced it (the program itself here)
    assert not list(tmp_path.glob("*.part"))


def test_report_diversion_command(demo_db_path: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    from station_console.cli import main

    out = tmp_path / "diversion.pdf"
    day = (DEMO_END - timedelta(days=1)).date()
    first = (day - timedelta(days=29)).isoformat()
    code = main(["--db", str(demo_db_path), "report", "diversion", "--from", first, "--to", day.isoformat(),
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "written to" in capsys.readouterr().out
    text = "".join(page.extract_text() for page in PdfReader(out).pages).replace(" ", "")
    assert "非警务分流部门报表" in text and f"{first}至{day.isoformat()}" in text and "分部门情况" in text
    xlsx = tmp_path / "diversion.xlsx"
    assert main(["--db", str(demo_db_path), "report", "diversion", "--out", str(xlsx)]) == 0
    assert load_workbook(xlsx).active.cell(2, 11).value == "已反馈"
    assert main(["--db", str(demo_db_path), "report", "diversion", "--from", day.isoformat(),
                 "--to", (day - timedelta(days=3)).isoformat(), "--out", str(out)]) == 2
    assert main(["--db", str(demo_db_path), "report", "diversion", "--out", str(tmp_path / "x.txt")]) == 2


@DEMO_ON_BOTH_ENGINES
def test_the_demo_station_has_diversions_at_every_step(svc: DiversionService, demo_db: Database) -> None:
    rows = svc.find(limit=100_000)
    states = {r.state for r in rows}
    # Closed ones and still-open ones at several steps (the small test station has few recent calls).
    assert "closed" in states and len(states) >= 4
    assert any(r.was_overdue for r in rows) and any(r.satisfied for r in rows)
    assert all(r.handed_over_at <= DEMO_END for r in rows)
    report = svc.department_report(DEMO_END - timedelta(days=30), DEMO_END)
    assert len(report) >= 3 and sum(f.fed_back for f in report) > 0
    with demo_db.read() as conn:
        undiverted = conn.execute(text(
            "SELECT count(*) FROM diversion d JOIN incident i ON i.id = d.incident_id "
            "WHERE NOT i.is_diverted")).scalar_one()
    assert undiverted == 0
