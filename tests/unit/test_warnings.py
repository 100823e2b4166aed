"""Warning orders: entry, every transition and refusal, clocks against a controllable clock,
the on-time figure, file import (good, bad, re-sent, GB18030, XLSX) and the demo set."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from station_console.domain.loops import LoopError, WarningKind
from station_console.services.demo import generate_demo
from station_console.services.warnings import (
    WARNING_T,
    WarningImportError,
    WarningService,
    generate_demo_warnings,
)
from station_console.store.database import Database
from tests.conftest import DEMO_END, ON_BOTH_ENGINES

T0 = datetime(2024, 5, 1, 9, 0)
HEADER = "预警编号,预警类型,预警等级,下发时间,姓名,手机号,身份证号,地址,预警内容\n"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def svc(db: Database, clock: Clock) -> WarningService:
    return WarningService(db, now=clock, actor="值班员")


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(WARNING_T)).scalar_one())


@ON_BOTH_ENGINES
def test_the_whole_loop_with_its_clocks(svc: WarningService, clock: Clock) -> None:
    row = svc.enter(WarningKind.ANTI_FRAUD, 1, subject_name="张丽", subject_phone="13800001111",
                    content="正在与涉诈号码通话")
    assert row.state == "received" and row.order_no == "YJ202405010001" and row.source == "manual"
    running = row.clock()
    assert running is not None and running.due == T0 + timedelta(minutes=5)
    clock.now += timedelta(minutes=2)
    row = svc.review(row.id, "属实，需劝阻")
    assert row.state == "reviewed" and row.reviewed_at == clock.now and row.review_note == "属实，需劝阻"
    clock.now += timedelta(minutes=2)
    row = svc.dispatch(row.id, note="社区民警王强上门")
    assert row.state == "dispatched" and not row.was_overdue
    answer = row.clock()
    assert answer is not None and answer.due == T0 + timedelta(minutes=30)
    clock.now += timedelta(minutes=10)
    row = svc.feedback(row.id, "已当面劝阻，未转账")
    assert row.state == "fed_back" and row.clock() is None and row.feedback == "已当面劝阻，未转账"
    row = svc.close(row.id, "已回复反诈中心")
    assert row.state == "closed" and row.closed_at == clock.now
    assert [e.action for e in svc.events(row.id)] == ["received", "review", "dispatch", "feedback", "close"]
    assert svc.on_time(T0, T0 + timedelta(days=1)).rate == 1.0


@ON_BOTH_ENGINES
def test_refused_steps_say_why(svc: WarningService) -> None:
    row = svc.enter("missing_person", 2, subject_name="李老伯", address="幸福路12号")
    with pytest.raises(LoopError, match="not possible now; possible: dismiss, review"):
        svc.dispatch(row.id, note="巡逻组")
    with pytest.raises(LoopError, match="not possible"):
        svc.feedback(row.id, "找到了")
    with pytest.raises(LoopError, match="not possible"):
        svc.close(row.id)
    with pytest.raises(LoopError, match="the review's finding"):
        svc.review(row.id, "  ")
    svc.review(row.id, "家属确认走失")
    with pytest.raises(LoopError, match="name the officer"):
        svc.dispatch(row.id)
    with pytest.raises(LoopError, match="there is no officer"):
        svc.dispatch(row.id, officer_id=999_999)
    row = svc.dismiss(row.id, "老人已自行回家")
    assert row.state == "closed" and row.feedback == "老人已自行回家"
    with pytest.raises(LoopError, match="the loop is closed"):
        svc.review(row.id, "再看")
    with pytest.raises(LoopError, match="there is no warning"):
        svc.review(424242, "x")
    assert [e.action for e in svc.events(row.id)] == ["received", "review", "dismiss"]


@ON_BOTH_ENGINES
def test_entry_is_checked(svc: WarningService) -> None:
    with pytest.raises(LoopError, match="level must be"):
        svc.enter("anti_fraud", 4, subject_name="某")
    with pytest.raises(ValueError):
        svc.enter("weather", 1, subject_name="某")
    with pytest.raises(LoopError, match="give the subject"):
        svc.enter("anti_fraud", 1)
    with pytest.raises(LoopError, match="no incident"):
        svc.enter("anti_fraud", 1, subject_name="某", incident_id=999_999)
    svc.enter("anti_fraud", 1, subject_name="某", order_no="FZ-1")
    with pytest.raises(LoopError, match="already recorded"):
        svc.enter("anti_fraud", 1, subject_name="某", order_no="FZ-1")


@ON_BOTH_ENGINES
def test_overdue_with_a_controllable_clock(svc: WarningService, clock: Clock) -> None:
    fraud = svc.enter("anti_fraud", 2, subject_phone="13900002222")
    key = svc.enter("key_person", 3, subject_name="赵某")
    clock.now += timedelta(minutes=5)
    assert svc.overdue() == []
    clock.now += timedelta(seconds=1)
    assert [r.id for r in svc.overdue()] == [fraud.id]
    running = svc.get(fraud.id).clock()
    assert running is not None and running.remaining_s(clock.now) == -1
    row = svc.review(fraud.id, "属实")
    row = svc.dispatch(fraud.id, note="民警核查")
    assert row.was_overdue and [r.id for r in svc.overdue()] == []  # answer clock: 60 minutes
    clock.now = T0 + timedelta(minutes=61)
    assert {r.id for r in svc.overdue()} == {fraud.id, key.id}
    svc.feedback(fraud.id, "已劝阻")
    figures = svc.on_time(T0, T0 + timedelta(hours=2))
    assert (figures.received, figures.answered, figures.on_time) == (2, 1, 0) and figures.rate == 0.0


@ON_BOTH_ENGINES
def test_limits_are_editable(svc: WarningService) -> None:
    assert svc.limits()[("anti_fraud", 1)] == (5, 30)
    svc.set_limit("anti_fraud", 1, 3, 20)
    row = svc.enter("anti_fraud", 1, subject_name="某")
    assert row.response_due == T0 + timedelta(minutes=3) and row.feedback_due == T0 + timedelta(minutes=20)
    with pytest.raises(LoopError):
        svc.set_limit("anti_fraud", 1, 30, 20)


@ON_BOTH_ENGINES
def test_import_good_file_then_resent_is_a_no_op(svc: WarningService, db: Database, tmp_path: Path) -> None:
    path = tmp_path / "预警.csv"
    path.write_text(HEADER + "FZ20240501001,反诈,1,2024-05-01 08:58,张丽,13800001111,,幸福路1号,涉诈通话\n"
                    "SZ20240501002,失踪,二级,2024年5月1日 8时30分,王伯,,,菜市场,老人走失\n"
                    ",,,,,,,,\n", encoding="utf-8")
    summary = svc.import_file(path)
    assert (summary.added, summary.already_there) == (2, 0)
    rows = {r.order_no: r for r in svc.find()}
    assert rows["FZ20240501001"].kind == "anti_fraud" and rows["FZ20240501001"].source == "import"
    assert rows["FZ20240501001"].response_due == datetime(2024, 5, 1, 9, 3)
    missing_person = rows["SZ20240501002"]
    assert missing_person.level == 2 and missing_person.received_at == datetime(2024, 5, 1, 8, 30)
    assert svc.events(rows["FZ20240501001"].id)[0].actor == "预警.csv"
    again = svc.import_file(path)
    assert (again.added, again.already_there) == (0, 2) and _count(db) == 2


@ON_BOTH_ENGINES
def test_bad_rows_reject_the_whole_file_with_names(svc: WarningService, db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "A1,反诈,1,2024-05-01 08:58,张丽,,,,\n"
                    "A2,天气,1,2024-05-01 08:58,张丽,,,,\n"
                    "A3,反诈,9,昨天,张丽,,,,\n"
                    "A1,反诈,1,2024-05-01 08:58,张丽,,,,\n", encoding="utf-8")
    with pytest.raises(WarningImportError) as caught:
        svc.import_file(path)
    where = {(i.line, i.field) for i in caught.value.issues}
    assert where == {(3, "kind"), (4, "level"), (4, "received_at"), (5, "order_no")}
    message = str(caught.value)
    assert "bad.csv, line 3, field kind" in message and "Nothing was imported" in message
    assert _count(db) == 0
    missing = tmp_path / "missing.csv"
    missing.write_text("编号,姓名\nX,张三\n", encoding="utf-8")
    with pytest.raises(WarningImportError, match=r"missing\.csv, line 1, field order_no"):
        svc.import_file(missing)


@ON_BOTH_ENGINES
def test_gb18030_and_xlsx_files(svc: WarningService, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "ZT1,在逃,1,2024-05-01 08:50,钱某,,110101199001011234,火车站,比中在逃人员\n")
                    .encode("gb18030"))
    assert svc.import_file(gbk).added == 1
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["预警编号", "预警类型", "预警等级", "下发时间", "姓名", "地址"])
    sheet.append(["GZ1", "感知告警", 2, datetime(2024, 5, 1, 8, 55), "", "文保单位东门"])
    xlsx = tmp_path / "感知.xlsx"
    book.save(xlsx)
    assert svc.import_file(xlsx).added == 1
    rows = {r.order_no: r for r in svc.find()}
    assert rows["ZT1"].subject_name == "钱某" and rows["ZT1"].kind == "wanted_person"
    assert rows["GZ1"].kind == "sensor_alarm" and rows["GZ1"].address == "文保单位东门"
    assert [r.order_no for r in svc.find(kind="sensor_alarm")] == ["GZ1"]
    assert [r.order_no for r in svc.find(level=1)] == ["ZT1"]


def test_demo_warnings_are_deterministic_with_open_and_overdue(demo_db: Database, tmp_path: Path) -> None:
    svc = WarningService(demo_db, now=lambda: DEMO_END)
    rows = svc.find()
    assert len(rows) >= 30
    assert {r.state for r in rows} >= {"received", "closed", "fed_back"}
    assert svc.find(open_only=True) and svc.overdue() and any(r.was_overdue for r in rows)
    assert svc.on_time(DEMO_END - timedelta(days=7), DEMO_END).answered > 0
    other = Database.open(tmp_path / "again.db", create=True)
    generate_demo(other, incidents=200, end=DEMO_END)
    first = [(r.order_no, r.state, r.received_at) for r in WarningService(other).find()]
    with other.write() as conn:
        conn.execute(WARNING_T.delete())
    generate_demo_warnings(other, 20240501, DEMO_END)
    assert [(r.order_no, r.state, r.received_at) for r in WarningService(other).find()] == first
    other.close()


def test_a_manual_number_follows_the_highest_of_the_day_not_the_count(demo_db: Database) -> None:
    from station_console.services.warnings import WarningService

    service = WarningService(demo_db, now=lambda: DEMO_END)
    prefix = f"YJ{DEMO_END:%Y%m%d}"
    service.enter("anti_fraud", 1, subject_name="甲", order_no=f"{prefix}0900")
    assert service.enter("anti_fraud", 1, subject_name="乙").order_no == f"{prefix}0901"
